// Leases on team credentials (issue 16, plan §4): one refresher per token family across every member's machine.
//
// Why a compare-and-set on the row and not advisory locks: a session advisory lock goes the moment its connection
// drops, so a member that lost its connection mid-refresh could still be sending while another takes the lock; it
// carries no fencing number; and it breaks behind a transaction-mode pooler. A lease in the row survives connections,
// is timed by the server's clock only (clock_timestamp(), never a member's), and each acquire raises `lease_fence`.
// Under READ COMMITTED, racing `UPDATE … WHERE <lease free>` statements queue on the row lock and re-check the WHERE
// against the winner's row, so exactly one wins.
//
// Two numbers, two guards:
// - The lease FENCE guards SENDING. markSending succeeds only for the holder with the current fence and at least
//   SEND_MARGIN_SECONDS of lease left, so a holder whose lease ran out or was taken never lets a refresh token go out.
// - PAIR_VERSION guards WRITING (pair-write.ts). A new pair is written only over the pair it was refreshed from, so a
//   late holder can never write over a newer pair, yet a late answer is still written if no newer pair exists.
// `awaiting_*` is the one state that outlives a lease: a refresh token went out and its answer may be held by the
// sender alone. Nobody else acquires the family until the sender writes its pair or clears the mark, or until the mark
// is older than `orphanSeconds` AND the sender has not been seen (members.last_seen) for as long, or was removed.
//
// Versions and fences are int8 in the database and arrive from pg as strings; they are numbers here (see int8).
import type { TeamDb } from './db/transaction.ts'

/** Lease left that markSending demands: a refresh token never goes out on a lease about to end. */
export const SEND_MARGIN_SECONDS = 2

export interface LeaseTerms {
  /** How long a lease lasts from acquire or renew (plan: 30 s). */
  readonly termSeconds: number
  /** How long an awaiting mark and its sender's silence must last before another member may take over (plan: 15 min). */
  readonly orphanSeconds: number
}

/** A refresh token of this family went out (markSending) and nothing was written or cleared since. */
export interface AwaitingMark {
  readonly by: string
  readonly fence: number
  readonly since: Date
}

export type LeaseOutcome =
  | {
      readonly kind: 'mine'
      readonly fence: number
      readonly until: Date
      readonly version: number
      readonly pairVersion: number
      readonly keyEpoch: number
      /** The row's blob as it stands under this lease (the newest pair): adopt it before reading secrets. */
      readonly sealed: Buffer
      /**
       * Set when a refresh token may already have gone out: by this member (it restarted: finish its write or clear
       * the mark) or by a member silent for orphanSeconds (its answer, if any, is lost to the team: a resend may get
       * invalid_grant, which is then the accepted loss).
       */
      readonly awaiting: AwaitingMark | null
    }
  | { readonly kind: 'elsewhere'; readonly holder: string | null; readonly until: Date | null; readonly awaitingBy: string | null; readonly awaitingSince: Date | null }
  /** No such row, or it was deleted. */
  | { readonly kind: 'gone' }

export type LeaseLostReason = 'gone' | 'taken' | 'released' | 'ran-out' | 'ending'

const REASON_WORDS: Record<LeaseLostReason, string> = {
  gone: 'is gone: the credential was removed from the team',
  taken: 'was taken by a newer lease',
  released: 'was released',
  'ran-out': 'ran out',
  ending: `has less than ${SEND_MARGIN_SECONDS} s left`
}

/** This member no longer holds the lease it was given (or it is about to end): nothing may be sent or renewed. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError'
  readonly credentialId: string
  readonly fence: number
  readonly reason: LeaseLostReason
  constructor(credentialId: string, fence: number, reason: LeaseLostReason) {
    super(`The lease on team credential ${credentialId} (fence ${fence}) ${REASON_WORDS[reason]}; nothing was sent.`)
    this.credentialId = credentialId
    this.fence = fence
    this.reason = reason
  }
}

/**
 * An int8 from pg (a string) as a number. Versions and fences grow by one per write or acquire: at one a millisecond
 * they pass 2^53 after 285,000 years, so a number holds them exactly; anything beyond is refused, never rounded.
 */
export function int8(value: string | number): number {
  const parsed = typeof value === 'number' ? value : Number(value)
  if (!Number.isSafeInteger(parsed)) throw new RangeError(`A team row holds ${String(value)} where a version or fence (below 2^53) belongs.`)
  return parsed
}

