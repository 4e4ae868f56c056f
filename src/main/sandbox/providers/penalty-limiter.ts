// Airtable's way of throttling: at most `limit` admitted requests per user in any `windowMs`; the request over it is
// answered 429 and opens a penalty, during which every request of that user is answered 429 too. Throttled requests
// spend no budget and do not lengthen the penalty (assumed: Airtable says only "wait 30 seconds").

import type { SandboxClock } from '../clock.ts'

export interface PenaltyLimiter {
  /** True when the request may go on (and it is counted); false when it must be answered 429. */
  admit(bucket: string): boolean
}

export interface PenaltyLimiterOptions {
  limit: number
  windowMs: number
  penaltyMs: number
}

export function createPenaltyLimiter(options: PenaltyLimiterOptions, clock: SandboxClock): PenaltyLimiter {
  const admitted = new Map<string, number[]>()
  const penaltyUntil = new Map<string, number>()
  return {
    admit(bucket) {
      const now = clock.now()
      const until = penaltyUntil.get(bucket)
      if (until !== undefined && now < until) return false
      const recent = (admitted.get(bucket) ?? []).filter((t) => t > now - options.windowMs && t <= now)
      if (recent.length >= options.limit) {
        penaltyUntil.set(bucket, now + options.penaltyMs)
        admitted.set(bucket, recent)
        return false
      }
      recent.push(now)
      admitted.set(bucket, recent)
      return true
    }
  }
}
