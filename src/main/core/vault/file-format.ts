// The vault file, version 5, and how its bytes become the in-memory content (or a precise refusal).
//
// { schemaVersion: 4,
//   cipher: { kind, check, ...cipher header },
//   libraries: { [id]: { meta: LibraryMeta, secrets: { clientSecret, accessToken, refreshToken } } },
//     // each secret sealed with its record's id, its field and the meta fields it is bound to (sealing.ts)
//   entries: { [id]: PersonalEntryMeta },  // libraries reached through a personal token: no secrets, a connectionId
//   keys: { [id]: { meta: KeyMeta, secrets: { token } } },  // keys of other systems, kept as given (key-sealing.ts)
//     // ids are unique across libraries, entries and keys
//   settings: VaultSettings,
//   journal: string }  // the id of the journal generation that continues this file (see journal.ts)
import { InputError } from '../errors.ts'
import type { KeyMeta } from '../keys/key-model.ts'
import type { LibraryMeta, PersonalEntryMeta } from '../model.ts'
import type { CipherHeader } from './cipher.ts'
import { checkEntry } from './entry-checks.ts'
import { checkKeyMeta } from './key-checks.ts'
import { VaultVersionError, type CorruptReason } from './errors.ts'
import { checkMeta, SECRET_FIELDS, type SecretField } from './library-checks.ts'
import { migrate, MigrationGap, SCHEMA_VERSION, type Migration } from './migrations.ts'
import { readSettings, storedSettings, type VaultSettings } from './settings.ts'

/** The bookkeeping key conf/electron-store may add to the file; it is theirs, not part of the vault. */
const STORE_INTERNAL_KEY = '__internal__'

export type SealedSecrets = Readonly<Record<SecretField, string>>

export interface StoredLibrary {
  readonly meta: LibraryMeta
  readonly secrets: SealedSecrets
}

/** A key of another system: its record, and its token sealed for it (key-sealing.ts). */
export interface StoredKey {
  readonly meta: KeyMeta
  readonly secrets: { readonly token: string }
}

export interface StoredCipherHeader extends CipherHeader {
  readonly kind: string
  /** A known value sealed with the vault's key: proves at open that the key is the right one. */
  readonly check: string
}

export interface VaultContent {
  readonly cipher: StoredCipherHeader
  readonly libraries: Map<string, StoredLibrary>
  /** Personal entries by id (absent means none: a new vault). */
  readonly entries?: ReadonlyMap<string, PersonalEntryMeta>
  /** Keys of other systems by id (absent means none: a new vault). */
  readonly keys?: ReadonlyMap<string, StoredKey>
  readonly settings: VaultSettings
  /** Lines of `<vault>.journal` tagged with this id are changes made after this file was written (null: none apply). */
  readonly journalId: string | null
}

/** Why the bytes are not a usable vault file; the vault turns this into a VaultCorruptError. */
export class FileProblem extends Error {
  override readonly name = 'FileProblem'
  readonly reason: CorruptReason

  constructor(reason: CorruptReason, detail: string) {
    super(detail)
    this.reason = reason
  }
}

export interface DecodedFile {
  readonly content: VaultContent
  /** The version the file was written with (below SCHEMA_VERSION when it was migrated). */
  readonly fileVersion: number
}

/** Parses the header alone: enough to choose and unlock a cipher before opening the vault. */
export function decodeHeader(raw: Uint8Array): { readonly schemaVersion: number; readonly cipher: StoredCipherHeader } {
  const top = parseTop(raw)
  const schemaVersion = readVersion(top)
  return { schemaVersion, cipher: readCipherHeader(top['cipher']) }
}

/** The file's content at SCHEMA_VERSION (migrated in memory); `file` only names it in a VaultVersionError. */
export function decodeFile(file: string, raw: Uint8Array, migrations: readonly Migration[]): DecodedFile {
  const top = parseTop(raw)
  const fileVersion = readVersion(top)
  const unreadable = (detail: string): VaultVersionError =>
    new VaultVersionError(file, fileVersion, SCHEMA_VERSION, `The vault file ${file} cannot be opened: ${detail}. It has not been changed.`)
  if (fileVersion > SCHEMA_VERSION) {
    throw unreadable(`it was written by a newer Larder (schema version ${fileVersion}; this one reads up to ${SCHEMA_VERSION}). Update Larder to open it`)
  }
  let current = top
  if (fileVersion < SCHEMA_VERSION) {
    try {
      current = migrate(top, fileVersion, migrations)
    } catch (error) {
      if (error instanceof MigrationGap) throw unreadable(`it uses schema version ${fileVersion} and ${error.message}`)
      throw error
    }
  }
  return { content: readContent(current), fileVersion }
}

