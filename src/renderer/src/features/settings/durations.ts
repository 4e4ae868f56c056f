// Durations as people write and read them: "10 min", "2 h", "1 d", "1 h 30 min", or a bare number in the field's own
// unit. Shown exactly: a stored value is never rounded to fit a unit, so saving an untouched field changes nothing.
import { DAY, HOUR, MINUTE, SECOND } from '../../lib/time.ts'

export type DurationUnit = 'seconds' | 'minutes' | 'hours'

const UNIT_MS: Readonly<Record<DurationUnit, number>> = { seconds: SECOND, minutes: MINUTE, hours: HOUR }
const ONE: Readonly<Record<DurationUnit, string>> = { seconds: 'second', minutes: 'minute', hours: 'hour' }
/** What a person might type for each unit, and what each is worth. */
const TYPED: readonly (readonly [RegExp, number])[] = [
  [/^(d|days?)$/, DAY],
  [/^(h|hrs?|hours?)$/, HOUR],
  [/^(m|mins?|minutes?)$/, MINUTE],
  [/^(s|secs?|seconds?)$/, SECOND]
]
const EXAMPLES: Readonly<Record<DurationUnit, string>> = { hours: '90 min, 24 h or 2 d', minutes: '30 s, 15 min or 1 h', seconds: '30 s or 2 min' }
const NUMBER = '(\\d+(?:\\.\\d+)?|\\.\\d+)'
const BARE = new RegExp(`^${NUMBER}$`)
const PART = new RegExp(`\\s*${NUMBER}\\s*([a-z]+)\\s*`, 'y')

/**
 * A value in its field: a plain number of the field's unit when that is exact to two decimals and at least one
 * ("48", "1.5"); otherwise hours, minutes and seconds ("10 min", "1 h 25 min 1 s", "1 min 30.5 s").
 */
export function showDuration(ms: number, unit: DurationUnit): string {
  if (ms === 0) return '0'
  const hundredths = Math.round((ms / UNIT_MS[unit]) * 100)
  if (hundredths >= 100 && (hundredths * UNIT_MS[unit]) / 100 === ms) return String(hundredths / 100)
  const hours = Math.floor(ms / HOUR)
  const minutes = Math.floor((ms % HOUR) / MINUTE)
  const seconds = (ms % MINUTE) / SECOND
  return [hours > 0 ? `${hours} h` : '', minutes > 0 ? `${minutes} min` : '', seconds > 0 ? `${seconds} s` : ''].filter(Boolean).join(' ')
}

/** What the person typed, in milliseconds; null when it is not a length. A bare number counts in the field's unit. */
export function readDuration(text: string, unit: DurationUnit): number | null {
  const typed = text.trim().toLowerCase().replace(/,/g, '.')
  if (BARE.test(typed)) return Math.round(Number(typed) * UNIT_MS[unit])
  let total = 0
  PART.lastIndex = 0
  while (PART.lastIndex < typed.length) {
    const start = PART.lastIndex
    const match = PART.exec(typed)
    if (match === null || PART.lastIndex === start) return null
    const worth = TYPED.find(([words]) => words.test(match[2] ?? ''))?.[1]
    if (worth === undefined) return null
    total += Number(match[1]) * worth
  }
  return typed === '' ? null : Math.round(total)
}

/** A bound as a person says it, in the largest unit it is a whole number of: "10 minutes", "144 hours", "1 hour". */
export function sayDuration(ms: number, unit: DurationUnit): string {
  if (ms === 0) return `0 ${unit}`
  for (const candidate of ['hours', 'minutes', 'seconds'] as const) {
    const count = ms / UNIT_MS[candidate]
    if (Number.isInteger(count)) return `${count.toLocaleString('en')} ${count === 1 ? ONE[candidate] : candidate}`
  }
  return `${ms / SECOND} seconds`
}

/** "From 10 minutes to 144 hours." */
export function rangeWords(min: number, max: number, unit: DurationUnit): string {
  return `From ${sayDuration(min, unit)} to ${sayDuration(max, unit)}.`
}

/** What a duration field says when its value is out of range; the same words as its help. */
export function outOfRangeWords(min: number, max: number, unit: DurationUnit): string {
  return `Must be between ${sayDuration(min, unit)} and ${sayDuration(max, unit)}.`
}

/** What a duration field says when what was typed is not a length. */
export function unreadableWords(unit: DurationUnit): string {
  return `Type a length such as ${EXAMPLES[unit]}; a number alone counts as ${unit}.`
}

/** How to type a value, for the help under the field. */
export function typingWords(unit: DurationUnit): string {
  return `A number alone counts as ${unit}; ${EXAMPLES[unit]} work too.`
}

/** The typed text is a bare number, so the field's unit (shown after it) applies. */
export function isBareNumber(text: string): boolean {
  const typed = text.trim().replace(/,/g, '.')
  return typed === '' || BARE.test(typed)
}
