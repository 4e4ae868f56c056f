// The ranges Larder accepts for each duration setting, in milliseconds, declared once: the vault enforces them and
// the Settings page states them. Plain data, so the renderer takes it without the core.

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Access tokens live 7 days, so anything that looks ahead stays below that. */
export const SETTING_RANGES = {
  expiringSoonMs: [HOUR, 6 * DAY],
  refreshAheadMs: [10 * MINUTE, 6 * DAY],
  copyFreshnessMarginMs: [0, DAY],
  // A copied token must not stay on the clipboard for long, and must stay long enough to paste.
  clipboardClearMs: [5 * SECOND, 10 * MINUTE]
} as const satisfies Record<string, readonly [number, number]>

export type DurationSettingKey = keyof typeof SETTING_RANGES
