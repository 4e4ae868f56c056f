// Opening checks shared by openVault, restoreBackup and the reload of a file changed behind the vault's
// back: validate the options, read the bytes, decode (and migrate in memory), and prove the key. Writes nothing.
import path from 'node:path'
import { InputError } from '../errors.ts'
import { describeBackup, moveAside } from './backups.ts'
import { onlyKeys, record, text } from './checks.ts'
import type { Cipher } from './cipher.ts'
import { readFileOrNull } from './durable-fs.ts'
import { VaultCipherMismatchError, VaultCorruptError, VaultFileRefusal } from './errors.ts'
import { decodeFile, FileProblem, type DecodedFile, type StoredCipherHeader } from './file-format.ts'
import { BOUND_SEALS_VERSION, checkMigrations, MIGRATIONS, type Migration } from './migrations.ts'
import type { ExternalChange, JsonFileStore, OpenVaultOptions, StoreFactory, WholeFileFormat } from './vault-types.ts'

const DEFAULT_COMMIT_WINDOW_MS = 4
const CHECK_PLAINTEXT = 'larder-vault-check-v1'

export interface CheckedOptions {
  readonly path: string
  readonly openStore: () => JsonFileStore
  /** How the store writes, when its factory says so: compactions are then made on a worker thread. */
  readonly format: WholeFileFormat | null
  readonly cipher: Cipher
  readonly now: () => number
  readonly commitWindowMs: number
  readonly migrations: readonly Migration[]
  readonly onExternalChange: ((change: ExternalChange) => void) | undefined
}

export function checkOptions(options: OpenVaultOptions): CheckedOptions {
  const raw = record('options', options)
  onlyKeys('options', raw, ['path', 'openStore', 'cipher', 'now', 'commitWindowMs', 'migrations', 'onExternalChange'])
  const file = path.resolve(text('options.path', raw['path'], 4096))
  if (typeof raw['openStore'] !== 'function') throw new InputError('options.openStore', 'options.openStore must be a function that creates the store')
  const cipher = record('options.cipher', raw['cipher']) as Partial<Cipher>
  if (typeof cipher.kind !== 'string' || cipher.kind.trim() === '') throw new InputError('options.cipher.kind', 'options.cipher.kind must be a name')
  if (typeof cipher.encrypt !== 'function' || typeof cipher.decrypt !== 'function') {
    throw new InputError('options.cipher', 'options.cipher must have encrypt and decrypt')
  }
  if (cipher.header !== undefined) {
    for (const [key, value] of Object.entries(record('options.cipher.header', cipher.header))) {
      if (!['string', 'number', 'boolean'].includes(typeof value)) {
        throw new InputError(`options.cipher.header.${key}`, `options.cipher.header.${key} must be text, a number or true/false`)
      }
    }
  }
  const now = raw['now'] ?? Date.now
  if (typeof now !== 'function') throw new InputError('options.now', 'options.now must be a function')
  const windowMs = raw['commitWindowMs'] ?? DEFAULT_COMMIT_WINDOW_MS
  if (typeof windowMs !== 'number' || !Number.isFinite(windowMs) || windowMs < 0 || windowMs > 1000) {
    throw new InputError('options.commitWindowMs', 'options.commitWindowMs must be a number of milliseconds from 0 to 1000')
  }
  const onExternalChange = raw['onExternalChange']
  if (onExternalChange !== undefined && typeof onExternalChange !== 'function') {
    throw new InputError('options.onExternalChange', 'options.onExternalChange must be a function')
  }
  return {
    path: file,
    openStore: raw['openStore'] as () => JsonFileStore,
    format: checkFormat((raw['openStore'] as StoreFactory).format),
    cipher: cipher as Cipher,
    now: now as () => number,
    commitWindowMs: windowMs,
    migrations: checkMigrations(raw['migrations'] ?? MIGRATIONS),
    onExternalChange: onExternalChange as ((change: ExternalChange) => void) | undefined
  }
}

