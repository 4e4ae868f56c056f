// The team chaos run (issue 16 item 6, plan S10), in one process: five members on one team over N credentials on a
// real PostgreSQL and the sandbox, time travel (a shared shifted clock, the sandbox's clock set to it) so the members'
// timers refresh, copies and manual refreshes from random members, kill -9 of members (one with an answer in flight,
// one right after its answer, one at a random moment), a database restart and a crash, dropped connections
// (pg_terminate_backend of one member's sessions) and partitions of one member. It reports what the issue asks:
// refresh tokens lost apart from answers lost in flight (each marked within one attempt), the most refreshes of one
// family in flight (the sandbox's counter), how soon every member held each new pair, and secrets found in clear in
// the database or any member's files.
import { randomUUID } from 'node:crypto'
import { createApicbaseClient } from '../../../src/main/core/apicbase/index.ts'
import { createRng } from '../../../src/main/sandbox/rng.ts'
import { startSandbox, type Sandbox } from '../../sandbox/index.ts'
import { makeTeam } from '../../integration/team/team-vault-support.ts'
import type { PgServer } from '../../support/postgres-server.ts'
import { sandboxLibraryRecord } from '../../support/sandbox-records.ts'
import { ShiftedClock } from '../../support/shifted-clock.ts'
import { finalRound, judgeFamilies, type FamilyVerdicts } from './team-final.ts'
import { TeamLedger } from './team-ledger.ts'
import { scanFolders, scanTables, type ScanFigures } from './team-scan.ts'
import { Stalls } from './team-stalls.ts'
import { PairWatch } from './team-watch.ts'
import { TeamWorld } from './team-world.ts'

export interface TeamChaosOptions {
  readonly seed: number
  readonly credentials: number
  /** Time-travel steps (25 minutes of the members' clock each). */
  readonly steps: number
}

export interface TeamChaosFigures extends FamilyVerdicts {
  readonly members: number
  readonly credentials: number
  readonly refreshes: number
  readonly presentations: number
  readonly kills: number
  readonly restarts: number
  readonly crashes: number
  readonly drops: number
  readonly partitions: number
  readonly resetsAfterCommit: number
  readonly answersLostToKills: number
  readonly maxInFlightPerFamily: number
  readonly pairsWatched: number
  /** Less the time the test process stood still meanwhile (team-stalls.ts). */
  readonly slowestPairMs: number
  /** As measured. */
  readonly slowestPairRawMs: number
  readonly longestStallMs: number
  readonly stallsMs: number
  readonly pairsLaterThan2s: number
  readonly medianPairMs: number
  readonly secretsSearched: number
  readonly tables: ScanFigures['tables']
  readonly rowsScanned: number
  readonly filesScanned: number
  readonly secretsInDatabase: number
  readonly secretsInFiles: number
  readonly seconds: number
}

export interface TeamChaosResult {
  readonly figures: TeamChaosFigures
  readonly problems: readonly string[]
  /** Each pair a member got later than 2 s after it could: which, who, and when (no secret). */
  readonly slowPairs: readonly string[]
  /** When each chaos event started (UTC time of day) and what it was. */
  readonly timeline: readonly string[]
}

const STEP_MS = 25 * 60_000
const TOKEN_LIFETIME_S = 2 * 3600
const NAMES = ['Ana', 'Bo', 'Cy', 'Dee', 'Eli'] as const
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

type Event =
  | { kind: 'arm'; families: number }
  | { kind: 'kill'; member: number; on: 'drop' | 'deliver' | null }
  | { kind: 'restart' | 'crash' }
  | { kind: 'drop'; member: number }
  | { kind: 'partition'; member: number; ms: number }

/** What happens at which step (while that step's refreshes are under way). */
const SCHEDULE: Record<number, readonly Event[]> = {
  2: [{ kind: 'arm', families: 2 }],
  3: [{ kind: 'kill', member: 1, on: 'drop' }],
  5: [{ kind: 'restart' }],
  7: [{ kind: 'kill', member: 2, on: 'deliver' }],
  9: [{ kind: 'drop', member: 3 }],
  10: [{ kind: 'arm', families: 2 }],
  11: [{ kind: 'partition', member: 4, ms: 4_000 }],
  13: [{ kind: 'crash' }],
  15: [{ kind: 'kill', member: 0, on: null }],
  17: [{ kind: 'kill', member: 3, on: 'drop' }],
  19: [
    { kind: 'drop', member: 1 },
    { kind: 'partition', member: 2, ms: 3_000 }
  ],
  21: [{ kind: 'arm', families: 1 }]
}

