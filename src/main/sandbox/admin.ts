// Admin HTTP under /__sandbox/ (a prefix no real API path uses), for the CLI and e2e runs that
// cannot call the programmatic API. Off unless asked for; never counted, throttled or faulted.

import type { SandboxControl } from './control.ts'
import type { FaultKind, FaultSpec } from './faults.ts'
import type { Reply } from './http.ts'
import { detail, json, methodNotAllowed, notFound } from './http.ts'
import type { RouteName, TokenKind } from './model.ts'
import { SandboxError, parseScopes } from './model.ts'

export const ADMIN_PREFIX = '/__sandbox/'

type Fields = Record<string, unknown>

/** Listed at the admin root, relative to it. */
const ADMIN_ENDPOINTS: readonly string[] = [
  'fixtures/ (GET: the seeded libraries, applications and user)',
  'clock/ (GET; POST {advanceMs} or {setMs})',
  'faults/ (GET; POST {route, kind, status?, ms?, times?, probability?, familyId?}; DELETE ?id=)',
  'counters/ (GET), counters/reset/ (POST)',
  'active-library/ (POST {userId, libraryId})',
  'libraries/ (POST {name, scopes?})',
  'codes/ (POST {clientId, userId, scopes, redirectUri?, codeChallenge?})',
  'tokens/ (POST {clientId, kind, scopes, libraryId?, userId?})',
  'tokens/refresh-elsewhere/ (POST {familyId})',
  'users/deactivate/ (POST {userId})'
]
type Handler = (body: Fields, url: URL) => Reply

export function adminEndpoint(method: string, url: URL, rawBody: Buffer, control: SandboxControl): Reply {
  const path = url.pathname.slice(ADMIN_PREFIX.length - 1)
  const routes = adminRoutes(control)[path]
  if (routes === undefined) return notFound()
  const handler = routes[method]
  if (handler === undefined) return methodNotAllowed(method, Object.keys(routes))
  let body: Fields
  try {
    body = parseBody(rawBody)
  } catch {
    return detail(400, 'The body must be a JSON object.')
  }
  try {
    return handler(body, url)
  } catch (error) {
    if (error instanceof SandboxError || error instanceof RangeError) return detail(400, error.message)
    throw error
  }
}

function adminRoutes(c: SandboxControl): Record<string, Record<string, Handler>> {
  const now = (): Reply => json(200, { now: c.clock.now() })
  return {
    // The root a person opens first: what else is here.
    '/': { GET: () => json(200, { detail: 'Apicbase sandbox admin (never part of the real API).', endpoints: ADMIN_ENDPOINTS }) },
    '/fixtures/': { GET: () => json(200, c.fixtures) },
    '/clock/': {
      GET: now,
      POST: (b) => {
        const advance = optNumber(b, 'advanceMs')
        const set = optNumber(b, 'setMs')
        if ((advance === undefined) === (set === undefined)) throw new SandboxError('give exactly one of advanceMs or setMs')
        if (advance !== undefined) c.clock.advance(advance)
        if (set !== undefined) c.clock.set(set)
        return now()
      }
    },
    '/faults/': {
      GET: () => json(200, c.faults.list()),
      POST: (b) => json(201, { id: c.faults.inject(faultSpec(b)) }),
      DELETE: (_b, url) => {
        c.faults.clear(url.searchParams.get('id') ?? undefined)
        return json(200, { faults: c.faults.list() })
      }
    },
    '/counters/': { GET: () => json(200, c.counters.snapshot()) },
    '/counters/reset/': {
      POST: () => {
        c.counters.reset()
        return json(200, {})
      }
    },
    '/active-library/': {
      POST: (b) => json(200, c.setActiveLibrary(reqNumber(b, 'userId'), reqNumber(b, 'libraryId')))
    },
    '/libraries/': {
      POST: (b) =>
        json(
          201,
          c.addLibraryWithApplication({
            name: reqString(b, 'name'),
            ...(b['scopes'] === undefined ? {} : { scopes: parseScopes(scopeInput(b)) }),
            ...optional('recipeCount', optNumber(b, 'recipeCount')),
            ...optional('outletCount', optNumber(b, 'outletCount'))
          })
        )
    },
    '/codes/': {
      POST: (b) => {
        const redirectUri = optString(b, 'redirectUri')
        const codeChallenge = optString(b, 'codeChallenge')
        const code = c.createAuthorizationCode({
          clientId: reqString(b, 'clientId'),
          userId: reqNumber(b, 'userId'),
          scopes: parseScopes(scopeInput(b)),
          ...(redirectUri === undefined ? {} : { redirectUri }),
          ...(codeChallenge === undefined ? {} : { codeChallenge })
        })
        return json(201, { code })
      }
    },
    '/tokens/': {
      POST: (b) =>
        json(
          201,
          c.issueTokenPair({
            clientId: reqString(b, 'clientId'),
            kind: tokenKind(reqString(b, 'kind')),
            scopes: parseScopes(scopeInput(b)),
            ...optional('libraryId', optNumber(b, 'libraryId')),
            ...optional('userId', optNumber(b, 'userId'))
          })
        )
    },
    '/tokens/refresh-elsewhere/': {
      POST: (b) => json(200, c.refreshElsewhere(reqString(b, 'familyId')))
    },
    '/users/deactivate/': {
      POST: (b) => {
        c.deactivateUser(reqNumber(b, 'userId'))
        return json(200, {})
      }
    }
  }
}

const TOKEN_KINDS: readonly TokenKind[] = ['service_account', 'connected_application', 'personal']

function tokenKind(value: string): TokenKind {
  const kind = TOKEN_KINDS.find((k) => k === value)
  if (kind === undefined) throw new SandboxError(`unknown token kind '${value}'`)
  return kind
}

function parseBody(raw: Buffer): Fields {
  if (raw.length === 0) return {}
  const parsed: unknown = JSON.parse(raw.toString('utf8'))
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SyntaxError('not an object')
  return Object.fromEntries(Object.entries(parsed))
}

function faultSpec(b: Fields): FaultSpec {
  const familyId = optString(b, 'familyId')
  return {
    route: reqString(b, 'route') as RouteName | '*', // validated by faults.inject
    kind: reqString(b, 'kind') as FaultKind,
    ...optional('times', optNumber(b, 'times')),
    ...optional('probability', optNumber(b, 'probability')),
    ...optional('ms', optNumber(b, 'ms')),
    ...optional('status', optNumber(b, 'status')),
    ...optional('retryAfter', optNumber(b, 'retryAfter')),
    ...optional('bytes', optNumber(b, 'bytes')),
    ...(familyId === undefined ? {} : { familyId })
  }
}

function optional<K extends string>(key: K, value: number | undefined): { [P in K]?: number } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: number })
}

function optNumber(b: Fields, key: string): number | undefined {
  const value = b[key]
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new SandboxError(`'${key}' must be a number`)
  return value
}

function reqNumber(b: Fields, key: string): number {
  const value = optNumber(b, key)
  if (value === undefined) throw new SandboxError(`'${key}' is required`)
  return value
}

function optString(b: Fields, key: string): string | undefined {
  const value = b[key]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new SandboxError(`'${key}' must be a string`)
  return value
}

function reqString(b: Fields, key: string): string {
  const value = optString(b, key)
  if (value === undefined) throw new SandboxError(`'${key}' is required`)
  return value
}

function scopeInput(b: Fields): string | string[] {
  const value = b['scopes']
  if (typeof value === 'string') return value
  if (Array.isArray(value) && value.every((s): s is string => typeof s === 'string')) return value
  throw new SandboxError("'scopes' must be a string or an array of strings")
}
