// The settings form as data: each duration in the unit people think of it in, with the range Larder accepts (the
// vault's own, from src/shared/setting-ranges.ts), said in the same words in the help and in the error.
import type { Settings, SettingsPatch } from '../../../../shared/contract.ts'
import { MAX_LOCK_IDLE_MINUTES } from '../../../../shared/contract/lock-words.ts'
import { SETTING_RANGES, type DurationSettingKey } from '../../../../shared/setting-ranges.ts'
import { outOfRangeWords, rangeWords, readDuration, showDuration, typingWords, unreadableWords, type DurationUnit } from './durations.ts'

export type DurationKey = DurationSettingKey

export interface DurationSpec {
  readonly key: DurationKey
  readonly label: string
  /** What the setting does, then the range and how to type a value. */
  readonly help: string
  /** What a bare number counts in. */
  readonly unit: DurationUnit
  readonly min: number
  readonly max: number
}

/** What each setting does, and the unit a bare number counts in. */
const FIELDS: readonly Omit<DurationSpec, 'min' | 'max'>[] = [
  {
    key: 'expiringSoonMs',
    label: 'Expiring-soon threshold',
    help: 'A token with less time left than this is shown as Expiring soon (and counted in the banner) only if Larder cannot refresh it in time: its planned refresh is more than 30 minutes late, or none can happen. A token refreshed on schedule stays Healthy.',
    unit: 'hours'
  },
  {
    key: 'refreshAheadMs',
    label: 'Refresh margin',
    help: 'Larder refreshes each token this long before it expires (or halfway through its life, if sooner).',
    unit: 'hours'
  },
  {
    key: 'copyFreshnessMarginMs',
    label: 'Fresh-copy margin',
    help: 'When a token has less than this left, Copy refreshes it first, so a script never gets one about to expire.',
    unit: 'minutes'
  },
  {
    key: 'clipboardClearMs',
    label: 'Clipboard clear delay',
    help: 'A copied token is removed from the clipboard after this long.',
    unit: 'seconds'
  }
]

export const DURATIONS: readonly DurationSpec[] = FIELDS.map((field) => {
  const [min, max] = SETTING_RANGES[field.key]
  return { ...field, min, max, help: `${field.help} ${rangeWords(min, max, field.unit)} ${typingWords(field.unit)}` }
})

/** The app lock's settings as typed: idle minutes as text (0: never), screen lock and sleep as ticks. */
export interface LockDraft {
  readonly idleMinutes: string
  readonly onScreenLock: boolean
  readonly onSuspend: boolean
}

export interface SettingsDraft {
  readonly durations: Readonly<Record<DurationKey, string>>
  readonly notifications: Settings['notifications']
  readonly defaultApiBaseUrl: string
  /** Null where Larder sent no lock settings (an older host): none are shown or sent. */
  readonly lock: LockDraft | null
}

export const IDLE_MINUTES_WORDS = `Enter a whole number of minutes from 0 to ${MAX_LOCK_IDLE_MINUTES} (0: never).`

export function draftFrom(settings: Settings): SettingsDraft {
  const durations = Object.fromEntries(DURATIONS.map((spec) => [spec.key, showDuration(settings[spec.key], spec.unit)])) as Record<DurationKey, string>
  const lock = settings.lock === undefined ? null : { ...settings.lock, idleMinutes: String(settings.lock.idleMinutes) }
  return { durations, notifications: settings.notifications, defaultApiBaseUrl: settings.defaultApiBaseUrl, lock }
}

/** The patch to send, or the fields whose values are out of range, in words. */
export function patchFrom(draft: SettingsDraft): { readonly patch: SettingsPatch } | { readonly errors: Partial<Record<string, string>> } {
  const errors: Partial<Record<string, string>> = {}
  const patch: { -readonly [K in keyof SettingsPatch]: SettingsPatch[K] } = {}
  for (const spec of DURATIONS) {
    const ms = readDuration(draft.durations[spec.key], spec.unit)
    if (ms === null) errors[spec.key] = unreadableWords(spec.unit)
    else if (ms < spec.min || ms > spec.max) errors[spec.key] = outOfRangeWords(spec.min, spec.max, spec.unit)
    else patch[spec.key] = ms
  }
  if (draft.defaultApiBaseUrl.trim() === '') errors['defaultApiBaseUrl'] = 'Enter a URL, such as https://api.apicbase.com.'
  else patch.defaultApiBaseUrl = draft.defaultApiBaseUrl.trim()
  patch.notifications = { ...draft.notifications }
  if (draft.lock !== null) {
    const typed = draft.lock.idleMinutes.trim()
    const minutes = /^\d{1,5}$/.test(typed) ? Number(typed) : Number.NaN
    if (!(minutes <= MAX_LOCK_IDLE_MINUTES)) errors['idleMinutes'] = IDLE_MINUTES_WORDS
    else patch.lock = { idleMinutes: minutes, onScreenLock: draft.lock.onScreenLock, onSuspend: draft.lock.onSuspend }
  }
  return Object.keys(errors).length > 0 ? { errors } : { patch }
}
