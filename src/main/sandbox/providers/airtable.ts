// A loopback fake of Airtable's identity endpoints for personal access tokens: `GET /v0/meta/whoami` and
// `GET /v0/meta/bases`, with `Authorization: Bearer`.
//
// Error bodies are `{"error":{"type":"…","message":"…"}}` as the facts sheet says. Assumed where it is silent:
// 401 AUTHENTICATION_REQUIRED for a missing, unknown, regenerated-away or deleted value; 403
// INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND for a missing scope; 429 RATE_LIMIT_REACHED (no Retry-After header: Airtable
// documents a fixed 30 s wait); 422 INVALID_OFFSET_VALUE for an offset this listing did not hand out; 404 NOT_FOUND
// and 405 METHOD_NOT_ALLOWED for other paths and methods. The per-base limit (5/s) is not modelled: these meta
// routes touch no base.

import type { SandboxClock } from '../clock.ts'
import type { Reply } from '../http.ts'
import { bearerToken, json } from '../http.ts'
import type { AirtableBaseGrant, AirtablePermissionLevel, AirtableTokenInfo, AirtableUser, AirtableBase, IssuedAirtableToken } from './airtable-state.ts'
import { AirtableState } from './airtable-state.ts'
import { positiveInteger } from './common.ts'
import type { ProviderClockOptions } from './clock.ts'
import { createProviderClock } from './clock.ts'
import type { ProviderCounters } from './counters.ts'
import { createProviderCounters } from './counters.ts'
import type { ProviderFaults } from './faults.ts'
import { createProviderFaults } from './faults.ts'
import { createPenaltyLimiter } from './penalty-limiter.ts'
import type { ProviderErrorStyle, ProviderRequest, RunningFake } from './server.ts'
import { startFakeServer } from './server.ts'

export const AIRTABLE_WHOAMI_PATH = '/v0/meta/whoami'
export const AIRTABLE_BASES_PATH = '/v0/meta/bases'
export const AIRTABLE_BASES_PAGE_SIZE = 100
export const AIRTABLE_RATE_LIMIT_PER_SECOND = 50
export const AIRTABLE_RATE_LIMIT_PENALTY_MS = 30_000
export type AirtableRoute = 'whoami' | 'bases'
export const AIRTABLE_ROUTES: readonly AirtableRoute[] = ['whoami', 'bases']

export interface AirtableFakeOptions extends ProviderClockOptions {
  port?: number
  /** A clock shared with other fakes; when given, startTime/frozen are ignored. */
  clock?: SandboxClock
  /** Default 100 bases a page. */
  basesPageSize?: number
  /** Default 50 requests per second per user, across all of the user's tokens. */
  rateLimitPerSecond?: number
  /** Default 30 000: how long a user keeps getting 429 once one was answered. */
  rateLimitPenaltyMs?: number
}

export interface AddAirtableUser {
  email?: string
  bases?: readonly { name: string; permissionLevel?: AirtablePermissionLevel }[]
}

export interface CreateAirtableToken {
  userId: string
  name: string
  scopes: readonly string[]
  /** 'all' (default): every base of the user, present and future; or base ids. */
  bases?: AirtableBaseGrant
}

export interface AirtableFake extends RunningFake {
  readonly clock: SandboxClock
  readonly counters: ProviderCounters<AirtableRoute>
  readonly faults: ProviderFaults<AirtableRoute>
  addUser(spec?: AddAirtableUser): AirtableUser
  addBases(userId: string, bases: readonly { name: string; permissionLevel?: AirtablePermissionLevel }[]): AirtableBase[]
  createToken(spec: CreateAirtableToken): IssuedAirtableToken
  /** Scopes and bases change without a new value. */
  setTokenScopes(tokenId: string, scopes: readonly string[]): void
  setTokenBases(tokenId: string, bases: AirtableBaseGrant): void
  /** A new value under the same id, name and permissions; the old value answers 401 at once. */
  regenerateToken(tokenId: string): IssuedAirtableToken
  deleteToken(tokenId: string): void
  tokenInfo(tokenId: string): AirtableTokenInfo
}