function checkFormat(value: unknown): WholeFileFormat | null {
  if (value === undefined) return null
  const format = record('options.openStore.format', value)
  onlyKeys('options.openStore.format', format, ['indent', 'mode', 'worker'])
  const { indent, mode, worker } = format
  if (indent !== '' && indent !== '\t') throw new InputError('options.openStore.format.indent', "options.openStore.format.indent must be '' or a tab")
  if (typeof mode !== 'number' || !Number.isInteger(mode) || mode < 0 || mode > 0o777) {
    throw new InputError('options.openStore.format.mode', 'options.openStore.format.mode must be a file mode')
  }
  if (worker !== undefined && (typeof worker !== 'string' || worker === '')) throw new InputError('options.openStore.format.worker', 'options.openStore.format.worker must be a path')
  return Object.freeze({ indent, mode, ...(worker === undefined ? {} : { worker }) })
}

/** Makes the store and checks it writes the vault's file. */
export function openCheckedStore(options: CheckedOptions): JsonFileStore {
  const store = options.openStore()
  if (typeof store !== 'object' || store === null || path.resolve(String(store.path)) !== options.path) {
    throw new InputError('openStore', `openStore must return the store of ${options.path}`)
  }
  return store
}

/** A vault file that is gone while its backup is not was lost, not never made: do not start an empty one. */
export function refuseIfOnlyBackupLeft(file: string): void {
  const backup = describeBackup(file)
  if (backup) throw new VaultCorruptError(file, 'missing', 'the file is missing, but a backup of it exists', backup)
}

export function readRaw(file: string): Buffer | null {
  try {
    return readFileOrNull(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    throw new VaultCorruptError(file, 'unreadable', `it cannot be read (${code})`, describeBackup(file))
  }
}

/** Parses, migrates in memory and checks the key; throws the error a person can act on. Writes nothing. */
export async function decodeAndVerify(file: string, raw: Uint8Array, options: CheckedOptions): Promise<DecodedFile> {
  let decoded: DecodedFile
  try {
    decoded = decodeFile(file, raw, options.migrations)
  } catch (error) {
    throw asOpenError(file, error)
  }
  const header = decoded.content.cipher
  if (header.kind !== options.cipher.kind) throw new VaultCipherMismatchError(file, header.kind, options.cipher.kind)
  let opened: string | null = null
  try {
    opened = await options.cipher.decrypt(header.check)
  } catch {
    opened = null
  }
  if (opened !== CHECK_PLAINTEXT) {
    throw new VaultCorruptError(file, 'wrong_key', 'its check value does not open with this key (wrong passphrase or keychain, or the header was changed)', describeBackup(file))
  }
  return decoded
}

/**
 * A file from before secrets were bound, where the vault already had them (the spent ledger remembers): its records
 * cannot be checked, and sealing them again would bind whatever was changed in them. Refused, untouched.
 */
export function refuseRolledBack(file: string, fileVersion: number): void {
  if (fileVersion >= BOUND_SEALS_VERSION) return
  throw new VaultCorruptError(
    file,
    'rolled_back',
    `it is an older copy (schema ${fileVersion}) put back in place of a vault whose secrets Larder had already bound to their records; such a copy cannot be checked for changes made outside Larder, so Larder will not use it`,
    describeBackup(file)
  )
}

export function asOpenError(file: string, error: unknown): unknown {
  if (error instanceof FileProblem) return new VaultCorruptError(file, error.reason, error.message, describeBackup(file))
  return error
}

export async function newCipherHeader(cipher: Cipher): Promise<StoredCipherHeader> {
  return Object.freeze({ ...(cipher.header ?? {}), kind: cipher.kind, check: await cipher.encrypt(CHECK_PLAINTEXT) })
}

/** Whether an error is the vault refusing a file (as opposed to, say, an I/O error while reading it). */
export function isFileRefusal(error: unknown): error is VaultFileRefusal {
  return error instanceof VaultFileRefusal
}

/** A file changed behind the vault's back, checked; or, when it cannot be used, where it was moved aside (kept). */
export async function readChangedFile(options: CheckedOptions): Promise<DecodedFile | { readonly movedAside: string | null }> {
  try {
    const raw = readRaw(options.path)
    if (raw === null) throw new FileProblem('unreadable', 'it disappeared while being read')
    const decoded = await decodeAndVerify(options.path, raw, options)
    // The open vault is bound, so an older file is a step back.
    refuseRolledBack(options.path, decoded.fileVersion)
    return decoded
  } catch (error) {
    if (!isFileRefusal(error)) throw error
    return { movedAside: moveAside(options.path, 'damaged', options.now()) }
  }
}
