// A loopback fake of the check URL a user may give for an admin-managed service token (seed 003): a read-only GET
// that answers 2xx when the token works.
//
// The platform is unnamed, so its answers are assumed and kept plain: 200 `{"ok":true,"service_user":{id,name}}`
// for a working token; 401 `{"error":"unauthorized","message":…}` when no token is sent, or the value is unknown,
// deleted, or carried another way than it was registered (Bearer vs a named header); 403
// `{"error":"forbidden","message":"Token revoked."|"Token expired."}` for a known token that is revoked or past its
// expiry (`refusedStatus: 401` makes those 401 too, for clients that must not lean on the difference).

import type { IncomingHttpHeaders } from 'node:http'
import type { SandboxClock } from '../clock.ts'
import type { Reply } from '../http.ts'
import { bearerToken, json } from '../http.ts'
import type { CreateServiceToken, ServiceTokenInfo, ServiceUser, TokenCarrier } from './check-url-state.ts'
import { CheckUrlState } from './check-url-state.ts'
import type { ProviderClockOptions } from './clock.ts'
import { createProviderClock } from './clock.ts'
import type { ProviderCounters } from './counters.ts'
import { createProviderCounters } from './counters.ts'
import type { ProviderFaults } from './faults.ts'
import { createProviderFaults } from './faults.ts'
import type { ProviderErrorStyle, ProviderRequest, RunningFake } from './server.ts'
import { startFakeServer } from './server.ts'

export type CheckUrlRoute = 'check'
export const CHECK_URL_ROUTES: readonly CheckUrlRoute[] = ['check']

export interface CheckUrlFakeOptions extends ProviderClockOptions {
  port?: number
  /** A clock shared with other fakes; when given, startTime/frozen are ignored. */
  clock?: SandboxClock
  /** Default '/check'. */
  checkPath?: string
  /** Default 403: what a revoked or expired (known) token gets. */
  refusedStatus?: 401 | 403
}

export interface CheckUrlFake extends RunningFake {
  readonly clock: SandboxClock
  readonly counters: ProviderCounters<CheckUrlRoute>
  readonly faults: ProviderFaults<CheckUrlRoute>
  /** The full URL to GET, e.g. http://127.0.0.1:PORT/check. */
  readonly checkUrl: string
  createServiceUser(spec: { name: string }): ServiceUser
  /** The value is shown once; `checkUrl` is where to try it. */
  createToken(spec: CreateServiceToken): { id: string; value: string; checkUrl: string }
  /** Dead at once (403). */
  revokeToken(tokenId: string): void
  /** A revoked token works again (unless past its expiry). Throws for any other. */
  restoreToken(tokenId: string): void
  /** Only a revoked or expired token; throws otherwise. Then 401, for good. */
  deleteToken(tokenId: string): void
  /** Sandbox-clock ms, or null for none. */
  setTokenExpiry(tokenId: string, expiresAt: number | null): void
  tokenInfo(tokenId: string): ServiceTokenInfo
}

export async function startCheckUrlFake(options: CheckUrlFakeOptions = {}): Promise<CheckUrlFake> {
  const clock = options.clock ?? createProviderClock(options)
  const path = options.checkPath ?? '/check'
  if (!/^\/[^?#\s]*$/.test(path)) throw new RangeError('checkPath must be a path starting with /')
  const refusedStatus = options.refusedStatus ?? 403
  if (refusedStatus !== 401 && refusedStatus !== 403) throw new RangeError('refusedStatus must be 401 or 403')
  const state = new CheckUrlState(clock)
  const faults = createProviderFaults(CHECK_URL_ROUTES)
  const counters = createProviderCounters<CheckUrlRoute>()

  const check = (req: ProviderRequest): Reply => {
    const offered = offeredTokens(req.headers, state.headerNames())
    if (offered.length === 0) return json(401, { error: 'unauthorized', message: 'No token was sent.' })
    for (const { value, carrier } of offered) {
      const found = state.present(value, carrier)
      if (found === null) continue
      if (found.status === 'active') return json(200, { ok: true, service_user: found.serviceUser })
      const error = refusedStatus === 403 ? 'forbidden' : 'unauthorized'
      return json(refusedStatus, { error, message: found.status === 'revoked' ? 'Token revoked.' : 'Token expired.' })
    }
    return json(401, { error: 'unauthorized', message: 'Invalid token.' })
  }

  const running = await startFakeServer({
    name: 'check-url fake',
    routes: [{ route: 'check', path, handler: check }],
    errors: CHECK_URL_ERRORS,
    clock,
    faults,
    counters,
    port: options.port
  })
  const checkUrl = `${running.url}${path}`
  return {
    ...running,
    clock,
    counters,
    faults,
    checkUrl,
    createServiceUser: (spec) => state.createServiceUser(spec.name),
    createToken: (spec) => ({ ...state.createToken(spec), checkUrl }),
    revokeToken: (tokenId) => state.revoke(tokenId),
    restoreToken: (tokenId) => state.restore(tokenId),
    deleteToken: (tokenId) => state.delete(tokenId),
    setTokenExpiry: (tokenId, expiresAt) => state.setExpiry(tokenId, expiresAt),
    tokenInfo: (tokenId) => state.tokenInfo(tokenId)
  }
}

/** Every token the request offers: a Bearer value, and the value of each header some token is registered under. */
function offeredTokens(headers: IncomingHttpHeaders, headerNames: ReadonlySet<string>): { value: string; carrier: TokenCarrier }[] {
  const offered: { value: string; carrier: TokenCarrier }[] = []
  const bearer = bearerToken(headers)
  if (bearer !== null) offered.push({ value: bearer, carrier: { kind: 'bearer' } })
  for (const name of headerNames) {
    const raw = headers[name]
    const value = typeof raw === 'string' ? raw.trim() : undefined
    if (value !== undefined && value !== '') offered.push({ value, carrier: { kind: 'header', name } })
  }
  return offered
}

const plainError = (status: number, error: string, message: string): Reply => json(status, { error, message })

const CHECK_URL_ERRORS: ProviderErrorStyle = {
  notFound: () => plainError(404, 'not_found', 'Not found.'),
  methodNotAllowed: (method) => plainError(405, 'method_not_allowed', `Method ${method} not allowed.`),
  tooLarge: () => plainError(413, 'too_large', 'Request body too large.'),
  faultStatus: (status) => plainError(status, 'unavailable', 'The service is temporarily unavailable (sandbox fault).')
}
