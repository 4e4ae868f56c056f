// The app lock's part of the bridge contract: the guarded state a window sees, what the lock offers here, the lock's
// calls' inputs and its settings. Nothing here carries a secret; a passphrase only ever travels in, to be checked.
// Imports only vocabulary (views.ts and inputs.ts import this file).
import { z } from 'zod'
import { LOCK_PASSPHRASE_SOURCES, LOCK_REASONS, MAX_LOCK_IDLE_MINUTES, PRESENCE_KINDS, UNLOCK_METHODS } from './lock-words.ts'
import { millisSchema } from './vocabulary.ts'

export * from './lock-words.ts'

/** A passphrase typed to unlock or to set the lock's own (a new one's rule, passphrase-rule.ts, is checked in main). */
const typedPassphrase = z.string().min(1).max(1024)

/**
 * VaultState 'guarded': the vault is open and tokens go on being refreshed, but Larder is locked: only the lock screen
 * may be shown, and every call but the lock's own, 'vault.state' and 'app.info' answers an error of kind 'locked'.
 */
export const guardedStateSchema = z.strictObject({
  state: z.literal('guarded'),
  /** How the vault itself is sealed (it stays open under the lock). */
  cipher: z.enum(['keychain', 'passphrase']),
  since: millisSchema,
  reason: z.enum(LOCK_REASONS),
  /** What unlocks it here, the OS prompt first when there is one: ['presence', 'passphrase'] or ['passphrase']. */
  unlockWith: z.array(z.enum(UNLOCK_METHODS)).readonly(),
  /** Wrong passphrases since the last unlock (the window's and the terminal's together). */
  failures: z.number().int().min(0),
  /** After 5 wrong passphrases none is checked before this time (5 s, doubling, at most 5 min); null otherwise. */
  retryAt: millisSchema.nullable(),
  /** What waits for the unlock: a copy asked from the tray, done once unlocked; null when nothing waits. */
  waiting: z.enum(['copy']).nullable()
})

/** What the lock offers on this host and vault ('lock.info', 'lock.setPassphrase'). */
export const lockInfoViewSchema = z.strictObject({
  /** False where the host has no lock (the agent: no window and no person at it). */
  available: z.boolean(),
  locked: z.boolean(),
  /** What unlocks Larder; 'none': a keychain vault with no lock passphrase yet (set one before the lock can engage). */
  passphrase: z.enum(LOCK_PASSPHRASE_SOURCES),
  /** The OS's user-presence prompt offered here now (Touch ID), or null. */
  presence: z.enum(PRESENCE_KINDS).nullable(),
  /** Where idle time is read: the system's (every input on this computer); 'none': the idle lock cannot work here. */
  idle: z.enum(['system', 'none']),
  /** "Lock and forget the key" means something here (a passphrase vault: Larder closes it; refreshes stop). */
  canForget: z.boolean(),
  /** One sentence for a person: what forgetting does here, or why it cannot. */
  forgetNote: z.string()
})

/** The lock's settings, kept in the vault's settings. */
export const lockSettingsSchema = z.strictObject({
  /** Minutes without input on this computer before Larder locks; 0: never. */
  idleMinutes: z.number().int().min(0).max(MAX_LOCK_IDLE_MINUTES),
  /** Lock when the OS locks the screen. */
  onScreenLock: z.boolean(),
  /** Lock when the computer goes to sleep. */
  onSuspend: z.boolean()
})
export const lockSettingsPatchSchema = z.strictObject({
  idleMinutes: lockSettingsSchema.shape.idleMinutes.optional(),
  onScreenLock: z.boolean().optional(),
  onSuspend: z.boolean().optional()
})

/** 'lock.unlock': the passphrase; or, without one, `presence: true` to ask the OS's prompt (Touch ID). */
export const lockUnlockInput = z.strictObject({ passphrase: typedPassphrase.optional(), presence: z.boolean().optional() })
/** 'lock.setPassphrase': a keychain vault's lock passphrase; `current` is needed to change one already set. */
export const lockSetPassphraseInput = z.strictObject({ passphrase: typedPassphrase, current: typedPassphrase.optional() })

export type GuardedState = z.infer<typeof guardedStateSchema>
export type LockInfoView = z.infer<typeof lockInfoViewSchema>
export type LockSettings = z.infer<typeof lockSettingsSchema>
export type LockSettingsPatch = z.infer<typeof lockSettingsPatchSchema>
