// The browser host (test and demo only, never packaged): serves the built renderer on 127.0.0.1 and bridges the
// contract to it over a WebSocket, calling the SAME handler table the Electron app registers over IPC. The page
// gets `window.larder` from web-bridge.ts, which the host injects before the app's own script.
//
// The socket is guarded twice: the upgrade must come from this host's own origin (else 403), and the first
// message must carry a random 32-byte secret that reaches the page only in the URL fragment (never sent to a
// server, so never in a request log). Every message the host sends is recorded, so tests can prove that no
// secret ever went to the page.
//
// Start-up: the renderer's files are read once, when the host starts, and served from memory (index.html is read
// on each request, so a rebuilt renderer's page is served as it now is); the hashed build assets may be cached for
// good, so a second load takes them (and V8's code cache) from the browser. The bridge is a classic script before
// the page's styles and modules: its socket opens while the HTML is parsed. What goes over the socket is ASCII
// (asciiJson): a frame with any other character becomes a two-byte string in Chromium, about three times slower to
// parse at 10,000 libraries.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { promises as fsp } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import type { BridgeErrorShape, EventName, EventPayloads } from '../../src/shared/contract.ts'
import type { LarderApp } from '../../src/main/app/create-app.ts'
import { CONTENT_TYPES, IMMUTABLE_CACHE, isHashedAsset } from '../../src/main/core/desktop/app-protocol.ts'
import type { Handlers } from '../../src/main/app/handlers.ts'
import { checkedHandlers, checkEvent } from '../support/contract-check.ts'
import { BRIDGE_SCRIPT_PATH, decodedPath, fileInsideRoot, hostCsp, loadBridgeScript, metaCsp, noFraming, readRendererFiles, withBridgeScript } from './host-page.ts'
import { asciiText, packedRows } from './wire.ts'

export { BRIDGE_SCRIPT_PATH, hostCsp, metaCsp, noFraming, withBridgeScript } from './host-page.ts'
export { PACK_ROWS_FROM, asciiJson, packedRows, type PackedRows } from './wire.ts'

export const BRIDGE_PATH = '/__host/bridge'
/** Largest message the host accepts from a page; bigger ones close the socket (1009). */
export const MAX_MESSAGE_BYTES = 1024 * 1024
/** A socket that has not said hello with the right secret by then is closed. */
const HELLO_TIMEOUT_MS = 10_000
/** WebSocket close code 1008: policy violation. */
export const POLICY_VIOLATION = 1008

export interface BrowserHostOptions {
  /** The app every host builds; its handlers answer the page and its events are pushed to it. */
  readonly app: Pick<LarderApp, 'handlers' | 'events'>
  /** The built renderer (`out/renderer`). */
  readonly rendererDir: string
  /** Default 0: a free port. The host always binds 127.0.0.1. */
  readonly port?: number
  /** Default true: keep every sent message for `messagesSent()`. A long-running demo turns it off. */
  readonly recordMessages?: boolean
}

export interface BrowserHost {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string
  /** The bridge secret (base64url of 32 random bytes). */
  readonly secret: string
  /** `http://127.0.0.1:PORT/#bridge=<secret>`: what a person (or Playwright) opens. */
  readonly urlWithSecret: string
  close(): Promise<void>
  /** Every message string the host sent to any page, in order. */
  messagesSent(): readonly string[]
}

/** Used only if the renderer's index.html carries no CSP of its own. */
const FALLBACK_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'"
/** A refusal or plain-text answer: nothing to load, nothing to frame. */
const PLAIN_CSP = "default-src 'none'; frame-ancestors 'none'"
/**
 * On every answer, with a policy that says frame-ancestors 'none': no other page may frame this one (a framed
 * dashboard could be clicked through by a page the person visits); X-Frame-Options for browsers before CSP 2.
 */
