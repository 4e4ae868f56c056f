// The team scale bench's own pure parts (issue 16 item 7): its options, and the arithmetic that takes one run's
// per-refresh counts to a day of 50 members × 10,000 credentials with the assumptions it states.
import { describe, expect, it } from 'vitest'
import { CATCH_UP_POLL_MS, LINK_PING_MS, MEMBER_HEARTBEAT_MS, perRefresh, REFRESH_EVERY_DAYS, refreshesInRun, refreshesPerDay, TARGET_SCALE, teamDay } from '../../../bench/team/extrapolate.ts'
import { parseTeamBenchOptions, TEAM_BENCH_DEFAULTS } from '../../../bench/team/options.ts'
import { lessHousekeeping, pgDelta, type PgCounts } from '../../../bench/team/pg-stats.ts'

describe('the team bench’s options', () => {
  it('defaults to the scaled-down run: 10 members × 500 credentials over 7 days, 100 contended', () => {
    expect(parseTeamBenchOptions([])).toEqual(TEAM_BENCH_DEFAULTS)
    expect(TEAM_BENCH_DEFAULTS).toMatchObject({ members: 10, credentials: 500, days: 7, contended: 100, json: false })
  })

  it('takes each option by name', () => {
    expect(parseTeamBenchOptions(['--members=4', '--credentials=40', '--days=14', '--contended=5', '--concurrency=2', '--json'])).toEqual({
      members: 4,
      credentials: 40,
      days: 14,
      contended: 5,
      concurrency: 2,
      json: true
    })
  })

  it('refuses a team of one, a count that is not whole, and an unknown option', () => {
    expect(() => parseTeamBenchOptions(['--members=1'])).toThrow(/--members must be a whole number ≥ 2/)
    expect(() => parseTeamBenchOptions(['--credentials=1.5'])).toThrow(/--credentials/)
    expect(() => parseTeamBenchOptions(['--days=0'])).toThrow(/--days/)
    expect(() => parseTeamBenchOptions(['--rows=3'])).toThrow()
  })
})

describe('the extrapolation to 50 members × 10,000 credentials', () => {
  it('refreshes each credential once every 6 days (7-day tokens refreshed a day ahead)', () => {
    expect(REFRESH_EVERY_DAYS).toBe(6)
    expect(refreshesPerDay(10_000)).toBeCloseTo(1_666.67, 1)
    expect(refreshesInRun(500, 7)).toBe(583)
  })

  it('per refresh: the other members’ reads taking the row in and the notification-queue reads are told apart from the refresh’s own transactions', () => {
    const measured = perRefresh({ refreshes: 100, members: 10, tokenRequests: 100, rowsWritten: 400, transactions: 2_400, notifications: 1_000, adoptions: 900, failedAcquires: 0 })
    expect(measured).toEqual({ tokenRequests: 1, rowsWritten: 4, transactions: 5, notificationsPerMember: 1, adoptionsPerOtherMember: 1, failedAcquires: 0 })
    expect(() => perRefresh({ refreshes: 0, members: 10, tokenRequests: 0, rowsWritten: 0, transactions: 0, notifications: 0, adoptions: 0, failedAcquires: 0 })).toThrow(RangeError)
  })

  it('a day: refresh costs × refreshes a day, notifications × members, reads × the other members, housekeeping × members × its rate', () => {
    const day = teamDay(TARGET_SCALE, { tokenRequests: 1, rowsWritten: 4, transactions: 5, notificationsPerMember: 1, adoptionsPerOtherMember: 1, failedAcquires: 0.01 }, 1_500)
    const refreshes = 10_000 / 6
    expect(day.refreshes).toBeCloseTo(refreshes)
    expect(day.tokenRequests).toBeCloseTo(refreshes)
    expect(day.refreshRowsWritten).toBeCloseTo(refreshes * 4)
    expect(day.notifications).toBeCloseTo(refreshes * 50)
    expect(day.adoptions).toBeCloseTo(refreshes * 49)
    expect(day.adoptBytes).toBeCloseTo(refreshes * 49 * 1_500)
    expect(day.refreshTransactions).toBeCloseTo(refreshes * 5 + refreshes * 49 + refreshes * 50)
    expect(day.failedAcquires).toBeCloseTo(refreshes * 0.01)
    expect([MEMBER_HEARTBEAT_MS, CATCH_UP_POLL_MS, LINK_PING_MS]).toEqual([60_000, 30_000, 5_000])
    expect(day.heartbeatRowUpdates).toBe(72_000)
    expect(day.catchUpReads).toBe(144_000)
    expect(day.linkPings).toBe(864_000)
    expect(day.rowsWritten).toBeCloseTo(refreshes * 4 + 72_000)
    expect(day.transactions).toBeCloseTo(day.refreshTransactions + 72_000 + 144_000 + 864_000)
  })
})

describe('the database counts', () => {
  const counts = (at: number, members: number, credentials: number, commits: number): PgCounts => ({
    tables: { members: { ins: 0, upd: members, del: 0 }, credentials: { ins: 10, upd: credentials, del: 0 } },
    commits,
    rollbacks: 0,
    sessions: 0,
    at
  })

  it('a delta takes off the snapshot’s own transactions and names each table written', () => {
    const delta = pgDelta(counts(0, 0, 0, 100), counts(2_000, 2, 30, 153))
    expect(delta).toEqual({ ms: 2_000, rowsWritten: 32, byTable: { members: '+0 ~2 -0', credentials: '+0 ~30 -0' }, transactions: 50, rollbacks: 0, sessions: 0 })
  })

  it('housekeeping: heartbeats’ rows taken off by table, the quiet window’s transactions pro rata to the run’s length', () => {
    const quiet = pgDelta(counts(0, 0, 0, 0), counts(60_000, 10, 0, 33))
    const run = pgDelta(counts(0, 0, 0, 0), counts(30_000, 5, 300, 503))
    expect(lessHousekeeping(run, quiet)).toMatchObject({ rowsWritten: 300, transactions: 500 - 15 })
  })
})
