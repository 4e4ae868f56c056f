// Benchmarks 1 and 2: every library refreshed at once through the app as a desktop host builds it (decrypt, token
// request, seal, group-committed durable write with the spent ledger, audit entry, projection, tray and
// notifications: burst-app.ts), against raw undici sending the same form POSTs to the same sandbox at the same
// concurrency, interleaved round by round; the main thread's busy time of each; and what the durable writes cost.
import { randomUUID } from 'node:crypto'
import { performance, type EventLoopUtilization } from 'node:perf_hooks'
import { Agent } from 'undici'
import { POOL_CONNECTIONS } from '../src/main/core/apicbase/client.ts'
import type { LarderCore, SecretSink } from '../src/main/core/larder-core.ts'
import type { LibraryCredentials } from '../test/sandbox/index.ts'
import { sandboxLibraryRecord } from '../test/support/sandbox-records.ts'
import { openBurstApp, timeRotations, watchBatchWaits, type BurstApp } from './burst-app.ts'
import type { StoreTuning } from './fixtures.ts'
import { median, percentile } from './measure.ts'
import type { RemoteSandbox } from './remote-sandbox.ts'

export interface BurstOptions {
  readonly libraries: number
  readonly concurrency: number
  /** Measured bursts per side (each side alternates with the other); the median is reported. */
  readonly rounds: number
  /** Libraries refreshed (three times) on each side before measuring, on a vault of their own. */
  readonly warmLibraries: number
  readonly tuning: StoreTuning
  /** After the measured bursts, one more pair with this much server latency per token request (0: none). */
  readonly latencyMs: number
  /** Called right before and after each measured Larder burst (a profiler hooks in here). */
  readonly aroundLarder?: { before(): Promise<void> | void; after(): Promise<void> | void }
}

export interface BurstRound {
  readonly larderMs: number
  readonly baselineMs: number
  /** Main-thread busy time (event-loop utilisation's active time) per refresh, µs. */
  readonly larderBusyUsPerRefresh: number
  readonly baselineBusyUsPerRequest: number
  /** Main-thread CPU time per refresh and per request, µs. */
  readonly larderCpuUsPerRefresh: number
  readonly baselineCpuUsPerRequest: number
  /** This round's longest wait from joining a batch to its durable write (as vault.stats().maxWaitMs counts it). */
  readonly maxWaitMs: number
  /** Durable batches (journal appends) and fsyncs of this round. */
  readonly writes: number
  readonly fsyncs: number
}

export interface BurstResult {
  readonly libraries: number
  readonly concurrency: number
  readonly rounds: number
  readonly sandbox: string
  readonly perRound: readonly BurstRound[]
  readonly larderMs: readonly number[]
  readonly baselineMs: readonly number[]
  readonly larderMedianMs: number
  readonly baselineMedianMs: number
  readonly ratio: number
  /** Medians over the rounds of the main thread's busy time per refresh (Larder, all in) and per request (raw undici). */
  readonly larderBusyUsPerRefresh: number
  readonly baselineBusyUsPerRequest: number
  readonly larderCpuUsPerRefresh: number
  readonly baselineCpuUsPerRequest: number
  /**
   * Larder's own work per refresh: its busy time (and CPU time) minus raw undici's in the same round (the two bursts
   * of a round run back to back), median over the rounds. What is left after the network's share.
   */
  readonly ownBusyUsPerRefresh: number
  readonly ownCpuUsPerRefresh: number
  /** Per measured burst of `libraries` rotations, scaled to 1,000: durable writes of the vault (journal appends and whole-file writes). */
  readonly writesPer1000: number
  /** Of those, whole-file writes (compactions), and of those the ones written on a worker thread. */
  readonly fullWritesPer1000: number
  readonly backgroundWritesPer1000: number
  /** The journal's size after the measured bursts (compacted when the vault is next quiet for a second). */
  readonly journalBytes: number
  readonly fsyncsPer1000: number
  /** Audit entries written per refresh (each refresh is recorded), and the trail's durable writes per 1,000 rotations. */
  readonly auditEntriesPerRefresh: number
  readonly auditWritesPer1000: number
  readonly failedWrites: number
  /** The longest of the rounds' own longest waits for a batch to be durable. */
  readonly maxWaitMs: number
  /** From commitRotation being called (the pair has just arrived) to it resolving (durable), over every rotation. */
  readonly rotationDurableP50Ms: number
  readonly rotationDurableP95Ms: number
  readonly rotationDurableMaxMs: number
  /** Whole-file writes through the store (synchronous: the event loop waits), median and longest. */
  readonly storeWriteMedianMs: number
  readonly storeWriteMaxMs: number
  /** Store write time per burst: how long the event loop was blocked writing the vault file. */
  readonly storeWriteMsPerBurst: number
  /** What the host stand-ins did per burst: events serialised for a window, tray summaries shown, libraries the notification policy saw. */
  readonly eventsPerBurst: number
  readonly trayShownPerBurst: number
  readonly notifiedPerBurst: number
  /** The extra pair of bursts with server latency, for scale (null when not run). */
  readonly withLatency: {
    readonly latencyMs: number
    readonly larderMs: number
    /** Raw undici through a pool like Larder's (POOL_CONNECTIONS), and through C connections. */
    readonly baselineMs: number
    readonly baselineOwnPoolMs: number
    readonly ratio: number
  } | null
  /** The core, still open on the measured vault, for the copy benchmark; the caller closes `close`. */
  readonly core: LarderCore
  readonly copies: CopyRecorder
  readonly close: () => Promise<void>
}

