// The browser host without a browser: its HTTP side (page rewrite, CSP, no path traversal, Host check) and its
// socket protocol (Origin, secret, message limits, call routing, events), against a real core on a temp vault.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { LibraryWithStatus } from '../../../src/main/core/libraries/library-service.ts'
import { toLibraryListView } from '../../../src/main/app/views.ts'
import { assembleCore, type AssembledCore } from '../../browser-host/assemble.ts'
import {
  BRIDGE_PATH,
  BRIDGE_SCRIPT_PATH,
  MAX_MESSAGE_BYTES,
  POLICY_VIOLATION,
  hostCsp,
  metaCsp,
  startBrowserHost,
  withBridgeScript,
  type BrowserHost
} from '../../browser-host/host.ts'
import { FAST_SCRYPT } from '../../support/core-harness.ts'

const META_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; object-src 'none'"
const INDEX = `<!doctype html>
<html>
  <head>
    <meta
      http-equiv="Content-Security-Policy"
      content="${META_CSP}"
    />
    <title>Larder</title>
    <script type="module" crossorigin src="./assets/app.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>
`

let tmp: string
let rendererDir: string
let assembled: AssembledCore
let host: BrowserHost
let port: number

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-host-'))
  rendererDir = path.join(tmp, 'renderer')
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true })
  fs.writeFileSync(path.join(rendererDir, 'index.html'), INDEX)
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app")\n')
  fs.writeFileSync(path.join(tmp, 'outside.txt'), 'OUTSIDE THE RENDERER')
  fs.symlinkSync(path.join(tmp, 'outside.txt'), path.join(rendererDir, 'link.txt'))
  assembled = await assembleCore({ dataDir: path.join(tmp, 'data'), scryptCost: FAST_SCRYPT })
  host = await startBrowserHost({ app: assembled.app, rendererDir })
  port = Number(new URL(host.url).port)
})

afterAll(async () => {
  await host?.close()
  await assembled?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

function get(rawPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end()
  })
}

interface Conversation {
  readonly socket: WebSocket
  readonly received: unknown[]
  /** Resolves with the next message not yet taken. */
  next(): Promise<unknown>
  closed: Promise<{ code: number; status?: number }>
}

