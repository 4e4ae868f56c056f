// Writing and reading a backup file: the vault's records gathered into the document (document.ts), encrypted to an
// age file with a passphrase (age-file.ts), written atomically and durably with mode 0600; and the way back.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { InputError } from '../../errors.ts'
import type { LibraryMeta } from '../../model.ts'
import type { Vault } from '../../vault/index.ts'
import { replaceFileDurably } from '../../vault/durable-async.ts'
import { decryptWithPassphrase, DEFAULT_LOG_N, encryptWithPassphrase } from './age-file.ts'
import { BACKUP_FORMAT, BACKUP_VERSION, decodeDocument, encodeDocument, settingsOf, type BackupDocument, type BackupKey, type BackupLibrary } from './document.ts'
import { checkBackupPassphrase } from './passphrase.ts'

/** A record the backup could not take (changed outside Larder: its secrets do not open for it), by name only. */
export interface LeftOut {
  readonly id: string
  readonly name: string
  readonly reason: string
}

export interface CollectOptions {
  readonly now: number
  /** This machine's name as the backup records it; default os.hostname(). */
  readonly machine?: string
  readonly move?: BackupDocument['move']
  /** How a record goes into the file (a move writes its libraries as they were before it marked them moved). */
  readonly asWritten?: (meta: LibraryMeta) => LibraryMeta
}

/** Reads at most this many records' secrets at once: enough to keep the cipher busy, not 10,000 promises. */
const CHUNK = 64

/** Everything the vault holds, secrets opened, as a backup document; records that do not open are left out and named. */
export async function collectBackup(vault: Vault, options: CollectOptions): Promise<{ readonly document: BackupDocument; readonly leftOut: readonly LeftOut[] }> {
  const leftOut: LeftOut[] = []
  const libraries: BackupLibrary[] = []
  const metas = vault.list()
  for (let start = 0; start < metas.length; start += CHUNK) {
    const chunk = metas.slice(start, start + CHUNK)
    const opened = await Promise.all(chunk.map((meta) => vault.secrets(meta.id).then((secrets) => ({ meta, secrets }), (error: unknown) => ({ meta, error }))))
    for (const item of opened) {
      if ('error' in item) leftOut.push({ id: item.meta.id, name: item.meta.name, reason: reasonOf(item.error) })
      else libraries.push({ meta: options.asWritten ? options.asWritten(item.meta) : item.meta, secrets: item.secrets })
    }
  }
  const keys: BackupKey[] = []
  for (const meta of vault.keys()) {
    try {
      keys.push({ meta, token: (await vault.keySecret(meta.id)).token })
    } catch (error) {
      leftOut.push({ id: meta.id, name: meta.name, reason: reasonOf(error) })
    }
  }
  const holding = new Set(libraries.map((library) => library.meta.id))
  const document: BackupDocument = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt: options.now,
    source: { machine: options.machine ?? machineName() },
    move: options.move ?? null,
    libraries,
    // An entry whose connection was left out has no token to use: it is left out with it.
    entries: vault.entries().filter((entry) => holding.has(entry.connectionId)),
    keys,
    settings: settingsOf(vault.settings())
  }
  return { document, leftOut }
}

/** This machine's name for "moved here from …": the host name, printable and short. */
export function machineName(): string {
  const name = os.hostname().replace(/[^\x20-\x7e]/g, '?').slice(0, 200)
  return name === '' ? 'another machine' : name
}

/** Where a backup may be written: an absolute path in an existing folder, not a folder, not the vault's own files. */
export function checkBackupTarget(file: unknown, vaultPath: string): string {
  if (typeof file !== 'string' || file.trim() === '' || file.length > 4096) throw new InputError('path', 'Say where to write the backup: a file path')
  if (!path.isAbsolute(file)) throw new InputError('path', 'The backup path must be absolute (a file picker, or the command line, gives one)')
  const resolved = path.resolve(file)
  const folder = path.dirname(resolved)
  if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new InputError('path', `The folder ${folder} does not exist`)
  if (fs.statSync(resolved, { throwIfNoEntry: false })?.isDirectory()) throw new InputError('path', `${resolved} is a folder; name a file in it`)
  const vault = path.resolve(vaultPath)
  if (resolved === vault || (path.dirname(resolved) === path.dirname(vault) && path.basename(resolved).startsWith(`${path.basename(vault)}.`))) {
    throw new InputError('path', 'A backup cannot be written over the vault or the files kept beside it; choose another name')
  }
  return resolved
}

/** Encrypts the document with the passphrase and writes it (0600, temporary file, fsync, rename, fsync of the folder). */
export async function writeBackupFile(file: string, document: BackupDocument, passphrase: string, logN = DEFAULT_LOG_N): Promise<{ readonly bytes: number }> {
  const checked = checkBackupPassphrase(passphrase)
  const sealed = await encryptWithPassphrase(encodeDocument(document), checked, logN)
  await replaceFileDurably(file, `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`, sealed)
  return { bytes: sealed.length }
}

/** Reads, decrypts and checks a backup file; nothing anywhere changes. */
export async function readBackupFile(file: unknown, passphrase: unknown): Promise<BackupDocument> {
  if (typeof file !== 'string' || !path.isAbsolute(file)) throw new InputError('path', 'The backup path must be absolute')
  // The passphrase is only checked for being text here: one that was once long enough must still open its file.
  if (typeof passphrase !== 'string' || passphrase === '') throw new InputError('passphrase', 'Enter the backup\'s passphrase')
  let bytes: Buffer
  try {
    bytes = await fs.promises.readFile(file)
  } catch {
    throw new InputError('path', `The backup file ${file} cannot be read (it does not exist, or is not yours to read)`)
  }
  return decodeDocument(await decryptWithPassphrase(bytes, passphrase.normalize('NFC')))
}

function reasonOf(error: unknown): string {
  return error instanceof Error && /^LibrarySecrets|^VaultTampered/.test(error.name)
    ? 'its record was changed outside Larder, so its secrets are not handed out'
    : 'its secrets could not be read'
}
