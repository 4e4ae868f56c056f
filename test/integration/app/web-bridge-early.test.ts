// The browser host's page bridge asks for the answers the app needs first (the vault's state, then the list's first page) as soon
// as its socket opens, while the app's own script loads; the app's first call of each takes the early answer. Events
// newer than the early answers wait until the app has taken them, so none is lost or applied before the list.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { LarderBridge } from '../../../src/shared/contract.ts'
import { FIRST_PAGE_ROWS, listLocale } from '../../../src/shared/list-paging.ts'

class FakeSocket {
  static last: FakeSocket | null = null
  readyState = 1
  onopen: (() => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  onclose: ((event: { code: number; reason: string }) => void) | null = null
  readonly sent: { type: string; id?: number; name?: string; input?: unknown }[] = []
  readonly url: string
  constructor(url: string) {
    this.url = url
    FakeSocket.last = this
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data) as { type: string; id?: number; name?: string; input?: unknown })
  }
  receive(message: object): void {
    this.onmessage?.({ data: JSON.stringify(message) })
  }
}

const globals = globalThis as Record<string, unknown>
const saved = new Map<string, unknown>()

async function loadBridge(): Promise<{ bridge: LarderBridge; socket: FakeSocket }> {
  vi.resetModules()
  await import('../../browser-host/web-bridge.ts')
  const bridge = (globals['window'] as { larder: LarderBridge }).larder
  const socket = FakeSocket.last!
  socket.onopen?.()
  socket.receive({ type: 'ready' })
  return { bridge, socket }
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))
const OPEN = { ok: true, value: { state: 'open', cipher: 'passphrase' } }
const COUNTS = { healthy: 1, expiring_soon: 0, expired: 0, refreshing: 0, needs_reauth: 0, error: 0, revoked: 0 }
const LIST = { ok: true, value: { version: '', total: 1, counts: COUNTS, rows: [{ id: 'a', name: 'Early' }] } }
/** What the app's store asks with: the early call's input, key for key. */
const FIRST = { count: FIRST_PAGE_ROWS, locale: listLocale(navigator.language) }

beforeEach(() => {
  for (const name of ['WebSocket', 'location', 'history', 'sessionStorage', 'window']) saved.set(name, globals[name])
  const storage = new Map<string, string>()
  Object.assign(globals, {
    WebSocket: FakeSocket,
    location: { protocol: 'http:', host: '127.0.0.1:1', hash: '#bridge=secret', pathname: '/', search: '' },
    history: { replaceState: () => undefined },
    sessionStorage: { getItem: (key: string) => storage.get(key) ?? null, setItem: (key: string, value: string) => void storage.set(key, value) },
    window: {}
  })
})

afterEach(() => {
  for (const [name, value] of saved) globals[name] = value
})

