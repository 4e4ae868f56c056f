// The browser host sends the events of one turn as one message, in order, and always before the next answer: a
// refresh wave's two thousand events cost the host (and the page) a hundred messages, not two thousand.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket, type RawData } from 'ws'
import { assembleCore, type AssembledCore } from '../../browser-host/assemble.ts'
import { BRIDGE_PATH, startBrowserHost, type BrowserHost } from '../../browser-host/host.ts'
import { FAST_SCRYPT } from '../../support/core-harness.ts'

let tmp: string
let assembled: AssembledCore
let host: BrowserHost

beforeEach(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-host-batches-'))
  const rendererDir = path.join(tmp, 'renderer')
  fs.mkdirSync(rendererDir)
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><html><head></head><body></body></html>')
  assembled = await assembleCore({ dataDir: path.join(tmp, 'data'), scryptCost: FAST_SCRYPT })
  host = await startBrowserHost({ app: assembled.app, rendererDir })
})

afterEach(async () => {
  await host.close()
  await assembled.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

async function connect(): Promise<{ socket: WebSocket; messages: unknown[]; next(): Promise<unknown> }> {
  const socket = new WebSocket(`${host.url.replace('http', 'ws')}${BRIDGE_PATH}`, { origin: host.url })
  const messages: unknown[] = []
  const waiting: ((message: unknown) => void)[] = []
  let taken = 0
  socket.on('message', (data: RawData) => {
    messages.push(JSON.parse(String(data)))
    if (waiting.length > 0) waiting.shift()!(messages[taken++])
  })
  const next = (): Promise<unknown> => new Promise((resolve) => (taken < messages.length ? resolve(messages[taken++]) : waiting.push(resolve)))
  await new Promise<void>((resolve) => socket.once('open', () => resolve()))
  socket.send(JSON.stringify({ type: 'hello', secret: host.secret }))
  expect(await next()).toEqual({ type: 'ready' })
  return { socket, messages, next }
}

describe('browser host events', () => {
  it("sends one turn's events as one message, in order, before the next answer", async () => {
    const page = await connect()
    const ids = Array.from({ length: 50 }, (_, i) => `gone-${i}`)
    for (const id of ids) assembled.app.events.emit('library.removed', { id })
    page.socket.send(JSON.stringify({ type: 'call', id: 1, name: 'vault.state', input: {} }))
    const first = await page.next()
    expect(first).toEqual({ type: 'events', list: ids.map((id) => ({ type: 'event', name: 'library.removed', payload: { id } })) })
    expect(await page.next()).toMatchObject({ type: 'result', id: 1, result: { ok: true } })
    // A lone event goes out as it always did.
    assembled.app.events.emit('library.removed', { id: 'one' })
    expect(await page.next()).toEqual({ type: 'event', name: 'library.removed', payload: { id: 'one' } })
    expect(page.messages).toHaveLength(4)
    page.socket.close()
  })
})

describe('browser host lists', () => {
  it('sends a long list as rows, each key list once; anything else as it is', async () => {
    const { packedRows, PACK_ROWS_FROM } = await import('../../browser-host/host.ts')
    const list = Array.from({ length: PACK_ROWS_FROM + 3 }, (_, i) => ({
      id: `lib-${i}`,
      name: `Library "${i}"`,
      scopes: ['library'],
      lastError: i % 2 === 0 ? null : { kind: 'network', at: i },
      ...(i % 3 === 0 ? { health: { nextAt: i } } : {}),
      ...(i % 5 === 0 ? { later: undefined } : {})
    }))
    const packed = packedRows({ ok: true, value: list })
    expect(packed?.shapes).toHaveLength(2)
    const text = JSON.stringify({ type: 'result', id: 7, rows: packed })
    expect(text.length).toBeLessThan(JSON.stringify({ type: 'result', id: 7, result: { ok: true, value: list } }).length * 0.8)
    // Short lists, refusals and anything that is not a list of objects go as they are.
    expect(packedRows({ ok: true, value: list.slice(0, 3) })).toBeNull()
    expect(packedRows({ ok: false, error: { kind: 'internal', message: 'x' } })).toBeNull()
    expect(packedRows({ ok: true, value: Array.from({ length: 100 }, (_, i) => i) })).toBeNull()
    expect(packedRows({ ok: true, value: [...list, JSON.parse('{"__proto__": {"x": 1}}') as object] })).toBeNull()

    // An empty vault's list goes as it is.
    const page = await connect()
    page.socket.send(JSON.stringify({ type: 'call', id: 1, name: 'libraries.list', input: {} }))
    expect(await page.next()).toEqual({ type: 'result', id: 1, result: { ok: true, value: [] } })
    page.socket.close()
  })
})
