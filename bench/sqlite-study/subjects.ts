// The stores this study compares, opened the same way by the benchmark and the crash check: the current vault
// (conf, as electron-store is built on it, with the benchmarks' store options) and the SQLite prototype.
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import type { IssuedPair } from '../../src/main/core/model.ts'
import type { Cipher } from '../../src/main/core/vault/cipher.ts'
import { openVault, type Vault, type VaultStats } from '../../src/main/core/vault/index.ts'
import { openSqliteVault, type PrototypeVault, type SqliteVaultStats, type SyncMode } from './sqlite-vault.ts'

export type StoreKind = 'file' | 'sqlite-full' | 'sqlite-normal'
export const STORE_KINDS: readonly StoreKind[] = ['file', 'sqlite-full', 'sqlite-normal']

export const STORE_LABELS: Readonly<Record<StoreKind, string>> = {
  file: 'current vault (journal)',
  'sqlite-full': 'SQLite WAL, synchronous=FULL',
  'sqlite-normal': 'SQLite WAL, synchronous=NORMAL'
}

/** What every subject offers: the vault's own operations, plus its counters in one shape. */
export interface Subject {
  readonly kind: StoreKind
  readonly store: PrototypeVault
  /** Durable batches so far (journal appends + whole-file writes; SQLite transactions). */
  batches(): number
  /** The vault's own count of fsyncs and O_DSYNC appends (file vault only; SQLite's are counted with strace). */
  syncs(): number | null
  /** Milliseconds the event loop spent blocked in synchronous writes (conf's whole-file writes; SQLite commits). */
  blockedMs(): number
  /** The longest single one of those so far. */
  longestBlockMs(): number
  /** The files this store keeps on disk. */
  readonly files: readonly string[]
}

/** The file vault's name is bench/fixtures.ts's vaultFile(dir); SQLite's sits beside it. */
export function storePath(kind: StoreKind, dir: string): string {
  return path.join(dir, kind === 'file' ? 'vault.json' : 'vault.sqlite')
}

export async function openSubject(kind: StoreKind, dir: string, cipher: Cipher): Promise<Subject> {
  const file = storePath(kind, dir)
  if (kind === 'file') {
    // Loaded only here: the fixtures pull in the whole core, which the crash check's SQLite child does not need.
    const { confStore } = await import('../fixtures.ts')
    let storeWriteMs = 0
    let longestStoreWriteMs = 0
    const onWrite = (ms: number): void => {
      storeWriteMs += ms
      longestStoreWriteMs = Math.max(longestStoreWriteMs, ms)
    }
    const vault: Vault = await openVault({ path: file, openStore: confStore(dir, 'vault', 'tuned', onWrite), cipher })
    const stats = (): VaultStats => vault.stats()
    return {
      kind,
      store: vault,
      batches: () => stats().writes,
      syncs: () => stats().fsyncs,
      blockedMs: () => storeWriteMs,
      longestBlockMs: () => longestStoreWriteMs,
      files: [file, `${file}.journal`, `${file}.spent`]
    }
  }
  const synchronous: SyncMode = kind === 'sqlite-full' ? 'FULL' : 'NORMAL'
  const vault = await openSqliteVault({ path: file, cipher, synchronous })
  const stats = (): SqliteVaultStats => vault.stats()
  return {
    kind,
    store: vault,
    batches: () => stats().transactions,
    syncs: () => null,
    blockedMs: () => stats().commitMs,
    longestBlockMs: () => stats().longestCommitMs,
    files: [file, `${file}-wal`, `${file}-shm`]
  }
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** A made-up token of Apicbase's shape (30 characters). */
export function randomToken(length = 30): string {
  let out = ''
  for (const byte of randomBytes(length)) out += ALPHANUMERIC[byte % 62]
  return out
}

/** A pair as the token endpoint would issue it now, with this refresh token. */
export function issuedPair(refreshToken: string, now = Date.now()): IssuedPair {
  return { accessToken: randomToken(), refreshToken, issuedAt: now, expiresAt: now + 7 * 86_400_000, scopes: ['accounts', 'library'] }
}
