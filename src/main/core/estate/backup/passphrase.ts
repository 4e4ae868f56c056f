// The rule for a backup's passphrase. Stricter than the vault's (MIN_PASSPHRASE_LENGTH, 10): the vault's file stays on
// this machine beside its OS account, while a backup is made to travel (a USB stick, a shared drive, a colleague),
// where anyone who copies it can guess at it offline for as long as they like. The passphrase is never logged,
// never in an audit entry, never in an error message.
import { InputError } from '../../errors.ts'
import { MIN_PASSPHRASE_LENGTH } from '../../vault/index.ts'

export const BACKUP_PASSPHRASE_MIN_LENGTH = Math.max(12, MIN_PASSPHRASE_LENGTH)
export const BACKUP_PASSPHRASE_MAX_LENGTH = 1024

/** The passphrase as Larder uses it (NFC, as the vault's: the same words typed elsewhere give the same key). */
export function checkBackupPassphrase(passphrase: unknown, field = 'passphrase'): string {
  if (typeof passphrase !== 'string') throw new InputError(field, 'The backup passphrase must be text')
  const normalized = passphrase.normalize('NFC')
  if (normalized.trim() === '') throw new InputError(field, 'The backup passphrase is empty')
  const length = [...normalized].length
  if (length < BACKUP_PASSPHRASE_MIN_LENGTH) {
    throw new InputError(field, `The backup passphrase is too short: use at least ${BACKUP_PASSPHRASE_MIN_LENGTH} characters (a few words are easiest to type and remember)`)
  }
  if (length > BACKUP_PASSPHRASE_MAX_LENGTH) throw new InputError(field, `The backup passphrase is too long (at most ${BACKUP_PASSPHRASE_MAX_LENGTH} characters)`)
  return normalized
}
