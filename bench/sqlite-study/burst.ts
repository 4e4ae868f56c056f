// The rotation burst of bench/refresh-burst.ts, vault part only (no sandbox, no engine): every library's
// commitRotation at once ('all'), or 16 at a time with the engine's secrets() read before each ('paced').
import { performance } from 'node:perf_hooks'
import type { Cipher } from '../../src/main/core/vault/cipher.ts'
import { syntheticRecord, tempDir } from '../fixtures.ts'
import { median, percentile } from '../measure.ts'
import { issuedPair, openSubject, randomToken, type StoreKind, type Subject } from './subjects.ts'

export type BurstMode = 'all' | 'paced'
export const BURST_MODES: readonly BurstMode[] = ['all', 'paced']
/** The engine's default concurrency (bench/run.ts --concurrency). */
export const PACED_CONCURRENCY = 16

export interface BurstSide {
  readonly subject: Subject
  readonly dir: string
  readonly ids: readonly string[]
  /** The live refresh token of each library, as this run issued them. */
  readonly tokens: Map<string, string>
  /** The token each library's latest rotation sent (must read as spent). */
  readonly sent: Map<string, string>
}

export interface BurstRun {
  readonly totalMs: number
  /** commitRotation called → resolved (durable), each rotation. */
  readonly waits: readonly number[]
  readonly batches: number
  readonly syncs: number | null
  readonly blockedMs: number
  /** The longest single block since the store was opened (a maximum cannot be taken apart per burst). */
  readonly longestBlockMs: number
}

export interface BurstFigures {
  readonly kind: StoreKind
  readonly mode: BurstMode
  readonly rotations: number
  readonly totalMedianMs: number
  readonly durableP50Ms: number
  readonly durableP95Ms: number
  readonly durableMaxMs: number
  readonly batchesPer1000: number
  /** File vault: its own count of fsyncs and O_DSYNC appends. SQLite: null (strace counts those). */
  readonly syncsPer1000: number | null
  readonly blockedMsPerBurst: number
  readonly longestBlockMs: number
}

/** A store of `count` made-up libraries, closed after adding them and opened again so counters start at zero. */
export async function burstSide(kind: StoreKind, cipher: Cipher, count: number): Promise<BurstSide> {
  const dir = tempDir(`sqlite-study-${kind}`)
  const now = Date.now()
  const records = Array.from({ length: count }, (_, i) => syntheticRecord(i, now))
  const setup = await openSubject(kind, dir, cipher)
  await Promise.all(records.map((r) => setup.store.add(r.meta, r.secrets)))
  await setup.store.close()
  const subject = await openSubject(kind, dir, cipher)
  const tokens = new Map(records.map((r) => [r.meta.id, r.secrets.refreshToken]))
  return { subject, dir, ids: records.map((r) => r.meta.id), tokens, sent: new Map() }
}

export async function runBurst(side: BurstSide, mode: BurstMode): Promise<BurstRun> {
  const { subject, ids, tokens, sent } = side
  const next = new Map(ids.map((id) => [id, randomToken()]))
  const waits: number[] = []
  const before = { batches: subject.batches(), syncs: subject.syncs(), blockedMs: subject.blockedMs() }
  const rotate = async (id: string): Promise<void> => {
    if (mode === 'paced') {
      // What the engine reads before each token request.
      const secrets = await subject.store.secrets(id, ['clientSecret', 'refreshToken'])
      if (secrets.refreshToken !== tokens.get(id)) throw new Error(`${subject.kind}: library ${id} handed out a refresh token that is not its live one`)
    }
    const sentToken = tokens.get(id)!
    const pair = issuedPair(next.get(id)!)
    const started = performance.now()
    await subject.store.commitRotation(id, { sentRefreshToken: sentToken, pair })
    waits.push(performance.now() - started)
    sent.set(id, sentToken)
    tokens.set(id, pair.refreshToken)
  }
  const started = performance.now()
  if (mode === 'all') {
    await Promise.all(ids.map(rotate))
  } else {
    let cursor = 0
    const worker = async (): Promise<void> => {
      while (cursor < ids.length) await rotate(ids[cursor++]!)
    }
    await Promise.all(Array.from({ length: PACED_CONCURRENCY }, worker))
  }
  const totalMs = performance.now() - started
  const syncs = subject.syncs()
  return {
    totalMs,
    waits,
    batches: subject.batches() - before.batches,
    syncs: syncs === null || before.syncs === null ? null : syncs - before.syncs,
    blockedMs: subject.blockedMs() - before.blockedMs,
    longestBlockMs: subject.longestBlockMs()
  }
}

/** After the bursts: every library hands out the token it was last given, and the one it sent reads as spent. */
export async function verifySide(side: BurstSide): Promise<void> {
  for (const id of side.ids) {
    const { refreshToken } = await side.subject.store.secrets(id, ['refreshToken'])
    if (refreshToken !== side.tokens.get(id)) throw new Error(`${side.subject.kind}: library ${id} lost its latest rotation`)
    const sent = side.sent.get(id)
    if (sent !== undefined && !side.subject.store.isSpent(sent)) throw new Error(`${side.subject.kind}: a sent refresh token does not read as spent`)
    if (side.subject.store.isSpent(refreshToken)) throw new Error(`${side.subject.kind}: a live refresh token reads as spent`)
  }
}

export function burstFigures(kind: StoreKind, mode: BurstMode, runs: readonly BurstRun[]): BurstFigures {
  const waits = runs.flatMap((run) => run.waits)
  const rotations = waits.length
  const sum = (pick: (run: BurstRun) => number): number => runs.reduce((total, run) => total + pick(run), 0)
  const syncs = runs.every((run) => run.syncs !== null) ? sum((run) => run.syncs ?? 0) : null
  return {
    kind,
    mode,
    rotations,
    totalMedianMs: median(runs.map((run) => run.totalMs)),
    durableP50Ms: percentile(waits, 50),
    durableP95Ms: percentile(waits, 95),
    durableMaxMs: Math.max(...waits),
    batchesPer1000: (sum((run) => run.batches) / rotations) * 1000,
    syncsPer1000: syncs === null ? null : (syncs / rotations) * 1000,
    blockedMsPerBurst: sum((run) => run.blockedMs) / runs.length,
    longestBlockMs: Math.max(...runs.map((run) => run.longestBlockMs))
  }
}
