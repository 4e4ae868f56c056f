// Rate-limit headers, read tolerantly: `RateLimit-*` (IETF draft), `X-RateLimit-*` (common), and the
// combined `RateLimit: limit=…, remaining=…, reset=…` form. Apicbase allows 100 requests a minute per
// user; remembering what it last said per token family lets the engine pace itself.
import type { RateLimitSnapshot } from './types.ts'

export type ResponseHeaders = Record<string, string | string[] | undefined>

const DEFAULT_RETRY_MS = 60_000
/** A Retry-After of days is a server mistake; waiting more than this would look like Larder froze. */
const MAX_RETRY_MS = 24 * 3_600_000
/** Reset values above this are epoch seconds (X-RateLimit-Reset on some APIs), not a delay. */
const EPOCH_SECONDS_FLOOR = 1_000_000_000

/** `name` in lower case, as undici keys the headers (the constant names used here already are). */
export function headerValue(headers: ResponseHeaders, name: string): string | null {
  const raw = headers[name] ?? headers[name.toLowerCase()]
  const value = Array.isArray(raw) ? raw[0] : raw
  return value === undefined ? null : value.trim()
}

/** Each rate-limit field's header names, made once: a name built per answer is a new string to look up each time. */
const FIELD_HEADERS = {
  limit: ['ratelimit-limit', 'x-ratelimit-limit'],
  remaining: ['ratelimit-remaining', 'x-ratelimit-remaining'],
  reset: ['ratelimit-reset', 'x-ratelimit-reset']
} as const

/** The parameters of the combined header, by the names it may use for each. */
const COMBINED_PARAMS = {
  limit: paramPatterns(['limit', 'q']),
  remaining: paramPatterns(['remaining', 'r']),
  reset: paramPatterns(['reset', 't'])
} as const

function paramPatterns(names: readonly string[]): readonly RegExp[] {
  return names.map((name) => new RegExp(`(?:^|[\\s,;])${name}=(\\d{1,15})`, 'i'))
}

/** The leading whole number of "100", "100;w=60" or "100, 100;w=60". */
function leadingInteger(text: string | null): number | null {
  const match = text === null ? null : /^\s*(\d{1,15})(?:\.\d+)?\b/.exec(text)
  return match?.[1] === undefined ? null : Number(match[1])
}

/** `limit=100, remaining=7, reset=30` or the newer `"default";r=7;t=30`. */
function combinedParam(text: string | null, patterns: readonly RegExp[]): number | null {
  if (text === null) return null
  for (const pattern of patterns) {
    const match = pattern.exec(text)
    if (match?.[1] !== undefined) return Number(match[1])
  }
  return null
}

function resetToEpochMs(seconds: number | null, now: number): number | null {
  if (seconds === null) return null
  return seconds >= EPOCH_SECONDS_FLOOR ? seconds * 1000 : now + seconds * 1000
}

/** What the headers say, or null when they say nothing about rate limits. */
function readRateLimit(headers: ResponseHeaders, now: number): RateLimitSnapshot | null {
  const pick = (names: readonly [string, string]): string | null => headerValue(headers, names[0]) ?? headerValue(headers, names[1])
  const combined = headerValue(headers, 'ratelimit')
  const limit = leadingInteger(pick(FIELD_HEADERS.limit)) ?? combinedParam(combined, COMBINED_PARAMS.limit)
  const remaining = leadingInteger(pick(FIELD_HEADERS.remaining)) ?? combinedParam(combined, COMBINED_PARAMS.remaining)
  const reset = leadingInteger(pick(FIELD_HEADERS.reset)) ?? combinedParam(combined, COMBINED_PARAMS.reset)
  if (limit === null && remaining === null && reset === null) return null
  return { limit, remaining, resetAt: resetToEpochMs(reset, now), observedAt: now }
}

/** When to try again after a 429: Retry-After (seconds or HTTP date), else the reset header, else 60 s. */
export function retryAtFrom(headers: ResponseHeaders, now: number): number {
  const retryAfter = headerValue(headers, 'retry-after')
  let at: number | null = null
  if (retryAfter !== null && /^\d+$/.test(retryAfter)) at = now + Number(retryAfter) * 1000
  else if (retryAfter !== null && retryAfter !== '') {
    const date = Date.parse(retryAfter)
    if (Number.isFinite(date)) at = date
  }
  at ??= readRateLimit(headers, now)?.resetAt ?? now + DEFAULT_RETRY_MS
  return Math.min(Math.max(at, now), now + MAX_RETRY_MS)
}

/** The last rate-limit state seen per rate key (token family), and until when a 429 asked it to wait. */
export class RateLimitBook {
  private readonly seen = new Map<string, RateLimitSnapshot>()
  private readonly waits = new Map<string, number>()

  /** `status`, when given, is the answer's: a 429 starts a wait, any other answer ends it (requests get through). */
  observe(rateKey: string, headers: ResponseHeaders, now: number, status?: number): void {
    const snapshot = readRateLimit(headers, now)
    if (snapshot !== null) this.seen.set(rateKey, snapshot)
    if (status === 429) this.waits.set(rateKey, retryAtFrom(headers, now))
    else if (status !== undefined) this.waits.delete(rateKey)
  }

  get(rateKey: string): RateLimitSnapshot | null {
    return this.seen.get(rateKey) ?? null
  }

  /** When the last 429 for this key said to try again, while that is still ahead of `now`; else null. */
  waitingUntil(rateKey: string, now: number): number | null {
    const until = this.waits.get(rateKey)
    return until !== undefined && until > now ? until : null
  }
}
