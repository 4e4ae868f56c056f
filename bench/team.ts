// The team store at scale (issue 16 item 7, plan S11): M members' team vaults and refresh engines on a real
// PostgreSQL, the Apicbase sandbox in a process of its own (rate limit off, 300 ms per token answer). Not in `npm test`.
//
//   node bench/team.ts [--members=10] [--credentials=500] [--days=7] [--contended=100] [--concurrency=8] [--json]
//
// Per-refresh costs are measured directly (credentials × days / 6 refreshes triggered, each on the member whose timer
// would fire first) and multiplied by the refresh rate on paper; leases run on the server's real time, so no clock is
// moved. Then every member asks for the same expiring credentials at once. Figures are counts more than times.
import { createApicbaseClient } from '../src/main/core/apicbase/index.ts'
import { findPgBinaries, startPgServer } from '../test/support/postgres-server.ts'
import { startRemoteSandbox } from './remote-sandbox.ts'
import { PAPER_DAY, perRefresh, refreshesInRun, TARGET_SCALE, teamDay, type TeamDay } from './team/extrapolate.ts'
import { makeBenchTeam } from './team/members.ts'
import { parseTeamBenchOptions } from './team/options.ts'
import { lessHousekeeping, pgCounts, pgDelta, rowBytes } from './team/pg-stats.ts'
import { enginesFor, everyoneAtOnce, observeTeam, settled, share, steadyRefreshes } from './team/runs.ts'

const TOKEN_LATENCY_MS = 300
/** The window with no refresh whose heartbeats, pings and catch-up reads are taken off the runs' counts. */
const QUIET_MS = 60_000

const options = parseTeamBenchOptions(process.argv.slice(2))
const log = (line: string): void => void process.stderr.write(`${line}\n`)
const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number
}
const round = (n: number, digits = 2): number => Number(n.toFixed(digits))

