// Benchmark 3: opening a vault of many libraries until every status is known (openVault, list, deriveStatus
// for each), against reading the same file and JSON.parse on it. Both read from disk, in the same run.
import fs from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { deriveStatus } from '../src/main/core/model.ts'
import type { Cipher } from '../src/main/core/vault/cipher.ts'
import { confStore, type StoreTuning } from './fixtures.ts'
import { median } from './measure.ts'
import { openVault } from '../src/main/core/vault/index.ts'

export interface OpenResult {
  readonly libraries: number
  readonly fileBytes: number
  readonly runs: number
  readonly openMs: readonly number[]
  readonly parseMs: readonly number[]
  readonly openMedianMs: number
  readonly parseMedianMs: number
  readonly ratio: number
}

export async function runOpenVault(file: string, cipher: Cipher, tuning: StoreTuning, runs: number): Promise<OpenResult> {
  const dir = path.dirname(file)
  const name = path.basename(file, '.json')
  let libraries = 0
  /** Milliseconds until every status is known; closing the vault afterwards is not counted. */
  const open = async (): Promise<number> => {
    const started = performance.now()
    const vault = await openVault({ path: file, openStore: confStore(dir, name, tuning), cipher })
    const now = Date.now()
    const thresholds = { expiringSoonMs: vault.settings().expiringSoonMs }
    let known = 0
    for (const meta of vault.list()) if (deriveStatus(meta, now, { refreshing: false, plannedAt: null }, thresholds)) known++
    const ms = performance.now() - started
    libraries = known
    await vault.close()
    return ms
  }
  let parsed = 0
  const parse = (): number => {
    const started = performance.now()
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as { libraries?: object }
    parsed = Object.keys(value.libraries ?? {}).length
    return performance.now() - started
  }
  const openMs: number[] = []
  const parseMs: number[] = []
  for (let i = 0; i < 2; i++) {
    await open()
    parse()
  }
  // Alternated, so both meet the same state of the page cache and the heap.
  for (let i = 0; i < runs; i++) {
    parseMs.push(parse())
    openMs.push(await open())
  }
  if (parsed !== libraries) throw new Error(`opened ${libraries} libraries but the file holds ${parsed}`)
  const openMedianMs = median(openMs)
  const parseMedianMs = median(parseMs)
  return {
    libraries,
    fileBytes: fs.statSync(file).size,
    runs,
    openMs,
    parseMs,
    openMedianMs,
    parseMedianMs,
    ratio: openMedianMs / parseMedianMs
  }
}
