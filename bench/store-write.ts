// What one durable write of a large vault costs through the store, with the app's store options today and
// with the options proposed here: the store's own write (conf, as electron-store is built on it), and a change
// through the vault until it is durable (its commit window, the spent ledger, the store write, the directory fsync).
import fs from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import Conf from 'conf'
import type { Cipher } from '../src/main/core/vault/cipher.ts'
import type { Vault } from '../src/main/core/vault/index.ts'
import { openBenchVault, storeOptions, tempDir, type StoreTuning } from './fixtures.ts'
import { median } from './measure.ts'

export interface StoreWriteRow {
  readonly tuning: StoreTuning
  readonly fileBytes: number
  /** `store.store = content`, median. */
  readonly storeWriteMs: number
  /** `vault.patch()` until durable, median (includes the 4 ms commit window). */
  readonly vaultChangeMs: number
}

export interface StoreWriteResult {
  readonly libraries: number
  readonly rows: readonly StoreWriteRow[]
  /** app ÷ tuned, store write alone. */
  readonly speedup: number
}

interface Subject {
  readonly tuning: StoreTuning
  readonly file: string
  readonly store: Conf<Record<string, unknown>>
  readonly vault: Vault
  readonly ids: readonly string[]
  readonly storeWrites: number[]
  readonly vaultChanges: number[]
}

const TUNINGS: readonly StoreTuning[] = ['app', 'tuned']

export async function runStoreWrite(source: string, cipher: Cipher, runs: number): Promise<StoreWriteResult> {
  const content = JSON.parse(fs.readFileSync(source, 'utf8')) as Record<string, unknown>
  const libraries = Object.keys(content['libraries'] as object).length
  const subjects: Subject[] = []
  for (const tuning of TUNINGS) {
    const dir = tempDir(`store-${tuning}`)
    const file = path.join(dir, 'vault.json')
    fs.copyFileSync(source, file)
    fs.copyFileSync(`${source}.spent`, `${file}.spent`)
    const vault = await openBenchVault(dir, cipher, tuning)
    const store = new Conf<Record<string, unknown>>(storeOptions(dir, 'store', tuning))
    subjects.push({ tuning, file, store, vault, ids: vault.list().map((meta) => meta.id), storeWrites: [], vaultChanges: [] })
  }
  // Interleaved, two unmeasured rounds first, so both options meet the same state of the disk.
  for (let round = -2; round < runs; round++) {
    for (const subject of subjects) {
      let started = performance.now()
      subject.store.store = content
      const storeMs = performance.now() - started
      started = performance.now()
      await subject.vault.patch(subject.ids[(round + 2) % subject.ids.length]!, { lastUsedAt: Date.now() })
      const changeMs = performance.now() - started
      if (round >= 0) {
        subject.storeWrites.push(storeMs)
        subject.vaultChanges.push(changeMs)
      }
    }
  }
  const rows: StoreWriteRow[] = []
  for (const subject of subjects) {
    await subject.vault.close()
    rows.push({ tuning: subject.tuning, fileBytes: fs.statSync(subject.file).size, storeWriteMs: median(subject.storeWrites), vaultChangeMs: median(subject.vaultChanges) })
  }
  const [app, tuned] = rows
  return { libraries, rows, speedup: app!.storeWriteMs / tuned!.storeWriteMs }
}
