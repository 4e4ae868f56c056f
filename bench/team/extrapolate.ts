// From what one scaled-down run measured per refresh to a day of a large team (issue 16 item 7, plan §9). Pure
// arithmetic, each assumption a named constant, so the write-up and the test say the same thing.
import { HEARTBEAT_MS } from '../../src/main/core/team/team-turns.ts'

const DAY_MS = 86_400_000

/** A 7-day access token refreshed 24 h before it ends: each credential is refreshed once every 6 days. */
export const REFRESH_EVERY_DAYS = 6
/** Each member's `members.last_seen` update (team-turns.ts): one row update, one transaction. */
export const MEMBER_HEARTBEAT_MS = HEARTBEAT_MS
/** Each member's periodic catch-up read while online (sync.ts): one read-only transaction, usually no row. */
export const CATCH_UP_POLL_MS = 30_000
/** Each member's listening session says `SELECT 1` this often (team-link.ts default, as the app opens it). */
export const LINK_PING_MS = 5_000

export interface TeamScale {
  readonly members: number
  readonly credentials: number
}

export const TARGET_SCALE: TeamScale = { members: 50, credentials: 10_000 }

/** Measured in the steady run, each divided by the refreshes it made (notifications and adoptions also by members). */
export interface PerRefresh {
  readonly tokenRequests: number
  /** Rows inserted + updated + deleted in the team's tables (pg_stat_user_tables). */
  readonly rowsWritten: number
  /**
   * Committed transactions (pg_stat_database) but for those that grow with the team: the other members' reads of the
   * new row (one per adoption) and the listening sessions' reads of their notification queue (PostgreSQL reads it in
   * a transaction of its own; notifications arriving together share one, so one per notification is an upper bound).
   */
  readonly transactions: number
  /** NOTIFY messages delivered to one member's listening session. */
  readonly notificationsPerMember: number
  /** Rows each other member (not the writer, who holds the pair already) read and took in. */
  readonly adoptionsPerOtherMember: number
  /** Lease acquires answered 'elsewhere', across the team. */
  readonly failedAcquires: number
}

export interface TeamDay {
  readonly refreshes: number
  readonly tokenRequests: number
  readonly refreshRowsWritten: number
  /** The refreshes' own transactions, the members' reads taking each new pair in, and their notification-queue reads. */
  readonly refreshTransactions: number
  readonly notifications: number
  readonly adoptions: number
  /** What the adoptions read out of the server: adoptions × bytes of one row read. */
  readonly adoptBytes: number
  readonly failedAcquires: number
  readonly heartbeatRowUpdates: number
  readonly catchUpReads: number
  readonly linkPings: number
  /** Every row written: refreshes' plus heartbeats'. */
  readonly rowsWritten: number
  /** Every transaction: refreshes', heartbeats', catch-up reads' and pings'. */
  readonly transactions: number
}

export function refreshesPerDay(credentials: number): number {
  return credentials / REFRESH_EVERY_DAYS
}

/** How many refreshes a run of `days` simulated days makes for `credentials` (at least one each... rounded). */
export function refreshesInRun(credentials: number, days: number): number {
  return Math.round(refreshesPerDay(credentials) * days)
}

/** What a steady run counted in all (housekeeping already taken off rows and transactions). */
export interface RunTotals {
  readonly refreshes: number
  readonly members: number
  readonly tokenRequests: number
  readonly rowsWritten: number
  readonly transactions: number
  /** Delivered to all members' links. */
  readonly notifications: number
  /** Rows taken in by all members. */
  readonly adoptions: number
  readonly failedAcquires: number
}

export function perRefresh(totals: RunTotals): PerRefresh {
  const { refreshes, members } = totals
  if (refreshes <= 0 || members < 2) throw new RangeError('no refreshes or no members measured')
  return {
    tokenRequests: totals.tokenRequests / refreshes,
    rowsWritten: totals.rowsWritten / refreshes,
    // One read per adoption (sync.ts reads the notified row), one queue read per notification; the rest is the refresh's own.
    transactions: Math.max(0, totals.transactions - totals.adoptions - totals.notifications) / refreshes,
    notificationsPerMember: totals.notifications / refreshes / members,
    adoptionsPerOtherMember: members > 1 ? totals.adoptions / refreshes / (members - 1) : 0,
    failedAcquires: totals.failedAcquires / refreshes
  }
}

export function teamDay(scale: TeamScale, measured: PerRefresh, bytesPerRow: number): TeamDay {
  const refreshes = refreshesPerDay(scale.credentials)
  const heartbeatRowUpdates = scale.members * (DAY_MS / MEMBER_HEARTBEAT_MS)
  const catchUpReads = scale.members * (DAY_MS / CATCH_UP_POLL_MS)
  const linkPings = scale.members * (DAY_MS / LINK_PING_MS)
  const refreshRowsWritten = refreshes * measured.rowsWritten
  const adoptions = refreshes * measured.adoptionsPerOtherMember * (scale.members - 1)
  const notifications = refreshes * measured.notificationsPerMember * scale.members
  const refreshTransactions = refreshes * measured.transactions + adoptions + notifications
  return {
    refreshes,
    tokenRequests: refreshes * measured.tokenRequests,
    refreshRowsWritten,
    refreshTransactions,
    notifications,
    adoptions,
    adoptBytes: adoptions * bytesPerRow,
    failedAcquires: refreshes * measured.failedAcquires,
    heartbeatRowUpdates,
    catchUpReads,
    linkPings,
    rowsWritten: refreshRowsWritten + heartbeatRowUpdates,
    transactions: refreshTransactions + heartbeatRowUpdates + catchUpReads + linkPings
  }
}

/** Plan §9's numbers on paper for 50 members × 10,000 credentials, a day. */
export const PAPER_DAY = {
  refreshes: 1_700,
  refreshRowsWritten: 8_500,
  notifications: 85_000,
  adoptBytes: 100_000_000,
  heartbeatRowUpdates: 72_000,
  catchUpReads: 144_000
} as const satisfies Partial<Record<keyof TeamDay, number>>
