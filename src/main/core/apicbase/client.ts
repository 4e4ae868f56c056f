// The Apicbase HTTP client: the token endpoint (refresh, code exchange, revoke, introspect) and the
// few API calls Larder makes (accounts, health check). It holds no tokens and never retries: the
// refresh engine decides what happens next from the ApiError kind and `maybeCommitted`.
import { Agent } from 'undici'
import type { Dispatcher } from 'undici'
import { ApiError } from '../errors.ts'
import { ENDPOINTS, MAX_PAGES } from './endpoints.ts'
import type { Endpoint } from './endpoints.ts'
import type { CallContext } from './http-errors.ts'
import { malformedError, statusError } from './http-errors.ts'
import type { CheckedTarget } from './inputs.ts'
import { checkCredentials, checkLibraryId, checkRedirectUri, checkTarget, checkToken } from './inputs.ts'
import { parseActiveLibrary, parseLibraryPage, switchRequestBody } from './library-shape.ts'
import { asRecord, expiresInSeconds, scopeList, stringField, tokenField } from './parse.ts'
import { RateLimitBook } from './rate-limit.ts'
import type { HttpAnswer, HttpRequest } from './transport.ts'
import { exchange } from './transport.ts'
import type {
  ApiTarget,
  ApicbaseLibrary,
  ClientCredentials,
  HealthReport,
  Introspection,
  RateLimitSnapshot,
  ReadCheckReport,
  ReadScope,
  TokenResponse
} from './types.ts'

export interface ApicbaseClientOptions {
  /** Bring your own undici dispatcher (then connectTimeoutMs is its business, and close() leaves it open). */
  readonly dispatcher?: Dispatcher
  /** Answers larger than this are refused unread. Default 1 MiB. */
  readonly maxBodyBytes?: number
  readonly now?: () => number
  /** Default 10 s. */
  readonly connectTimeoutMs?: number
  /** Time allowed for the status line and headers after sending. Default 15 s. */
  readonly headersTimeoutMs?: number
  /** Longest silence allowed while the body arrives. Default 15 s. */
  readonly bodyTimeoutMs?: number
}

