// The team chaos run with real processes (issue 16): five members of one team, each a real Larder process running
// the headless app as `larder agent` does (larder-child.ts, LARDER_CHAOS_HOST=agent) on its own data folder, joined
// to one team on a real PostgreSQL, over N credentials at one sandbox. The run moves all five clocks together (time
// travel through working days and nights), the sandbox injects its steady faults at the token endpoint (resets before
// and after commit, 5xx, HTML pages, latency, 429s), members are SIGKILLed at planned moments (mid-refresh included)
// and started again on their folders, PostgreSQL is restarted once and every member's connections are dropped once
// (pg_terminate_backend), both while refreshes are under way. Then, faults and kills over, every credential gets one
// more attempt and the members quit. It reports what the issue asks, from the members' lines and the sandbox:
//   - refresh tokens lost apart from committed-unanswered rotations, each of those marked within one attempt, and the
//     members' final stores agreeing with each other and with the server (agents-final.ts);
//   - the most refreshes of one family in flight at once (the sandbox's counter);
//   - how soon each pair reached every other member (pair-times.ts, from the members' lines: member-lines.ts);
//   - secrets in clear in any table of the team's schema, the server's data folder, any member's folder, or the
//     members' output (team/team-scan.ts, secret-scan.ts).
// Modules: join-folders.ts (the folders, joined as the app joins), agents-driver.ts (the processes), agents-ledger.ts.
import fs from 'node:fs'
import { startSandbox } from '../../sandbox/index.ts'
import { createRng } from '../../sandbox/rng.ts'
import { findPgBinaries, startPgServer, type PgServer } from '../../support/postgres-server.ts'
import { DEFAULT_FAULT_RATES, FaultSchedule } from '../fault-schedule.ts'
import { Ledger } from '../ledger.ts'
import { DAY, START_TIME } from '../run-settings.ts'
import { scanFolders, scanTables } from '../team/team-scan.ts'
import { AgentsDriver, type KillAt } from './agents-driver.ts'
import { checkFinalStores, type FinalStores } from './agents-final.ts'
import { AgentsLedger } from './agents-ledger.ts'
import { joinFolders, type JoinedFolders } from './join-folders.ts'

export interface TeamAgentsOptions {
  readonly seed: number
  readonly members: number
  readonly credentials: number
  /** Simulated days of chaos (four steps a day: three awake, one night) before the final round. */
  readonly days: number
  readonly kills: number
  /** The access tokens' lifetime (default 2 days, longer than a night: each credential refreshed about daily). */
  readonly lifetimeMs?: number
  readonly timeLimitMs: number
  readonly log?: (line: string) => void
  readonly keepDataDirs?: boolean
}

export interface TeamAgentsFigures extends FinalStores {
  readonly members: number
  readonly credentials: number
  readonly simulatedDays: number
  readonly tokenRequests: number
  readonly refreshes: number
  readonly kills: number
  readonly memberStarts: number
  readonly databaseRestarts: number
  readonly connectionsDropped: number
  readonly answersLost: number
  readonly killedInFlight: number
  /** Lost answers a member could not tell committed or not (judged as possibly committed). */
  readonly probesUnknown: number
  /** Verdicts a member got and was killed before writing anywhere (the next member's judgement marks the family). */
  readonly verdictsCutByKill: number
  readonly marks: number
  readonly pokesShared: number
  readonly maxInFlightPerFamily: number
  readonly faultsApplied: Record<string, number>
  readonly secretsSearched: number
  readonly tables: number
  readonly rowsScanned: number
  readonly filesScanned: number
  readonly secretsInDatabase: number
  readonly secretsInFiles: number
  readonly secretsInOutput: number
  /** Pairs timed to a member (pair-times.ts), the slowest less that member's stalls and as measured, the median. */
  readonly pairsTimed: number
  readonly slowestPairMs: number
  readonly slowestPairRawMs: number
  readonly medianPairMs: number
  readonly pairsOver2s: number
  readonly finalRoundDone: boolean
  readonly timedOut: boolean
  readonly seconds: number
}

export interface TeamAgentsResult {
  readonly ok: boolean
  readonly figures: TeamAgentsFigures
  readonly problems: readonly string[]
  readonly failed: readonly string[]
  readonly dirs: readonly string[]
}

const STEPS_PER_DAY = 4

