// The `state` of an authorization request: random, and compared in constant time, so a redirect that does not
// belong to the request Larder started (a stale tab, another app, a forged link) is refused.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export function newState(): string {
  return randomBytes(32).toString('base64url')
}

/** Constant-time comparison; hashing first makes the lengths equal, so the length does not leak either. */
export function sameState(received: string | null | undefined, expected: string): boolean {
  if (typeof received !== 'string' || received === '') return false
  const a = createHash('sha256').update(received, 'utf8').digest()
  const b = createHash('sha256').update(expected, 'utf8').digest()
  return timingSafeEqual(a, b)
}
