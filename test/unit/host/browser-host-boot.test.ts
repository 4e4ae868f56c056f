// The browser host at a page's start: the bridge opens its socket while the HTML is parsed (a classic script before
// any stylesheet or module), the renderer's files come from memory, the hashed build assets may be cached for good
// (a second start takes them, and V8's code cache, from the browser), and what goes over the socket is ASCII (JSON
// with \u escapes: Chromium keeps a one-byte string, about three times quicker to parse at 10,000 libraries).
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import vm from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { assembleCore, type AssembledCore } from '../../browser-host/assemble.ts'
import { BRIDGE_PATH, BRIDGE_SCRIPT_PATH, asciiJson, startBrowserHost, withBridgeScript, type BrowserHost } from '../../browser-host/host.ts'
import { FAST_SCRYPT } from '../../support/core-harness.ts'

const INDEX = `<!doctype html>
<html>
  <head>
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'" />
    <title>Larder</title>
    <script type="module" crossorigin src="./assets/index-BVEhD3V2.js"></script>
    <link rel="stylesheet" crossorigin href="./assets/index-Z_xC58Hr.css">
  </head>
  <body><div id="root"></div></body>
</html>
`
const IMMUTABLE = 'public, max-age=31536000, immutable'

let tmp: string
let rendererDir: string
let assembled: AssembledCore
let host: BrowserHost
let port: number

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-host-boot-'))
  rendererDir = path.join(tmp, 'renderer')
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true })
  fs.writeFileSync(path.join(rendererDir, 'index.html'), INDEX)
  fs.writeFileSync(path.join(rendererDir, 'assets', 'index-BVEhD3V2.js'), 'console.log("app")\n')
  fs.writeFileSync(path.join(rendererDir, 'assets', 'index-Z_xC58Hr.css'), 'body{}\n')
  fs.writeFileSync(path.join(rendererDir, 'larder.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n')
  assembled = await assembleCore({ dataDir: path.join(tmp, 'data'), scryptCost: FAST_SCRYPT })
  host = await startBrowserHost({ app: assembled.app, rendererDir })
  port = Number(new URL(host.url).port)
})