/** A SecretSink that keeps what was "copied" and when, for the copy benchmark. */
export class CopyRecorder implements SecretSink {
  lastText: string | null = null
  lastAt = 0
  count = 0

  copySecret(text: string, options: { readonly clearAfterMs: number }): { readonly clearsAt: number | null } {
    this.lastAt = performance.now()
    this.lastText = text
    this.count++
    return { clearsAt: Date.now() + options.clearAfterMs }
  }
}

/** The same pool as Larder's client (src/main/core/apicbase/client.ts, keepAliveAgent), so only Larder's own work differs. */
function appLikeAgent(): Agent {
  return new Agent({
    connectTimeout: 10_000,
    headersTimeout: 15_000,
    bodyTimeout: 15_000,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    connections: POOL_CONNECTIONS,
    pipelining: 1
  })
}

const FORM_HEADERS = {
  'user-agent': 'Larder (Apicbase token keeper)',
  accept: 'application/json',
  'content-type': 'application/x-www-form-urlencoded',
  'cache-control': 'no-store'
} as const

interface RawLibrary {
  readonly clientId: string
  readonly clientSecret: string
  refreshToken: string
}

interface Timed {
  readonly ms: number
  /** Event-loop active time in the window, ms. */
  readonly busyMs: number
  /** CPU time of the main thread in the window (user + system), ms: what busy time is on an idle machine, less load-dependent. */
  readonly cpuMs: number
}

/** Runs `work` in a window of its own: garbage of what came before collected first, busy time measured. */
async function measured(work: () => Promise<void>): Promise<Timed> {
  globalThis.gc?.()
  await new Promise<void>((resolve) => setImmediate(resolve))
  const elu: EventLoopUtilization = performance.eventLoopUtilization()
  const cpu = process.threadCpuUsage()
  const started = performance.now()
  await work()
  const ms = performance.now() - started
  const { active } = performance.eventLoopUtilization(elu)
  const { user, system } = process.threadCpuUsage(cpu)
  return { ms, busyMs: active, cpuMs: (user + system) / 1000 }
}

/** Raw undici: one form POST per library, `concurrency` in flight, each answer read and parsed, its new refresh token kept. */
async function rawBurst(agent: Agent, origin: string, libraries: RawLibrary[], concurrency: number): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < libraries.length) {
      const library = libraries[next++]!
      const { statusCode, body } = await agent.request({
        origin,
        path: '/oauth/token/',
        method: 'POST',
        headers: FORM_HEADERS,
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: library.refreshToken,
          client_id: library.clientId,
          client_secret: library.clientSecret
        }).toString()
      })
      const answer = (await body.json()) as { readonly refresh_token?: unknown }
      if (statusCode !== 200 || typeof answer.refresh_token !== 'string') throw new Error(`raw refresh failed with HTTP ${statusCode}`)
      library.refreshToken = answer.refresh_token
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

interface LarderSide {
  readonly burst: BurstApp
  readonly ids: readonly string[]
  readonly rotationWaits: number[]
  /** Each whole-file write through the store, in milliseconds (it blocks the event loop). */
  readonly storeWrites: number[]
  readonly sink: CopyRecorder
}

async function larderSide(sandbox: RemoteSandbox, credentials: readonly LibraryCredentials[], options: BurstOptions, label: string): Promise<LarderSide> {
  const now = Date.now()
  const sink = new CopyRecorder()
  const storeWrites: number[] = []
  const burst = await openBurstApp({
    records: credentials.map((c) => sandboxLibraryRecord(c, { id: randomUUID(), apiBaseUrl: sandbox.url, issuedAt: now })),
    label,
    tuning: options.tuning,
    concurrency: options.concurrency,
    sink,
    onStoreWrite: (ms) => storeWrites.push(ms)
  })
  const rotationWaits: number[] = []
  timeRotations(burst.vault, rotationWaits)
  return { burst, ids: burst.vault.list().map((meta) => meta.id), rotationWaits, storeWrites, sink }
}

