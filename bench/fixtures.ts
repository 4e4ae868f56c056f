// What the benchmarks are built from: the vault's store (conf, as electron-store is built on it), the
// passphrase cipher, library records from sandbox credentials or made up in bulk, and temp folders.
import { randomBytes, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import Conf from 'conf'
import { openAuditLog } from '../src/main/core/audit/index.ts'
import { ViewProjection } from '../src/main/app/projection.ts'
import { LarderCore, type LarderCoreOptions } from '../src/main/core/larder-core.ts'
import { tokenPreview, type LibraryMeta, type LibrarySecrets } from '../src/main/core/model.ts'
import type { Cipher } from '../src/main/core/vault/cipher.ts'
import { createPassphraseCipher } from '../src/main/core/vault/passphrase-cipher.ts'
import { openVault, spentFingerprint, type JsonFileStore, type StoreFactory, type Vault, type WholeFileFormat } from '../src/main/core/vault/index.ts'
import { VAULT_STORE_FORMAT, VAULT_STORE_OPTIONS } from '../src/main/core/vault/store-options.ts'
import type { LibraryCredentials } from '../test/sandbox/index.ts'
import { sandboxLibraryRecord } from '../test/support/sandbox-records.ts'

export const PASSPHRASE = 'correct horse battery staple'
/** The key is derived once per unlock, before openVault; a small cost keeps set-up quick. */
const FAST_SCRYPT = { N: 1024, r: 8, p: 1 } as const

/**
 * 'tuned' is what the app gives electron-store (src/main/electron/vault-store.ts): compact JSON, no re-read of the file
 * before each write, and the format declared, so the vault makes its compactions on a worker thread.
 * 'app' is conf as it comes (tab-indented, declaring nothing): every whole-file write goes through the store on the
 * main thread, as any store that does not declare its format does. See storeOptions().
 */
export type StoreTuning = 'app' | 'tuned'

/**
 * The store's options. conf (and electron-store, which passes its options on to conf) on every whole-store
 * write: reads and parses the whole file again (only to keep its `__internal__` bookkeeping, which exists only
 * when conf's own migrations are used, and Larder does not use them), checks every value, pretty-prints with
 * tabs, then writes atomically with fsync. The constructor parses the file too.
 * 'tuned': `serialize` writes compact JSON; `deserialize` parses only a file that holds conf's bookkeeping
 * (nothing else is ever read through this store: the vault reads and checks the file itself).
 */
export function storeOptions(dir: string, name: string, tuning: StoreTuning): ConstructorParameters<typeof Conf<Record<string, unknown>>>[0] {
  const app = {
    cwd: dir,
    configName: name,
    configFileMode: 0o600,
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
    watch: false
  }
  if (tuning === 'app') return app
  return { cwd: dir, configName: name, ...VAULT_STORE_OPTIONS }
}

/** What 'tuned' writes, as the app's store declares it (the worker from source here). */
export const TUNED_FORMAT: WholeFileFormat = VAULT_STORE_FORMAT

/** `onWrite` is told how long each whole-file write through the store took (on the main thread). */
export function confStore(dir: string, name: string, tuning: StoreTuning, onWrite?: (ms: number) => void): StoreFactory {
  const open = (): JsonFileStore => {
    const conf = new Conf<Record<string, unknown>>(storeOptions(dir, name, tuning))
    if (onWrite === undefined) return conf
    return {
      path: conf.path,
      set store(value: Record<string, unknown>) {
        const started = performance.now()
        try {
          conf.store = value
        } finally {
          onWrite(performance.now() - started)
        }
      }
    }
  }
  return tuning === 'tuned' ? Object.assign(open, { format: TUNED_FORMAT }) : open
}

export function vaultFile(dir: string, name = 'vault'): string {
  return path.join(dir, `${name}.json`)
}

export async function benchCipher(): Promise<Cipher> {
  return (await createPassphraseCipher(PASSPHRASE, undefined, { cost: FAST_SCRYPT })).cipher
}

const temps: string[] = []

export function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `larder-bench-${label}-`))
  temps.push(dir)
  return dir
}

export function removeTemps(): void {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
}

export function openBenchVault(dir: string, cipher: Cipher, tuning: StoreTuning, name = 'vault'): Promise<Vault> {
  return openVault({ path: vaultFile(dir, name), openStore: confStore(dir, name, tuning), cipher })
}