describe('the page bridge at start-up', () => {
  it('sends hello and the early calls the moment the socket opens, without a round trip for ready', async () => {
    vi.resetModules()
    await import('../../browser-host/web-bridge.ts')
    const bridge = (globals['window'] as { larder: LarderBridge }).larder
    const socket = FakeSocket.last!
    void bridge.call('app.info', {})
    expect(socket.sent).toEqual([])
    socket.onopen?.()
    expect(socket.sent.map((m) => (m.type === 'call' ? m.name : m.type))).toEqual(['hello', 'vault.state', 'libraries.listFirst', 'app.info'])
    // After open, before ready: straight out.
    void bridge.call('settings.get', {})
    expect(socket.sent.at(-1)).toMatchObject({ type: 'call', name: 'settings.get' })
    socket.receive({ type: 'ready' })
    expect(socket.sent).toHaveLength(5)
  })

  it('asks for the vault state and the list first, and answers the app from them without asking again', async () => {
    const { bridge, socket } = await loadBridge()
    expect(socket.sent.map((m) => m.type === 'call' && m.name)).toEqual([false, 'vault.state', 'libraries.listFirst'])
    expect(socket.sent[2]?.input).toEqual({ count: 200, locale: FIRST.locale })
    const [stateCall, listCall] = socket.sent.slice(1)
    socket.receive({ type: 'result', id: stateCall!.id, result: OPEN })
    socket.receive({ type: 'result', id: listCall!.id, result: LIST })
    expect(await bridge.call('vault.state', {})).toEqual(OPEN)
    expect(await bridge.call('libraries.listFirst', FIRST)).toEqual(LIST)
    expect(socket.sent).toHaveLength(3)
    // Taken once: the next call asks the host.
    void bridge.call('libraries.listFirst', FIRST)
    expect(socket.sent.at(-1)).toMatchObject({ type: 'call', name: 'libraries.listFirst' })
  })

  it('holds events newer than the early answers until the app has taken them, then delivers them in order', async () => {
    const { bridge, socket } = await loadBridge()
    const [stateCall, listCall] = socket.sent.slice(1)
    const seen: string[] = []
    bridge.on('library.changed', (view) => void seen.push(`changed ${view.name}`))
    bridge.on('library.removed', ({ id }) => void seen.push(`removed ${id}`))
    socket.receive({ type: 'event', name: 'library.removed', payload: { id: 'before' } })
    socket.receive({ type: 'result', id: stateCall!.id, result: OPEN })
    socket.receive({ type: 'result', id: listCall!.id, result: LIST })
    socket.receive({ type: 'events', list: [{ type: 'event', name: 'library.changed', payload: { id: 'a', name: 'Later' } }, { type: 'event', name: 'library.removed', payload: { id: 'b' } }] })
    // Older than the early answers: straight through. Newer: held while the app has not taken them.
    expect(seen).toEqual(['removed before'])
    await tick()
    expect(seen).toEqual(['removed before'])
    await bridge.call('vault.state', {})
    const list = await bridge.call('libraries.listFirst', FIRST)
    // The app acts on the list before the held events reach it.
    seen.push(`list ${list.ok ? list.value.rows.length : 'refused'}`)
    await tick()
    expect(seen).toEqual(['removed before', 'list 1', 'changed Later', 'removed b'])
    socket.receive({ type: 'event', name: 'library.removed', payload: { id: 'c' } })
    expect(seen.at(-1)).toBe('removed c')
  })

  it('a vault that is not open: the list is asked for again once the app wants it, and events flow', async () => {
    const { bridge, socket } = await loadBridge()
    const [stateCall, listCall] = socket.sent.slice(1)
    const seen: string[] = []
    bridge.on('vault.state', (state) => void seen.push(state.state))
    socket.receive({ type: 'result', id: stateCall!.id, result: { ok: true, value: { state: 'locked', mode: 'unlock' } } })
    socket.receive({ type: 'result', id: listCall!.id, result: { ok: false, error: { kind: 'locked', message: 'Larder is locked' } } })
    socket.receive({ type: 'event', name: 'vault.state', payload: { state: 'open', cipher: 'passphrase' } })
    expect(await bridge.call('vault.state', {})).toMatchObject({ ok: true, value: { state: 'locked' } })
    await tick()
    expect(seen).toEqual(['open'])
    const list = bridge.call('libraries.listFirst', FIRST)
    const asked = socket.sent.at(-1)!
    expect(asked).toMatchObject({ type: 'call', name: 'libraries.listFirst' })
    socket.receive({ type: 'result', id: asked.id, result: LIST })
    expect(await list).toEqual(LIST)
  })

  it('rebuilds a list sent as rows into exactly the objects the host had, keys in the same order', async () => {
    const { packedRows } = await import('../../browser-host/host.ts')
    const { bridge, socket } = await loadBridge()
    const list = Array.from({ length: 100 }, (_, i) => ({
      id: `lib-${i}`,
      name: `Library "${i}" \u0000`,
      scopes: ['library', 'accounts'],
      lastError: i % 2 === 0 ? null : { kind: 'network', at: i },
      ...(i % 3 === 0 ? { personal: { role: 'library' } } : {}),
      status: 'healthy',
      ...(i % 4 === 0 ? { health: { nextAt: i } } : {})
    }))
    const answer = bridge.call('audit.page', { limit: 100 })
    socket.receive({ type: 'result', id: socket.sent.at(-1)!.id, rows: packedRows({ ok: true, value: list }) })
    expect(JSON.stringify(await answer)).toBe(JSON.stringify({ ok: true, value: list }))
  })

  it('rebuilds a first page sent as rows: the same object, keys in the same order', async () => {
    const { packedRows } = await import('../../browser-host/host.ts')
    const { bridge, socket } = await loadBridge()
    const rows = Array.from({ length: 100 }, (_, i) => ({ id: `lib-${i}`, name: `Café ${i}`, status: 'healthy', ...(i % 3 === 0 ? { personal: { role: 'library' } } : {}) }))
    const page = { version: 's1-x', total: 5_000, counts: COUNTS, rows }
    const answer = bridge.call('libraries.listFirst', { ...FIRST, count: 100 })
    const packed = packedRows({ ok: true, value: page })
    expect(packed?.rows).toHaveLength(100)
    socket.receive({ type: 'result', id: socket.sent.at(-1)!.id, rows: packed })
    expect(JSON.stringify(await answer)).toBe(JSON.stringify({ ok: true, value: page }))
    const chunk = { rows, done: false }
    const more = bridge.call('libraries.listMore', { version: 's1-x', from: 100, count: 100 })
    socket.receive({ type: 'result', id: socket.sent.at(-1)!.id, rows: packedRows({ ok: true, value: chunk }) })
    expect(JSON.stringify(await more)).toBe(JSON.stringify({ ok: true, value: chunk }))
  })

  it.each([
    ['libraries.listFirst', { ...FIRST, count: 50 }],
    ['libraries.list', {}]
  ] as const)('a read of the list the early call does not answer (%s %j) is sent, and what was held goes first', async (name, input) => {
    const { bridge, socket } = await loadBridge()
    const [stateCall] = socket.sent.slice(1)
    const seen: string[] = []
    bridge.on('library.removed', ({ id }) => void seen.push(`removed ${id}`))
    socket.receive({ type: 'result', id: stateCall!.id, result: OPEN })
    await bridge.call('vault.state', {})
    await tick()
    socket.receive({ type: 'event', name: 'library.removed', payload: { id: 'held' } })
    expect(seen).toEqual([])
    void bridge.call(name, input)
    expect(socket.sent).toHaveLength(4)
    expect(socket.sent.at(-1)).toMatchObject({ type: 'call', name, input })
    expect(seen).toEqual(['removed held'])
  })

  it('a page the host refused: the early answers reject as the calls themselves would', async () => {
    const { bridge, socket } = await loadBridge()
    socket.onclose?.({ code: 1008, reason: 'hello with the bridge secret expected' })
    await expect(bridge.call('libraries.listFirst', FIRST)).rejects.toThrow('The browser host refused this page (wrong or missing bridge secret)')
    await expect(bridge.call('app.info', {})).rejects.toThrow('The browser host refused this page')
  })
})