export interface ApicbaseClient {
  /**
   * POST /oauth/token/ with grant_type=refresh_token. The old refresh token is dead once this resolves, unless the
   * server does not rotate: an answer without refresh_token resolves with the one sent, which stays live.
   */
  refresh(target: ApiTarget, credentials: ClientCredentials, refreshToken: string): Promise<TokenResponse>
  /**
   * POST /oauth/token/ with grant_type=authorization_code; `redirectUri` null when none was registered, `codeVerifier`
   * the PKCE verifier of the authorization (null when it sent no code_challenge).
   */
  exchangeCode(target: ApiTarget, credentials: ClientCredentials, code: string, redirectUri: string | null, codeVerifier: string | null): Promise<TokenResponse>
  revoke(target: ApiTarget, credentials: ClientCredentials, token: string): Promise<void>
  /** Null when the server has no introspection endpoint (404/405): never depend on it. */
  introspect(target: ApiTarget, credentials: ClientCredentials, token: string): Promise<Introspection | null>
  /** Every library the token's user can reach, following `next` links (bounded). */
  listLibraries(target: ApiTarget, accessToken: string): Promise<ApicbaseLibrary[]>
  getActiveLibrary(target: ApiTarget, accessToken: string): Promise<ApicbaseLibrary>
  /** Switches the user's active library; resolves to the library the server reported, or null if it did not say. */
  setActiveLibrary(target: ApiTarget, accessToken: string, libraryId: string): Promise<ApicbaseLibrary | null>
  /** A cheap authenticated call: the active library, or the first recipe page when accounts is forbidden. */
  healthCheck(target: ApiTarget, accessToken: string): Promise<HealthReport>
  /** One cheap read `scope` allows: a one-item page of recipes ('library') or outlets ('accounts'). */
  readCheck(target: ApiTarget, accessToken: string, scope: ReadScope): Promise<ReadCheckReport>
  /** The rate-limit headers last seen for this token family, or null. */
  rateLimit(rateKey: string): RateLimitSnapshot | null
  /** Until when the last 429 for this token family asked to wait, while that is ahead; else null. */
  waitingUntil(rateKey: string): number | null
  close(): Promise<void>
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024
const DEFAULT_TIMEOUTS = { connectMs: 10_000, headersMs: 15_000, bodyMs: 15_000 } as const

export function createApicbaseClient(options: ApicbaseClientOptions = {}): ApicbaseClient {
  const timeouts = {
    connectMs: positiveOption(options.connectTimeoutMs, DEFAULT_TIMEOUTS.connectMs, 'connectTimeoutMs'),
    headersMs: positiveOption(options.headersTimeoutMs, DEFAULT_TIMEOUTS.headersMs, 'headersTimeoutMs'),
    bodyMs: positiveOption(options.bodyTimeoutMs, DEFAULT_TIMEOUTS.bodyMs, 'bodyTimeoutMs')
  }
  const maxBodyBytes = positiveOption(options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, 'maxBodyBytes')
  const now = options.now ?? Date.now
  const ownsDispatcher = options.dispatcher === undefined
  const dispatcher: Dispatcher = options.dispatcher ?? keepAliveAgent(timeouts)
  const book = new RateLimitBook()
  let closing: Promise<void> | null = null

  function context(endpoint: Endpoint, target: CheckedTarget, secrets: readonly string[]): CallContext {
    return { endpoint, libraryName: target.libraryName, origin: target.origin, secrets, now, timeouts, maxBodyBytes }
  }

  /** One exchange; the rate-limit book sees every answer, whatever its status. */
  function send(ctx: CallContext, rateKey: string, req: HttpRequest): Promise<HttpAnswer> {
    return exchange(dispatcher, ctx, req, (answer) => book.observe(rateKey, answer.headers, now(), answer.status))
  }

  /** A form POST to an OAuth endpoint with the library's own client credentials: its context and request. */
  function oauthForm(
    endpoint: Endpoint,
    target: CheckedTarget,
    credentials: ClientCredentials,
    fields: Record<string, string>,
    secrets: readonly string[]
  ): { ctx: CallContext; req: HttpRequest } {
    const ctx = context(endpoint, target, [credentials.clientSecret, ...secrets])
    const body = formBody({ ...fields, client_id: credentials.clientId, client_secret: credentials.clientSecret })
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'cache-control': 'no-store' }
    return { ctx, req: { method: 'POST', path: endpoint.path, headers, body } }
  }

  async function oauthPost(
    endpoint: Endpoint,
    target: CheckedTarget,
    credentials: ClientCredentials,
    fields: Record<string, string>,
    secrets: readonly string[]
  ): Promise<{ ctx: CallContext; answer: HttpAnswer }> {
    const { ctx, req } = oauthForm(endpoint, target, credentials, fields, secrets)
    return { ctx, answer: await send(ctx, target.rateKey, req) }
  }

