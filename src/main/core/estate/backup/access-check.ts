// The one question a restore may ask Apicbase about a backed-up pair it cannot judge from this machine's records: is
// the backed-up ACCESS token still accepted? One cheap read (the health checks' own, core/health), never the refresh
// token: a refresh revokes the old access token (API.md, corrections), so a 401 before the token's expiry means the
// pair was refreshed after the backup was made, and its refresh token is used up. Sending that refresh token to find
// out would be a reuse, which may make Apicbase revoke the whole token family.
import type { ReadScope } from '../../apicbase/types.ts'
import { ApiError } from '../../errors.ts'
import type { LibraryMeta } from '../../model.ts'

/** live: accepted now. refreshed_since: refused before its expiry. expired: past expiry (nothing asked). unknown: no answer to go by. */
export type AccessVerdict = 'live' | 'refreshed_since' | 'expired' | 'unknown'

export interface AccessCheckPorts {
  readonly readCheck: (target: { baseUrl: string; libraryName: string; rateKey: string }, accessToken: string, scope: ReadScope) => Promise<unknown>
  /** Runs the read inside the library's request budget and the cap on requests in flight (the engine's `throttled`). */
  readonly throttled: <T>(id: string, request: () => Promise<T>) => Promise<T>
}

/** Margin before expiry inside which the answer could be a plain expiry racing the read: counted as expired. */
const EXPIRY_MARGIN_MS = 60_000

export async function checkBackedUpAccess(ports: AccessCheckPorts, meta: LibraryMeta, accessToken: string, now: number): Promise<{ readonly verdict: AccessVerdict; readonly status: string | null }> {
  if (meta.expiresAt === null || meta.expiresAt - now <= EXPIRY_MARGIN_MS) return { verdict: 'expired', status: null }
  const scope: ReadScope = meta.scopes.includes('library') || !meta.scopes.includes('accounts') ? 'library' : 'accounts'
  const target = { baseUrl: meta.apiBaseUrl, libraryName: meta.name, rateKey: meta.id }
  try {
    await ports.throttled(meta.id, () => ports.readCheck(target, accessToken, scope))
    return { verdict: 'live', status: '200' }
  } catch (error) {
    if (!(error instanceof ApiError)) return { verdict: 'unknown', status: null }
    // 403: the token was authenticated (only a scope or permission is missing), so it is the live one.
    if (error.kind === 'forbidden') return { verdict: 'live', status: '403' }
    if (error.kind === 'unauthorized') return { verdict: 'refreshed_since', status: '401' }
    return { verdict: 'unknown', status: error.status === null ? error.kind : String(error.status) }
  }
}
