// The ways a vault can refuse, each with what a person (or the UI) needs to act on it. Messages never
// contain a secret: they name files, libraries and fields only.

export const CORRUPT_REASONS = [
  'missing',
  'unreadable',
  'empty',
  'not_json',
  'wrong_shape',
  'missing_version',
  'wrong_key',
  /** An older copy (before records were bound to their secrets) put back in place of a vault that had them. */
  'rolled_back'
] as const
export type CorruptReason = (typeof CORRUPT_REASONS)[number]

export interface BackupInfo {
  readonly path: string
  readonly savedAt: number
}

/** The vault refused its file and left it exactly as found: what a person must do first depends on the kind. */
export abstract class VaultFileRefusal extends Error {
  readonly path: string

  constructor(path: string, message: string) {
    super(message)
    this.path = path
  }
}

/**
 * The vault file cannot be used as it is. It has been left exactly as found; `backup` is the last copy that
 * opened cleanly, if there is one, for `restoreBackup`.
 */
export class VaultCorruptError extends VaultFileRefusal {
  override readonly name = 'VaultCorruptError'
  readonly reason: CorruptReason
  readonly backup: BackupInfo | null

  constructor(path: string, reason: CorruptReason, detail: string, backup: BackupInfo | null) {
    const advice = backup ? ` A backup from ${new Date(backup.savedAt).toISOString()} can be restored.` : ''
    super(path, `The vault file ${path} cannot be opened (${reason}): ${detail}. It has not been changed.${advice}`)
    this.reason = reason
    this.backup = backup
  }
}

/** The file was written with a schema this build cannot read: newer, or older with no migration to today. */
export class VaultVersionError extends VaultFileRefusal {
  override readonly name = 'VaultVersionError'
  readonly fileVersion: number
  readonly supportedVersion: number

  constructor(path: string, fileVersion: number, supportedVersion: number, message: string) {
    super(path, message)
    this.fileVersion = fileVersion
    this.supportedVersion = supportedVersion
  }
}

/** The file was sealed by another kind of cipher (keychain vs passphrase): unlock it with that one. */
export class VaultCipherMismatchError extends VaultFileRefusal {
  override readonly name = 'VaultCipherMismatchError'
  readonly fileKind: string
  readonly cipherKind: string

  constructor(path: string, fileKind: string, cipherKind: string) {
    super(
      path,
      `The vault file ${path} is sealed with "${fileKind}" but was opened with "${cipherKind}"; unlock it with ${describeKind(fileKind)}. It has not been changed.`
    )
    this.fileKind = fileKind
    this.cipherKind = cipherKind
  }
}

/** A change could not be made durable. The change stays in memory and is written with the next batch. */
export class VaultWriteError extends Error {
  override readonly name = 'VaultWriteError'
  readonly path: string

  constructor(path: string, cause: unknown) {
    super(`Larder could not save the vault to ${path}: ${causeText(cause)}. The change is kept in memory and will be saved on the next try.`, { cause })
    this.path = path
  }
}

/** One library's sealed values did not open: tampered with, or sealed under another key or for another library. */
export class LibrarySecretsError extends Error {
  override readonly name: string = 'LibrarySecretsError'
  readonly libraryId: string
  readonly libraryName: string
  readonly field: string

  constructor(libraryId: string, libraryName: string, field: string, cause: unknown) {
    super(
      `The stored ${field} of ${libraryName} could not be decrypted: the vault file was changed outside Larder or the key is wrong. Nothing was rewritten; add ${libraryName} again or restore a backup.`,
      { cause }
    )
    this.libraryId = libraryId
    this.libraryName = libraryName
    this.field = field
  }
}

/**
 * One library's record is not the one its secrets were sealed for: a field that decides where or how they are sent
 * (API base URL, client ID, token type, which library) was changed outside Larder, or a secret sealed for another
 * record or by an older Larder was put in. Nothing is sent for it; the record is kept as found.
 */
export class VaultTamperedError extends LibrarySecretsError {
  override readonly name = 'VaultTamperedError'
  /** What no longer matches, in words ("API base URL"), empty when the secret was sealed for another record. */
  readonly changed: readonly string[]

  constructor(libraryId: string, libraryName: string, field: string, changed: readonly string[], detail: string) {
    super(libraryId, libraryName, field, new Error(detail))
    this.message = tamperedMessage(libraryName, field, changed, detail)
    this.changed = changed
  }
}

function tamperedMessage(name: string, field: string, changed: readonly string[], detail: string): string {
  const what = changed.length > 0 ? `its ${listed(changed)} ${changed.length === 1 ? 'is' : 'are'} not what its secrets were saved with` : detail
  return (
    `The vault was changed outside Larder: ${what} (the stored ${field} of ${name} does not match its record). ` +
    `Larder sends nothing for ${name} and has not touched the file. If you did not make this change, check this computer; ` +
    `then put back a copy of the vault from before the change, or remove ${name} and add it again.`
  )
}

function listed(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`
}

export class VaultClosedError extends Error {
  override readonly name = 'VaultClosedError'

  constructor() {
    super('The vault is closed')
  }
}

function describeKind(kind: string): string {
  if (kind === 'passphrase') return 'its passphrase'
  if (kind === 'safe-storage') return "this computer's keychain (on the computer and user account that created it)"
  return `a "${kind}" cipher`
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) return cause.message
  return String(cause)
}
