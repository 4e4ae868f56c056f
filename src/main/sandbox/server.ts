// startSandbox: an Apicbase stand-in on 127.0.0.1. Each request runs one pipeline:
// read body → attribute to a token family → faults (latency, then at most one disruption)
// → rate limit → handler → send (or reset), with counters watching the whole way.

import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { ADMIN_PREFIX, adminEndpoint } from './admin.ts'
import { activeLibraryEndpoint, librariesEndpoint, outletsEndpoint, recipesEndpoint } from './api.ts'
import { Catalog } from './catalog.ts'
import { createClock } from './clock.ts'
import type { SandboxControl } from './control.ts'
import { createControl } from './control.ts'
import { createCounters } from './counters.ts'
import type { CounterRecorder } from './counters.ts'
import type { SandboxEnv } from './env.ts'
import { faultReply, truncate } from './fault-replies.ts'
import { createFaults } from './faults.ts'
import type { FaultEngine } from './faults.ts'
import { seedFixtures, PERSONAL_USER_ID } from './fixtures.ts'
import type { Reply, RequestContext } from './http.ts'
import { BodyTooLargeError, bearerToken, detail, isForm, notFound, parseForm, readBody } from './http.ts'
import type { RefreshTokenRotation, RouteName } from './model.ts'
import { authorizeEndpoint, introspectEndpoint, revokeEndpoint } from './oauth-other.ts'
import { tokenEndpoint } from './oauth-token.ts'
import { createRateLimiter } from './rate-limit.ts'
import type { RateLimiter } from './rate-limit.ts'
import { cryptoTokenSource } from './rng.ts'
import { SandboxState } from './state.ts'
import type { TokenFamily } from './state.ts'

export interface SandboxOptions {
  /** Default 0: a free port. The host is always 127.0.0.1. */
  port?: number
  /** Default 1: drives fixture token strings and fault dice. */
  seed?: number
  /** Default 604800 (7 days). */
  accessTokenTtlSeconds?: number
  /** Default true: presenting a rotated refresh token revokes its whole family. */
  revokeFamilyOnReuse?: boolean
  /** Default 'rotate': every refresh issues a new refresh token. 'same'/'omitted': rotation off (see model.ts). */
  refreshTokenRotation?: RefreshTokenRotation
  /** Default 100; false switches limiting and its headers off (benchmarks). */
  rateLimitPerMinute?: number | false
  /** Default false: the /__sandbox/ admin endpoints answer 404 unless enabled. */
  admin?: boolean
  /** Initial sandbox clock in ms; default Date.now(). */
  startTime?: number
}

export interface Sandbox extends SandboxControl {
  /** e.g. http://127.0.0.1:PORT, no trailing slash. */
  readonly url: string
  readonly port: number
  /** `${url}/__sandbox` when admin is on, else null. */
  readonly adminUrl: string | null
  close(): Promise<void>
}

type Handler = (ctx: RequestContext, env: SandboxEnv) => Reply

const ROUTES = new Map<string, { route: RouteName; handler: Handler }>([
  ['/oauth/token/', { route: 'token', handler: tokenEndpoint }],
  ['/oauth/revoke_token/', { route: 'revoke', handler: revokeEndpoint }],
  ['/oauth/introspect/', { route: 'introspect', handler: introspectEndpoint }],
  ['/oauth/authorize/', { route: 'authorize', handler: authorizeEndpoint }],
  ['/api/v2/accounts/libraries/', { route: 'libraries', handler: librariesEndpoint }],
  ['/api/v2/accounts/libraries/active/', { route: 'active', handler: activeLibraryEndpoint }],
  // Apicbase's own page (seed 001) has the first; the third-party OpenAPI profile the second. Both answer.
  ['/api/v2/library/recipes/', { route: 'recipes', handler: recipesEndpoint }],
  ['/api/v2/products/recipes/', { route: 'recipes', handler: recipesEndpoint }],
  ['/api/v2/accounts/outlets/', { route: 'outlets', handler: outletsEndpoint }]
])

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = integerOption(options.seed ?? 1, 'seed', 0)
  const ttl = integerOption(options.accessTokenTtlSeconds ?? 604_800, 'accessTokenTtlSeconds', 1)
  const limit = options.rateLimitPerMinute === false ? false : integerOption(options.rateLimitPerMinute ?? 100, 'rateLimitPerMinute', 1)
  const port = integerOption(options.port ?? 0, 'port', 0)
  const clock = createClock(options.startTime ?? Date.now())
  const state = new SandboxState(clock, ttl, cryptoTokenSource())
  const fixtures = seedFixtures(state, seed)
  const faults = createFaults(seed)
  const counters = createCounters()
  const control = createControl({ state, clock, faults, counters, fixtures })
  const env: SandboxEnv = {
    state,
    clock,
    catalog: new Catalog(seed),
    baseUrl: 'http://127.0.0.1',
    revokeFamilyOnReuse: options.revokeFamilyOnReuse ?? true,
    refreshTokenRotation: rotationOption(options.refreshTokenRotation),
    defaultUserId: PERSONAL_USER_ID
  }
  const closing = new AbortController()
  const pipeline: Pipeline = { env, faults, counters, limiter: createRateLimiter(limit, clock), control, admin: options.admin === true, closing: closing.signal }
  const server = createServer((req, res) => {
    handle(pipeline, req, res).catch((error: unknown) => internalError(res, error))
  })
  const bound = await listen(server, port)
  env.baseUrl = `http://127.0.0.1:${bound}`
  let closed: Promise<void> | null = null
  return {
    ...control,
    url: env.baseUrl,
    port: bound,
    adminUrl: pipeline.admin ? `${env.baseUrl}/__sandbox` : null,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort()
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closed
    }
  }
}

