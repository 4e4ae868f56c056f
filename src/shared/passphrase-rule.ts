// The rule for a new vault or lock passphrase, one for the window and the main process (the main's check is the one
// that counts; the window's only saves a round trip). Ten characters: the vault's file stays beside its OS account,
// and a passphrase only stands in where the keychain does not; a backup, made to travel where anyone with a copy can
// guess at it offline for as long as they like, asks more (12, estate/backup/passphrase.ts). A passphrase already set
// is never measured again: a vault or lock passphrase chosen under an older, shorter rule still unlocks.

export const MIN_PASSPHRASE_LENGTH = 10

/** Characters as a person counts them: the NFC form (the same words typed elsewhere), by code point. */
export function passphraseLength(passphrase: string): number {
  return [...passphrase.normalize('NFC')].length
}

/** True when a new passphrase is long enough. */
export function longEnoughPassphrase(passphrase: string): boolean {
  return passphraseLength(passphrase) >= MIN_PASSPHRASE_LENGTH
}

/** What the window and Larder say when it is not. */
export const PASSPHRASE_TOO_SHORT = `The passphrase is too short: use at least ${MIN_PASSPHRASE_LENGTH} characters; a few unrelated words work well.`
