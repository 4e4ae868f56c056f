// The user's settings, kept in the vault file beside the libraries so one durable write covers both.
import { DEFAULT_LOCK_IDLE_MINUTES, MAX_LOCK_IDLE_MINUTES, type LockSettings, type NotificationToggles, type Settings } from '../../../shared/contract.ts'
import { SETTING_RANGES } from '../../../shared/setting-ranges.ts'
import { DEFAULT_API_BASE_URL } from '../model.ts'
import { baseUrl, bool, duration, onlyKeys, record, text } from './checks.ts'
import { InputError } from '../errors.ts'

/** The settings' fields are the contract's, declared once there. */
export type NotificationSettings = Readonly<NotificationToggles>
export type LockSettingsValues = Readonly<LockSettings>
/**
 * A keychain vault's lock passphrase, as a scrypt verifier only (the passphrase cipher's header: salt, cost and a
 * constant sealed with the derived key); never the passphrase. Not a setting a window sees ('settings.get' leaves it out).
 */
export interface LockVerifier {
  readonly kdf: 'scrypt'
  readonly salt: string
  readonly N: number
  readonly r: number
  readonly p: number
  readonly verifier: string
}
export type VaultSettings = Readonly<Omit<Settings, 'notifications' | 'lock'>> & {
  readonly notifications: NotificationSettings
  readonly lock: LockSettingsValues
  readonly lockVerifier: LockVerifier | null
}

export type VaultSettingsPatch = Partial<Omit<VaultSettings, 'notifications' | 'lock'>> & {
  readonly notifications?: Partial<NotificationSettings>
  readonly lock?: Partial<LockSettingsValues>
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE

export const DEFAULT_SETTINGS: VaultSettings = Object.freeze({
  expiringSoonMs: 48 * HOUR,
  refreshAheadMs: 24 * HOUR,
  copyFreshnessMarginMs: 10 * MINUTE,
  clipboardClearMs: 30_000,
  notifications: Object.freeze({ expiring: true, failed: true, needsReauth: true }),
  defaultApiBaseUrl: DEFAULT_API_BASE_URL,
  lock: Object.freeze({ idleMinutes: DEFAULT_LOCK_IDLE_MINUTES, onScreenLock: true, onSuspend: true }),
  lockVerifier: null
})

// Declared once for the vault and the Settings page; access tokens live 7 days, so anything that looks ahead stays below that.
const RANGES = SETTING_RANGES

const NOTIFICATION_KEYS = ['expiring', 'failed', 'needsReauth'] as const
const LOCK_FLAGS = ['onScreenLock', 'onSuspend'] as const

/** Applies a validated patch to `base`; throws an InputError naming the first bad field. */
export function applySettingsPatch(base: VaultSettings, patch: unknown, field = 'settings'): VaultSettings {
  const raw = record(field, patch)
  onlyKeys(field, raw, [...Object.keys(RANGES), 'notifications', 'defaultApiBaseUrl', 'lock', 'lockVerifier'])
  const next = { ...base, notifications: { ...base.notifications }, lock: { ...base.lock } }
  for (const key of Object.keys(RANGES) as (keyof typeof RANGES)[]) {
    if (key in raw) next[key] = duration(`${field}.${key}`, raw[key], RANGES[key][0], RANGES[key][1])
  }
  if ('defaultApiBaseUrl' in raw) next.defaultApiBaseUrl = baseUrl(`${field}.defaultApiBaseUrl`, raw['defaultApiBaseUrl'])
  if ('notifications' in raw) {
    const notifications = record(`${field}.notifications`, raw['notifications'])
    onlyKeys(`${field}.notifications`, notifications, NOTIFICATION_KEYS)
    for (const key of NOTIFICATION_KEYS) {
      if (key in notifications) next.notifications[key] = bool(`${field}.notifications.${key}`, notifications[key])
    }
  }
  if ('lock' in raw) {
    const lock = record(`${field}.lock`, raw['lock'])
    onlyKeys(`${field}.lock`, lock, ['idleMinutes', ...LOCK_FLAGS])
    if ('idleMinutes' in lock) next.lock.idleMinutes = minutes(`${field}.lock.idleMinutes`, lock['idleMinutes'], MAX_LOCK_IDLE_MINUTES)
    for (const key of LOCK_FLAGS) if (key in lock) next.lock[key] = bool(`${field}.lock.${key}`, lock[key])
  }
  if ('lockVerifier' in raw) next.lockVerifier = raw['lockVerifier'] === null ? null : lockVerifierOf(`${field}.lockVerifier`, raw['lockVerifier'])
  return Object.freeze({ ...next, notifications: Object.freeze(next.notifications), lock: Object.freeze(next.lock) })
}

function minutes(field: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) throw new InputError(field, `${field} must be a whole number of minutes from 0 to ${max}`)
  return value
}

/** The verifier's shape only; whether a passphrase matches it is the passphrase cipher's check. */
function lockVerifierOf(field: string, value: unknown): LockVerifier {
  const raw = record(field, value)
  onlyKeys(field, raw, ['kdf', 'salt', 'N', 'r', 'p', 'verifier'])
  if (raw['kdf'] !== 'scrypt') throw new InputError(`${field}.kdf`, `${field}.kdf must be scrypt`)
  const whole = (key: 'N' | 'r' | 'p'): number => {
    const n = raw[key]
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw new InputError(`${field}.${key}`, `${field}.${key} must be a positive whole number`)
    return n
  }
  return Object.freeze({ kdf: 'scrypt', salt: text(`${field}.salt`, raw['salt'], 200), N: whole('N'), r: whole('r'), p: whole('p'), verifier: text(`${field}.verifier`, raw['verifier'], 1000) })
}

/** Settings as the file holds them; a setting added after the file was written takes its default. */
export function readSettings(value: unknown): VaultSettings {
  return applySettingsPatch(DEFAULT_SETTINGS, value, 'settings')
}

/**
 * Settings as the file keeps them: the lock's fields only once they say something (settings changed from the default,
 * a lock passphrase set), so a file written before the lock existed is written back as it was, and an older Larder
 * still reads it.
 */
export function storedSettings(settings: VaultSettings): Record<string, unknown> {
  const { lock, lockVerifier, ...rest } = settings
  const defaults = DEFAULT_SETTINGS.lock
  const lockIsDefault = lock.idleMinutes === defaults.idleMinutes && lock.onScreenLock === defaults.onScreenLock && lock.onSuspend === defaults.onSuspend
  return { ...rest, ...(lockIsDefault ? {} : { lock }), ...(lockVerifier === null ? {} : { lockVerifier }) }
}
