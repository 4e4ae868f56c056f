// A loopback fake of SafetyCulture's identity check, `GET /accounts/user/v1/user:WhoAmI` with `Authorization: Bearer`.
//
// Assumption (the facts sheet gives no error body): the path is a gRPC-gateway custom method, so errors are shaped as
// gRPC-gateway writes them, `{"code": <gRPC code>, "message": "…", "details": []}`, e.g. 401 →
// `{"code":16,"message":"Unauthenticated","details":[]}`. A client should rely on the HTTP status, not the body.
// The same 401 answers a missing, unknown, revoked, inactive-expired or deactivated user's token: SafetyCulture
// does not say which (which is why Larder words the likely causes).

import type { SandboxClock } from '../clock.ts'
import type { Reply } from '../http.ts'
import { bearerToken, json } from '../http.ts'
import { createRateLimiter } from '../rate-limit.ts'
import { positiveInteger } from './common.ts'
import type { ProviderClockOptions } from './clock.ts'
import { createProviderClock } from './clock.ts'
import type { ProviderCounters } from './counters.ts'
import { createProviderCounters } from './counters.ts'
import type { ProviderFaults } from './faults.ts'
import { createProviderFaults } from './faults.ts'
import type { ProviderErrorStyle, ProviderRequest, RunningFake } from './server.ts'
import { startFakeServer } from './server.ts'
import type { IssuedSafetyCultureToken, SafetyCultureOrganisation, SafetyCulturePerson, SafetyCultureTokenInfo } from './safetyculture-state.ts'
import { SafetyCultureState } from './safetyculture-state.ts'

export const SAFETYCULTURE_WHOAMI_PATH = '/accounts/user/v1/user:WhoAmI'
export type SafetyCultureRoute = 'whoami'
export const SAFETYCULTURE_ROUTES: readonly SafetyCultureRoute[] = ['whoami']

export interface SafetyCultureFakeOptions extends ProviderClockOptions {
  /** Default 0: a free port on 127.0.0.1. */
  port?: number
  /** A clock shared with other fakes; when given, startTime/frozen are ignored. */
  clock?: SandboxClock
  /** Default true (the facts sheet's safe reading): service-user tokens also die after 30 idle days. */
  serviceTokensExpireWhenInactive?: boolean
  /**
   * Requests per 60 s per organisation, or false (default): the facts sheet names no SafetyCulture limit, so the fake
   * throttles only when a test asks. Over it: 429 `{"code":8,"message":"Too Many Requests","details":[]}`.
   */
  rateLimitPerMinute?: number | false
}

export interface AddSafetyCultureUser {
  organisationId: string
  firstname: string
  lastname?: string
  /** Default true. */
  active?: boolean
}

export interface SafetyCultureFake extends RunningFake {
  readonly clock: SandboxClock
  readonly counters: ProviderCounters<SafetyCultureRoute>
  readonly faults: ProviderFaults<SafetyCultureRoute>
  readonly whoAmIUrl: string
  addOrganisation(spec: { name: string }): SafetyCultureOrganisation
  addUser(spec: AddSafetyCultureUser): SafetyCulturePerson
  /** WhoAmI answers a service user's name as firstname, with an empty lastname (assumed). */
  addServiceUser(spec: { organisationId: string; name: string }): SafetyCulturePerson
  /** Throws a SandboxError past 10 active tokens of the user, or for a deactivated user. */
  issueUserToken(userId: string): IssuedSafetyCultureToken
  /** Throws a SandboxError past 20 active service-user tokens in the organisation. */
  issueServiceUserToken(serviceUserId: string): IssuedSafetyCultureToken
  revokeToken(tokenId: string): void
  /** The user's tokens answer 401 from now on. */
  deactivateUser(userId: string): void
  tokenInfo(tokenId: string): SafetyCultureTokenInfo
}

export async function startSafetyCultureFake(options: SafetyCultureFakeOptions = {}): Promise<SafetyCultureFake> {
  const clock = options.clock ?? createProviderClock(options)
  const state = new SafetyCultureState(clock, { serviceTokensExpireWhenInactive: options.serviceTokensExpireWhenInactive ?? true })
  const limit = options.rateLimitPerMinute ?? false
  const limiter = createRateLimiter(limit === false ? false : positiveInteger(limit, 'rateLimitPerMinute'), clock)
  const faults = createProviderFaults(SAFETYCULTURE_ROUTES)
  const counters = createProviderCounters<SafetyCultureRoute>()

  const whoAmI = (req: ProviderRequest): Reply => {
    const value = bearerToken(req.headers)
    const who = value === null ? null : state.authenticate(value)
    if (who === null) return grpcError(401)
    const rate = limiter.check(who.person.organisationId)
    if (!rate.allowed) return grpcError(429, rate.headers)
    state.recordUse(who.tokenId)
    const p = who.person
    return json(200, { user_id: p.id, organisation_id: p.organisationId, firstname: p.firstname, lastname: p.lastname }, rate.headers)
  }

  const running = await startFakeServer({
    name: 'safetyculture fake',
    routes: [{ route: 'whoami', path: SAFETYCULTURE_WHOAMI_PATH, handler: whoAmI }],
    errors: SAFETYCULTURE_ERRORS,
    clock,
    faults,
    counters,
    port: options.port
  })
  return {
    ...running,
    clock,
    counters,
    faults,
    whoAmIUrl: `${running.url}${SAFETYCULTURE_WHOAMI_PATH}`,
    addOrganisation: (spec) => state.addOrganisation(spec.name),
    addUser: (spec) => state.addPerson('user', spec.organisationId, spec.firstname, spec.lastname ?? '', spec.active ?? true),
    addServiceUser: (spec) => state.addPerson('service_user', spec.organisationId, spec.name, '', true),
    issueUserToken: (userId) => state.issueToken(userId, 'user'),
    issueServiceUserToken: (serviceUserId) => state.issueToken(serviceUserId, 'service_user'),
    revokeToken: (tokenId) => state.revokeToken(tokenId),
    deactivateUser: (userId) => state.deactivateUser(userId),
    tokenInfo: (tokenId) => state.tokenInfo(tokenId)
  }
}

/** HTTP status → the gRPC code and message gRPC-gateway pairs with it. */
const GRPC: Readonly<Record<number, readonly [number, string]>> = {
  400: [3, 'Bad Request'],
  401: [16, 'Unauthenticated'],
  403: [7, 'Permission Denied'],
  404: [5, 'Not Found'],
  405: [12, 'Method Not Allowed'],
  413: [3, 'Request body too large'],
  429: [8, 'Too Many Requests'],
  500: [13, 'Internal Server Error'],
  502: [14, 'Unavailable'],
  503: [14, 'Unavailable'],
  504: [4, 'Deadline Exceeded']
}

function grpcError(status: number, headers: Record<string, string> = {}): Reply {
  const [code, message] = GRPC[status] ?? [2, 'Unknown']
  return json(status, { code, message, details: [] }, headers)
}

const SAFETYCULTURE_ERRORS: ProviderErrorStyle = {
  notFound: () => grpcError(404),
  methodNotAllowed: () => grpcError(405),
  tooLarge: () => grpcError(413),
  faultStatus: (status) => grpcError(status)
}
