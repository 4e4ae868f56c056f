// The loopback pipeline every provider fake shares: read the (capped) body → route → faults (latency, then at most
// one disruption) → 404 / 405 / 413 in the provider's own error shape → handler → send (or reset), with a hit
// recorded for every request. The fakes' routes are read-only identity checks, so only GET is allowed.

import { STATUS_CODES, createServer } from 'node:http'
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { SandboxClock } from '../clock.ts'
import type { Reply } from '../http.ts'
import { BodyTooLargeError, html, readBody } from '../http.ts'
import type { ProviderCounterRecorder } from './counters.ts'
import type { ProviderFaultEngine } from './faults.ts'

/** The fakes take no bodies; anything past this is drained and answered 413. */
export const PROVIDER_BODY_LIMIT_BYTES = 16 * 1024

export interface ProviderRequest {
  method: string
  url: URL
  headers: IncomingHttpHeaders
  /** Sandbox-clock ms at arrival. */
  now: number
}

export type ProviderHandler = (req: ProviderRequest) => Reply

export interface ProviderRoute<Route extends string> {
  route: Route
  path: string
  handler: ProviderHandler
}

/** How a provider words the answers the pipeline gives on its behalf. */
export interface ProviderErrorStyle {
  notFound(): Reply
  methodNotAllowed(method: string): Reply
  tooLarge(): Reply
  /** A `status` fault: an error the provider's edge might send, in the provider's shape. */
  faultStatus(status: number): Reply
}

export interface FakeServerDefinition<Route extends string> {
  /** For the log line of an internal error (never with a request's headers). */
  name: string
  routes: readonly ProviderRoute<Route>[]
  errors: ProviderErrorStyle
  clock: SandboxClock
  faults: ProviderFaultEngine<Route>
  counters: ProviderCounterRecorder<Route>
  port?: number
}

export interface RunningFake {
  /** e.g. http://127.0.0.1:PORT, no trailing slash. */
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

export async function startFakeServer<Route extends string>(def: FakeServerDefinition<Route>): Promise<RunningFake> {
  const port = def.port ?? 0
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`${def.name}: port must be an integer 0..65535`)
  const routes = new Map(def.routes.map((r) => [r.path, r]))
  const closing = new AbortController()
  const server = createServer((req, res) => {
    handle(def, routes, closing.signal, req, res).catch((error: unknown) => internalError(def.name, res, error))
  })
  const bound = await listen(server, port)
  const url = `http://127.0.0.1:${bound}`
  let closed: Promise<void> | null = null
  return {
    url,
    port: bound,
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

async function handle<Route extends string>(
  def: FakeServerDefinition<Route>,
  routes: ReadonlyMap<string, ProviderRoute<Route>>,
  closing: AbortSignal,
  req: IncomingMessage,
  res: ServerResponse
): Promise<void> {
  const arrivedAt = def.clock.now()
  const method = req.method ?? 'GET'
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const entry = routes.get(url.pathname)
  const route: Route | 'unknown' = entry?.route ?? 'unknown'
  res.once('close', () => {
    def.counters.record({ route, method, status: res.headersSent ? res.statusCode : 0, at: arrivedAt })
  })
  let bodyTooLarge = false
  try {
    await readBody(req, PROVIDER_BODY_LIMIT_BYTES)
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error
    bodyTooLarge = true
  }

  const decision = def.faults.decide(route)
  if (decision.delayMs > 0) {
    try {
      await sleep(decision.delayMs, undefined, { signal: closing })
    } catch {
      req.socket.destroy() // the fake is closing
      return
    }
  }
  const fault = decision.outcome
  if (fault?.kind === 'reset') {
    if (!req.socket.destroyed) req.socket.resetAndDestroy()
    return
  }
  let reply: Reply
  if (fault?.kind === 'status') reply = def.errors.faultStatus(fault.status ?? 503)
  else if (fault?.kind === 'html') reply = proxyErrorPage(fault.status ?? 502)
  else if (entry === undefined) reply = def.errors.notFound()
  else if (method !== 'GET') reply = withHeader(def.errors.methodNotAllowed(method), 'Allow', 'GET')
  else if (bodyTooLarge) reply = withHeader(def.errors.tooLarge(), 'Connection', 'close')
  else reply = entry.handler({ method, url, headers: req.headers, now: arrivedAt })
  send(res, reply)
}

/** What a CDN or load balancer in front of the service sends when the service is down: HTML, not the API's JSON. */
function proxyErrorPage(status: number): Reply {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`
  return html(status, `<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><hr><center>nginx</center></body></html>`)
}

function withHeader(reply: Reply, name: string, value: string): Reply {
  return { ...reply, headers: { ...reply.headers, [name]: value } }
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.headersSent) return
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body
  res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(body.length) })
  res.end(body)
}

/** Logs the error's message only: a request's headers (its token) never reach a log. */
function internalError(name: string, res: ServerResponse, error: unknown): void {
  console.error(`${name}: internal error: ${error instanceof Error ? error.message : 'unknown'}`)
  if (!res.headersSent && !res.destroyed) send(res, { status: 500, headers: { 'Content-Type': 'text/plain' }, body: 'internal fake error' })
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
