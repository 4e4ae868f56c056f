// Benchmarks 1 and 2: every library refreshed at once through Larder's engine (decrypt, token request,
// encrypt, group-committed durable write, audit entry), against raw undici sending the same form POSTs to
// the same sandbox at the same concurrency; and what the vault's durable writes cost during that burst.
import { POOL_CONNECTIONS } from '../src/main/core/apicbase/client.ts'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { Agent } from 'undici'
import type { LarderCore, SecretSink } from '../src/main/core/larder-core.ts'
import type { Vault } from '../src/main/core/vault/index.ts'
import type { LibraryCredentials } from '../test/sandbox/index.ts'
import { addAll, benchCipher, openBenchCore, openBenchVault, recordFor, tempDir, vaultFile, type StoreTuning } from './fixtures.ts'
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
}

export interface BurstResult {
  readonly libraries: number
  readonly concurrency: number
  readonly rounds: number
  readonly larderMs: readonly number[]
  readonly baselineMs: readonly number[]
  readonly larderMedianMs: number
  readonly baselineMedianMs: number
  readonly ratio: number
  /** Per measured burst of `libraries` rotations, scaled to 1,000: durable writes of the vault (journal appends and whole-file writes). */
  readonly writesPer1000: number
  /** Of those, whole-file writes through the store (compactions). */
  readonly fullWritesPer1000: number
  /** The journal's size after the measured bursts (compacted when the vault is next quiet for a second). */
  readonly journalBytes: number
  readonly fsyncsPer1000: number
  readonly failedWrites: number
  /** vault.stats().maxWaitMs over the measured bursts: longest wait from joining a batch to its durable write. */
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
  /** The extra pair of bursts with server latency, for scale (null when not run). */
  readonly withLatency: {
    readonly latencyMs: number
    readonly larderMs: number
    /** Raw undici through a pool like Larder's (POOL_CONNECTIONS), and through C connections. */
    readonly baselineMs: number
    readonly baselineOwnPoolMs: number
    readonly ratio: number
  } | null
  /** The core, still open on the measured vault, for the copy benchmark; the caller closes it. */
  readonly core: LarderCore
  readonly copies: CopyRecorder
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

/** Raw undici: one form POST per library, `concurrency` in flight, each answer read and parsed, its new refresh token kept. */
async function rawBurst(agent: Agent, origin: string, libraries: RawLibrary[], concurrency: number): Promise<number> {
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
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, worker))
  return performance.now() - started
}

interface LarderSide {
  readonly core: LarderCore
  readonly vault: Vault
  readonly ids: readonly string[]
  readonly rotationWaits: number[]
  /** Each whole-file write through the store, in milliseconds (it blocks the event loop). */
  readonly storeWrites: number[]
  readonly sink: CopyRecorder
}

async function larderSide(sandbox: RemoteSandbox, credentials: readonly LibraryCredentials[], options: BurstOptions, label: string): Promise<LarderSide> {
  const file = vaultFile(tempDir(label))
  const cipher = await benchCipher()
  const now = Date.now()
  const setup = await openBenchVault(path.dirname(file), cipher, options.tuning)
  await addAll(setup, credentials.map((c) => recordFor(c, sandbox.url, now)))
  await setup.close()
  // Opened again (as the app would be after adding them) so the vault's stats count the bursts only.
  const rotationWaits: number[] = []
  const sink = new CopyRecorder()
  const storeWrites: number[] = []
  const core = await openBenchCore(file, cipher, {
    tuning: options.tuning,
    engine: { concurrency: options.concurrency, perTokenPerMinute: 10_000 },
    onStoreWrite: (ms) => storeWrites.push(ms),
    wrap: (vault) => {
      const commit = vault.commitRotation.bind(vault)
      vault.commitRotation = async (id, rotation) => {
        const started = performance.now()
        try {
          await commit(id, rotation)
        } finally {
          rotationWaits.push(performance.now() - started)
        }
      }
      return vault
    }
  })
  return { core, vault: core.vault, ids: core.vault.list().map((meta) => meta.id), rotationWaits, storeWrites, sink }
}