export async function startAirtableFake(options: AirtableFakeOptions = {}): Promise<AirtableFake> {
  const clock = options.clock ?? createProviderClock(options)
  const pageSize = positiveInteger(options.basesPageSize ?? AIRTABLE_BASES_PAGE_SIZE, 'basesPageSize')
  const limiter = createPenaltyLimiter(
    {
      limit: positiveInteger(options.rateLimitPerSecond ?? AIRTABLE_RATE_LIMIT_PER_SECOND, 'rateLimitPerSecond'),
      windowMs: 1000,
      penaltyMs: positiveInteger(options.rateLimitPenaltyMs ?? AIRTABLE_RATE_LIMIT_PENALTY_MS, 'rateLimitPenaltyMs')
    },
    clock
  )
  const state = new AirtableState()
  const faults = createProviderFaults(AIRTABLE_ROUTES)
  const counters = createProviderCounters<AirtableRoute>()

  /** Authentication, then the user's rate budget; the route's own rule after. */
  const authorised = (req: ProviderRequest, then: (who: NonNullable<ReturnType<AirtableState['authenticate']>>) => Reply): Reply => {
    const value = bearerToken(req.headers)
    const who = value === null ? null : state.authenticate(value)
    if (who === null) return airtableError(401, 'AUTHENTICATION_REQUIRED', 'Authentication required')
    if (!limiter.admit(who.user.id)) return airtableError(429, 'RATE_LIMIT_REACHED', 'Rate limit exceeded. Please try again later')
    return then(who)
  }

  const whoami = (req: ProviderRequest): Reply =>
    authorised(req, (who) => json(200, who.scopes.has('user.email:read') ? { id: who.user.id, email: who.user.email } : { id: who.user.id }))

  const bases = (req: ProviderRequest): Reply =>
    authorised(req, (who) => {
      if (!who.scopes.has('schema.bases:read')) return forbidden()
      // The offset is the id of the next page's first base: opaque to clients, and stable while bases are added.
      const offset = req.url.searchParams.get('offset')
      const start = offset === null ? 0 : who.bases.findIndex((b) => b.id === offset)
      if (start < 0) return airtableError(422, 'INVALID_OFFSET_VALUE', `The value of offset ${JSON.stringify(offset)} is invalid`)
      const page = who.bases.slice(start, start + pageSize)
      const next = who.bases[start + pageSize]
      return json(200, next === undefined ? { bases: page } : { bases: page, offset: next.id })
    })

  const running = await startFakeServer({
    name: 'airtable fake',
    routes: [
      { route: 'whoami', path: AIRTABLE_WHOAMI_PATH, handler: whoami },
      { route: 'bases', path: AIRTABLE_BASES_PATH, handler: bases }
    ],
    errors: AIRTABLE_ERRORS,
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
    addUser: (spec = {}) => state.addUser(spec.email, spec.bases ?? []),
    addBases: (userId, list) => state.addBases(userId, list),
    createToken: (spec) => state.createToken(spec.userId, spec.name, spec.scopes, spec.bases ?? 'all'),
    setTokenScopes: (tokenId, scopes) => state.setScopes(tokenId, scopes),
    setTokenBases: (tokenId, grant) => state.setBases(tokenId, grant),
    regenerateToken: (tokenId) => state.regenerate(tokenId),
    deleteToken: (tokenId) => state.delete(tokenId),
    tokenInfo: (tokenId) => state.tokenInfo(tokenId)
  }
}

function airtableError(status: number, type: string, message: string): Reply {
  return json(status, { error: { type, message } })
}

const forbidden = (): Reply =>
  airtableError(
    403,
    'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND',
    'Invalid permissions, or the requested model was not found. Check that both your user and your token have the required ' +
      'permissions, and that the model names and/or ids are correct.'
  )

const AIRTABLE_ERRORS: ProviderErrorStyle = {
  notFound: () => airtableError(404, 'NOT_FOUND', 'Could not find what you are looking for'),
  methodNotAllowed: (method) => airtableError(405, 'METHOD_NOT_ALLOWED', `Method ${method} is not allowed here`),
  tooLarge: () => airtableError(413, 'REQUEST_TOO_LARGE', 'Request body is too large'),
  faultStatus: (status) =>
    status === 429
      ? airtableError(429, 'RATE_LIMIT_REACHED', 'Rate limit exceeded. Please try again later')
      : airtableError(status, status >= 500 ? 'SERVER_ERROR' : 'INVALID_REQUEST_UNKNOWN', 'The server encountered an error (sandbox fault)')
}
