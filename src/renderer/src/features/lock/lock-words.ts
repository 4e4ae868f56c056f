// What the lock's screens and dialogs say, in one place: why Larder locked, what the lock does, what forgetting does.
import type { LockReason, PresenceKind } from '../../../../shared/contract.ts'
import { MIN_PASSPHRASE_LENGTH } from '../../../../shared/passphrase-rule.ts'

/** Why Larder is locked, as the lock screen says it. */
export const LOCK_REASON_WORDS: Readonly<Record<LockReason, string>> = {
  now: 'You locked Larder',
  idle: 'Larder locked itself after a while with no input on this computer',
  screen: 'Larder locked itself when the screen locked',
  suspend: 'Larder locked itself when the computer went to sleep',
  start: 'Larder starts locked: the system keychain opens its vault without asking anyone'
}

export const PRESENCE_WORDS: Readonly<Record<PresenceKind, string>> = { touch_id: 'Touch ID' }

export const REFRESHES_GO_ON =
  'Tokens go on being refreshed in the background, so none expires while you are away. Nothing is shown, copied or handed to a terminal until you unlock.'

export const FORGET_WARNING =
  'Larder closes the vault and forgets its key. Refreshes stop until you unlock it with your passphrase, so tokens can expire meanwhile.'

export const PASSPHRASE_RULE = `Use at least ${MIN_PASSPHRASE_LENGTH} characters (a few unrelated words work well), and type it twice. Larder keeps only a check of it, never the passphrase itself.`

/** The lock passphrase dialog's fields and buttons. */
export const LOCK_PASSPHRASE_WORDS = {
  passphrase: 'New lock passphrase',
  repeat: 'Repeat the lock passphrase',
  current: 'Current lock passphrase'
} as const