export async function runTeamAgents(options: TeamAgentsOptions, given?: PgServer): Promise<TeamAgentsResult> {
  for (const [name, value] of Object.entries({ members: options.members, credentials: options.credentials, days: options.days, kills: options.kills })) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`runTeamAgents: ${name} must be a whole number ≥ 0, got ${value}`)
  }
  if (options.members < 2 || options.credentials < 1) throw new RangeError('runTeamAgents: at least two members and one credential')
  const started = Date.now()
  const log = options.log ?? (() => undefined)
  const rng = createRng(options.seed)
  const server = given ?? (await startPgServer(findPgBinaries()))
  const lifetimeMs = options.lifetimeMs ?? 2 * DAY
  const sandbox = await startSandbox({ seed: options.seed, startTime: START_TIME, accessTokenTtlSeconds: Math.round(lifetimeMs / 1000) })
  const base = new Ledger()
  let joined: JoinedFolders | null = null
  let driver: AgentsDriver | null = null
  try {
    joined = await joinFolders({ server, sandbox, members: options.members, credentials: options.credentials, rng, ledger: base, lifetimeMs })
    const ledger = new AgentsLedger(base)
    const faults = new FaultSchedule(sandbox, DEFAULT_FAULT_RATES, rng)
    const rates = DEFAULT_FAULT_RATES
    driver = new AgentsDriver({ dirs: joined.dirs, sandbox, ledger, seed: options.seed, settleAfterKillMs: rates.latencyMs + rates.spikeMs + 100 })
    await driver.startAll()
    faults.injectSteady()

    const steps = options.days * STEPS_PER_DAY
    // Kills spread over the steps after the first; the restart and the drop in the first and second half.
    const killAt = new Map<number, KillAt>()
    for (let k = 0; k < options.kills && k < steps - 1; k++) {
      let step = 1 + Math.floor(rng() * (steps - 1))
      while (killAt.has(step)) step = 1 + (step % (steps - 1))
      killAt.set(step, { member: Math.floor(rng() * options.members), afterSends: 1 + Math.floor(rng() * 4), delayMs: Math.floor(rng() * 8), fallbackMs: 20 + Math.floor(rng() * 400) })
    }
    const awake = (step: number): boolean => step % STEPS_PER_DAY !== STEPS_PER_DAY - 1
    let restartStep = Math.max(1, Math.floor(steps * 0.3))
    let dropStep = Math.max(2, Math.floor(steps * 0.7))
    while (!awake(restartStep)) restartStep++
    while (!awake(dropStep) || dropStep === restartStep) dropStep++
    let databaseRestarts = 0
    let connectionsDropped = 0
    let timedOut = false

    for (let step = 0; step < steps && driver.broken === null; step++) {
      if (Date.now() > started + options.timeLimitMs) {
        timedOut = true
        break
      }
      const kill = killAt.get(step)
      if (kill !== undefined) driver.arm(kill)
      const during = async (): Promise<void> => {
        if (step !== restartStep && step !== dropStep) return
        // While the step's refreshes are under way.
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(rng() * 60)))
        if (step === restartStep) {
          await server.restart()
          databaseRestarts++
        } else connectionsDropped += await server.terminate('larder-listen')
      }
      const stepStarted = Date.now()
      const killsBefore = driver.kills
      await driver.step(during)
      const took = Date.now() - stepStarted
      // A killed member's leases are freed when it is back (team-turns.ts); a step longer than this is worth a line.
      if (took > 5_000) log(`  step ${step} took ${(took / 1000).toFixed(1)} s${driver.kills > killsBefore ? ' (a kill)' : ''}${step === restartStep ? ' (database restart)' : ''}${step === dropStep ? ' (connections dropped)' : ''}`)
      if (step % STEPS_PER_DAY === 0) log(`  day ${step / STEPS_PER_DAY}: ${ledger.counts.sends} token requests, ${driver.kills} kills, ${((Date.now() - started) / 1000).toFixed(1)} s`)
    }

    // ── the end: no kills, no faults; every credential gets an attempt (or is marked); the members quit ─────
    driver.disarm()
    const faultsApplied = faults.applied()
    sandbox.faults.clear()
    let finalRoundDone = false
    if (driver.broken === null) {
      ledger.finalRound = true
      const finalStart = driver.now
      const everyOne = (): boolean => [...ledger.libraries.values()].every((l) => l.attemptedInFinalRound || l.marked)
      while (driver.now < finalStart + lifetimeMs + DAY && driver.broken === null && !everyOne()) await driver.step()
      // A few quiet steps, so a verdict or pair written by one member reaches every other's store.
      for (let i = 0; i < 2 && driver.broken === null; i++) await driver.step()
      finalRoundDone = everyOne()
      if (!finalRoundDone) {
        const left = [...ledger.libraries.values()].filter((l) => !l.attemptedInFinalRound && !l.marked)
        ledger.problem(`the final round gave no attempt to ${left.length} credentials: ${left.map((l) => `${l.id} (answer lost ${l.answerLost}, killed in flight ${l.killedInFlight}, verdicts ${l.verdictsSinceDead})`).join(', ')}`)
      }
    }
    if (driver.broken !== null) ledger.problem(driver.broken)
    await driver.stopAll()

    const stores = await checkFinalStores(joined.dirs, ledger)
    const tables = await scanTables(joined.db, joined.schema, base.secrets)
    const files = scanFolders([server.dataDir, ...joined.dirs], base.secrets)
    const secretsInOutput = base.secrets.findIn(driver.output).size
    const tokenHits = sandbox.counters.hits.filter((hit) => hit.route === 'token')
    const figures: TeamAgentsFigures = {
      members: options.members,
      credentials: options.credentials,
      simulatedDays: Math.round(((driver.now - START_TIME) / DAY) * 10) / 10,
      tokenRequests: tokenHits.length,
      refreshes: tokenHits.filter((hit) => hit.status === 200).length,
      kills: driver.kills,
      memberStarts: driver.starts,
      databaseRestarts,
      connectionsDropped,
      answersLost: ledger.counts.answersLost,
      killedInFlight: ledger.counts.killedInFlight,
      probesUnknown: ledger.counts.probesUnknown,
      verdictsCutByKill: ledger.counts.verdictsCutByKill,
      marks: ledger.counts.marks,
      pokesShared: ledger.counts.pokesShared,
      maxInFlightPerFamily: sandbox.counters.maxConcurrentRefreshesByFamily(),
      faultsApplied,
      ...stores,
      secretsSearched: base.secrets.size,
      tables: tables.tables,
      rowsScanned: tables.rows,
      filesScanned: files.files,
      secretsInDatabase: tables.found,
      secretsInFiles: files.found,
      secretsInOutput,
      ...driver.times.figures(),
      finalRoundDone,
      timedOut,
      seconds: Math.round((Date.now() - started) / 100) / 10
    }
    for (const place of [...tables.where, ...files.where]) base.problem(`a secret in clear in ${place}`)
    for (const late of driver.times.slow.slice(0, 10)) log(`  slow pair: ${late}`)
    const failed = judge(figures, base.problemCount)
    return { ok: failed.length === 0, figures, problems: base.problems, failed, dirs: joined.dirs }
  } finally {
    await driver?.close()
    await sandbox.close()
    await joined?.close()
    if (joined !== null && options.keepDataDirs !== true) for (const dir of joined.dirs) fs.rmSync(dir, { recursive: true, force: true })
    if (given === undefined) await server.stop()
  }
}

