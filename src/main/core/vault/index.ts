// The vault's public surface: encrypted, durable persistence of library records.
export { DecryptError, type Cipher, type CipherHeader } from './cipher.ts'
export {
  createPassphraseCipher,
  DEFAULT_SCRYPT_COST,
  MIN_PASSPHRASE_LENGTH,
  PASSPHRASE_KIND,
  WrongPassphraseError,
  type PassphraseCipherHeader,
  type ScryptCost,
  type UnlockedPassphraseCipher
} from './passphrase-cipher.ts'
export {
  CORRUPT_REASONS,
  LibrarySecretsError,
  VaultCipherMismatchError,
  VaultClosedError,
  VaultCorruptError,
  VaultVersionError,
  VaultWriteError,
  type BackupInfo,
  type CorruptReason
} from './errors.ts'
export { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations.ts'
export { DEFAULT_SETTINGS, type NotificationSettings, type VaultSettings, type VaultSettingsPatch } from './settings.ts'
export type { ClientCredentials, LibraryPatch } from './library-checks.ts'
export type { KeyPatch } from './key-checks.ts'
export type { EntryPatch } from './entry-checks.ts'
export type { StoredCipherHeader } from './file-format.ts'
export { spentFingerprint } from './spent-ledger.ts'
export {
  openVault,
  readVaultHeader,
  restoreBackup,
  type ExternalChange,
  type JsonFileStore,
  type OpenVaultOptions,
  type Rotation,
  type StoreFactory,
  type Vault,
  type VaultStats,
  type WholeFileFormat
} from './vault.ts'