interface Pipeline {
  env: SandboxEnv
  faults: FaultEngine
  counters: CounterRecorder
  limiter: RateLimiter
  control: SandboxControl
  admin: boolean
  closing: AbortSignal
}

async function handle(p: Pipeline, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const arrivedAt = p.env.clock.now()
  const url = new URL(req.url ?? '/', p.env.baseUrl)
  const method = req.method ?? 'GET'
  if (p.admin && url.pathname.startsWith(ADMIN_PREFIX)) {
    const body = await readBody(req).catch((e: unknown) => e)
    send(res, body instanceof Buffer ? adminEndpoint(method, url, body, p.control) : tooLarge(), {})
    return
  }
  const entry = ROUTES.get(url.pathname)
  const ctx: RequestContext = {
    method,
    url,
    route: entry?.route ?? 'unknown',
    headers: req.headers,
    body: Buffer.alloc(0),
    remoteAddress: req.socket.remoteAddress ?? 'unknown',
    familyId: null,
    libraryId: null
  }
  let bodyTooLarge = false
  try {
    ctx.body = await readBody(req)
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error
    bodyTooLarge = true
  }

  const attributed = attribute(ctx, p.env)
  ctx.familyId = attributed.family?.id ?? null
  const endFlight = attributed.refresh && attributed.family !== null ? p.counters.refreshStarted(attributed.family.id) : null
  res.once('close', () => {
    endFlight?.()
    const status = res.headersSent ? res.statusCode : 0
    p.counters.record({ route: ctx.route, libraryId: ctx.libraryId, familyId: ctx.familyId, status, at: arrivedAt })
  })

  const decision = p.faults.decide(ctx.route, ctx.familyId)
  if (decision.delayMs > 0) {
    try {
      await sleep(decision.delayMs, undefined, { signal: p.closing })
    } catch {
      req.socket.destroy() // the sandbox is closing
      return
    }
  }
  // Apicbase counts per user: every token of one person (or one API user) spends the same budget.
  const rate = p.limiter.check(attributed.family === null ? `address:${ctx.remoteAddress}` : p.env.state.rateUser(attributed.family))
  const fault = decision.outcome
  if (fault?.kind === 'reset_before_commit') return reset(req)

  let reply: Reply
  if (bodyTooLarge) reply = tooLarge()
  else if (fault !== null && fault.kind !== 'reset_after_commit' && fault.kind !== 'truncated') reply = faultReply(fault)
  else if (!rate.allowed) {
    reply = detail(429, `Request was throttled. Expected available in ${rate.headers['Retry-After'] ?? '60'} seconds.`)
  } else {
    reply = entry === undefined ? notFound() : entry.handler(ctx, p.env)
    if (fault?.kind === 'reset_after_commit') return reset(req)
    if (fault?.kind === 'truncated') reply = truncate(reply)
  }
  send(res, reply, rate.headers)
}

/** Which family a request belongs to (and so whose budget it spends), known before the handler runs (rotation keeps it). */
function attribute(ctx: RequestContext, env: SandboxEnv): { family: TokenFamily | null; refresh: boolean } {
  const { state } = env
  if (ctx.route === 'token' || ctx.route === 'revoke' || ctx.route === 'introspect') {
    if (!isForm(ctx)) return { family: null, refresh: false }
    const form = parseForm(ctx.body)
    if (ctx.route === 'token') {
      if (form.get('grant_type') !== 'refresh_token') return { family: null, refresh: false }
      const family = state.lookupRefresh(form.get('refresh_token') ?? '')?.family
      return { family: family ?? null, refresh: family !== undefined }
    }
    const token = form.get('token') ?? ''
    const family = state.lookupAccess(token)?.family ?? state.lookupRefresh(token)?.family
    return { family: family ?? null, refresh: false }
  }
  const bearer = bearerToken(ctx.headers)
  return { family: bearer === null ? null : (state.lookupAccess(bearer)?.family ?? null), refresh: false }
}

const tooLarge = (): Reply => detail(413, 'Request body exceeds the 64 KiB limit.', { Connection: 'close' })

function send(res: ServerResponse, reply: Reply, extraHeaders: Record<string, string>): void {
  if (res.destroyed || res.headersSent) return
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body
  const headers: Record<string, string> = { ...extraHeaders, ...reply.headers }
  if (reply.streamed !== true) headers['Content-Length'] = String(body.length)
  res.writeHead(reply.status, headers)
  res.end(body)
}

/** Drops the connection without an answer, as a crashed proxy or a cut cable would. */
function reset(req: IncomingMessage): void {
  if (!req.socket.destroyed) req.socket.resetAndDestroy()
}

function internalError(res: ServerResponse, error: unknown): void {
  console.error('sandbox: internal error', error)
  if (!res.headersSent && !res.destroyed) send(res, detail(500, `Internal sandbox error: ${String(error)}`), {})
  else res.destroy()
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

function rotationOption(value: RefreshTokenRotation | undefined): RefreshTokenRotation {
  if (value === undefined) return 'rotate'
  if (value !== 'rotate' && value !== 'same' && value !== 'omitted') throw new RangeError("startSandbox: refreshTokenRotation must be 'rotate', 'same' or 'omitted'")
  return value
}

function integerOption(value: number, name: string, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`startSandbox: ${name} must be an integer >= ${min}`)
  return value
}
