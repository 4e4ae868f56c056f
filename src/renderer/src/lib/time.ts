// Time as people read it: "3 d 4 h" left, "12 min ago", and the exact moment for a tooltip. Pure functions.

export const SECOND = 1000
export const MINUTE = 60 * SECOND
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

/** A span in its two largest units: "3 d 4 h", "5 h 12 min", "12 min", "45 s". Never negative. */
export function formatSpan(ms: number): string {
  const span = Math.max(0, ms)
  if (span < MINUTE) return `${Math.floor(span / SECOND)} s`
  if (span < HOUR) return `${Math.floor(span / MINUTE)} min`
  if (span < DAY) {
    const hours = Math.floor(span / HOUR)
    const minutes = Math.floor((span % HOUR) / MINUTE)
    return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`
  }
  const days = Math.floor(span / DAY)
  const hours = Math.floor((span % DAY) / HOUR)
  return hours === 0 ? `${days} d` : `${days} d ${hours} h`
}

/** What is left until `expiresAt`: "3 d 4 h", or "expired 2 h ago" once it has passed; "—" when unknown. */
export function formatTimeLeft(expiresAt: number | null, now: number): string {
  if (expiresAt === null) return '—'
  const left = expiresAt - now
  if (left > 0) return formatSpan(left)
  return -left < MINUTE ? 'expired just now' : `expired ${formatSpan(-left)} ago`
}

/** How long ago `at` was: "just now", "12 min ago", "3 d ago"; "never" for null. A future time reads "just now". */
export function formatAgo(at: number | null, now: number): string {
  if (at === null) return 'never'
  const ago = now - at
  if (ago < 45 * SECOND) return 'just now'
  if (ago < HOUR) return `${Math.max(1, Math.round(ago / MINUTE))} min ago`
  if (ago < DAY) return `${Math.floor(ago / HOUR)} h ago`
  return `${Math.floor(ago / DAY)} d ago`
}

/** A duration setting in words: "30 s", "10 min", "2 h", "1 d 12 h". */
export function formatDuration(ms: number): string {
  if (ms % DAY === 0 && ms >= DAY) return `${ms / DAY} d`
  return formatSpan(ms)
}

let exactFormat: Intl.DateTimeFormat | undefined
/** Formatting a date costs microseconds, and every row shows three: kept, as the same moments come back. */
const exactTexts = new Map<number, string>()
const EXACT_TEXTS_KEPT = 4096

/** The exact moment, in the person's locale and time zone, for tooltips and the detail view. */
export function formatExact(at: number | null): string {
  if (at === null) return '—'
  let text = exactTexts.get(at)
  if (text === undefined) {
    exactFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' })
    text = exactFormat.format(at)
    if (exactTexts.size >= EXACT_TEXTS_KEPT) exactTexts.clear()
    exactTexts.set(at, text)
  }
  return text
}

/** Builds the date format now: the first one in a page takes 40–200 ms (ICU's locale data), so it is built in idle time, not in a render. */
export function prepareExactFormat(): void {
  exactFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' })
}

export function isoOrUndefined(at: number | null): string | undefined {
  return at === null || !Number.isFinite(at) ? undefined : new Date(at).toISOString()
}

/**
 * How long the shared ticker waits before its next tick. Labels show seconds only within a minute of an
 * expiry (before or after), so it ticks every second then, and otherwise every 30 s, or sooner when the
 * nearest expiry is about to come within that minute.
 */
export function nextTickDelay(expiries: Iterable<number | null>, now: number): number {
  let untilSeconds = Infinity
  for (const at of expiries) {
    if (at === null) continue
    const distance = at - now
    if (distance > -MINUTE && distance <= MINUTE) return SECOND
    if (distance > MINUTE) untilSeconds = Math.min(untilSeconds, distance - MINUTE)
  }
  return Math.min(30 * SECOND, Math.max(SECOND, Math.ceil(untilSeconds / SECOND) * SECOND))
}