/** A socket from Node with the host's own Origin (unless told otherwise); `hello` sends the right secret first. */
function connect(options: { origin?: string | null; hello?: boolean; path?: string } = {}): Promise<Conversation> {
  const origin = options.origin === undefined ? host.url : options.origin
  const socket = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? BRIDGE_PATH}`, { headers: origin === null ? {} : { origin } })
  const received: unknown[] = []
  const waiting: ((message: unknown) => void)[] = []
  let taken = 0
  socket.on('message', (data) => {
    const message: unknown = JSON.parse(String(data))
    received.push(message)
    const waiter = waiting.shift()
    if (waiter) {
      taken++
      waiter(message)
    }
  })
  socket.on('error', () => undefined)
  const closed = new Promise<{ code: number; status?: number }>((resolve) => {
    socket.on('unexpected-response', (_req, res) => {
      resolve({ code: -1, status: res.statusCode ?? 0 })
      socket.terminate()
    })
    socket.on('close', (code) => resolve({ code }))
  })
  const conversation: Conversation = {
    socket,
    received,
    closed,
    next: () =>
      new Promise((resolve) => {
        if (taken < received.length) resolve(received[taken++])
        else waiting.push(resolve)
      })
  }
  const opened = new Promise<void>((resolve) => socket.on('open', () => resolve()))
  const greeted = opened.then(async () => {
    if (options.hello ?? true) {
      socket.send(JSON.stringify({ type: 'hello', secret: host.secret }))
      expect(await conversation.next()).toEqual({ type: 'ready' })
    }
    return conversation
  })
  // A socket the host refuses never opens: the conversation is then what it got before closing.
  return Promise.race([greeted, closed.then(() => conversation)])
}

async function callOver(conversation: Conversation, message: unknown): Promise<unknown> {
  conversation.socket.send(typeof message === 'string' ? message : JSON.stringify(message))
  return conversation.next()
}

describe('the page', () => {
  it('is index.html with the bridge script before the app script, and the CSP as a header with the socket added', async () => {
    const res = await get('/')
    expect(res.status).toBe(200)
    const bridgeAt = res.body.indexOf(`<script src="${BRIDGE_SCRIPT_PATH}"></script>`)
    expect(bridgeAt).toBeGreaterThan(0)
    expect(bridgeAt).toBeLessThan(res.body.indexOf('./assets/app.js'))
    expect(res.headers['content-security-policy']).toBe(`${META_CSP.replace("connect-src 'self'", `connect-src 'self' ws://127.0.0.1:${port}`)}; frame-ancestors 'none'`)
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect((await get('/index.html')).body).toBe(res.body)
    expect(res.body).not.toContain(host.secret)
  })

  it('serves the web bridge with its types stripped: valid JavaScript, no imports left', async () => {
    const res = await get(BRIDGE_SCRIPT_PATH)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toContain('text/javascript')
    expect(res.body).not.toMatch(/^\s*import\b/m)
    expect(res.body).not.toMatch(/\binterface\s+\w+/)
    const file = path.join(tmp, 'web-bridge.mjs')
    fs.writeFileSync(file, res.body)
    const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' })
    expect(check.stderr).toBe('')
    expect(check.status).toBe(0)
  })

  it('serves files inside the renderer folder and nothing outside it', async () => {
    expect((await get('/assets/app.js')).body).toContain('app')
    for (const raw of [
      '/../outside.txt',
      '/assets/../../outside.txt',
      '/%2e%2e/outside.txt',
      '/%2E%2E%2Foutside.txt',
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/..\\outside.txt',
      '/link.txt',
      '/assets',
      '/missing.js',
      '/__host/other'
    ]) {
      const res = await get(raw)
      expect([400, 403, 404], raw).toContain(res.status)
      expect(res.body, raw).not.toContain('OUTSIDE')
      expect(res.body, raw).not.toContain('root:')
    }
    expect((await get('/%00')).status).toBe(400)
    expect((await get('/%E0%A4%A')).status).toBe(400)
  })

  it('answers only its own Host name and only GET/HEAD', async () => {
    expect((await get('/', { host: `localhost:${port}` })).status).toBe(403)
    expect((await get('/', { host: 'evil.example' })).status).toBe(403)
    expect((await get('/', {}, 'POST')).status).toBe(405)
    const head = await get('/', {}, 'HEAD')
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
  })
})

describe('the socket', () => {
  it('refuses an upgrade from another origin, without an origin, or on another path', async () => {
    for (const origin of ['http://evil.example', `http://localhost:${port}`, `https://127.0.0.1:${port}`, 'null', null]) {
      const c = await connect({ origin, hello: false })
      expect(await c.closed, String(origin)).toEqual({ code: -1, status: 403 })
    }
    expect(await (await connect({ path: '/__host/other', hello: false })).closed).toEqual({ code: -1, status: 404 })
  })

  it('closes with policy violation on a wrong secret, a missing one, or anything but hello first', async () => {
    for (const first of [
      { type: 'hello', secret: 'wrong' },
      { type: 'hello', secret: `${host.secret}x` },
      { type: 'hello', secret: host.secret.slice(0, -1) },
      { type: 'hello' },
      { type: 'hello', secret: 42 },
      { type: 'call', id: 1, name: 'app.info', input: {} },
      'not json'
    ]) {
      const c = await connect({ hello: false })
      c.socket.send(typeof first === 'string' ? first : JSON.stringify(first))
      expect(await c.closed, JSON.stringify(first)).toEqual({ code: POLICY_VIOLATION })
      expect(c.received, JSON.stringify(first)).toEqual([])
    }
  })

  it('answers a call with exactly what the handler answered', async () => {
    const c = await connect()
    expect(await callOver(c, { type: 'call', id: 1, name: 'app.info', input: {} })).toEqual({
      type: 'result',
      id: 1,
      result: await assembled.handlers['app.info']({})
    })
    const bad = { id: 12 }
    expect(await callOver(c, { type: 'call', id: 'two', name: 'libraries.refresh', input: bad })).toEqual({
      type: 'result',
      id: 'two',
      result: await assembled.handlers['libraries.refresh'](bad)
    })
    expect(await callOver(c, { type: 'call', id: 3, name: 'vault.state' })).toEqual({ type: 'result', id: 3, result: { ok: true, value: { state: 'open', cipher: 'passphrase' } } })
    c.socket.close()
  })

  it('answers unknown names, prototype names included, with invalid_input and keeps going', async () => {
    const c = await connect()
    let id = 0
    for (const name of ['no.such.call', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', '', 42, null, { name: 'app.info' }]) {
      expect(await callOver(c, { type: 'call', id: ++id, name, input: {} }), String(name)).toEqual({
        type: 'result',
        id,
        result: { ok: false, error: { kind: 'invalid_input', field: 'name', message: expect.stringContaining('Unknown call') } }
      })
    }
    expect(await callOver(c, { type: 'call', id: 99, name: 'app.info', input: {} })).toMatchObject({ id: 99, result: { ok: true } })
    c.socket.close()
  })

  it('answers non-JSON, binary and malformed messages politely, and stays open', async () => {
    const c = await connect()
    expect(await callOver(c, 'this is not JSON')).toEqual({ type: 'error', message: 'Messages must be JSON text' })
    c.socket.send(Buffer.from([1, 2, 3]), { binary: true })
    expect(await c.next()).toEqual({ type: 'error', message: 'Messages must be JSON text' })
    for (const message of [null, [], 7, { type: 'call' }, { type: 'call', id: 1.5, name: 'app.info' }, { type: 'call', id: 'x'.repeat(101), name: 'app.info' }, { type: 'hello', secret: host.secret }]) {
      expect(await callOver(c, message), JSON.stringify(message).slice(0, 40)).toMatchObject({ type: 'error' })
    }
    expect(await callOver(c, JSON.parse('{"type":"call","id":5,"name":"app.info","input":{},"__proto__":{"polluted":1}}'))).toMatchObject({ id: 5, result: { ok: true } })
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    c.socket.close()
  })

  it('closes a socket that sends more than the message limit (1009)', async () => {
    const c = await connect()
    c.socket.send(JSON.stringify({ type: 'call', id: 1, name: 'libraries.add', input: { name: 'x'.repeat(MAX_MESSAGE_BYTES) } }))
    expect(await c.closed).toEqual({ code: 1009 })
    // Just under the limit is answered (the handler refuses the oversized field itself).
    const d = await connect()
    const answer = await callOver(d, { type: 'call', id: 2, name: 'libraries.add', input: { name: 'x'.repeat(MAX_MESSAGE_BYTES - 200) } })
    expect(answer).toMatchObject({ id: 2, result: { ok: false, error: { kind: 'invalid_input' } } })
    d.socket.close()
  })

  it("pushes the app's events, as views only, to authenticated sockets only", async () => {
    const listening = await connect()
    const stranger = await connect({ hello: false })
    const library = {
      ...fakeLibrary(),
      // Fields a view must never carry, however they got onto the object.
      tokenState: 'active',
      refreshToken: 'rt-SHOULD-NEVER-LEAVE',
      clientSecret: 'cs-SHOULD-NEVER-LEAVE'
    } as LibraryWithStatus
    assembled.app.events.emit('library.changed', toLibraryListView(library))
    const event = (await listening.next()) as { type: string; name: string; payload: Record<string, unknown> }
    expect(event).toMatchObject({ type: 'event', name: 'library.changed', payload: { id: 'lib-1', name: 'Fake' } })
    expect(Object.keys(event.payload)).not.toContain('tokenState')
    expect(JSON.stringify(event)).not.toContain('SHOULD-NEVER-LEAVE')
    assembled.app.events.emit('library.removed', { id: 'lib-1' })
    expect(await listening.next()).toEqual({ type: 'event', name: 'library.removed', payload: { id: 'lib-1' } })
    assembled.session.emit('state', { state: 'locked', mode: 'unlock' })
    expect(await listening.next()).toEqual({ type: 'event', name: 'vault.state', payload: { state: 'locked', mode: 'unlock' } })
    expect(stranger.received).toEqual([])
    expect(host.messagesSent().join('\n')).not.toContain('SHOULD-NEVER-LEAVE')
    listening.socket.close()
    stranger.socket.close()
  })

  it('records every message it sent', async () => {
    const before = host.messagesSent().length
    const c = await connect()
    await callOver(c, { type: 'call', id: 1, name: 'app.info', input: {} })
    const sent = host.messagesSent().slice(before)
    expect(sent.map((m) => JSON.parse(m) as unknown)).toEqual([{ type: 'ready' }, { type: 'result', id: 1, result: expect.objectContaining({ ok: true }) }])
    expect(host.messagesSent().join('\n')).not.toContain(host.secret)
    c.socket.close()
  })
})