export async function runTeamChaos(server: PgServer, options: TeamChaosOptions): Promise<TeamChaosResult> {
  const started = Date.now()
  const rng = createRng(options.seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T
  const clock = new ShiftedClock()
  const sandbox = await startSandbox({ seed: options.seed, rateLimitPerMinute: false, accessTokenTtlSeconds: TOKEN_LIFETIME_S, startTime: clock.now() })
  const api = createApicbaseClient({})
  const team = await makeTeam(server, NAMES, { pollMs: 10_000, offlinePollMs: 1_000 })
  const ledger = new TeamLedger()
  const world = new TeamWorld({ server, team, sandbox, api, ledger, clock })
  const stalls = new Stalls()
  const watch = new PairWatch(world, ledger, stalls)
  const counts = { restarts: 0, crashes: 0, drops: 0, partitions: 0 }
  const background: Promise<unknown>[] = []
  const timeline: string[] = []
  let watching = true
  try {
    // Each member through a proxy of its own from now on.
    for (const [index, member] of team.members.entries()) {
      await member.vault.close()
      await world.open(index)
    }
    // Watching from the first pair on (a credential whose timer is due refreshes as soon as it is added).
    const watcher = (async () => {
      while (watching) {
        await watch.poll().catch((error: unknown) => watch.problems.push(`the watch failed: ${String(error)}`))
        await sleep(100)
      }
    })()
    const ids = await shareCredentials(world, sandbox, ledger, clock, options.credentials, rng)
    steadyFaults(sandbox)

    for (let step = 1; step <= options.steps; step++) {
      clock.offset += STEP_MS
      sandbox.clock.set(clock.now())
      for (const inc of world.liveOnes()) inc.engine.reevaluate()
      const actions: Promise<unknown>[] = []
      for (let i = 0; i < 6; i++) actions.push(copyOrRefresh(world, pick(ids), rng))
      await sleep(150)
      for (const event of SCHEDULE[step] ?? []) {
        timeline.push(`${new Date().toISOString().slice(11, 23)} step ${step}: ${JSON.stringify(event)}`)
        const done = chaosEvent(event, { world, server, sandbox, ledger, ids, pick, counts })
        background.push(done)
        actions.push(done)
      }
      await Promise.race([Promise.allSettled(actions), sleep(5_000)])
      await Promise.race([Promise.allSettled(world.liveOnes().map((inc) => inc.engine.settled())), sleep(2_000)])
    }
    await Promise.allSettled(background)
    await world.restarted()
    await world.allOnline(15_000)
    sandbox.faults.clear()
    for (const family of ledger.families.values()) family.armedFault = null

    await finalRound(world, ids, rng)
    await watch.drain(10_000)
    watching = false
    await watcher
    await sleep(1_000) // a needs re-authorization mark written by one member reaches the others
    const verdicts = await judgeFamilies(world, ledger, ids)

    const tables = await scanTables(team.db, 'larder', ledger.secrets)
    const files = scanFolders([server.dataDir, ...team.members.map((member) => member.dir)], ledger.secrets)
    const finite = watch.latencies.filter(Number.isFinite).sort((a, b) => a - b)
    const figures: TeamChaosFigures = {
      members: team.members.length,
      credentials: ids.length,
      refreshes: ledger.counts.answered,
      presentations: ledger.counts.presented,
      kills: world.kills,
      ...counts,
      resetsAfterCommit: ledger.counts.resetAfterCommit,
      answersLostToKills: ledger.counts.answeredLostToKill,
      maxInFlightPerFamily: sandbox.counters.maxConcurrentRefreshesByFamily(),
      pairsWatched: world.delivered.length,
      slowestPairMs: watch.latencies.length === 0 ? 0 : Math.round(Math.max(...watch.latencies)),
      slowestPairRawMs: watch.rawLatencies.length === 0 ? 0 : Math.round(Math.max(...watch.rawLatencies)),
      longestStallMs: stalls.figures().longest,
      stallsMs: stalls.figures().total,
      pairsLaterThan2s: watch.latencies.filter((ms) => ms > 2_000).length,
      medianPairMs: Math.round(finite[Math.floor(finite.length / 2)] ?? 0),
      ...verdicts,
      secretsSearched: ledger.secrets.size,
      tables: tables.tables,
      rowsScanned: tables.rows,
      filesScanned: files.files,
      secretsInDatabase: tables.found,
      secretsInFiles: files.found,
      seconds: Math.round((Date.now() - started) / 100) / 10
    }
    const where = [...tables.where, ...files.where].map((place) => `a secret in clear in ${place}`)
    return { figures, problems: [...ledger.problems, ...watch.problems, ...verdicts.problems, ...where], slowPairs: watch.slow, timeline: [...timeline, ...world.refusals].sort() }
  } finally {
    watching = false
    stalls.stop()
    await Promise.allSettled(background)
    await world.close()
    await team.close()
    await api.close()
    await sandbox.close()
  }
}

/** The credentials, added by the first member (as sharing would), their expiries spread over the first hour. */
async function shareCredentials(world: TeamWorld, sandbox: Sandbox, ledger: TeamLedger, clock: ShiftedClock, count: number, rng: () => number): Promise<string[]> {
  const first = world.live[0]
  if (first === null || first === undefined) throw new Error('the first member is not open')
  const ids: string[] = []
  for (let n = 0; n < count; n++) {
    const library = sandbox.addLibraryWithApplication({ name: `Team Kitchen ${n}` })
    const issuedAt = clock.now() - Math.floor(rng() * 3_600_000)
    const { meta, secrets } = sandboxLibraryRecord(library, { id: randomUUID(), apiBaseUrl: sandbox.url, issuedAt, lifetimeMs: TOKEN_LIFETIME_S * 1000 })
    ledger.track(meta.id, meta.name, library.familyId, secrets)
    await first.vault.add(meta, secrets)
    first.engine.track(meta.id)
    ids.push(meta.id)
  }
  await world.allOnline(10_000)
  const until = Date.now() + 10_000
  while (!world.liveOnes().every((inc) => ids.every((id) => inc.vault.get(id) !== undefined))) {
    if (Date.now() > until) throw new Error('not every member holds every credential after 10 s')
    await sleep(50)
  }
  return ids
}

/** The sandbox's steady faults, none of which commits a rotation (resets after commit are armed one family at a time). */
function steadyFaults(sandbox: Sandbox): void {
  sandbox.faults.inject({ route: 'token', kind: 'latency', ms: 40, probability: 0.05 })
  sandbox.faults.inject({ route: 'token', kind: 'reset_before_commit', probability: 0.02 })
  sandbox.faults.inject({ route: 'token', kind: 'status', status: 503, probability: 0.02 })
  sandbox.faults.inject({ route: 'token', kind: 'html', probability: 0.01 })
}

/** A copy (fresh for 90 minutes: often a refresh), a manual refresh, or two members refreshing one family at once. */
function copyOrRefresh(world: TeamWorld, id: string, rng: () => number): Promise<unknown> {
  const live = world.liveOnes()
  const one = live[Math.floor(rng() * live.length)]
  if (one === undefined) return Promise.resolve()
  const roll = rng()
  if (roll < 0.5) return one.engine.freshAccessToken(id, 90 * 60_000).catch(() => undefined)
  if (roll < 0.8 || live.length < 2) return one.engine.refresh(id, 'manual').catch(() => undefined)
  const other = live.filter((inc) => inc !== one)[Math.floor(rng() * (live.length - 1))]
  return Promise.allSettled([one.engine.refresh(id, 'manual'), other?.engine.refresh(id, 'copy')])
}

interface EventContext {
  readonly world: TeamWorld
  readonly server: PgServer
  readonly sandbox: Sandbox
  readonly ledger: TeamLedger
  readonly ids: readonly string[]
  readonly pick: <T>(list: readonly T[]) => T
  readonly counts: { restarts: number; crashes: number; drops: number; partitions: number }
}

async function chaosEvent(event: Event, context: EventContext): Promise<void> {
  const { world, server, counts } = context
  switch (event.kind) {
    case 'arm':
      for (let i = 0; i < event.families; i++) {
        const family = context.ledger.of(context.pick(context.ids))
        if (family.armedFault !== null || family.dead !== null) continue
        family.armedFault = context.sandbox.faults.inject({ route: 'token', kind: 'reset_after_commit', times: 1, familyId: family.familyId })
      }
      return
    case 'kill': {
      const inc = world.live[event.member]
      if (inc === null || inc === undefined) return
      if (event.on === null) return world.kill(event.member, 2_000)
      // Killed on its next answer: it refreshes one family now; if no answer comes this step, it dies anyway.
      inc.killOnAnswer = event.on
      void inc.engine.refresh(context.pick(context.ids), 'manual').catch(() => undefined)
      await sleep(3_000)
      if (!inc.dead) {
        inc.killOnAnswer = null
        await world.kill(event.member, 1_500)
      }
      return
    }
    case 'restart':
      counts.restarts++
      return server.restart()
    case 'crash':
      counts.crashes++
      return server.crash()
    case 'drop': {
      counts.drops++
      const member = world.members[event.member]
      if (member !== undefined) await server.terminate(member.listenName)
      return
    }
    case 'partition':
      counts.partitions++
      return world.partition(event.member, event.ms)
  }
}