function seconds(value: number, what: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${what} must be a positive number of seconds; it is ${value}.`)
  return value
}

interface AcquiredRow {
  readonly lease_fence: string
  readonly lease_until: Date
  readonly version: string
  readonly pair_version: string
  readonly key_epoch: number
  readonly sealed: Buffer
  readonly awaiting_by: string | null
  readonly awaiting_fence: string | null
  readonly awaiting_since: Date | null
}

interface LeaseStateRow {
  readonly deleted: boolean
  readonly lease_holder: string | null
  readonly lease_fence: string
  readonly lease_until: Date | null
  readonly lease_live: boolean
  readonly awaiting_by: string | null
  readonly awaiting_since: Date | null
}

/** Who holds the row now, read after a compare-and-set found nothing (a new snapshot: it sees the winner). */
async function leaseState(db: TeamDb, credentialId: string): Promise<LeaseStateRow | null> {
  const { rows } = await db.pool.query<LeaseStateRow>(
    `SELECT deleted, lease_holder, lease_fence, lease_until,
            coalesce(lease_holder IS NOT NULL AND lease_until > clock_timestamp(), false) AS lease_live,
            awaiting_by, awaiting_since
       FROM ${db.schema}.credentials WHERE id = $1`,
    [credentialId]
  )
  const row = rows[0]
  return row === undefined || row.deleted ? null : row
}

/** Attempts when the lease was let go between the compare-and-set and the read of who holds it. */
const ACQUIRE_ATTEMPTS = 3

/**
 * Takes the lease on a credential if it is free, expired or already this member's, and no refresh token of the family
 * is awaiting an answer held by another member (unless that member is orphaned, see the top of this file).
 */
export async function acquireLease(db: TeamDb, request: { readonly memberId: string; readonly credentialId: string } & LeaseTerms): Promise<LeaseOutcome> {
  const term = seconds(request.termSeconds, 'A lease term')
  const orphan = seconds(request.orphanSeconds, 'The orphan time')
  for (let attempt = 1; ; attempt++) {
    const { rows } = await db.pool.query<AcquiredRow>(
      `UPDATE ${db.schema}.credentials
          SET lease_holder = $2, lease_fence = lease_fence + 1, lease_until = clock_timestamp() + make_interval(secs => $3)
        WHERE id = $1 AND NOT deleted
          AND (lease_holder IS NULL OR lease_holder = $2 OR lease_until IS NULL OR lease_until <= clock_timestamp())
          AND (awaiting_by IS NULL OR awaiting_by = $2
               OR (coalesce(awaiting_since, '-infinity') < clock_timestamp() - make_interval(secs => $4)
                   AND NOT EXISTS (SELECT 1 FROM ${db.schema}.members m
                                    WHERE m.id = awaiting_by AND m.removed_at IS NULL
                                      AND m.last_seen > clock_timestamp() - make_interval(secs => $4))))
      RETURNING lease_fence, lease_until, version, pair_version, key_epoch, sealed, awaiting_by, awaiting_fence, awaiting_since`,
      [request.credentialId, request.memberId, term, orphan]
    )
    const won = rows[0]
    if (won !== undefined) {
      const awaiting = won.awaiting_by === null ? null : { by: won.awaiting_by, fence: int8(won.awaiting_fence ?? 0), since: won.awaiting_since ?? new Date(0) }
      return { kind: 'mine', fence: int8(won.lease_fence), until: won.lease_until, version: int8(won.version), pairVersion: int8(won.pair_version), keyEpoch: won.key_epoch, sealed: won.sealed, awaiting }
    }
    const state = await leaseState(db, request.credentialId)
    if (state === null) return { kind: 'gone' }
    const freedMeanwhile = !state.lease_live && state.awaiting_by === null
    if (freedMeanwhile && attempt < ACQUIRE_ATTEMPTS) continue
    return {
      kind: 'elsewhere',
      holder: state.lease_live ? state.lease_holder : null,
      until: state.lease_live ? state.lease_until : null,
      awaitingBy: state.awaiting_by,
      awaitingSince: state.awaiting_since
    }
  }
}

export interface HeldLease {
  readonly memberId: string
  readonly credentialId: string
  readonly fence: number
}

/** Why a holder's compare-and-set found nothing, read from the row as it now stands. */
async function lostReason(db: TeamDb, lease: HeldLease): Promise<LeaseLostReason> {
  const state = await leaseState(db, lease.credentialId)
  if (state === null) return 'gone'
  if (int8(state.lease_fence) !== lease.fence) return 'taken'
  if (state.lease_holder === null) return 'released'
  return state.lease_live ? 'ending' : 'ran-out'
}

/** Extends a lease this member still holds by a whole term from now (while an attempt waits its turn locally). */
export async function renewLease(db: TeamDb, lease: HeldLease & { readonly termSeconds: number }): Promise<{ readonly until: Date }> {
  const { rows } = await db.pool.query<{ lease_until: Date }>(
    `UPDATE ${db.schema}.credentials SET lease_until = clock_timestamp() + make_interval(secs => $4)
      WHERE id = $1 AND NOT deleted AND lease_holder = $2 AND lease_fence = $3 AND lease_until > clock_timestamp()
    RETURNING lease_until`,
    [lease.credentialId, lease.memberId, lease.fence, seconds(lease.termSeconds, 'A lease term')]
  )
  const renewed = rows[0]
  if (renewed === undefined) throw new LeaseLostError(lease.credentialId, lease.fence, await lostReason(db, lease))
  return { until: renewed.lease_until }
}

/**
 * Records that this family's refresh token is about to go out, from the holder of this fence: call it right before
 * the request and send nothing if it throws (LeaseLostError: the lease is gone, taken or has less than
 * SEND_MARGIN_SECONDS left). The mark stays after the lease; writePair or patchRow's clearAwaitingFence clears it.
 */
export async function markSending(db: TeamDb, lease: HeldLease): Promise<{ readonly since: Date; readonly until: Date }> {
  const { rows } = await db.pool.query<{ awaiting_since: Date; lease_until: Date }>(
    `UPDATE ${db.schema}.credentials SET awaiting_by = $2, awaiting_fence = $3, awaiting_since = clock_timestamp()
      WHERE id = $1 AND NOT deleted AND lease_holder = $2 AND lease_fence = $3
        AND lease_until > clock_timestamp() + make_interval(secs => $4)
    RETURNING awaiting_since, lease_until`,
    [lease.credentialId, lease.memberId, lease.fence, SEND_MARGIN_SECONDS]
  )
  const marked = rows[0]
  if (marked === undefined) throw new LeaseLostError(lease.credentialId, lease.fence, await lostReason(db, lease))
  return { since: marked.awaiting_since, until: marked.lease_until }
}

/** Lets the lease go, only for its holder with its fence (a stale holder changes nothing). Leaves any awaiting mark. */
export async function releaseLease(db: TeamDb, lease: HeldLease, notify?: FreedChannel): Promise<boolean> {
  const freed = `UPDATE ${db.schema}.credentials SET lease_holder = NULL, lease_until = NULL WHERE id = $1 AND lease_holder = $2 AND lease_fence = $3`
  return (await freeing(db, freed, [lease.credentialId, lease.memberId, lease.fence], notify)) > 0
}

/**
 * The team's channel, to say a family was freed with no new pair ({"free": id}): a member waiting for another's
 * refresh of it asks for the turn again at once, instead of when the lease would have run out.
 */
export interface FreedChannel {
  readonly channel: string
}

/** Is a NOTIFY payload a freed family ({"free": id})? Its id, else null. */
export function freedNotice(payload: string): string | null {
  try {
    const parsed = JSON.parse(payload) as { free?: unknown }
    return typeof parsed.free === 'string' ? parsed.free : null
  } catch {
    return null
  }
}

/** Runs an UPDATE (without RETURNING) that frees rows; with a channel, NOTIFYs each freed row in the same statement. */
async function freeing(db: TeamDb, update: string, values: readonly unknown[], notify: FreedChannel | undefined): Promise<number> {
  if (notify === undefined) return (await db.pool.query(update, [...values])).rowCount ?? 0
  const sql = `WITH f AS (${update} RETURNING id) SELECT pg_notify($${values.length + 1}, json_build_object('free', f.id)::text) FROM f`
  return (await db.pool.query(sql, [...values, notify.channel])).rowCount ?? 0
}

/** This member's leases as the row holds them (id and fence), to free those no attempt here holds (a crash's leftovers). */
export async function ownLeases(db: TeamDb, memberId: string): Promise<readonly { readonly credentialId: string; readonly fence: number }[]> {
  const { rows } = await db.pool.query<{ id: string; lease_fence: string }>(`SELECT id, lease_fence FROM ${db.schema}.credentials WHERE lease_holder = $1 AND NOT deleted`, [memberId])
  return rows.map((row) => ({ credentialId: row.id, fence: int8(row.lease_fence) }))
}

/** The member's heartbeat (members.last_seen, the server's time): a member seen lately keeps its awaiting marks. */
export async function touchMember(db: TeamDb, memberId: string): Promise<boolean> {
  const result = await db.pool.query(`UPDATE ${db.schema}.members SET last_seen = clock_timestamp() WHERE id = $1 AND removed_at IS NULL`, [memberId])
  return (result.rowCount ?? 0) > 0
}

/**
 * This member's own awaiting mark, cleared: its refresh ended with no pair to write (the request never left, or its
 * failure is on the row now), so another member may send the family's refresh token again.
 */
export async function clearOwnAwaiting(db: TeamDb, mark: { readonly memberId: string; readonly credentialId: string }, notify?: FreedChannel): Promise<boolean> {
  const cleared = `UPDATE ${db.schema}.credentials SET awaiting_by = NULL, awaiting_fence = NULL, awaiting_since = NULL WHERE id = $1 AND awaiting_by = $2`
  return (await freeing(db, cleared, [mark.credentialId, mark.memberId], notify)) > 0
}

/** The rows whose refresh token this member sent without its answer reaching the row yet (after a crash or a cut). */
export async function ownAwaiting(db: TeamDb, memberId: string): Promise<readonly { readonly credentialId: string; readonly pairVersion: number }[]> {
  const { rows } = await db.pool.query<{ id: string; pair_version: string }>(`SELECT id, pair_version FROM ${db.schema}.credentials WHERE awaiting_by = $1 AND NOT deleted`, [memberId])
  return rows.map((row) => ({ credentialId: row.id, pairVersion: int8(row.pair_version) }))
}