/**
 * Every library refreshed at once, and what it leaves to be done in the turns after (the projection's batch, the
 * audit trail's last write): all of it is in the burst's window.
 */
async function larderBurst(side: LarderSide): Promise<void> {
  const tokens = await Promise.all(side.ids.map((id) => side.burst.core.engine.refresh(id)))
  if (tokens.length !== side.ids.length) throw new Error('some refreshes did not answer')
  await new Promise<void>((resolve) => setImmediate(resolve))
  // The projection's last batch waits for its frame (at most one a frame while changes come): handed out now, inside the window.
  side.burst.app.projection()?.flush()
  // Resolves once every audit entry queued so far is written.
  await side.burst.core.audit.page({ limit: 1 })
  await new Promise<void>((resolve) => setImmediate(resolve))
}

/** The app's work that a burst leaves for later (the tray's summary at most once a second, a compaction when quiet) is let run before the next measurement. */
const QUIET_AFTER_LARDER_MS = 1_300

export async function runRefreshBurst(sandbox: RemoteSandbox, options: BurstOptions, log: (line: string) => void): Promise<BurstResult> {
  const { libraries: count, concurrency, warmLibraries } = options
  const [larderWarm, rawWarm, larderLibs, rawLibs] = await Promise.all([
    sandbox.addLibraries(warmLibraries, 'Warm Larder'),
    sandbox.addLibraries(warmLibraries, 'Warm raw'),
    sandbox.addLibraries(count, 'Larder'),
    sandbox.addLibraries(count, 'Raw')
  ])
  const agent = appLikeAgent()
  const rawOf = (list: readonly LibraryCredentials[]): RawLibrary[] =>
    list.map((c) => ({ clientId: c.clientId, clientSecret: c.clientSecret, refreshToken: c.refreshToken }))

  // The watch wraps GroupCommit's join for the whole process: done before any app runs, so the code the warm-up made
  // hot is not thrown away (deoptimised) at the start of the first measured round, which a running app never sees.
  const batchWaits = watchBatchWaits()
  log(`  warming up (${warmLibraries} libraries each side, three times)`)
  const warm = await larderSide(sandbox, larderWarm, options, 'warm')
  const rawWarmState = rawOf(rawWarm)
  for (let i = 0; i < 3; i++) {
    await larderBurst(warm)
    await rawBurst(agent, sandbox.url, rawWarmState, concurrency)
  }
  await warm.burst.close()

  log(`  building the measured vault (${count} libraries)`)
  const side = await larderSide(sandbox, larderLibs, options, 'burst')
  const rawState = rawOf(rawLibs)
  const before = await sandbox.counts()
  const hostBefore = { events: side.burst.host.events, ...side.burst.host.desktop }
  const auditBefore = side.burst.core.audit.stats()
  const perRound: BurstRound[] = []
  for (let round = 0; round < options.rounds; round++) {
    const raw = await measured(() => rawBurst(agent, sandbox.url, rawState, concurrency))
    const statsBefore = side.burst.vault.stats()
    batchWaits.reset()
    await options.aroundLarder?.before()
    const larder = await measured(() => larderBurst(side))
    await options.aroundLarder?.after()
    const stats = side.burst.vault.stats()
    perRound.push({
      larderMs: larder.ms,
      baselineMs: raw.ms,
      larderBusyUsPerRefresh: (larder.busyMs * 1000) / count,
      baselineBusyUsPerRequest: (raw.busyMs * 1000) / count,
      larderCpuUsPerRefresh: (larder.cpuMs * 1000) / count,
      baselineCpuUsPerRequest: (raw.cpuMs * 1000) / count,
      maxWaitMs: batchWaits.max(),
      writes: stats.writes - statsBefore.writes,
      fsyncs: stats.fsyncs - statsBefore.fsyncs
    })
    const r = perRound.at(-1)!
    log(
      `  round ${round + 1}: raw undici ${r.baselineMs.toFixed(0)} ms (busy ${r.baselineBusyUsPerRequest.toFixed(0)} µs, CPU ${r.baselineCpuUsPerRequest.toFixed(0)} µs per request), ` +
        `Larder ${r.larderMs.toFixed(0)} ms (busy ${r.larderBusyUsPerRefresh.toFixed(0)} µs, CPU ${r.larderCpuUsPerRefresh.toFixed(0)} µs per refresh), longest durable wait ${r.maxWaitMs.toFixed(1)} ms`
    )
    await new Promise((resolve) => setTimeout(resolve, QUIET_AFTER_LARDER_MS))
  }
  // Everything below describes the loopback bursts only; the latency pair comes after.
  const stats = side.burst.vault.stats()
  const auditAfter = side.burst.core.audit.stats()
  const host = side.burst.host
  const waits = side.rotationWaits.slice()
  const writes = side.storeWrites.slice()
  let withLatency: BurstResult['withLatency'] = null
  if (options.latencyMs > 0) {
    await sandbox.setTokenLatency(options.latencyMs)
    const baseline = await measured(() => rawBurst(agent, sandbox.url, rawState, concurrency))
    const wide = new Agent({ connections: concurrency, pipelining: 1, keepAliveTimeout: 10_000 })
    const baselineOwnPool = await measured(() => rawBurst(wide, sandbox.url, rawState, concurrency))
    await wide.close()
    const larder = await measured(() => larderBurst(side))
    await sandbox.setTokenLatency(0)
    log(`  with ${options.latencyMs} ms server latency: raw undici ${baseline.ms.toFixed(0)} ms (${baselineOwnPool.ms.toFixed(0)} ms on ${concurrency} connections), Larder ${larder.ms.toFixed(0)} ms`)
    withLatency = { latencyMs: options.latencyMs, larderMs: larder.ms, baselineMs: baseline.ms, baselineOwnPoolMs: baselineOwnPool.ms, ratio: larder.ms / baseline.ms }
  }
  const after = await sandbox.counts()
  await agent.close()

  const expected = 2 * count * options.rounds + (withLatency === null ? 0 : 3 * count)
  if (after.tokenOk - before.tokenOk !== expected || after.tokenFailed !== before.tokenFailed) {
    throw new Error(`the sandbox answered ${after.tokenOk - before.tokenOk} of ${expected} token requests with 200`)
  }
  if (after.maxConcurrentPerFamily > 1) throw new Error('two refreshes of one token family were in flight at once')
  const rotations = count * options.rounds
  const larderMs = perRound.map((r) => r.larderMs)
  const baselineMs = perRound.map((r) => r.baselineMs)
  const larderMedianMs = median(larderMs)
  const baselineMedianMs = median(baselineMs)
  return {
    libraries: count,
    concurrency,
    rounds: options.rounds,
    sandbox: sandbox.placement,
    perRound,
    larderMs,
    baselineMs,
    larderMedianMs,
    baselineMedianMs,
    ratio: larderMedianMs / baselineMedianMs,
    larderBusyUsPerRefresh: median(perRound.map((r) => r.larderBusyUsPerRefresh)),
    baselineBusyUsPerRequest: median(perRound.map((r) => r.baselineBusyUsPerRequest)),
    larderCpuUsPerRefresh: median(perRound.map((r) => r.larderCpuUsPerRefresh)),
    baselineCpuUsPerRequest: median(perRound.map((r) => r.baselineCpuUsPerRequest)),
    ownBusyUsPerRefresh: median(perRound.map((r) => r.larderBusyUsPerRefresh - r.baselineBusyUsPerRequest)),
    ownCpuUsPerRefresh: median(perRound.map((r) => r.larderCpuUsPerRefresh - r.baselineCpuUsPerRequest)),
    writesPer1000: (stats.writes / rotations) * 1000,
    fullWritesPer1000: (stats.fullWrites / rotations) * 1000,
    backgroundWritesPer1000: (stats.backgroundWrites / rotations) * 1000,
    journalBytes: stats.journalBytes,
    fsyncsPer1000: (stats.fsyncs / rotations) * 1000,
    auditEntriesPerRefresh: (auditAfter.entries - auditBefore.entries) / rotations,
    auditWritesPer1000: ((auditAfter.writes - auditBefore.writes) / rotations) * 1000,
    failedWrites: stats.failedWrites,
    maxWaitMs: Math.max(...perRound.map((r) => r.maxWaitMs)),
    rotationDurableP50Ms: percentile(waits, 50),
    rotationDurableP95Ms: percentile(waits, 95),
    rotationDurableMaxMs: Math.max(...waits),
    storeWriteMedianMs: writes.length === 0 ? 0 : median(writes),
    storeWriteMaxMs: Math.max(0, ...writes),
    storeWriteMsPerBurst: writes.reduce((sum, ms) => sum + ms, 0) / options.rounds,
    eventsPerBurst: (host.events - hostBefore.events) / options.rounds,
    trayShownPerBurst: (host.desktop.trayShown - hostBefore.trayShown) / options.rounds,
    notifiedPerBurst: (host.desktop.notifierLibraries - hostBefore.notifierLibraries) / options.rounds,
    withLatency,
    core: side.burst.core,
    copies: side.sink,
    close: () => side.burst.close()
  }
}
