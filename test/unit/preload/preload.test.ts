import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { LarderBridge } from '../../../src/shared/contract.ts'
import { CALL_NAMES, EVENT_NAMES, callChannel, eventChannel } from '../../../src/shared/names.ts'

// A fake of exactly what the preload touches: contextBridge and ipcRenderer.
const exposed = new Map<string, unknown>()
const invoke = vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } }))
const listeners = new Map<string, Set<(...args: unknown[]) => void>>()

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke,
    on: (channel: string, fn: (...args: unknown[]) => void) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(fn)),
    removeListener: (channel: string, fn: (...args: unknown[]) => void) => listeners.get(channel)?.delete(fn)
  }
}))

let bridge: LarderBridge
beforeEach(async () => {
  vi.resetModules()
  exposed.clear()
  listeners.clear()
  invoke.mockClear()
  await import('../../../src/preload/index.ts')
  bridge = exposed.get('larder') as LarderBridge
  // The app has started: it took the two answers the preload asked for early (early-calls.test.ts), and the preload
  // has let go of the events it listened to meanwhile.
  await bridge.call('vault.state', {})
  await bridge.call('libraries.list', {})
  await new Promise((resolve) => setTimeout(resolve, 0))
  invoke.mockClear()
})

describe('preload', () => {
  it('exposes one object, "larder", with exactly host, call and on — no ipcRenderer', () => {
    expect([...exposed.keys()]).toEqual(['larder'])
    expect(Object.keys(bridge).sort()).toEqual(['call', 'host', 'on'])
    expect(bridge.host).toBe('electron')
  })

  it('sends each known call on its own channel', async () => {
    for (const name of CALL_NAMES) {
      await bridge.call(name, {} as never)
      expect(invoke).toHaveBeenLastCalledWith(callChannel(name), {})
    }
  })

  it('refuses an unknown call without touching IPC', async () => {
    const result = await bridge.call('shell.openExternal' as never, {} as never)
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid_input' } })
    expect(invoke).not.toHaveBeenCalled()
  })

  it('passes only the payload to listeners (never the IPC event), and unsubscribes', () => {
    const seen: unknown[][] = []
    const dispose = bridge.on('library.removed', (...args: unknown[]) => seen.push(args))
    const channel = eventChannel('library.removed')
    for (const fn of listeners.get(channel) ?? []) fn({ sender: 'ipc-event-object' }, { id: 'x' })
    expect(seen).toEqual([[{ id: 'x' }]])
    dispose()
    expect(listeners.get(channel)?.size).toBe(0)
    expect(() => bridge.on('anything' as never, () => undefined)).toThrow(/Unknown event/)
    expect(EVENT_NAMES).toContain('library.changed')
  })
})
