// The settings form as data: each duration in the unit people think of it in, with the range Larder accepts.
import type { Settings, SettingsPatch } from '../../../../shared/contract.ts'
import { DAY, HOUR, MINUTE, SECOND } from '../../lib/time.ts'

export type DurationKey = 'expiringSoonMs' | 'refreshAheadMs' | 'copyFreshnessMarginMs' | 'clipboardClearMs'

export interface DurationSpec {
  readonly key: DurationKey
  readonly label: string
  readonly help: string
  readonly unit: 'seconds' | 'minutes' | 'hours'
  readonly min: number
  readonly max: number
}

const UNIT_MS = { seconds: SECOND, minutes: MINUTE, hours: HOUR } as const

/** Ranges as the core enforces them (src/main/core/vault/settings.ts). */
export const DURATIONS: readonly DurationSpec[] = [
  {
    key: 'expiringSoonMs',
    label: 'Expiring-soon threshold',
    help:
      'A token with less time left than this is shown as Expiring soon (and counted in the banner) only if Larder cannot refresh it in time: its planned refresh is more than 30 minutes late, or none can happen. A token refreshed on schedule stays Healthy. 1 to 144 hours.',
    unit: 'hours',
    min: HOUR,
    max: 6 * DAY
  },
  {
    key: 'refreshAheadMs',
    label: 'Refresh margin',
    help: 'Larder refreshes each token this long before it expires (or halfway through its life, if sooner). 10 minutes to 144 hours.',
    unit: 'hours',
    min: 10 * MINUTE,
    max: 6 * DAY
  },
  {
    key: 'copyFreshnessMarginMs',
    label: 'Fresh-copy margin',
    help: 'When a token has less than this left, Copy refreshes it first, so a script never gets one about to expire. 0 to 1,440 minutes.',
    unit: 'minutes',
    min: 0,
    max: DAY
  },
  {
    key: 'clipboardClearMs',
    label: 'Clipboard clear delay',
    help: 'A copied token is removed from the clipboard after this long. 5 to 600 seconds.',
    unit: 'seconds',
    min: 5 * SECOND,
    max: 10 * MINUTE
  }
]

export interface SettingsDraft {
  readonly durations: Readonly<Record<DurationKey, string>>
  readonly notifications: Settings['notifications']
  readonly defaultApiBaseUrl: string
}

function show(ms: number, unit: DurationSpec['unit']): string {
  return String(Math.round((ms / UNIT_MS[unit]) * 100) / 100)
}

export function draftFrom(settings: Settings): SettingsDraft {
  const durations = Object.fromEntries(DURATIONS.map((spec) => [spec.key, show(settings[spec.key], spec.unit)])) as Record<DurationKey, string>
  return { durations, notifications: settings.notifications, defaultApiBaseUrl: settings.defaultApiBaseUrl }
}

/** The patch to send, or the fields whose values are out of range, in words. */
export function patchFrom(draft: SettingsDraft): { readonly patch: SettingsPatch } | { readonly errors: Partial<Record<string, string>> } {
  const errors: Partial<Record<string, string>> = {}
  const patch: { -readonly [K in keyof SettingsPatch]: SettingsPatch[K] } = {}
  for (const spec of DURATIONS) {
    const text = draft.durations[spec.key].trim().replace(',', '.')
    const value = Number(text)
    const ms = Math.round(value * UNIT_MS[spec.unit])
    if (text === '' || !Number.isFinite(value)) errors[spec.key] = `Enter a number of ${spec.unit}.`
    else if (ms < spec.min || ms > spec.max) errors[spec.key] = `Must be between ${show(spec.min, spec.unit)} and ${show(spec.max, spec.unit)} ${spec.unit}.`
    else patch[spec.key] = ms
  }
  if (draft.defaultApiBaseUrl.trim() === '') errors['defaultApiBaseUrl'] = 'Enter a URL, such as https://api.apicbase.com.'
  else patch.defaultApiBaseUrl = draft.defaultApiBaseUrl.trim()
  patch.notifications = { ...draft.notifications }
  return Object.keys(errors).length > 0 ? { errors } : { patch }
}