async function larderBurst(side: LarderSide): Promise<number> {
  const started = performance.now()
  const tokens = await Promise.all(side.ids.map((id) => side.core.engine.refresh(id)))
  const ms = performance.now() - started
  if (tokens.length !== side.ids.length) throw new Error('some refreshes did not answer')
  return ms
}

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

  log(`  warming up (${warmLibraries} libraries each side, three times)`)
  const warm = await larderSide(sandbox, larderWarm, options, 'warm')
  const rawWarmState = rawOf(rawWarm)
  for (let i = 0; i < 3; i++) {
    await larderBurst(warm)
    await rawBurst(agent, sandbox.url, rawWarmState, concurrency)
  }
  await warm.core.close()

  log(`  building the measured vault (${count} libraries)`)
  const side = await larderSide(sandbox, larderLibs, options, 'burst')
  const rawState = rawOf(rawLibs)
  const before = await sandbox.counts()
  const larderMs: number[] = []
  const baselineMs: number[] = []
  for (let round = 0; round < options.rounds; round++) {
    baselineMs.push(await rawBurst(agent, sandbox.url, rawState, concurrency))
    larderMs.push(await larderBurst(side))
    log(`  round ${round + 1}: raw undici ${baselineMs.at(-1)!.toFixed(0)} ms, Larder ${larderMs.at(-1)!.toFixed(0)} ms`)
  }
  // Everything below describes the loopback bursts only; the latency pair comes after.
  const stats = side.vault.stats()
  const waits = side.rotationWaits.slice()
  const writes = side.storeWrites.slice()
  let withLatency: BurstResult['withLatency'] = null
  if (options.latencyMs > 0) {
    await sandbox.setTokenLatency(options.latencyMs)
    const baseline = await rawBurst(agent, sandbox.url, rawState, concurrency)
    const wide = new Agent({ connections: concurrency, pipelining: 1, keepAliveTimeout: 10_000 })
    const baselineOwnPool = await rawBurst(wide, sandbox.url, rawState, concurrency)
    await wide.close()
    const larder = await larderBurst(side)
    await sandbox.setTokenLatency(0)
    log(`  with ${options.latencyMs} ms server latency: raw undici ${baseline.toFixed(0)} ms (${baselineOwnPool.toFixed(0)} ms on ${concurrency} connections), Larder ${larder.toFixed(0)} ms`)
    withLatency = { latencyMs: options.latencyMs, larderMs: larder, baselineMs: baseline, baselineOwnPoolMs: baselineOwnPool, ratio: larder / baseline }
  }
  const after = await sandbox.counts()
  await agent.close()

  const expected = 2 * count * options.rounds + (withLatency === null ? 0 : 3 * count)
  if (after.tokenOk - before.tokenOk !== expected || after.tokenFailed !== before.tokenFailed) {
    throw new Error(`the sandbox answered ${after.tokenOk - before.tokenOk} of ${expected} token requests with 200`)
  }
  if (after.maxConcurrentPerFamily > 1) throw new Error('two refreshes of one token family were in flight at once')
  const rotations = count * options.rounds
  const larderMedianMs = median(larderMs)
  const baselineMedianMs = median(baselineMs)
  return {
    libraries: count,
    concurrency,
    rounds: options.rounds,
    larderMs,
    baselineMs,
    larderMedianMs,
    baselineMedianMs,
    ratio: larderMedianMs / baselineMedianMs,
    writesPer1000: (stats.writes / rotations) * 1000,
    fullWritesPer1000: (stats.fullWrites / rotations) * 1000,
    journalBytes: stats.journalBytes,
    fsyncsPer1000: (stats.fsyncs / rotations) * 1000,
    failedWrites: stats.failedWrites,
    maxWaitMs: stats.maxWaitMs,
    rotationDurableP50Ms: percentile(waits, 50),
    rotationDurableP95Ms: percentile(waits, 95),
    rotationDurableMaxMs: Math.max(...waits),
    storeWriteMedianMs: writes.length === 0 ? 0 : median(writes),
    storeWriteMaxMs: Math.max(0, ...writes),
    storeWriteMsPerBurst: writes.reduce((sum, ms) => sum + ms, 0) / options.rounds,
    withLatency,
    core: side.core,
    copies: side.sink
  }
}
