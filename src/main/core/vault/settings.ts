// The user's settings, kept in the vault file beside the libraries so one durable write covers both.
import type { NotificationToggles, Settings } from '../../../shared/contract.ts'
import { SETTING_RANGES } from '../../../shared/setting-ranges.ts'
import { DEFAULT_API_BASE_URL } from '../model.ts'
import { baseUrl, bool, duration, onlyKeys, record } from './checks.ts'

/** The settings' fields are the contract's, declared once there. */
export type NotificationSettings = Readonly<NotificationToggles>
export type VaultSettings = Readonly<Omit<Settings, 'notifications'>> & { readonly notifications: NotificationSettings }

export type VaultSettingsPatch = Partial<Omit<VaultSettings, 'notifications'>> & {
  readonly notifications?: Partial<NotificationSettings>
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE

export const DEFAULT_SETTINGS: VaultSettings = Object.freeze({
  expiringSoonMs: 48 * HOUR,
  refreshAheadMs: 24 * HOUR,
  copyFreshnessMarginMs: 10 * MINUTE,
  clipboardClearMs: 30_000,
  notifications: Object.freeze({ expiring: true, failed: true, needsReauth: true }),
  defaultApiBaseUrl: DEFAULT_API_BASE_URL
})

// Declared once for the vault and the Settings page; access tokens live 7 days, so anything that looks ahead stays below that.
const RANGES = SETTING_RANGES

const NOTIFICATION_KEYS = ['expiring', 'failed', 'needsReauth'] as const

/** Applies a validated patch to `base`; throws an InputError naming the first bad field. */
export function applySettingsPatch(base: VaultSettings, patch: unknown, field = 'settings'): VaultSettings {
  const raw = record(field, patch)
  onlyKeys(field, raw, [...Object.keys(RANGES), 'notifications', 'defaultApiBaseUrl'])
  const next = { ...base, notifications: { ...base.notifications } }
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
  return Object.freeze({ ...next, notifications: Object.freeze(next.notifications) })
}

/** Settings as the file holds them; a setting added after the file was written takes its default. */
export function readSettings(value: unknown): VaultSettings {
  return applySettingsPatch(DEFAULT_SETTINGS, value, 'settings')
}