/** The assertions, each said in words when it fails. */
function judge(f: TeamAgentsFigures, problems: number): string[] {
  const failed: string[] = []
  const check = (holds: boolean, what: string): void => {
    if (!holds) failed.push(what)
  }
  check(f.lost === 0, `refresh tokens lost: ${f.lost}`)
  check(f.missing === 0 && f.disagreeing === 0, `final stores: ${f.missing} credentials missing on some member, ${f.disagreeing} disagreeing`)
  check(f.mostVerdictsBeforeMark <= 1, `a dead family judged ${f.mostVerdictsBeforeMark} times before it was marked`)
  check(f.maxInFlightPerFamily <= 1, `refreshes of one family in flight at once: ${f.maxInFlightPerFamily}`)
  check(f.pairsOver2s === 0, `pairs later than 2 s at a member (less its own stalls): ${f.pairsOver2s}, the slowest ${f.slowestPairMs} ms`)
  check(f.secretsInDatabase + f.secretsInFiles + f.secretsInOutput === 0, `secrets in clear: ${f.secretsInDatabase} in the database, ${f.secretsInFiles} in files, ${f.secretsInOutput} in output`)
  check(f.finalRoundDone && !f.timedOut, `the run did not complete (final round ${f.finalRoundDone ? 'done' : 'not done'}, timed out ${f.timedOut})`)
  check(problems === 0, `${problems} problems`)
  return failed
}
