import { describe, expect, expectTypeOf, it, vi } from 'vitest'
import type { Handlers as IpcTableHandlers } from '../../../src/main/app/handlers.ts'
import type { CallName, CallResult } from '../../../src/shared/contract.ts'
import { CALL_NAMES, callChannel, eventChannel } from '../../../src/shared/names.ts'

type Listener = (event: unknown, ...args: unknown[]) => unknown

const fake = vi.hoisted(() => {
  const handlers = new Map<string, Listener>()
  const ipcMain = {
    handle: (channel: string, listener: Listener) => {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
      handlers.set(channel, listener)
    },
    removeHandler: (channel: string) => {
      handlers.delete(channel)
    }
  }
  return { handlers, ipcMain }
})

vi.mock('electron', () => ({ ipcMain: fake.ipcMain }))

const { registerBridge, sendEvent } = await import('../../../src/main/electron/ipc-main.ts')
type Handlers = Parameters<typeof registerBridge>[0]

const OWN = 'file:///app/out/renderer/index.html'
const isOwnUrl = (url: string): boolean => url.split('#')[0] === OWN

function table(): { handlers: Handlers; calls: Array<[CallName, unknown]> } {
  const calls: Array<[CallName, unknown]> = []
  const entries = CALL_NAMES.map((name) => [
    name,
    async (input: unknown): Promise<CallResult<CallName>> => {
      calls.push([name, input])
      return { ok: true, value: { removed: 'x' } } as CallResult<CallName>
    }
  ])
  return { handlers: Object.fromEntries(entries) as Handlers, calls }
}

const topFrame = { url: `${OWN}#/libraries`, parent: null }
const invoke = (name: CallName, senderFrame: unknown, input: unknown = {}): Promise<unknown> => {
  const listener = fake.handlers.get(callChannel(name))
  if (!listener) throw new Error(`no handler for ${name}`)
  return Promise.resolve(listener({ senderFrame }, input))
}

describe('registerBridge', () => {
  it('registers one channel per contract call and removes them all on dispose', () => {
    const dispose = registerBridge(table().handlers, { isOwnUrl })
    expect([...fake.handlers.keys()].sort()).toEqual(CALL_NAMES.map((name) => callChannel(name)).sort())
    expect(callChannel('libraries.list')).toBe('larder:call:libraries.list')
    dispose()
    expect(fake.handlers.size).toBe(0)
  })

  it('passes the input of our own top frame to the handler and answers its result', async () => {
    const { handlers, calls } = table()
    const dispose = registerBridge(handlers, { isOwnUrl })
    await expect(invoke('libraries.refresh', topFrame, { id: 'lib-1' })).resolves.toEqual({ ok: true, value: { removed: 'x' } })
    expect(calls).toEqual([['libraries.refresh', { id: 'lib-1' }]])
    dispose()
  })

  it.each([
    ['a null sender frame', null, 'no_frame', /navigated away or closed/],
    ['a sub-frame', { url: OWN, parent: topFrame }, 'sub_frame', /frame inside it/],
    ['a foreign URL', { url: 'https://evil.example/', parent: null }, 'foreign_url', /did not load/],
    ['another local file', { url: 'file:///tmp/evil.html', parent: null }, 'foreign_url', /did not load/]
  ])('refuses %s without calling the handler', async (_what, frame, reason, message) => {
    const { handlers, calls } = table()
    const onRefused = vi.fn()
    const dispose = registerBridge(handlers, { isOwnUrl, onRefused })
    const answer = (await invoke('libraries.copy', frame, { id: 'lib-1', format: 'token' })) as CallResult<'libraries.copy'>
    expect(answer.ok).toBe(false)
    if (!answer.ok) {
      expect(answer.error.kind).toBe('internal')
      expect(answer.error.message).toMatch(message)
    }
    expect(calls).toEqual([])
    expect(onRefused).toHaveBeenCalledWith('libraries.copy', reason)
    dispose()
  })

  it('refuses when reading the sender frame throws (frame already gone)', async () => {
    const { handlers, calls } = table()
    const dispose = registerBridge(handlers, { isOwnUrl })
    const listener = fake.handlers.get(callChannel('settings.get'))!
    const event = Object.defineProperty({}, 'senderFrame', {
      get() {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed')
      }
    })
    await expect(Promise.resolve(listener(event, {}))).resolves.toMatchObject({ ok: false, error: { kind: 'internal' } })
    expect(calls).toEqual([])
    dispose()
  })

  it('answers a generic internal error when a handler throws, without its message', async () => {
    const { handlers } = table()
    const onError = vi.fn()
    const broken = { ...handlers, 'settings.get': async () => Promise.reject(new Error('token abc123 leaked')) } as Handlers
    const dispose = registerBridge(broken, { isOwnUrl, onError })
    const answer = await invoke('settings.get', topFrame)
    expect(answer).toMatchObject({ ok: false, error: { kind: 'internal' } })
    expect(JSON.stringify(answer)).not.toContain('abc123')
    expect(onError).toHaveBeenCalledOnce()
    dispose()
  })

  it('refuses an incomplete table, and registers nothing when a channel is taken', () => {
    const { handlers } = table()
    const incomplete = { ...handlers } as Record<string, unknown>
    delete incomplete['audit.page']
    expect(() => registerBridge(incomplete as Handlers, { isOwnUrl })).toThrow(/audit\.page/)
    expect(fake.handlers.size).toBe(0)
    fake.ipcMain.handle(callChannel('settings.update'), () => undefined)
    expect(() => registerBridge(handlers, { isOwnUrl })).toThrow(/second handler/)
    expect([...fake.handlers.keys()]).toEqual([callChannel('settings.update')])
    fake.handlers.clear()
  })

  it('can be scoped to one window with webContents.ipc', async () => {
    const scoped = new Map<string, Listener>()
    const host = { handle: (channel: string, listener: Listener) => void scoped.set(channel, listener), removeHandler: (c: string) => void scoped.delete(c) }
    const dispose = registerBridge(table().handlers, { isOwnUrl, host: host as unknown as NonNullable<Parameters<typeof registerBridge>[1]['host']> })
    expect(scoped.size).toBe(CALL_NAMES.length)
    expect(fake.handlers.size).toBe(0)
    dispose()
    expect(scoped.size).toBe(0)
  })
})

describe('the handler table', () => {
  it('built by src/main/ipc.ts fits registerBridge', () => {
    expectTypeOf<IpcTableHandlers>().toExtend<Handlers>()
  })
})

describe('sendEvent', () => {
  it('sends on the channel the preload listens to, unless the page is gone', () => {
    const sent: unknown[][] = []
    let destroyed = false
    const contents = { isDestroyed: () => destroyed, send: (...args: unknown[]) => void sent.push(args) }
    type Contents = Parameters<typeof sendEvent>[0]
    expect(sendEvent(contents as unknown as Contents, 'library.removed', { id: 'lib-1' })).toBe(true)
    expect(sent).toEqual([[eventChannel('library.removed'), { id: 'lib-1' }]])
    expect(eventChannel('library.removed')).toBe('larder:event:library.removed')
    destroyed = true
    expect(sendEvent(contents as unknown as Contents, 'library.removed', { id: 'lib-2' })).toBe(false)
    expect(sent).toHaveLength(1)
  })
})
