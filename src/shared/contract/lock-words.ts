// The app lock's words as plain lists (no schema library), for the renderer and the command alike; lock.ts builds the
// schemas from them. The lock guards people, not refreshes: while it is on, the vault stays open in the main process
// and tokens go on being refreshed, but nothing of a library or key leaves it until a person unlocks.

/**
 * What locked Larder: a person ('now': the window, the tray, `larder lock`), idle time, the screen locking, sleep, or
 * its start ('start': a keychain vault opens without asking anyone, so with a lock passphrase set Larder starts locked;
 * quitting and starting it again must not get round the lock).
 */
export const LOCK_REASONS = ['now', 'idle', 'screen', 'suspend', 'start'] as const
export type LockReason = (typeof LOCK_REASONS)[number]

/** How Larder may be unlocked: the OS's user-presence prompt (Touch ID) where there is one, always the passphrase. */
export const UNLOCK_METHODS = ['presence', 'passphrase'] as const
export type UnlockMethod = (typeof UNLOCK_METHODS)[number]

/** The OS prompts Larder can ask for user presence (macOS: Touch ID; Windows Hello has no Electron API). */
export const PRESENCE_KINDS = ['touch_id'] as const
export type PresenceKind = (typeof PRESENCE_KINDS)[number]

/**
 * What unlocks the lock: the vault's own passphrase (a passphrase vault), a lock passphrase chosen for a keychain
 * vault, or none yet (a keychain vault before 'lock.setPassphrase': the lock cannot engage until one is set).
 */
export const LOCK_PASSPHRASE_SOURCES = ['vault', 'lock', 'none'] as const
export type LockPassphraseSource = (typeof LOCK_PASSPHRASE_SOURCES)[number]

/** Idle lock: minutes without input before Larder locks (0: never). */
export const DEFAULT_LOCK_IDLE_MINUTES = 15
export const MAX_LOCK_IDLE_MINUTES = 24 * 60

/** Wrong passphrases allowed before each further attempt waits (5 s, doubling, at most 5 min). */
export const FREE_UNLOCK_ATTEMPTS = 5

/** The bridge calls a locked Larder still answers: its own, and the two that say where Larder stands. */
export const CALLS_WHILE_LOCKED = ['app.info', 'vault.state', 'lock.info', 'lock.now', 'lock.forget', 'lock.unlock'] as const
/** The only event a locked Larder sends a window (library and key events are held back; the window reloads on unlock). */
export const EVENTS_WHILE_LOCKED = ['vault.state'] as const