  /** `sentRefreshToken`: for a refresh, the token sent, kept when the answer has no refresh_token (rotation off). */
  async function tokenRequest(
    endpoint: Endpoint,
    target: CheckedTarget,
    credentials: ClientCredentials,
    fields: Record<string, string>,
    secrets: readonly string[],
    sentRefreshToken: string | null = null
  ): Promise<TokenResponse> {
    // One await between sending and reading the answer: a refresh burst makes thousands of these.
    const { ctx, req } = oauthForm(endpoint, target, credentials, fields, secrets)
    const answer = await send(ctx, target.rateKey, req)
    if (!isSuccess(answer.status)) throw statusError(ctx, answer.status, answer.headers, answer.body)
    if (answer.body.kind !== 'json') throw malformedError(ctx, answer.status, answer.body)
    const record = asRecord(answer.body.value)
    const accessToken = tokenField(record, 'access_token')
    // Only a missing field means "keep yours" (API.md); a present but unusable one is a broken answer.
    const kept = sentRefreshToken !== null && record !== null && !Object.hasOwn(record, 'refresh_token')
    const refreshToken = kept ? sentRefreshToken : tokenField(record, 'refresh_token')
    if (accessToken === null) throw malformedError(ctx, answer.status, answer.body, 'a usable access_token')
    if (refreshToken === null) throw malformedError(ctx, answer.status, answer.body, 'a usable refresh_token')
    const tokenType = stringField(record, 'token_type')
    return {
      accessToken,
      refreshToken,
      tokenType: tokenType !== null && tokenType.trim() !== '' ? tokenType.trim() : 'Bearer',
      // An absurd expires_in costs only the expiry time, never the new pair (the old refresh token is already dead).
      expiresInSeconds: expiresInSeconds(record?.['expires_in']),
      scopes: scopeList(record?.['scope'])
    }
  }

  async function apiGet(
    endpoint: Endpoint,
    target: CheckedTarget,
    accessToken: string,
    pathAndQuery: string = endpoint.path
  ): Promise<{ ctx: CallContext; answer: HttpAnswer }> {
    const ctx = context(endpoint, target, [accessToken])
    const answer = await send(ctx, target.rateKey, { method: 'GET', path: pathAndQuery, headers: bearer(accessToken) })
    if (!isSuccess(answer.status)) throw statusError(ctx, answer.status, answer.headers, answer.body)
    return { ctx, answer }
  }

  async function getActive(target: CheckedTarget, accessToken: string): Promise<ApicbaseLibrary> {
    const { ctx, answer } = await apiGet(ENDPOINTS.activeLibrary, target, accessToken)
    const library = answer.body.kind === 'json' ? parseActiveLibrary(answer.body.value) : null
    if (library === null) throw malformedError(ctx, answer.status, answer.body, 'a library id')
    return library
  }

