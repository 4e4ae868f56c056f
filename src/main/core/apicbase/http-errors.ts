// Turning whatever went wrong into one ApiError of the closed set, with a message a person can act
// on that names the library. The token endpoint's free text (error_description) is never quoted, only its
// error code word; an API answer's `detail` is quoted only after cleanServerText has removed every run of a
// secret the request carried. No cause is attached: transport errors can carry request details, and an
// ApiError is logged whole.
import { ApiError } from '../errors.ts'
import type { FailureKind } from '../model.ts'
import { ENDPOINTS } from './endpoints.ts'
import type { Endpoint } from './endpoints.ts'
import type { Body } from './parse.ts'
import { apiDetail, asRecord, describeBody, stringField } from './parse.ts'
import type { ResponseHeaders } from './rate-limit.ts'
import { headerValue, retryAtFrom } from './rate-limit.ts'
import { serverSaid } from './redact.ts'

/** What a failing call was, so its error can say so. */
export interface CallContext {
  readonly endpoint: Endpoint
  readonly libraryName: string
  readonly origin: string
  /** Every secret sent in this request; any run of 8+ characters of one (any case or encoding) is kept out of quotes. */
  readonly secrets: readonly string[]
  readonly now: () => number
  readonly timeouts: { readonly connectMs: number; readonly headersMs: number; readonly bodyMs: number }
  readonly maxBodyBytes: number
}

/** "while reading recipes for Brasserie Nord" */
function during(ctx: CallContext): string {
  return `while ${ctx.endpoint.doing} for ${ctx.libraryName}`
}

/** "while reading recipes", for messages that name the library already. */
function whileDoing(ctx: CallContext): string {
  return `while ${ctx.endpoint.doing}`
}

// ---- transport failures (no HTTP answer, or an answer that broke off) ----

/** Errors raised before anything left this machine: the request certainly did not reach Apicbase. */
const NOT_SENT: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'the host name was not found (DNS)',
  EAI_AGAIN: 'the host name could not be looked up (DNS)',
  EAI_FAIL: 'the host name could not be looked up (DNS)',
  ENETUNREACH: 'the network is unreachable',
  ENETDOWN: 'the network is down',
  EHOSTUNREACH: 'the host is unreachable',
  EADDRNOTAVAIL: 'no local address was available',
  UND_ERR_CLOSED: "Larder's HTTP client was already closed"
}

/** Errors after the request may have been written: Apicbase may have acted on it. */
const DROPPED: Readonly<Record<string, string>> = {
  ECONNRESET: 'the connection was reset before the answer arrived',
  EPIPE: 'the connection broke while the request was being sent',
  ECONNABORTED: 'the connection was aborted',
  UND_ERR_SOCKET: 'the connection was closed before the answer arrived',
  UND_ERR_ABORTED: 'the request was aborted',
  UND_ERR_DESTROYED: "Larder's HTTP client was closed during the request"
}

function errorCode(error: unknown): string | null {
  const seen = new Set<unknown>()
  let current: unknown = error
  // The code may sit on the error, its cause, or the first of an AggregateError (happy eyeballs).
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current)
    if ('code' in current && typeof current.code === 'string' && current.code !== '') return current.code
    if (current instanceof AggregateError && current.errors.length > 0) current = current.errors[0]
    else current = 'cause' in current ? current.cause : undefined
  }
  return null
}

function socketBytesWritten(error: unknown): number | null {
  if (typeof error !== 'object' || error === null || !('socket' in error)) return null
  const socket = error.socket
  if (typeof socket !== 'object' || socket === null || !('bytesWritten' in socket)) return null
  return typeof socket.bytesWritten === 'number' ? socket.bytesWritten : null
}