const EVERY_ANSWER = { 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' } as const

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  // Test and demo only: every answer and event is checked against the contract before it goes to a page.
  const handlers = checkedHandlers(options.app.handlers)
  const root = await fsp.realpath(path.resolve(options.rendererDir))
  const readIndex = (): Promise<string> =>
    fsp.readFile(path.join(root, 'index.html'), 'utf8').catch(() => {
      throw new Error(`No index.html in ${root}: build the renderer first (npx electron-vite build)`)
    })
  await readIndex()
  const files = await readRendererFiles(root)
  const bridgeScript = loadBridgeScript()
  const record = options.recordMessages ?? true
  const sent: string[] = []
  const secret = randomBytes(32).toString('base64url')
  const secretDigest = digest(secret)
  const authenticated = new Set<WebSocket>()

  // Filled in once the port is known.
  let origin = ''
  let hostHeader = ''
  let socketOrigin = ''
  let csp = ''

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })

  // Recorded as JSON.stringify wrote it (the same value as what was sent): a search of the record for a secret
  // finds it whatever characters it has.
  const sendText = (socket: WebSocket, text: string): void => {
    if (socket.readyState !== socket.OPEN) return
    if (record) sent.push(text)
    socket.send(asciiText(text))
  }
  const send = (socket: WebSocket, message: object): void => sendText(socket, JSON.stringify(message))

  // The events of one turn go out as one message, in order (a refresh wave emits them by the hundred: one frame each
  // cost the host more than building them); a lone event goes out as it always did. Queued events always go out
  // before the next answer, so a page sees them in the order they happened.
  let outbox: { readonly type: 'event'; readonly name: EventName; readonly payload: unknown }[] = []
  const flushEvents = (): void => {
    if (outbox.length === 0) return
    const text = JSON.stringify(outbox.length === 1 ? outbox[0] : { type: 'events', list: outbox })
    outbox = []
    for (const socket of authenticated) sendText(socket, text)
  }

  const server = createServer((req, res) => {
    serve(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': PLAIN_CSP, ...EVERY_ANSWER })
      res.end('Internal error')
    })
  })

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.host !== hostHeader) return plain(res, 403, `Open this page as ${origin}`)
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed')
    const pathname = decodedPath(req.url)
    if (pathname === null) return plain(res, 400, 'Bad path')
    if (pathname === '/' || pathname === '/index.html') {
      // Read on every request, so a rebuilt renderer (new asset names, new policy) is served as it now is.
      const html = await readIndex()
      csp = noFraming(hostCsp(metaCsp(html) ?? FALLBACK_CSP, socketOrigin))
      return body(req, res, 200, CONTENT_TYPES['.html'], withBridgeScript(html))
    }
    if (pathname === BRIDGE_SCRIPT_PATH) return body(req, res, 200, CONTENT_TYPES['.js'], bridgeScript)
    if (pathname.startsWith('/__host/')) return plain(res, 404, 'Not found')
    // From memory; a file the renderer did not have when the host started is read from disk, with the same checks.
    const content = files.get(pathname) ?? (await fileInsideRoot(root, pathname))
    if (content === null) return plain(res, 404, 'Not found')
    const type = CONTENT_TYPES[path.extname(pathname).toLowerCase()] ?? 'application/octet-stream'
    return body(req, res, 200, type, content, isHashedAsset(pathname))
  }

  function body(req: IncomingMessage, res: ServerResponse, status: number, type: string | undefined, content: string | Buffer, immutable = false): void {
    res.writeHead(status, {
      'content-type': type ?? 'application/octet-stream',
      'content-security-policy': csp,
      'referrer-policy': 'no-referrer',
      ...EVERY_ANSWER,
      ...(immutable ? { 'cache-control': IMMUTABLE_CACHE } : {})
    })
    res.end(req.method === 'HEAD' ? undefined : content)
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: number, reason: string): void => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\nX-Frame-Options: DENY\r\nContent-Security-Policy: ${PLAIN_CSP}\r\n\r\n`)
      socket.destroy()
    }
    if (decodedPath(req.url) !== BRIDGE_PATH) return refuse(404, 'Not Found')
    if (req.headers.origin !== origin || req.headers.host !== hostHeader) return refuse(403, 'Forbidden')
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  wss.on('connection', (socket: WebSocket) => {
    const helloTimer = setTimeout(() => socket.close(POLICY_VIOLATION, 'no hello'), HELLO_TIMEOUT_MS)
    helloTimer.unref()
    socket.on('error', () => socket.terminate())
    socket.on('close', () => {
      clearTimeout(helloTimer)
      authenticated.delete(socket)
    })
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const message = isBinary ? undefined : parseMessage(data)
      if (!authenticated.has(socket)) {
        // Nothing but the right hello is answered before authentication, not even an error.
        if (!isHello(message, secretDigest)) return socket.close(POLICY_VIOLATION, 'hello with the bridge secret expected')
        clearTimeout(helloTimer)
        authenticated.add(socket)
        send(socket, { type: 'ready' })
        return
      }
      if (message === undefined) return send(socket, { type: 'error', message: 'Messages must be JSON text' })
      if (!isRecord(message) || message['type'] !== 'call') return send(socket, { type: 'error', message: 'Expected {type:"call", id, name, input}' })
      const id = message['id']
      if (!((typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && id.length <= 100))) {
        return send(socket, { type: 'error', message: 'A call needs an id (an integer or a short string)' })
      }
      // Each call in a turn of its own: a page's file requests that came in meanwhile are served first, never
      // queued behind building (at 10,000 libraries) a list of megabytes. The answer goes out in the turn it was
      // built in, after the events already queued: those are older than it.
      setImmediate(() => {
        void answer(message['name'], message['input']).then((result) => {
          flushEvents()
          const rows = packedRows(result)
          send(socket, rows === null ? { type: 'result', id, result } : { type: 'result', id, rows })
        })
      })
    })
  })

  async function answer(name: unknown, input: unknown): Promise<unknown> {
    if (typeof name !== 'string' || !Object.hasOwn(handlers, name)) {
      const error: BridgeErrorShape = { kind: 'invalid_input', field: 'name', message: `Unknown call "${String(name).slice(0, 100)}"` }
      return { ok: false, error }
    }
    try {
      return await handlers[name as keyof Handlers](input)
    } catch (thrown) {
      // The handlers answer their own failures (and log them); one that escapes is a bug: its name, not its text.
      console.error(`browser host: call "${name}" failed: ${thrown instanceof Error ? thrown.name : typeof thrown}`)
      const error: BridgeErrorShape = { kind: 'internal', message: 'Larder hit an unexpected problem; the details are in its log.' }
      return { ok: false, error }
    }
  }

  const broadcast = <E extends EventName>(name: E, payload: EventPayloads[E]): void => {
    checkEvent(name, payload)
    if (outbox.length === 0) queueMicrotask(flushEvents)
    outbox.push({ type: 'event', name, payload })
  }
  const unsubscribe = options.app.events.onAny(broadcast)

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    unsubscribe()
    throw error
  }
  const { port } = server.address() as AddressInfo
  origin = `http://127.0.0.1:${port}`
  hostHeader = `127.0.0.1:${port}`
  socketOrigin = `ws://127.0.0.1:${port}`
  csp = noFraming(hostCsp(metaCsp(await readIndex()) ?? FALLBACK_CSP, socketOrigin))

  let closing: Promise<void> | null = null
  return {
    url: origin,
    secret,
    urlWithSecret: `${origin}/#bridge=${secret}`,
    messagesSent: () => [...sent],
    close() {
      closing ??= (async () => {
        unsubscribe()
        for (const socket of wss.clients) socket.terminate()
        await new Promise<void>((resolve) => wss.close(() => resolve()))
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        })
      })()
      return closing
    }
  }
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': PLAIN_CSP, ...EVERY_ANSWER })
  res.end(text)
}

function parseMessage(data: RawData): unknown {
  const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(new Uint8Array(data)).toString('utf8')
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}

/** Hashing first gives equal lengths, so the comparison itself is constant-time whatever was sent. */
function isHello(message: unknown, secretDigest: Buffer): boolean {
  if (!isRecord(message) || message['type'] !== 'hello' || typeof message['secret'] !== 'string') return false
  return timingSafeEqual(digest(message['secret']), secretDigest)
}