  /** One item of a list the scope allows: the cheapest proof that a token works. */
  async function readList(t: CheckedTarget, token: string, scope: 'library' | 'accounts'): Promise<{ checkedAt: number; endpoint: string }> {
    // Sources disagree on the recipes path (API.md): a 404 on Apicbase's own one tries the published profile's.
    const endpoints = scope === 'library' ? [ENDPOINTS.libraryRecipes, ENDPOINTS.recipes] : [ENDPOINTS.outlets]
    for (const [index, endpoint] of endpoints.entries()) {
      try {
        const { ctx, answer } = await apiGet(endpoint, t, token, `${endpoint.path}?page_size=1`)
        if (answer.body.kind !== 'json' || (asRecord(answer.body.value) === null && !Array.isArray(answer.body.value))) {
          throw malformedError(ctx, answer.status, answer.body, `a list of ${scope === 'library' ? 'recipes' : 'outlets'}`)
        }
        return { checkedAt: now(), endpoint: endpoint.path }
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404 && index < endpoints.length - 1)) throw error
      }
    }
    throw new RangeError('readList: no endpoint to read') // unreachable: the last endpoint's error is thrown above
  }

  return {
    async refresh(target, credentials, refreshToken) {
      const t = checkTarget(target)
      const creds = checkCredentials(credentials)
      const token = checkToken(refreshToken, 'refreshToken', 'refresh token')
      return tokenRequest(ENDPOINTS.refresh, t, creds, { grant_type: 'refresh_token', refresh_token: token }, [token], token)
    },

    async exchangeCode(target, credentials, code, redirectUri, codeVerifier) {
      const t = checkTarget(target)
      const creds = checkCredentials(credentials)
      const checkedCode = checkToken(code, 'code', 'authorization code')
      const redirect = checkRedirectUri(redirectUri)
      const verifier = codeVerifier === null ? null : checkToken(codeVerifier, 'codeVerifier', 'PKCE code verifier')
      const fields: Record<string, string> = { grant_type: 'authorization_code', code: checkedCode }
      if (redirect !== null) fields['redirect_uri'] = redirect
      if (verifier !== null) fields['code_verifier'] = verifier
      return tokenRequest(ENDPOINTS.exchangeCode, t, creds, fields, verifier === null ? [checkedCode] : [checkedCode, verifier])
    },

    async revoke(target, credentials, token) {
      const t = checkTarget(target)
      const creds = checkCredentials(credentials)
      const checked = checkToken(token, 'token', 'token')
      const { ctx, answer } = await oauthPost(ENDPOINTS.revoke, t, creds, { token: checked }, [checked])
      if (!isSuccess(answer.status)) throw statusError(ctx, answer.status, answer.headers, answer.body)
    },

    async introspect(target, credentials, token) {
      const t = checkTarget(target)
      const creds = checkCredentials(credentials)
      const checked = checkToken(token, 'token', 'token')
      const { ctx, answer } = await oauthPost(ENDPOINTS.introspect, t, creds, { token: checked }, [checked])
      if (answer.status === 404 || answer.status === 405) return null
      if (!isSuccess(answer.status)) throw statusError(ctx, answer.status, answer.headers, answer.body)
      const record = answer.body.kind === 'json' ? asRecord(answer.body.value) : null
      const active = record?.['active']
      if (typeof active !== 'boolean') throw malformedError(ctx, answer.status, answer.body, 'an "active" flag')
      return introspection(active, record)
    },

    async listLibraries(target, accessToken) {
      const t = checkTarget(target)
      const token = checkToken(accessToken, 'accessToken', 'access token')
      const found = new Map<string, ApicbaseLibrary>()
      const visited = new Set<string>()
      let path: string | null = ENDPOINTS.libraries.path
      while (path !== null) {
        visited.add(path)
        const { ctx, answer } = await apiGet(ENDPOINTS.libraries, t, token, path)
        const page = answer.body.kind === 'json' ? parseLibraryPage(answer.body.value) : null
        if (page === null) throw malformedError(ctx, answer.status, answer.body, 'a list of libraries')
        for (const item of page.items) if (!found.has(item.id)) found.set(item.id, item)
        path = page.next === null ? null : nextPath(page.next, t.origin, ctx, answer.status)
        if (path !== null && visited.has(path)) throw pagingError(ctx, answer.status, 'a next link that loops back')
        if (path !== null && visited.size >= MAX_PAGES) throw pagingError(ctx, answer.status, `more than ${MAX_PAGES} pages`)
      }
      return [...found.values()]
    },

    async getActiveLibrary(target, accessToken) {
      return getActive(checkTarget(target), checkToken(accessToken, 'accessToken', 'access token'))
    },

    async setActiveLibrary(target, accessToken, libraryId) {
      const t = checkTarget(target)
      const token = checkToken(accessToken, 'accessToken', 'access token')
      const id = checkLibraryId(libraryId)
      const endpoint = ENDPOINTS.switchLibrary
      const ctx = context(endpoint, t, [token])
      const headers = { ...bearer(token), 'content-type': 'application/json' }
      const answer = await send(ctx, t.rateKey, { method: 'POST', path: endpoint.path, headers, body: switchRequestBody(id) })
      if (!isSuccess(answer.status)) throw statusError(ctx, answer.status, answer.headers, answer.body)
      if (answer.body.kind === 'empty') return null
      if (answer.body.kind !== 'json') throw malformedError(ctx, answer.status, answer.body)
      return parseActiveLibrary(answer.body.value)
    },

    async healthCheck(target, accessToken) {
      const t = checkTarget(target)
      const token = checkToken(accessToken, 'accessToken', 'access token')
      try {
        const activeLibrary = await getActive(t, token)
        return { checkedAt: now(), endpoint: ENDPOINTS.activeLibrary.path, activeLibrary, accountsDenied: false }
      } catch (error) {
        // Tokens made with only the 'library' scope may not read accounts; recipes prove the token still works.
        if (!(error instanceof ApiError) || error.kind !== 'forbidden') throw error
      }
      const read = await readList(t, token, 'library')
      return { checkedAt: read.checkedAt, endpoint: read.endpoint, activeLibrary: null, accountsDenied: true }
    },

    async readCheck(target, accessToken, scope) {
      return readList(checkTarget(target), checkToken(accessToken, 'accessToken', 'access token'), scope)
    },

    rateLimit(rateKey) {
      return book.get(rateKey)
    },

    waitingUntil(rateKey) {
      return book.waitingUntil(rateKey, now())
    },

    close() {
      closing ??= ownsDispatcher ? dispatcher.close() : Promise.resolve()
      return closing
    }
  }
}

