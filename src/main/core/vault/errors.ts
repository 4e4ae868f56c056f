// The ways a vault can refuse, each with what a person (or the UI) needs to act on it. Messages never
// contain a secret: they name files, libraries and fields only.

export const CORRUPT_REASONS = [
  'missing',
  'unreadable',
  'empty',
  'not_json',
  'wrong_shape',
  'missing_version',
  'wrong_key'
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
  override readonly name = 'LibrarySecretsError'
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
