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

export function headerValue(headers: ResponseHeaders, name: string): string | null {
  const raw = headers[name.toLowerCase()]
  const value = Array.isArray(raw) ? raw[0] : raw
  return value === undefined ? null : value.trim()
}

/** The leading whole number of "100", "100;w=60" or "100, 100;w=60". */
function leadingInteger(text: string | null): number | null {
  const match = text === null ? null : /^\s*(\d{1,15})(?:\.\d+)?\b/.exec(text)
  return match?.[1] === undefined ? null : Number(match[1])
}

/** `limit=100, remaining=7, reset=30` or the newer `"default";r=7;t=30`. */
function combinedParam(text: string | null, names: readonly string[]): number | null {
  if (text === null) return null
  for (const name of names) {
    const match = new RegExp(`(?:^|[\\s,;])${name}=(\\d{1,15})`, 'i').exec(text)
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
  const pick = (suffix: string): string | null =>
    headerValue(headers, `ratelimit-${suffix}`) ?? headerValue(headers, `x-ratelimit-${suffix}`)
  const combined = headerValue(headers, 'ratelimit')
  const limit = leadingInteger(pick('limit')) ?? combinedParam(combined, ['limit', 'q'])
  const remaining = leadingInteger(pick('remaining')) ?? combinedParam(combined, ['remaining', 'r'])
  const reset = leadingInteger(pick('reset')) ?? combinedParam(combined, ['reset', 't'])
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
