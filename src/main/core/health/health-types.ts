// What a library's health check found, what its rate limit stands at, and the ports a check needs. Plain data and
// small interfaces: the real vault, client and engine satisfy them, tests may hand in the real ones.
import type { HEALTH_OUTCOMES } from '../../../shared/contract/words.ts'
import type { ReadCheckReport, ReadScope, RateLimitSnapshot } from '../apicbase/types.ts'
import type { RefreshTrigger } from '../engine/refresh-engine.ts'
import type { EngineVault } from '../engine/ports.ts'
import { isConnection, type LibraryMeta } from '../model.ts'

export type HealthOutcome = (typeof HEALTH_OUTCOMES)[number]

export interface HealthResult {
  readonly at: number
  readonly outcome: HealthOutcome
  /** The path that answered (or refused); null when nothing was read. */
  readonly endpoint: string | null
  /** Larder's sentence for anything but 'ok' (server text in it already cleaned of secrets). */
  readonly message: string | null
}

/** A library's health as views show it: the last check (if any since Larder started) and the next one planned. */
export interface LibraryHealth {
  readonly checkedAt: number | null
  readonly outcome: HealthOutcome | null
  readonly endpoint: string | null
  readonly message: string | null
  readonly nextAt: number | null
  /** The last check that came to a verdict: the status follows it (Apicbase being unreachable once proves nothing). */
  readonly verdict: HealthResult | null
}

/** A token's rate limit as views show it: the last figures Apicbase sent, and until when a 429 holds Larder back. */
export interface RateLimitState {
  readonly limit: number | null
  readonly remaining: number | null
  readonly resetAt: number | null
  readonly observedAt: number | null
  readonly waitingUntil: number | null
}

export interface HealthClient {
  readCheck(target: { baseUrl: string; libraryName: string; rateKey: string }, accessToken: string, scope: ReadScope): Promise<ReadCheckReport>
  rateLimit(rateKey: string): RateLimitSnapshot | null
  waitingUntil(rateKey: string): number | null
}

export interface HealthEngine {
  freshAccessToken(id: string, marginMs: number, trigger?: RefreshTrigger): Promise<string>
  refresh(id: string, trigger?: RefreshTrigger): Promise<string>
  throttled<T>(id: string, request: () => Promise<T>): Promise<T>
}

export type HealthVault = Pick<EngineVault, 'list' | 'get' | 'secrets' | 'patch'>

/**
 * Records Larder checks itself: a service-account or connected-application token while Larder still uses it. Personal
 * tokens are watched through their active library (accounts endpoints, personal/drift-watch.ts) as before.
 */
export function isCheckable(meta: LibraryMeta | undefined): meta is LibraryMeta {
  return meta !== undefined && meta.tokenState === 'active' && !isConnection(meta)
}

/** What Larder knows of this token's rate limit now; null when it has heard nothing. */
export function rateLimitState(client: Pick<HealthClient, 'rateLimit' | 'waitingUntil'>, meta: LibraryMeta, now: number): RateLimitState | null {
  const seen = client.rateLimit(meta.id)
  // A refresh answered 429 is recorded on the library (and survives a restart); any call's 429 is in the client's book.
  const failure = meta.lastError?.kind === 'rate_limited' ? (meta.lastError.retryAt ?? null) : null
  const waits = [client.waitingUntil(meta.id), failure].filter((at): at is number => at !== null && at > now)
  const waitingUntil = waits.length === 0 ? null : Math.max(...waits)
  if (seen === null && waitingUntil === null) return null
  return {
    limit: seen?.limit ?? null,
    remaining: seen?.remaining ?? null,
    resetAt: seen?.resetAt ?? null,
    observedAt: seen?.observedAt ?? null,
    waitingUntil
  }
}
