// What a compaction (one whole-file write) of a large vault costs the main thread, through the vault, with each store:
// 'app' (conf as it comes, declaring nothing: the store serialises and writes on the main thread) and 'tuned' (the
// app's store, which declares its format: the vault folds the file and its journal on a worker thread). Figures are
// main-thread figures, which do not depend much on the machine's load: event-loop busy time from the call until the
// new file is durable in place, and the longest the loop was held at once. Then a change through the vault until it
// is durable (its commit window, the spent ledger, the journal append).
import fs from 'node:fs'
import path from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import type { Cipher } from '../src/main/core/vault/cipher.ts'
import type { Vault } from '../src/main/core/vault/index.ts'
import { openBenchVault, tempDir, type StoreTuning } from './fixtures.ts'
import { median } from './measure.ts'

export interface StoreWriteRow {
  readonly tuning: StoreTuning
  readonly fileBytes: number
  /**
   * Main-thread time of one compaction, median: event-loop busy time from `updateSettings` (a whole-file write) until
   * the new file is durable in place. For 'app' that is the store's write itself; for 'tuned', what is left on the
   * main thread of a fold made on the worker.
   */
  readonly storeWriteMs: number
  /** The longest the main thread was held at once during a compaction, median. */
  readonly longestBlockMs: number
  /** From the call until the new file is durable in place, median (the worker's own time included). */
  readonly wallMs: number
  /** Of the compactions measured, those written on a worker thread (`vault.stats().backgroundWrites`). */
  readonly offThread: number
  /** `vault.patch()` until durable, median (includes the 4 ms commit window). */
  readonly vaultChangeMs: number
}

export interface StoreWriteResult {
  readonly libraries: number
  readonly runs: number
  readonly rows: readonly StoreWriteRow[]
  /** app ÷ tuned: main-thread time of a compaction. */
  readonly speedup: number
  /** The app's store ('tuned'): main-thread time of one compaction, median (goal ≤ 50 ms). */
  readonly compactionMainThreadMs: number
}

interface Subject {
  readonly tuning: StoreTuning
  readonly file: string
  readonly vault: Vault
  readonly ids: readonly string[]
  readonly busy: number[]
  readonly longest: number[]
  readonly wall: number[]
  readonly changes: number[]
  offThread: number
}

const TUNINGS: readonly StoreTuning[] = ['app', 'tuned']

/** One whole-file write through the vault (a settings change is written whole), with its main-thread figures. */
async function compaction(vault: Vault, round: number): Promise<{ busyMs: number; longestMs: number; wallMs: number; offThread: boolean }> {
  const before = vault.stats().backgroundWrites
  const delay = monitorEventLoopDelay({ resolution: 1 })
  const utilization = performance.eventLoopUtilization()
  const started = performance.now()
  delay.enable()
  await vault.updateSettings({ clipboardClearMs: 30_000 + (round % 2) * 1_000 })
  const wallMs = performance.now() - started
  // The histogram hears of a block when its timer next runs: let it, before it stops listening.
  await new Promise((resolve) => setTimeout(resolve, 2))
  delay.disable()
  const busyMs = performance.eventLoopUtilization(utilization).active
  return { busyMs, longestMs: delay.max / 1e6, wallMs, offThread: vault.stats().backgroundWrites > before }
}

export async function runStoreWrite(source: string, cipher: Cipher, runs: number): Promise<StoreWriteResult> {
  const libraries = Object.keys((JSON.parse(fs.readFileSync(source, 'utf8')) as { libraries: object }).libraries).length
  const subjects: Subject[] = []
  for (const tuning of TUNINGS) {
    const dir = tempDir(`store-${tuning}`)
    const file = path.join(dir, 'vault.json')
    fs.copyFileSync(source, file)
    fs.copyFileSync(`${source}.spent`, `${file}.spent`)
    const vault = await openBenchVault(dir, cipher, tuning)
    subjects.push({ tuning, file, vault, ids: vault.list().map((meta) => meta.id), busy: [], longest: [], wall: [], changes: [], offThread: 0 })
  }
  // Interleaved, two unmeasured rounds first (the store made, the worker started), so both meet the same disk.
  for (let round = -2; round < runs; round++) {
    for (const subject of subjects) {
      const measured = await compaction(subject.vault, round)
      const started = performance.now()
      await subject.vault.patch(subject.ids[(round + 2) % subject.ids.length]!, { lastUsedAt: Date.now() })
      const changeMs = performance.now() - started
      if (round < 0) continue
      subject.busy.push(measured.busyMs)
      subject.longest.push(measured.longestMs)
      subject.wall.push(measured.wallMs)
      subject.changes.push(changeMs)
      if (measured.offThread) subject.offThread++
    }
  }
  const rows: StoreWriteRow[] = []
  for (const subject of subjects) {
    await subject.vault.close()
    rows.push({
      tuning: subject.tuning,
      fileBytes: fs.statSync(subject.file).size,
      storeWriteMs: median(subject.busy),
      longestBlockMs: median(subject.longest),
      wallMs: median(subject.wall),
      offThread: subject.offThread,
      vaultChangeMs: median(subject.changes)
    })
  }
  const [app, tuned] = rows
  return { libraries, runs, rows, speedup: app!.storeWriteMs / tuned!.storeWriteMs, compactionMainThreadMs: tuned!.storeWriteMs }
}