export function encodeFile(content: VaultContent): Record<string, unknown> {
  const libraries: Record<string, StoredLibrary> = {}
  for (const [id, library] of content.libraries) libraries[id] = library
  const entries: Record<string, PersonalEntryMeta> = {}
  for (const [id, entry] of content.entries ?? []) entries[id] = entry
  const keys: Record<string, StoredKey> = {}
  for (const [id, key] of content.keys ?? []) keys[id] = key
  return { schemaVersion: SCHEMA_VERSION, cipher: content.cipher, libraries, entries, keys, settings: storedSettings(content.settings), journal: content.journalId }
}

function parseTop(raw: Uint8Array): Record<string, unknown> {
  // Editors may save a byte order mark; it is not part of the JSON.
  // A view on the bytes, not a copy of them (the file can be megabytes).
  const textContent = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8').replace(/^\uFEFF/, '')
  if (textContent.trim() === '') throw new FileProblem('empty', 'the file is empty (a write was cut short, or it was truncated)')
  let parsed: unknown
  try {
    parsed = JSON.parse(textContent)
  } catch {
    // JSON.parse quotes the text around the failure, which could be a sealed value: say only where.
    throw new FileProblem('not_json', `it is not valid JSON (${textContent.length} characters; it may be truncated or overwritten)`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new FileProblem('wrong_shape', 'it does not hold a JSON object')
  }
  return parsed as Record<string, unknown>
}

function readVersion(top: Record<string, unknown>): number {
  const version = top['schemaVersion']
  if (version === undefined) throw new FileProblem('missing_version', 'it has no schemaVersion, so it is not a vault file Larder wrote')
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new FileProblem('wrong_shape', 'its schemaVersion is not a whole number')
  }
  return version
}

function readContent(top: Record<string, unknown>): VaultContent {
  for (const key of Object.keys(top)) {
    if (!['schemaVersion', 'cipher', 'libraries', 'entries', 'keys', 'settings', 'journal', STORE_INTERNAL_KEY].includes(key)) {
      throw new FileProblem('wrong_shape', `it has an unexpected top-level field "${key}"`)
    }
  }
  const cipher = readCipherHeader(top['cipher'])
  const rawLibraries = top['libraries']
  if (typeof rawLibraries !== 'object' || rawLibraries === null || Array.isArray(rawLibraries)) {
    throw new FileProblem('wrong_shape', 'its "libraries" is not an object')
  }
  const libraries = new Map<string, StoredLibrary>()
  // Keys, then each value: Object.entries makes a pair per record (10,000 of them at open).
  const records = rawLibraries as Record<string, unknown>
  for (const id of Object.keys(records)) {
    const library = readLibrary(id, records[id])
    // Keyed by the record's own id string (equal to the key): the parsed key is then not kept as a second copy.
    libraries.set(library.meta.id, library)
  }
  const entries = readEntries(top['entries'], libraries)
  const keys = readKeys(top['keys'], libraries, entries)
  let settings: VaultSettings
  try {
    settings = readSettings(top['settings'])
  } catch (error) {
    throw asShapeProblem(error)
  }
  const journalId = top['journal'] ?? null
  if (journalId !== null && !isJournalId(journalId)) throw new FileProblem('wrong_shape', 'its "journal" is not a journal id')
  return { cipher, libraries, entries, keys, settings, journalId }
}

const JOURNAL_ID = /^[0-9a-f]{32}$/

export function isJournalId(value: unknown): value is string {
  return typeof value === 'string' && JOURNAL_ID.test(value)
}

/**
 * Personal entries. An id may not name both a record and an entry. An entry whose connection is not in the file
 * (only a hand edit makes one) is kept as it is: it holds no secret, and the vault simply does not list it.
 */
function readEntries(value: unknown, libraries: ReadonlyMap<string, StoredLibrary>): Map<string, PersonalEntryMeta> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FileProblem('wrong_shape', 'its "entries" is not an object')
  const entries = new Map<string, PersonalEntryMeta>()
  for (const [id, raw] of Object.entries(value)) {
    const entry = readEntry(id, raw)
    if (libraries.has(id)) throw new FileProblem('wrong_shape', `entry "${safeId(id)}" has the id of a library`)
    entries.set(entry.id, entry)
  }
  return entries
}

/** One personal entry, checked as it is in the file (also used for the journal's lines). */
export function readEntry(id: string, raw: unknown): PersonalEntryMeta {
  const where = `entry "${safeId(id)}"`
  let entry: PersonalEntryMeta
  try {
    entry = checkEntry('entry', raw)
  } catch (error) {
    throw asShapeProblem(error, where)
  }
  if (entry.id !== id) throw new FileProblem('wrong_shape', `${where} holds the record of another id`)
  return entry
}

