// What a Larder backup holds once decrypted: a versioned JSON document with everything needed to rebuild the vault.
//
// { format: 'larder-backup', version: 1, createdAt, source: { machine },
//   move: { at, from } | null,                  // set when written by "export for a move": the new machine takes over
//   libraries: [{ meta: LibraryMeta, secrets: { clientSecret, accessToken, refreshToken } }],
//   entries: [PersonalEntryMeta],               // libraries reached through a personal token (no secrets)
//   keys: [{ meta: KeyMeta, token }],           // keys of other systems, each with its token
//   settings: VaultSettings }
//
// Every record is checked with the vault's own rules when read, so a file edited by hand is refused with the record
// and field that is wrong, before anything changes. Scheduled-backup settings are this machine's, never in a backup.
import { InputError } from '../../errors.ts'
import type { KeyMeta } from '../../keys/key-model.ts'
import type { LibraryMeta, LibrarySecrets, PersonalEntryMeta } from '../../model.ts'
import { checkEntry } from '../../vault/entry-checks.ts'
import { checkKeyMeta, checkKeySecrets } from '../../vault/key-checks.ts'
import { checkMeta, checkSecrets } from '../../vault/library-checks.ts'
import type { VaultSettings } from '../../vault/index.ts'

export const BACKUP_FORMAT = 'larder-backup'
export const BACKUP_VERSION = 1

export interface BackupLibrary {
  readonly meta: LibraryMeta
  readonly secrets: LibrarySecrets
}

export interface BackupKey {
  readonly meta: KeyMeta
  readonly token: string
}

export interface BackupDocument {
  readonly format: typeof BACKUP_FORMAT
  readonly version: typeof BACKUP_VERSION
  readonly createdAt: number
  /** The machine it was made on (os.hostname()), for "moved here from …". */
  readonly source: { readonly machine: string }
  /** Written for a move: the machine it came from stopped refreshing these libraries at `at`. */
  readonly move: { readonly at: number; readonly from: string } | null
  readonly libraries: readonly BackupLibrary[]
  readonly entries: readonly PersonalEntryMeta[]
  readonly keys: readonly BackupKey[]
  /** The vault's settings as they were (thresholds, notifications, default API address); unknown ones are left out on restore. */
  readonly settings: Readonly<Record<string, unknown>>
}

/** The document's bytes: compact JSON (10,000 libraries are some megabytes; nobody reads it but Larder and `age`). */
export function encodeDocument(document: BackupDocument): Uint8Array {
  return Buffer.from(JSON.stringify(document), 'utf8')
}

/** Reads and checks a decrypted document; an InputError naming the record and field for anything wrong. */
export function decodeDocument(bytes: Uint8Array): BackupDocument {
  let raw: unknown
  try {
    raw = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'))
  } catch {
    throw new InputError('file', 'The backup opened, but what it holds is not JSON: it was not written by Larder.')
  }
  const top = object('backup', raw)
  if (top['format'] !== BACKUP_FORMAT) throw new InputError('file', 'The file opened, but it is not a Larder backup (its format is not "larder-backup").')
  if (top['version'] !== BACKUP_VERSION) {
    const newer = typeof top['version'] === 'number' && top['version'] > BACKUP_VERSION
    throw new InputError('file', newer ? `This backup was written by a newer Larder (format version ${String(top['version'])}); update Larder to restore it.` : 'This backup has no format version Larder knows.')
  }
  const createdAt = top['createdAt']
  if (typeof createdAt !== 'number' || !Number.isFinite(createdAt) || createdAt < 0) throw new InputError('backup.createdAt', 'The backup has no date')
  const source = object('backup.source', top['source'])
  const machine = shortText('backup.source.machine', source['machine'])
  const libraries = list('backup.libraries', top['libraries']).map((item, index) => readLibrary(`backup.libraries[${index}]`, item))
  const entries = list('backup.entries', top['entries']).map((item, index) => checkEntry(`backup.entries[${index}]`, item))
  const keys = list('backup.keys', top['keys']).map((item, index) => readKey(`backup.keys[${index}]`, item))
  const ids = new Set<string>()
  for (const id of [...libraries.map((l) => l.meta.id), ...entries.map((e) => e.id), ...keys.map((k) => k.meta.id)]) {
    if (ids.has(id)) throw new InputError('backup', `The backup names the id "${id.slice(0, 40)}" twice`)
    ids.add(id)
  }
  return {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt,
    source: { machine },
    move: readMove(top['move']),
    libraries,
    entries,
    keys,
    settings: object('backup.settings', top['settings'])
  }
}

/** The settings a backup carries, as the vault keeps them (a copy: nothing of the vault's own object). */
export function settingsOf(settings: VaultSettings): Readonly<Record<string, unknown>> {
  return JSON.parse(JSON.stringify(settings)) as Record<string, unknown>
}

function readLibrary(field: string, value: unknown): BackupLibrary {
  const raw = object(field, value)
  onlyFields(field, raw, ['meta', 'secrets'])
  return { meta: checkMeta(`${field}.meta`, raw['meta']), secrets: checkSecrets(`${field}.secrets`, raw['secrets']) }
}

function readKey(field: string, value: unknown): BackupKey {
  const raw = object(field, value)
  onlyFields(field, raw, ['meta', 'token'])
  return { meta: checkKeyMeta(`${field}.meta`, raw['meta']), token: checkKeySecrets(`${field}`, { token: raw['token'] }).token }
}

function readMove(value: unknown): BackupDocument['move'] {
  if (value === null || value === undefined) return null
  const raw = object('backup.move', value)
  const at = raw['at']
  if (typeof at !== 'number' || !Number.isFinite(at) || at < 0) throw new InputError('backup.move.at', 'The move has no date')
  return { at, from: shortText('backup.move.from', raw['from']) }
}

function object(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(field, `${field} must be an object`)
  return value as Record<string, unknown>
}

function list(field: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new InputError(field, `${field} must be a list`)
  return value
}

function onlyFields(field: string, raw: Record<string, unknown>, allowed: readonly string[]): void {
  const extra = Object.keys(raw).find((key) => !allowed.includes(key))
  if (extra !== undefined) throw new InputError(`${field}.${extra.slice(0, 40)}`, `${field} has an unexpected field`)
}

function shortText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 255) throw new InputError(field, `${field} must be a short text`)
  return value.replace(/[\u0000-\u001f\u007f]/g, '?')
}
