// Shared set-up for the vault tests: real files in a temp dir, conf as the store (what electron-store is
// built on), and a passphrase cipher with a small scrypt cost so tests stay fast.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Conf from 'conf'
import { afterEach } from 'vitest'
import type { LibraryMeta, LibrarySecrets, IssuedPair } from '../../../src/main/core/model.ts'
import type { Cipher } from '../../../src/main/core/vault/cipher.ts'
import { createPassphraseCipher } from '../../../src/main/core/vault/passphrase-cipher.ts'
import { BOUND_MARKER } from '../../../src/main/core/vault/spent-ledger.ts'
import { openVault, type JsonFileStore, type OpenVaultOptions, type Vault } from '../../../src/main/core/vault/vault.ts'
import { durableBytes as durableBytesOf, durableContent as durableContentOf } from '../../support/vault-files.ts'

export const TEST_PASSPHRASE = 'correct horse battery staple'
export const FAST_COST = { N: 1024, r: 8, p: 1 } as const

const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-vault-'))
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

export async function newCipher(passphrase = TEST_PASSPHRASE): Promise<Cipher> {
  return (await createPassphraseCipher(passphrase, undefined, { cost: FAST_COST })).cipher
}

export function vaultPath(dir: string): string {
  return path.join(dir, 'vault.json')
}

export function confStore(dir: string, extra: { clearInvalidConfig?: boolean } = {}): () => JsonFileStore {
  return () => new Conf({ cwd: dir, configName: 'vault', configFileMode: 0o600, ...extra })
}

export function options(dir: string, cipher: Cipher, extra: Partial<OpenVaultOptions> = {}): OpenVaultOptions {
  return { path: vaultPath(dir), openStore: confStore(dir), cipher, ...extra }
}

/** Opens a vault that is closed again after the test. */
export async function open(dir: string, cipher: Cipher, extra: Partial<OpenVaultOptions> = {}): Promise<Vault> {
  const vault = await openVault(options(dir, cipher, extra))
  cleanups.push(() => vault.close().catch(() => undefined))
  return vault
}

export function trackVault(vault: Vault): Vault {
  cleanups.push(() => vault.close().catch(() => undefined))
  return vault
}

let counter = 0
/** Unique, recognisable secret values: the tests grep the files for each. */
export function secret(label: string): string {
  counter++
  return `SECRET-${label}-${counter}-${Math.random().toString(36).slice(2, 12)}`
}

export function makeSecrets(label = 'lib'): LibrarySecrets {
  return { clientSecret: secret(`${label}-cs`), accessToken: secret(`${label}-at`), refreshToken: secret(`${label}-rt`) }
}

export function makeMeta(id: string, overrides: Partial<LibraryMeta> = {}): LibraryMeta {
  return {
    id,
    name: `Library ${id}`,
    apicbaseLibraryId: null,
    apicbaseLibraryName: null,
    tokenType: 'connected_application',
    scopes: ['library'],
    apiBaseUrl: 'https://api.apicbase.com',
    clientId: `client-${id}`,
    addedAt: 1_700_000_000_000,
    issuedAt: 1_700_000_000_000,
    expiresAt: 1_700_000_000_000 + 7 * 86_400_000,
    lastRefreshedAt: null,
    lastUsedAt: null,
    lastError: null,
    tokenState: 'active',
    tokenPreview: '…',
    ...overrides
  }
}

export function makePair(label: string, issuedAt = 1_700_100_000_000): IssuedPair {
  return {
    accessToken: secret(`${label}-at`),
    refreshToken: secret(`${label}-rt`),
    issuedAt,
    expiresAt: issuedAt + 7 * 86_400_000,
    scopes: ['library', 'accounts']
  }
}

export function bytes(file: string): Buffer | null {
  try {
    return fs.readFileSync(file)
  } catch {
    return null
  }
}

/** Every file beside the vault (vault, backups, spent ledger, damaged copies), as one string to grep. */
export function everythingOnDisk(dir: string): string {
  return fs
    .readdirSync(dir)
    .map((name) => fs.readFileSync(path.join(dir, name)).toString('latin1'))
    .join('\n')
}

export function mode(file: string): number {
  return fs.statSync(file).mode & 0o777
}

/**
 * Makes the journal fail: a link to a folder that does not exist, so appending to it fails (ENOENT) as a full
 * disk would. The vault then writes the whole file through the store, which the test can make fail as well.
 */
export function breakJournal(dir: string): void {
  const journal = `${vaultPath(dir)}.journal`
  fs.rmSync(journal, { force: true })
  fs.symlinkSync(path.join(dir, 'no-such-folder', 'journal'), journal)
}

/**
 * Makes the folder one that never held a vault with bound secrets (schema 4): the spent ledger forgets its marker,
 * as before any upgrade. Tests that turn a file of this build into an older version use it, since a folder that did
 * hold a bound vault refuses an older file as a step back.
 */
export function asBeforeBinding(dir: string): void {
  const ledger = `${vaultPath(dir)}.spent`
  if (!fs.existsSync(ledger)) return
  const lines = fs.readFileSync(ledger, 'utf8').split('\n')
  fs.writeFileSync(ledger, lines.filter((line) => line !== BOUND_MARKER).join('\n'))
}

/** The vault file and its journal together: what "nothing was written" compares. */
export function durableBytes(dir: string): Buffer {
  return durableBytesOf(vaultPath(dir))
}

/** The vault's durable content as a reader sees it: the file continued by its journal. */
export function durableContent(dir: string): ReturnType<typeof durableContentOf> {
  return durableContentOf(vaultPath(dir))
}

/** A vault file exactly as schema 3 wrote it: each secret sealed as [context, library, field, value]. */
export async function writeVersion3Vault(dir: string, cipher: Cipher, records: readonly { meta: LibraryMeta; secrets: LibrarySecrets }[]): Promise<Buffer> {
  const seal = (id: string, field: string, value: string) => cipher.encrypt(['larder-secret-v1', id, field, value].join('\u001f'))
  const libraries: Record<string, unknown> = {}
  for (const { meta, secrets } of records) {
    libraries[meta.id] = {
      meta,
      secrets: {
        clientSecret: await seal(meta.id, 'clientSecret', secrets.clientSecret),
        accessToken: await seal(meta.id, 'accessToken', secrets.accessToken),
        refreshToken: await seal(meta.id, 'refreshToken', secrets.refreshToken)
      }
    }
  }
  const header = { ...(cipher.header ?? {}), kind: cipher.kind, check: await cipher.encrypt('larder-vault-check-v1') }
  const file = { schemaVersion: 3, cipher: header, libraries, entries: {}, settings: {}, journal: null }
  fs.writeFileSync(vaultPath(dir), JSON.stringify(file, null, '\t'), { mode: 0o600 })
  return fs.readFileSync(vaultPath(dir))
}

/** The store, except that a whole-file write throws what `fault` returns (null: the write goes through). */
export function faultyStore(dir: string, fault: () => Error | null): () => JsonFileStore {
  return () => {
    const conf = new Conf({ cwd: dir, configName: 'vault', configFileMode: 0o600 })
    return {
      path: conf.path,
      set store(value: Record<string, unknown>) {
        const error = fault()
        if (error !== null) throw error
        conf.store = value
      }
    }
  }
}

export function diskFull(): Error {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
}

/** What a crash at this moment leaves: the folder's files copied as they are, without the vault being closed. */
export function crashCopy(dir: string): string {
  const copy = tempDir()
  for (const name of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, name), path.join(copy, name))
  return copy
}
