// The Electron preload asks for the vault's state and the list's first page while it runs, as the browser host's web-bridge does,
// so the main side builds them while the page's script loads. The app's first call of each takes the early answer;
// events newer than the early answers wait until the app has taken them, so none is lost or applied before the list.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { LarderBridge } from '../../../src/shared/contract.ts'
import { FIRST_PAGE_ROWS, listLocale } from '../../../src/shared/list-paging.ts'
import { callChannel, eventChannel } from '../../../src/shared/names.ts'

const exposed = new Map<string, unknown>()
const answers = new Map<string, (value: unknown) => void>()
const invoke = vi.fn((channel: string, _input: unknown) => new Promise((resolve) => answers.set(channel, resolve)))
const listeners = new Map<string, Set<(...args: unknown[]) => void>>()

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke,
    on: (channel: string, fn: (...args: unknown[]) => void) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(fn)),
    removeListener: (channel: string, fn: (...args: unknown[]) => void) => listeners.get(channel)?.delete(fn)
  }
}))

const OPEN = { ok: true, value: { state: 'open', cipher: 'passphrase' } }
const COUNTS = { healthy: 1, expiring_soon: 0, expired: 0, refreshing: 0, needs_reauth: 0, error: 0, revoked: 0 }
const LIST = { ok: true, value: { version: '', total: 1, counts: COUNTS, rows: [{ id: 'a', name: 'Early' }] } }
/** What the app's store asks with: the early call's input, key for key. */
const FIRST = { count: FIRST_PAGE_ROWS, locale: listLocale(navigator.language) }
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))
const emit = (event: string, payload: unknown): void => {
  for (const fn of [...(listeners.get(eventChannel(event as never)) ?? [])]) fn({ sender: 'ipc-event-object' }, payload)
}

let bridge: LarderBridge
beforeEach(async () => {
  vi.resetModules()
  exposed.clear()
  listeners.clear()
  answers.clear()
  invoke.mockClear()
  await import('../../../src/preload/index.ts')
  bridge = exposed.get('larder') as LarderBridge
})

describe('the preload at start-up', () => {
  it('asks for the vault state and the list as it runs, and answers the app from them without asking again', async () => {
    expect(invoke.mock.calls.map(([channel]) => channel)).toEqual([callChannel('vault.state'), callChannel('libraries.listFirst')])
    expect(invoke.mock.calls[1]?.[1]).toEqual({ count: 200, locale: FIRST.locale })
    answers.get(callChannel('vault.state'))?.(OPEN)
    answers.get(callChannel('libraries.listFirst'))?.(LIST)
    expect(await bridge.call('vault.state', {})).toEqual(OPEN)
    expect(await bridge.call('libraries.listFirst', FIRST)).toEqual(LIST)
    expect(invoke).toHaveBeenCalledTimes(2)
    // Taken once: the next call asks the main side.
    void bridge.call('libraries.listFirst', FIRST)
    expect(invoke).toHaveBeenLastCalledWith(callChannel('libraries.listFirst'), FIRST)
  })

  it('holds events newer than the early answers until the app has taken them, then delivers them in order', async () => {
    const seen: string[] = []
    bridge.on('library.removed', ({ id }) => void seen.push(`removed ${id}`))
    emit('library.removed', { id: 'before' })
    answers.get(callChannel('vault.state'))?.(OPEN)
    await tick()
    emit('library.removed', { id: 'held-1' })
    answers.get(callChannel('libraries.listFirst'))?.(LIST)
    emit('library.removed', { id: 'held-2' })
    // Older than the early answers: straight through. Newer: held while the app has not taken them.
    expect(seen).toEqual(['removed before'])
    await bridge.call('vault.state', {})
    const list = await bridge.call('libraries.listFirst', FIRST)
    seen.push(`list ${list.ok ? list.value.rows.length : 'refused'}`)
    await tick()
    expect(seen).toEqual(['removed before', 'list 1', 'removed held-1', 'removed held-2'])
    emit('library.removed', { id: 'after' })
    expect(seen.at(-1)).toBe('removed after')
    // The preload no longer listens on its own: only the app's listener is left on the channel.
    expect(listeners.get(eventChannel('library.removed'))?.size).toBe(1)
  })

  it('a vault that is not open: the list is asked for again once the app wants it, and events flow', async () => {
    const seen: string[] = []
    bridge.on('vault.state', (state) => void seen.push(state.state))
    answers.get(callChannel('vault.state'))?.({ ok: true, value: { state: 'locked', mode: 'unlock' } })
    answers.get(callChannel('libraries.listFirst'))?.({ ok: false, error: { kind: 'locked', message: 'Larder is locked' } })
    expect(await bridge.call('vault.state', {})).toMatchObject({ ok: true, value: { state: 'locked' } })
    await tick()
    emit('vault.state', { state: 'open', cipher: 'passphrase' })
    expect(seen).toEqual(['open'])
    const list = bridge.call('libraries.listFirst', FIRST)
    await tick()
    expect(invoke).toHaveBeenLastCalledWith(callChannel('libraries.listFirst'), FIRST)
    answers.get(callChannel('libraries.listFirst'))?.(LIST)
    expect(await list).toEqual(LIST)
  })

  it('a first page asked with another count is not the early one: it is sent, and what was held goes first', async () => {
    const seen: string[] = []
    bridge.on('library.removed', ({ id }) => void seen.push(`removed ${id}`))
    answers.get(callChannel('vault.state'))?.(OPEN)
    await bridge.call('vault.state', {})
    await tick()
    emit('library.removed', { id: 'held' })
    expect(seen).toEqual([])
    void bridge.call('libraries.listFirst', { ...FIRST, count: 50 })
    expect(invoke).toHaveBeenCalledTimes(3)
    expect(invoke).toHaveBeenLastCalledWith(callChannel('libraries.listFirst'), { ...FIRST, count: 50 })
    expect(seen).toEqual(['removed held'])
  })

  it('an app that reads the whole list: its call is sent, and what was held goes first', async () => {
    const seen: string[] = []
    bridge.on('library.removed', ({ id }) => void seen.push(`removed ${id}`))
    answers.get(callChannel('vault.state'))?.(OPEN)
    await bridge.call('vault.state', {})
    await tick()
    emit('library.removed', { id: 'held' })
    void bridge.call('libraries.list', {})
    expect(invoke).toHaveBeenLastCalledWith(callChannel('libraries.list'), {})
    expect(seen).toEqual(['removed held'])
    emit('library.removed', { id: 'after' })
    expect(seen).toEqual(['removed held', 'removed after'])
  })
})