const DAY = 86_400_000

/** A sandbox library as Larder stores it after adding it (token issued just now). */
export function recordFor(credentials: LibraryCredentials, apiBaseUrl: string, now: number): { meta: LibraryMeta; secrets: LibrarySecrets } {
  return sandboxLibraryRecord(credentials, { id: randomUUID(), apiBaseUrl, issuedAt: now })
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

function token(length: number): string {
  let out = ''
  for (const byte of randomBytes(length)) out += ALPHANUMERIC[byte % 62]
  return out
}

/**
 * A made-up library shaped like a real one: Apicbase (django-oauth-toolkit) client IDs of 40 characters,
 * secrets of 128, tokens of 30; issued at different times over the past week, a few with a failure on record.
 */
export function syntheticRecord(index: number, now: number): { meta: LibraryMeta; secrets: LibrarySecrets } {
  const issuedAt = now - ((index * 7919) % (6 * DAY))
  const accessToken = token(30)
  const failed = index % 50 === 0
  return {
    meta: {
      id: randomUUID(),
      name: `Customer ${index + 1}, Brasserie ${index % 97}`,
      apicbaseLibraryId: String(20_000 + index),
      apicbaseLibraryName: `Customer ${index + 1}`,
      tokenType: index % 10 === 0 ? 'connected_application' : 'service_account',
      scopes: ['accounts', 'library'],
      apiBaseUrl: 'https://api.apicbase.com',
      clientId: token(40),
      addedAt: issuedAt - 30 * DAY,
      issuedAt,
      expiresAt: issuedAt + 7 * DAY,
      lastRefreshedAt: issuedAt,
      lastUsedAt: index % 3 === 0 ? now - (index % 1000) * 60_000 : null,
      lastError: failed
        ? { kind: 'network', message: `Could not reach Apicbase while refreshing the token for Customer ${index + 1}; retrying.`, at: now - 60_000, retryAt: now + 60_000 }
        : null,
      tokenState: 'active',
      tokenPreview: tokenPreview(accessToken)
    },
    secrets: { clientSecret: token(128), accessToken, refreshToken: token(30) }
  }
}

/** Adds the records all at once (the vault groups their writes). */
export async function addAll(vault: Vault, records: readonly { meta: LibraryMeta; secrets: LibrarySecrets }[]): Promise<void> {
  await Promise.all(records.map((record) => vault.add(record.meta, record.secrets)))
}

/** A closed vault file of `count` made-up libraries, with one spent fingerprint per library beside it. */
export async function writeSyntheticVault(dir: string, cipher: Cipher, count: number, name = 'vault'): Promise<string> {
  const vault = await openBenchVault(dir, cipher, 'tuned', name)
  const now = Date.now()
  const records = Array.from({ length: count }, (_, i) => syntheticRecord(i, now))
  await addAll(vault, records)
  await vault.close()
  // Each added library's pasted refresh token was spent checking it; the ledger holds its fingerprint.
  fs.writeFileSync(`${vaultFile(dir, name)}.spent`, records.map(() => `${spentFingerprint(token(30))}\n`).join(''), { mode: 0o600 })
  return vaultFile(dir, name)
}

export interface BenchCoreOptions {
  readonly tuning: StoreTuning
  readonly engine?: LarderCoreOptions['engine']
  /** Lets the caller wrap the vault (to time its calls) before the core gets it. */
  readonly wrap?: (vault: Vault) => Vault
  /** Told how long each whole-file write through the store took. */
  readonly onStoreWrite?: (ms: number) => void
}

/** A whole core on a vault file (made if missing), with its audit trail beside it, started as the app starts it. */
export async function openBenchCore(file: string, cipher: Cipher, options: BenchCoreOptions): Promise<LarderCore> {
  const dir = path.dirname(file)
  const name = path.basename(file, '.json')
  const opened = await openVault({ path: file, openStore: confStore(dir, name, options.tuning, options.onStoreWrite), cipher })
  const vault = options.wrap ? options.wrap(opened) : opened
  const audit = await openAuditLog({ path: path.join(dir, `${name}.audit.jsonl`) })
  const core = new LarderCore({ vault, audit, engine: options.engine ?? {} })
  core.start()
  // As in the app: every change is turned into the views a window and the tray would get.
  new ViewProjection(core, () => undefined)
  return core
}

