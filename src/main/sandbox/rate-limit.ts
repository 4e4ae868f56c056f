// Sliding 60 s window per bucket (a user, or the caller's address when no token is
// known), on the sandbox clock. Like Django REST framework, only admitted requests use budget,
// so a client that backs off recovers on time.

import type { SandboxClock } from './clock.ts'

const WINDOW_MS = 60_000

export interface RateVerdict {
  allowed: boolean
  headers: Record<string, string>
}

export interface RateLimiter {
  check(bucket: string): RateVerdict
}

export function createRateLimiter(limit: number | false, clock: SandboxClock): RateLimiter {
  const log = new Map<string, number[]>()
  return {
    check(bucket) {
      if (limit === false) return { allowed: true, headers: {} }
      const now = clock.now()
      const recent = (log.get(bucket) ?? []).filter((t) => t > now - WINDOW_MS)
      const allowed = recent.length < limit
      if (allowed) recent.push(now)
      log.set(bucket, recent)
      const oldest = recent[0] ?? now
      const resetSeconds = Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000))
      const headers: Record<string, string> = {
        'RateLimit-Limit': String(limit),
        'RateLimit-Remaining': String(Math.max(0, limit - recent.length)),
        'RateLimit-Reset': String(resetSeconds)
      }
      if (!allowed) headers['Retry-After'] = String(resetSeconds)
      return { allowed, headers }
    }
  }
}