/** `phase` is 'body' once the status and headers arrived (the server certainly got the request). */
export function transportError(error: unknown, ctx: CallContext, phase: 'request' | 'body'): ApiError {
  const code = errorCode(error)
  const where = `Apicbase (${ctx.origin})`
  const make = (kind: FailureKind, what: string, maybeCommitted: boolean): ApiError =>
    new ApiError(kind, `${what} ${during(ctx)}${code === null ? '' : ` (${code})`}.`, { maybeCommitted })

  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return make('timeout', `Larder could not connect to ${where} within ${seconds(ctx.timeouts.connectMs)}`, false)
    case 'UND_ERR_HEADERS_TIMEOUT':
      return make('timeout', `${where} did not answer within ${seconds(ctx.timeouts.headersMs)}`, true)
    case 'UND_ERR_BODY_TIMEOUT':
      return make('timeout', `${where} stopped sending its answer for ${seconds(ctx.timeouts.bodyMs)}`, true)
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return make('malformed_response', `${where} sent an answer that was cut off`, true)
    case 'UND_ERR_HEADERS_OVERFLOW':
      return make('malformed_response', `${where} sent response headers that were far too large`, true)
    case 'UND_ERR_INVALID_ARG':
      return make('invalid_request', `Larder built a request ${where} could not be sent`, false)
  }
  if (code !== null && code.startsWith('HPE_')) {
    return make('malformed_response', `${where} sent something that is not valid HTTP`, true)
  }
  if (code !== null && isTlsCode(code)) {
    return make('network', `Larder could not establish a secure connection to ${where}: its certificate could not be verified`, false)
  }
  if (code !== null && NOT_SENT[code] !== undefined && phase === 'request') {
    return make('network', `Larder could not reach ${where}: ${NOT_SENT[code]}`, false)
  }
  const dropped = code === null ? undefined : DROPPED[code]
  // A socket that never wrote a byte cannot have delivered the request.
  const neverWritten = phase === 'request' && code === 'UND_ERR_SOCKET' && socketBytesWritten(error) === 0
  if (phase === 'body') {
    return make('network', `The connection to ${where} broke while the answer was arriving`, true)
  }
  return make(
    'network',
    `Larder lost the connection to ${where}: ${dropped ?? 'an unexpected network error occurred'}`,
    !neverWritten
  )
}