/** Connections per origin: as many as the engine may have in flight, so a burst is not queued behind the pool. */
export const POOL_CONNECTIONS = 16

/** One keep-alive pool for the whole app: connections are reused across libraries on the same host. */
function keepAliveAgent(timeouts: { connectMs: number; headersMs: number; bodyMs: number }): Agent {
  return new Agent({
    connectTimeout: timeouts.connectMs,
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
    // Idle sockets close after 10 s, or sooner when the server's Keep-Alive hint says so, so a send
    // rarely meets a socket the server has already given up on.
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    connections: POOL_CONNECTIONS,
    pipelining: 1
  })
}

/** Characters application/x-www-form-urlencoded leaves as they are: tokens and client IDs are usually only these. */
const FORM_SAFE = /^[*\-._0-9A-Za-z]*$/

/** The same text as `new URLSearchParams(fields).toString()`, without building the object for values that need no escaping. */
export function formBody(fields: Readonly<Record<string, string>>): string {
  let body = ''
  for (const [name, value] of Object.entries(fields)) body += `${body === '' ? '' : '&'}${formValue(name)}=${formValue(value)}`
  return body
}

function formValue(value: string): string {
  return FORM_SAFE.test(value) ? value : new URLSearchParams({ v: value }).toString().slice(2)
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300
}

function bearer(accessToken: string): Record<string, string> {
  return { authorization: `Bearer ${accessToken}` }
}

/**
 * Resolves a `next` link to a path on our own origin. The bearer token never goes to another host; a
 * same-host link that says http:// (Django behind a TLS proxy often does) is followed over our https.
 */
function nextPath(next: string, origin: string, ctx: CallContext, status: number): string {
  let url: URL
  try {
    url = new URL(next, `${origin}/`)
  } catch {
    throw pagingError(ctx, status, 'a next link that is not a URL')
  }
  if (url.hostname !== new URL(origin).hostname) throw pagingError(ctx, status, 'a next link to another host')
  return `${url.pathname}${url.search}`
}

function pagingError(ctx: CallContext, status: number, what: string): ApiError {
  return new ApiError('malformed_response', `Apicbase sent a list with ${what} (HTTP ${status}) while ${ctx.endpoint.doing} for ${ctx.libraryName}.`, {
    status,
    maybeCommitted: true
  })
}

function introspection(active: boolean, record: Record<string, unknown> | null): Introspection {
  const exp = record?.['exp']
  const clientId = stringField(record, 'client_id')
  const scope = record?.['scope']
  return {
    active,
    ...(typeof exp === 'number' && Number.isInteger(exp) && exp > 0 && exp < 1e11 ? { expiresAt: exp * 1000 } : {}),
    ...(scope === undefined ? {} : { scopes: scopeList(scope) }),
    ...(clientId === null || clientId === '' ? {} : { clientId })
  }
}

function positiveOption(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`createApicbaseClient: ${name} must be a positive integer`)
  return value
}
