// Benchmark 4: the main process's heap with every library loaded and planned (vault open, engine started,
// statuses published), above the same with an empty vault. Needs --expose-gc.
import type { Cipher } from '../src/main/core/vault/cipher.ts'
import { openBenchCore, tempDir, vaultFile, type StoreTuning } from './fixtures.ts'
import { settledHeapUsed } from './measure.ts'

export interface HeapResult {
  readonly libraries: number
  readonly emptyBytes: number
  readonly loadedBytes: number
  /** Loaded minus empty: what the libraries cost. */
  readonly deltaBytes: number
  /**
   * The same after one change was made durable (a journal append) and one whole-file write: through the store for
   * 'app' (the store exists from then on), folded on a worker thread for 'tuned' (the worker's heap is its own).
   */
  readonly afterWriteDeltaBytes: number
}

export async function runHeap(file: string, cipher: Cipher, tuning: StoreTuning): Promise<HeapResult> {
  const empty = await openBenchCore(vaultFile(tempDir('heap-empty')), cipher, { tuning })
  empty.libraries.list()
  const emptyBytes = await settledHeapUsed()
  await empty.close()

  const core = await openBenchCore(file, cipher, { tuning })
  // What the window asks for first: every library with its status.
  const libraries = core.libraries.list().length
  const loadedBytes = await settledHeapUsed()
  const first = core.vault.list()[0]
  if (first !== undefined) await core.vault.patch(first.id, { lastUsedAt: Date.now() })
  // A settings change is written whole: what compaction costs in memory too.
  await core.vault.updateSettings({ clipboardClearMs: core.vault.settings().clipboardClearMs })
  const afterWriteBytes = await settledHeapUsed()
  await core.close()
  return {
    libraries,
    emptyBytes,
    loadedBytes,
    deltaBytes: loadedBytes - emptyBytes,
    afterWriteDeltaBytes: afterWriteBytes - emptyBytes
  }
}