afterAll(async () => {
  await host?.close()
  await assembled?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

function get(rawPath: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, headers: { host: `127.0.0.1:${port}` } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** A socket that says hello and sends `calls` in the same breath (no wait for ready); every frame's raw text. */
async function pipelined(calls: readonly object[]): Promise<{ socket: WebSocket; frames: string[]; next(): Promise<string> }> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}${BRIDGE_PATH}`, { headers: { origin: host.url } })
  const frames: string[] = []
  const waiting: ((text: string) => void)[] = []
  let taken = 0
  socket.on('message', (data) => {
    frames.push(String(data))
    const waiter = waiting.shift()
    if (waiter) {
      taken++
      waiter(String(data))
    }
  })
  await new Promise<void>((resolve) => socket.on('open', () => resolve()))
  socket.send(JSON.stringify({ type: 'hello', secret: host.secret }))
  for (const call of calls) socket.send(JSON.stringify(call))
  const next = (): Promise<string> =>
    new Promise((resolve) => {
      if (taken < frames.length) resolve(frames[taken++]!)
      else waiting.push(resolve)
    })
  return { socket, frames, next }
}

describe('the page opens its socket while the HTML is parsed', () => {
  it('puts the bridge as a classic script before the first stylesheet or script, not as a module that waits for the CSS', async () => {
    const page = (await get('/')).body
    const tag = `<script src="${BRIDGE_SCRIPT_PATH}"></script>`
    expect(page).toContain(tag)
    expect(page.indexOf(tag)).toBeLessThan(page.indexOf('<link rel="stylesheet"'))
    expect(page.indexOf(tag)).toBeLessThan(page.indexOf('<script type="module"'))
    expect(page).not.toContain(`<script type="module" src="${BRIDGE_SCRIPT_PATH}">`)
    expect(withBridgeScript('<head><meta charset="utf-8"><link rel="icon" href="x.svg"><script type="module" src="a.js"></script></head>').indexOf(tag)).toBe('<head><meta charset="utf-8">'.length)
  })

  it('serves the bridge as a classic script: it compiles as one, and declares nothing global of its own', async () => {
    const source = (await get(BRIDGE_SCRIPT_PATH)).body
    const script = new vm.Script(source)
    const sandbox = vm.createContext({ location: { protocol: 'http:', host: 'x', hash: '', pathname: '/', search: '' }, history: { replaceState: () => undefined }, sessionStorage: { getItem: () => null, setItem: () => undefined }, window: {}, WebSocket: class {} })
    script.runInContext(sandbox)
    // Only window.larder is added; its internals (the socket, the queue) stay inside the script's own function.
    expect(Object.keys(vm.runInContext('globalThis', sandbox) as object).sort()).toEqual(['WebSocket', 'history', 'location', 'sessionStorage', 'window'])
    expect(Object.keys((sandbox as { window: object }).window)).toEqual(['larder'])
    expect(vm.runInContext('typeof socket', sandbox)).toBe('undefined')
  })

  it('answers calls sent right behind the hello, before the page has seen ready', async () => {
    const c = await pipelined([{ type: 'call', id: 1, name: 'vault.state', input: {} }, { type: 'call', id: 2, name: 'libraries.list', input: {} }])
    expect(JSON.parse(await c.next())).toEqual({ type: 'ready' })
    expect(JSON.parse(await c.next())).toEqual({ type: 'result', id: 1, result: { ok: true, value: { state: 'open', cipher: 'passphrase' } } })
    expect(JSON.parse(await c.next())).toMatchObject({ type: 'result', id: 2, result: { ok: true } })
    c.socket.close()
  })
})

describe('the renderer files', () => {
  it('lets the hashed build assets be cached for good, and nothing else', async () => {
    for (const asset of ['/assets/index-BVEhD3V2.js', '/assets/index-Z_xC58Hr.css']) {
      const res = await get(asset)
      expect(res.status, asset).toBe(200)
      expect(res.headers['cache-control'], asset).toBe(IMMUTABLE)
      expect(res.headers['x-content-type-options'], asset).toBe('nosniff')
      expect(res.headers['x-frame-options'], asset).toBe('DENY')
    }
    for (const other of ['/', '/index.html', BRIDGE_SCRIPT_PATH, '/larder.svg', '/assets/missing-BVEhD3V2.js', '/assets/../index.html']) {
      expect((await get(other)).headers['cache-control'], other).toBe('no-store')
    }
  })

  it('reads them once, at start: a file changed on disk afterwards is served as it was (index.html is read again)', async () => {
    const asset = path.join(rendererDir, 'assets', 'index-BVEhD3V2.js')
    const index = path.join(rendererDir, 'index.html')
    fs.writeFileSync(asset, 'console.log("changed")\n')
    fs.writeFileSync(index, INDEX.replace('<title>Larder</title>', '<title>Rebuilt</title>'))
    try {
      expect((await get('/assets/index-BVEhD3V2.js')).body).toBe('console.log("app")\n')
      expect((await get('/')).body).toContain('<title>Rebuilt</title>')
    } finally {
      fs.writeFileSync(asset, 'console.log("app")\n')
      fs.writeFileSync(index, INDEX)
    }
  })
})

describe('what goes over the socket', () => {
  it('is ASCII: anything else as a \\u escape, the same JSON value', async () => {
    const c = await pipelined([{ type: 'call', id: 1, name: 'Café Zürich — 東京 🍜', input: {} }])
    expect(JSON.parse(await c.next())).toEqual({ type: 'ready' })
    const text = await c.next()
    expect(text).toMatch(/^[\x20-\x7e]*$/)
    expect(text).toContain('Caf\\u00e9 Z\\u00fcrich \\u2014 \\u6771\\u4eac \\ud83c\\udf5c')
    expect(JSON.parse(text)).toMatchObject({ type: 'result', id: 1, result: { ok: false, error: { message: 'Unknown call "Café Zürich — 東京 🍜"' } } })
    c.socket.close()
  })

  it('asciiJson: JSON.stringify with every character above 0x7f escaped, parsing back to the same value', () => {
    const value = { name: 'Café — 東京 🍜', lone: '\ud800', plain: 'abc', nested: [{ preview: '…a91f' }] }
    const text = asciiJson(value)
    expect(text).toMatch(/^[\x20-\x7e]*$/)
    expect(JSON.parse(text)).toEqual(value)
    expect(asciiJson({ plain: 'abc' })).toBe(JSON.stringify({ plain: 'abc' }))
  })
})