describe('closing', () => {
  it('closes sockets and the server, and lets go of the core', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-host-close-'))
    const own = await assembleCore({ dataDir: dir, scryptCost: FAST_SCRYPT })
    const listeners = own.app.events.listenerCount()
    const sessionListeners = own.session.listenerCount('state')
    const second = await startBrowserHost({ app: own.app, rendererDir })
    expect(own.app.events.listenerCount()).toBe(listeners + 1)
    const socket = new WebSocket(`${second.url.replace('http:', 'ws:')}${BRIDGE_PATH}`, { headers: { origin: second.url } })
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()))
    await new Promise<void>((resolve) => socket.on('open', () => resolve()))
    await second.close()
    await closed
    expect(own.app.events.listenerCount()).toBe(listeners)
    expect(own.session.listenerCount('state')).toBe(sessionListeners)
    await expect(fetch(second.url)).rejects.toThrow()
    await own.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })
})

describe('page rewriting helpers', () => {
  it('finds the meta CSP and adds the socket to connect-src', () => {
    expect(metaCsp(INDEX)).toBe(META_CSP)
    expect(metaCsp('<html><head></head></html>')).toBeNull()
    expect(hostCsp("default-src 'none'; connect-src 'self'", 'ws://127.0.0.1:1')).toBe("default-src 'none'; connect-src 'self' ws://127.0.0.1:1")
    expect(hostCsp("default-src 'none'; connect-src 'none'", 'ws://127.0.0.1:1')).toBe("default-src 'none'; connect-src 'self' ws://127.0.0.1:1")
    expect(hostCsp("default-src 'none'; script-src 'self';", 'ws://127.0.0.1:1')).toBe("default-src 'none'; script-src 'self'; connect-src 'self' ws://127.0.0.1:1")
  })

  it('puts the bridge before the first script, or at the end of head when there is none', () => {
    const tag = `<script src="${BRIDGE_SCRIPT_PATH}"></script>`
    expect(withBridgeScript('<head><script src="a.js"></script></head>').indexOf(tag)).toBe('<head>'.length)
    expect(withBridgeScript('<head><title>x</title></head><body></body>')).toMatch(new RegExp(`<title>x</title>${tag.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s*</head>`))
  })
})

function fakeLibrary(): LibraryWithStatus {
  return {
    id: 'lib-1',
    name: 'Fake',
    apicbaseLibraryId: null,
    apicbaseLibraryName: null,
    tokenType: 'service_account',
    scopes: ['library'],
    apiBaseUrl: 'http://127.0.0.1:1',
    clientId: 'client',
    addedAt: 0,
    issuedAt: 0,
    expiresAt: 1,
    lastRefreshedAt: null,
    lastUsedAt: null,
    lastError: null,
    tokenState: 'active',
    tokenPreview: '…abcd',
    status: 'healthy'
  }
}
