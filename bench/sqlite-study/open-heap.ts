// Opening a large store until every status is known, and the heap it then holds, for the current vault (through
// bench/open-vault.ts, unchanged) and for the SQLite prototype (the same steps: open, list, deriveStatus each).
import fs from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { deriveStatus, type RefreshOutlook } from '../../src/main/core/model.ts'
import type { Cipher } from '../../src/main/core/vault/cipher.ts'
import { syntheticRecord, tempDir, writeSyntheticVault } from '../fixtures.ts'
import { median, settledHeapUsed } from '../measure.ts'
import { runOpenVault } from '../open-vault.ts'
import { openSqliteVault } from './sqlite-vault.ts'
import { openSubject, randomToken, type StoreKind } from './subjects.ts'

/** Statuses as a vault read with no engine sees them: nothing in flight, nothing planned. */
const NOT_REFRESHING: RefreshOutlook = { refreshing: false, plannedAt: null }

export interface OpenFigures {
  readonly kind: Extract<StoreKind, 'file' | 'sqlite-full'>
  readonly libraries: number
  readonly openMedianMs: number
  /** What the store keeps on disk once closed. */
  readonly diskBytes: number
  /** Heap after gc with the store open and listed, above the heap before it was opened. */
  readonly heapDeltaBytes: number
}

export interface LargeStores {
  readonly file: string
  readonly sqlite: string
}

/** The same made-up libraries in both stores, with one spent fingerprint each (as writeSyntheticVault does). */
export async function writeLargeStores(cipher: Cipher, count: number): Promise<LargeStores> {
  const file = await writeSyntheticVault(tempDir('sqlite-study-open-file'), cipher, count)
  const dir = tempDir('sqlite-study-open-sqlite')
  const sqlite = await openSubject('sqlite-full', dir, cipher)
  const now = Date.now()
  const records = Array.from({ length: count }, (_, i) => syntheticRecord(i, now))
  await Promise.all(records.map((r) => sqlite.store.add(r.meta, r.secrets, { consumedRefreshToken: randomToken() })))
  await sqlite.store.close()
  return { file, sqlite: sqlite.store.path }
}

function bytesOf(files: readonly string[]): number {
  return files.reduce((sum, file) => sum + (fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0), 0)
}

async function openSqliteUntilListed(file: string, cipher: Cipher): Promise<{ ms: number; known: number }> {
  const started = performance.now()
  const vault = await openSqliteVault({ path: file, cipher })
  const now = Date.now()
  let known = 0
  for (const meta of vault.list()) if (deriveStatus(meta, now, NOT_REFRESHING)) known++
  const ms = performance.now() - started
  await vault.close()
  return { ms, known }
}

export async function measureOpen(stores: LargeStores, cipher: Cipher, count: number, runs: number): Promise<OpenFigures[]> {
  const file = await runOpenVault(stores.file, cipher, 'tuned', runs)
  if (file.libraries !== count) throw new Error(`the file vault listed ${file.libraries} of ${count} libraries`)
  const sqliteMs: number[] = []
  for (let run = -2; run < runs; run++) {
    const { ms, known } = await openSqliteUntilListed(stores.sqlite, cipher)
    if (known !== count) throw new Error(`the SQLite vault listed ${known} of ${count} libraries`)
    if (run >= 0) sqliteMs.push(ms)
  }
  const fileBytes = bytesOf([stores.file, `${stores.file}.spent`, `${stores.file}.journal`])
  const sqliteBytes = bytesOf([stores.sqlite, `${stores.sqlite}-wal`])
  return [
    { kind: 'file', libraries: count, openMedianMs: file.openMedianMs, diskBytes: fileBytes, heapDeltaBytes: await heapDelta('file', stores.file, cipher) },
    { kind: 'sqlite-full', libraries: count, openMedianMs: median(sqliteMs), diskBytes: sqliteBytes, heapDeltaBytes: await heapDelta('sqlite-full', stores.sqlite, cipher) }
  ]
}

/** Heap with the store open and every status derived, above the heap just before opening it. Needs --expose-gc. */
async function heapDelta(kind: 'file' | 'sqlite-full', file: string, cipher: Cipher): Promise<number> {
  const before = await settledHeapUsed()
  const subject = await openSubject(kind, path.dirname(file), cipher)
  const now = Date.now()
  const statuses = subject.store.list().map((meta) => deriveStatus(meta, now, NOT_REFRESHING))
  const after = await settledHeapUsed()
  if (statuses.length === 0) throw new Error('nothing was listed')
  await subject.store.close()
  return after - before
}