/** Keys of other systems; an id may not name a key and a library or entry too. */
function readKeys(value: unknown, libraries: ReadonlyMap<string, StoredLibrary>, entries: ReadonlyMap<string, PersonalEntryMeta>): Map<string, StoredKey> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FileProblem('wrong_shape', 'its "keys" is not an object')
  const keys = new Map<string, StoredKey>()
  for (const [id, raw] of Object.entries(value)) {
    const key = readKey(id, raw)
    if (libraries.has(id) || entries.has(id)) throw new FileProblem('wrong_shape', `key "${safeId(id)}" has the id of a library`)
    keys.set(key.meta.id, key)
  }
  return keys
}

/** One key record, checked as it is in the file (also used for the journal's lines): every field, none unknown. */
export function readKey(id: string, value: unknown): StoredKey {
  const where = `key "${safeId(id)}"`
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FileProblem('wrong_shape', `${where} is not an object`)
  const record = value as Record<string, unknown>
  const extra = Object.keys(record).find((field) => field !== 'meta' && field !== 'secrets')
  if (extra !== undefined) throw new FileProblem('wrong_shape', `${where} has an unexpected field "${safeId(extra)}"`)
  let meta: KeyMeta
  try {
    meta = checkKeyMeta('meta', record['meta'])
  } catch (error) {
    throw asShapeProblem(error, where)
  }
  if (meta.id !== id) throw new FileProblem('wrong_shape', `${where} holds the record of another id`)
  const secrets = record['secrets']
  if (typeof secrets !== 'object' || secrets === null || Array.isArray(secrets)) throw new FileProblem('wrong_shape', `${where} has no secrets`)
  const sealed = secrets as Record<string, unknown>
  const sealedExtra = Object.keys(sealed).find((field) => field !== 'token')
  if (sealedExtra !== undefined) throw new FileProblem('wrong_shape', `${where} has an unexpected secret "${safeId(sealedExtra)}"`)
  if (typeof sealed['token'] !== 'string' || sealed['token'] === '') throw new FileProblem('wrong_shape', `${where} has no sealed token`)
  return Object.freeze({ meta, secrets: Object.freeze({ token: sealed['token'] }) })
}

function readCipherHeader(value: unknown): StoredCipherHeader {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FileProblem('wrong_shape', 'its cipher header is missing')
  }
  const header = value as Record<string, unknown>
  for (const [key, field] of Object.entries(header)) {
    if (!['string', 'number', 'boolean'].includes(typeof field)) {
      throw new FileProblem('wrong_shape', `its cipher header field "${key}" is not a plain value`)
    }
  }
  if (typeof header['kind'] !== 'string' || header['kind'] === '') throw new FileProblem('wrong_shape', 'its cipher header has no kind')
  if (typeof header['check'] !== 'string' || header['check'] === '') throw new FileProblem('wrong_shape', 'its cipher header has no check value')
  return Object.freeze({ ...(header as Record<string, string | number | boolean>), kind: header['kind'], check: header['check'] })
}

/** One library record, checked as it is in the file (also used for the journal's lines). */
export function readLibrary(id: string, value: unknown): StoredLibrary {
  // Built only for a message: most files have thousands of libraries and nothing wrong with them.
  const where = (): string => `library "${safeId(id)}"`
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FileProblem('wrong_shape', `${where()} is not an object`)
  const entry = value as Record<string, unknown>
  const extra = Object.keys(entry).find((key) => key !== 'meta' && key !== 'secrets')
  if (extra !== undefined) throw new FileProblem('wrong_shape', `${where()} has an unexpected field "${extra}"`)
  let meta: LibraryMeta
  try {
    meta = checkMeta('meta', entry['meta'])
  } catch (error) {
    throw asShapeProblem(error, where())
  }
  if (meta.id !== id) throw new FileProblem('wrong_shape', `${where()} holds the record of another id`)
  const secrets = entry['secrets']
  if (typeof secrets !== 'object' || secrets === null || Array.isArray(secrets)) throw new FileProblem('wrong_shape', `${where()} has no secrets`)
  const sealed = secrets as Record<string, unknown>
  const sealedExtra = Object.keys(sealed).find((key) => !(SECRET_FIELDS as readonly string[]).includes(key))
  if (sealedExtra !== undefined) throw new FileProblem('wrong_shape', `${where()} has an unexpected secret "${sealedExtra}"`)
  for (const field of SECRET_FIELDS) {
    if (typeof sealed[field] !== 'string' || sealed[field] === '') throw new FileProblem('wrong_shape', `${where()} has no sealed ${field}`)
  }
  return Object.freeze({ meta, secrets: Object.freeze(sealed as SealedSecrets) })
}

function asShapeProblem(error: unknown, where?: string): unknown {
  if (!(error instanceof InputError)) return error
  return new FileProblem('wrong_shape', `${where ? `${where}: ` : ''}${error.message}`)
}

/** Ids in a damaged file are untrusted text; keep them short and printable in messages. */
export function safeId(id: string): string {
  const printable = id.replace(/[^\x20-\x7e]/g, '?')
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable
}