function isTlsCode(code: string): boolean {
  return code.startsWith('ERR_TLS_') || code.includes('CERT') || code.startsWith('UNABLE_TO_') || code === 'ERR_SSL_WRONG_VERSION_NUMBER'
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`
}

// ---- HTTP answers that are not what was asked for ----

/** The answer was larger than maxBodyBytes; Larder stopped reading it. */
export function oversizedError(ctx: CallContext, status: number): ApiError {
  return new ApiError(
    'malformed_response',
    `Apicbase sent an answer larger than ${bytes(ctx.maxBodyBytes)} (HTTP ${status}) ${during(ctx)}; Larder stopped reading it.`,
    { status, maybeCommitted: true }
  )
}

/** A 2xx whose body is not the expected JSON. `missing` says what was wrong with the shape. */
export function malformedError(ctx: CallContext, status: number, body: Body, missing?: string): ApiError {
  const what = body.kind === 'json' && missing !== undefined ? `JSON without ${missing} (HTTP ${status})` : describeBody(body, status)
  return new ApiError('malformed_response', `Apicbase sent ${what} ${during(ctx)}.`, { status, maybeCommitted: true })
}

/** Any answer outside 2xx. */
export function statusError(ctx: CallContext, status: number, headers: ResponseHeaders, body: Body): ApiError {
  // The token endpoint saw the client secret and the refresh token: nothing it writes is repeated.
  const said = ctx.endpoint.oauth ? '' : serverSaid(apiDetail(body), ctx.secrets)
  const lib = ctx.libraryName

  if (status >= 300 && status < 400) {
    const location = redirectOrigin(headerValue(headers, 'location'), ctx.origin)
    return new ApiError(
      'invalid_request',
      `Apicbase answered ${ctx.endpoint.path} with a redirect (HTTP ${status})${location} ${during(ctx)}. ` +
        `Larder does not follow redirects with credentials; check the API base URL of ${lib}.`,
      { status }
    )
  }
  if (status === 429) {
    const retryAt = retryAtFrom(headers, ctx.now())
    const wait = Math.max(0, Math.round((retryAt - ctx.now()) / 1000))
    return new ApiError(
      'rate_limited',
      `Apicbase is rate-limiting ${lib} (HTTP 429, at most 100 requests a minute) ${whileDoing(ctx)}. ` +
        `Next try at ${new Date(retryAt).toISOString()} (in ${wait} s).`,
      { status, retryAt }
    )
  }
  if (status >= 500) {
    if (body.kind === 'json' || body.kind === 'empty') {
      return new ApiError('server_error', `Apicbase had a server error (HTTP ${status}) ${during(ctx)}.${said}`, { status, maybeCommitted: true })
    }
    // Apicbase (or the proxy in front of it) answered: a server error, whatever the body. Nothing of it is quoted.
    return new ApiError('server_error', `Apicbase answered with ${errorAnswer(body, status)} ${during(ctx)}.`, { status, maybeCommitted: true })
  }
  const oauthCode = ctx.endpoint.oauth && body.kind === 'json' ? stringField(asRecord(body.value), 'error') : null
  if (oauthCode !== null) return oauthError(ctx, status, oauthCode, said)
  if (ctx.endpoint.oauth && status === 401) return oauthError(ctx, status, 'invalid_client', said)
  // A 4xx is a definite refusal whatever the body looks like; an HTML 404 still means "not here".
  const shown = body.kind === 'json' || body.kind === 'empty' ? said : ` (Apicbase sent ${describeBody(body, status)})`
  if (status === 401) {
    return new ApiError(
      'unauthorized',
      `Apicbase refused the access token of ${lib} (HTTP 401) ${whileDoing(ctx)}: it has expired or was revoked.${shown}`,
      { status }
    )
  }
  if (status === 403) return new ApiError('forbidden', forbiddenMessage(ctx, shown), { status })
  if (status === 404 || status === 405) {
    return new ApiError(
      'invalid_request',
      `Apicbase has no ${ctx.endpoint.path} at ${ctx.origin} (HTTP ${status}) ${during(ctx)}; check the API base URL of ${lib}.${shown}`,
      { status }
    )
  }
  return new ApiError('invalid_request', `Apicbase rejected the request (HTTP ${status}) ${during(ctx)}.${shown}`, { status })
}

/** A 5xx whose body is not Apicbase's JSON: "an error page (HTTP 502) instead of JSON". */
function errorAnswer(body: Exclude<Body, { kind: 'json' | 'empty' }>, status: number): string {
  switch (body.kind) {
    case 'html':
      return `an error page (HTTP ${status}) instead of JSON`
    case 'truncated':
      return `an error whose JSON was cut off mid-way (HTTP ${status})`
    case 'not_json':
      return `an error that is not JSON (HTTP ${status}, ${body.contentType})`
  }
}

function forbiddenMessage(ctx: CallContext, shown: string): string {
  const lib = ctx.libraryName
  if (ctx.endpoint.scope === null) return `Apicbase refused the request (HTTP 403) ${during(ctx)}.${shown}`
  return (
    `Apicbase denied ${lib} access (HTTP 403) ${whileDoing(ctx)}: the token probably lacks the '${ctx.endpoint.scope}' scope, ` +
    `or, for a personal token, its user lacks the '${ctx.endpoint.scope}' permission in the active library. ` +
    `Ask the owner of ${lib} to grant it or issue a token with that scope.${shown}`
  )
}

function oauthError(ctx: CallContext, status: number, code: string, said: string): ApiError {
  const lib = ctx.libraryName
  switch (code) {
    case 'invalid_grant':
      return new ApiError('invalid_grant', invalidGrantMessage(ctx) + said, { status })
    case 'invalid_client':
    case 'unauthorized_client':
      return new ApiError(
        'invalid_client',
        `Apicbase rejected the client ID or client secret of ${lib} ${whileDoing(ctx)}. Check both against the library's API settings in Apicbase.${said}`,
        { status }
      )
    default:
      return new ApiError(
        'invalid_request',
        `Apicbase rejected the request as invalid (${safeCode(code)}, HTTP ${status}) ${during(ctx)}.${said}`,
        { status }
      )
  }
}

function invalidGrantMessage(ctx: CallContext): string {
  const lib = ctx.libraryName
  if (ctx.endpoint === ENDPOINTS.exchangeCode) {
    return `Apicbase did not accept the authorization code for ${lib}: it expired (codes last one minute), was already used, or was issued to another application. Start the authorization again.`
  }
  if (ctx.endpoint === ENDPOINTS.refresh) {
    return `Apicbase no longer accepts the refresh token of ${lib}: it was already used, has been revoked, or belongs to a different client ID. The owner of ${lib} must issue a new token.`
  }
  return `Apicbase did not accept the token of ${lib} (invalid_grant) ${whileDoing(ctx)}.`
}

/** The error codes of RFC 6749, 7009 and 7662: only these words are ever repeated from the token endpoint. */
const OAUTH_CODES: ReadonlySet<string> = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'access_denied',
  'unsupported_response_type',
  'unsupported_token_type',
  'server_error',
  'temporarily_unavailable'
])

function safeCode(code: string): string {
  return OAUTH_CODES.has(code) ? code : 'unknown error'
}

function redirectOrigin(location: string | null, base: string): string {
  if (location === null) return ''
  try {
    return ` to ${new URL(location, base).origin}` // only the origin: a Location may carry query secrets
  } catch {
    return ''
  }
}

function bytes(n: number): string {
  return n % 1_048_576 === 0 ? `${n / 1_048_576} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`
}