const server = await startPgServer(findPgBinaries())
const sandbox = await startRemoteSandbox('process', { rateLimitPerMinute: false })
const api = createApicbaseClient({})
const team = await makeBenchTeam(server, options.members)
try {
  await sandbox.setTokenLatency(TOKEN_LATENCY_MS)
  const observer = observeTeam(team)
  const engines = enginesFor(team, api)
  log(`team of ${options.members} on PostgreSQL ${(await team.db.pool.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?'}; sharing ${options.credentials} credentials…`)

  // Sharing: one member adds every credential; every other member takes each row in.
  let stats = await pgCounts(team.db, 2_000)
  let started = performance.now()
  const ids = await share(team, sandbox, options.credentials, 'Team Scale')
  await settled(() => observer.adoptions)
  const sharingMs = performance.now() - started
  let next = await pgCounts(team.db)
  const sharing = { ...pgDelta(stats, next), notifications: observer.notifications, adoptions: observer.adoptions, ms: Math.round(sharingMs) }
  const bytes = await rowBytes(team.db)

  // Housekeeping, the baseline: the same team doing nothing but staying in touch.
  stats = next
  await new Promise((resolve) => setTimeout(resolve, QUIET_MS))
  next = await pgCounts(team.db)
  const quiet = pgDelta(stats, next)

  // Steady: the refreshes of `days` days, each on its first-ranked member.
  const refreshes = refreshesInRun(options.credentials, options.days)
  log(`steady: ${refreshes} refreshes (${options.credentials} credentials × ${options.days} days / 6)…`)
  observer.reset()
  stats = next
  let counts = await sandbox.counts()
  started = performance.now()
  const steadyRun = await steadyRefreshes(team, engines, ids, refreshes, options.concurrency)
  const steadyMs = performance.now() - started
  await settled(() => observer.adoptions)
  next = await pgCounts(team.db)
  let countsAfter = await sandbox.counts()
  const steadyDb = lessHousekeeping(pgDelta(stats, next), quiet)
  const steady = {
    refreshes,
    failed: steadyRun.failed,
    tokenRequests: countsAfter.tokenOk + countsAfter.tokenFailed - counts.tokenOk - counts.tokenFailed,
    maxInFlightPerFamily: countsAfter.maxConcurrentPerFamily,
    ...steadyDb,
    notifications: observer.notifications,
    adoptions: observer.adoptions,
    failedAcquires: observer.failedAcquires,
    adoptP50Ms: round(percentile(observer.adoptLatencies, 50), 1),
    adoptP95Ms: round(percentile(observer.adoptLatencies, 95), 1),
    ms: Math.round(steadyMs)
  }
  const measured = perRefresh({
    refreshes,
    members: options.members,
    tokenRequests: steady.tokenRequests,
    rowsWritten: steady.rowsWritten,
    transactions: steady.transactions,
    notifications: steady.notifications,
    adoptions: steady.adoptions,
    failedAcquires: steady.failedAcquires
  })

  // Contention: every member asks for the same expiring credentials at once.
  log(`contention: ${options.members} members × ${options.contended} expiring credentials at once…`)
  const contendedIds = await share(team, sandbox, options.contended, 'Team Rush', 3_600_000)
  await settled(() => observer.adoptions)
  observer.reset()
  stats = await pgCounts(team.db)
  counts = await sandbox.counts()
  started = performance.now()
  const rush = await everyoneAtOnce(engines, contendedIds)
  const rushMs = performance.now() - started
  await settled(() => observer.adoptions)
  next = await pgCounts(team.db)
  countsAfter = await sandbox.counts()
  const differing = contendedIds.filter((_, i) => new Set(rush.tokens.map((byMember) => byMember[i])).size !== 1).length
  const contention = {
    asks: options.members * options.contended,
    failed: rush.failed,
    tokenRequests: countsAfter.tokenOk + countsAfter.tokenFailed - counts.tokenOk - counts.tokenFailed,
    maxInFlightPerFamily: countsAfter.maxConcurrentPerFamily,
    failedAcquires: observer.failedAcquires,
    idsWithDifferentTokens: differing,
    ...lessHousekeeping(pgDelta(stats, next), quiet),
    notifications: observer.notifications,
    handOutMs: Math.round(rushMs)
  }

  const day: TeamDay = teamDay(TARGET_SCALE, measured, bytes.text)
  const result = { options, tokenLatencyMs: TOKEN_LATENCY_MS, bytes, sharing, quiet, steady, perRefresh: measured, contention, target: TARGET_SCALE, day, paper: PAPER_DAY }
  if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`)
  printTable(result)
} finally {
  await team.close().catch(() => undefined)
  await api.close()
  await sandbox.close()
  await server.stop()
}

function printTable(r: { readonly sharing: object; readonly quiet: object; readonly steady: object; readonly perRefresh: object; readonly contention: object; readonly bytes: { readonly row: number; readonly sealed: number; readonly text: number; readonly tableBytesPerRow: number }; readonly day: TeamDay }): void {
  const out = options.json ? log : (line: string) => void process.stdout.write(`${line}\n`)
  const f = (n: number): string => (Number.isInteger(n) ? n.toLocaleString('en') : round(n).toLocaleString('en'))
  out(`\nTeam store at scale: ${options.members} members × ${options.credentials} credentials, ${options.days} days (token answers ${TOKEN_LATENCY_MS} ms)`)
  out(`bytes: row ${r.bytes.row} stored (sealed blob ${r.bytes.sealed}), ${r.bytes.text} as text (a read), table with indexes ${r.bytes.tableBytesPerRow} per row; a cold start reads ${f(r.bytes.text * TARGET_SCALE.credentials)} bytes at ${f(TARGET_SCALE.credentials)}`)
  out(`sharing: ${JSON.stringify(r.sharing)}`)
  out(`quiet (baseline, ${QUIET_MS / 1000} s and the stats' settling): ${JSON.stringify(r.quiet)}`)
  out(`steady: ${JSON.stringify(r.steady)}`)
  out(`per refresh: ${Object.entries(r.perRefresh).map(([k, v]) => `${k} ${round(Number(v), 3)}`).join(', ')}`)
  out(`contention: ${JSON.stringify(r.contention)}`)
  out(`\nA day at ${TARGET_SCALE.members} members × ${f(TARGET_SCALE.credentials)} credentials | extrapolated | plan §9 on paper`)
  for (const [key, value] of Object.entries(r.day)) {
    const paper = (PAPER_DAY as Partial<Record<string, number>>)[key]
    out(`  ${key.padEnd(20)} ${f(Math.round(value)).padStart(12)} | ${paper === undefined ? '—' : f(paper)}`)
  }
}
