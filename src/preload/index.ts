// Exposes exactly the bridge contract on `window.larder`: one invoke per known call, one subscription per
// known event. No ipcRenderer, no event objects, no unwrapped callbacks cross into the page. The vault's state and
// the list's first page are asked for as the preload runs (early-calls.ts).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { CallInput, CallName, CallResult, EventName, EventPayloads, LarderBridge } from '../shared/contract.ts'
import { listLocale } from '../shared/list-paging.ts'
import { CALL_NAMES, EVENT_NAMES, callChannel, eventChannel } from '../shared/names.ts'
import { startEarlyCalls } from './early-calls.ts'

const knownCalls: ReadonlySet<string> = new Set(CALL_NAMES)
const knownEvents: ReadonlySet<string> = new Set(EVENT_NAMES)

// The app's listeners, for the events early-calls.ts held while the first answers were pending.
const appListeners = new Map<EventName, Set<(payload: unknown) => void>>()
const early = startEarlyCalls({
  invoke: (name, input) => ipcRenderer.invoke(callChannel(name), input),
  listen(capture) {
    const stops = EVENT_NAMES.map((event) => {
      const hear = (_event: IpcRendererEvent, payload: unknown): void => capture(event, payload)
      ipcRenderer.on(eventChannel(event), hear)
      return () => void ipcRenderer.removeListener(eventChannel(event), hear)
    })
    return () => stops.forEach((stop) => stop())
  },
  deliver(event, payload) {
    for (const listener of appListeners.get(event) ?? []) {
      try {
        listener(payload)
      } catch (error) {
        console.error(error)
      }
    }
  },
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  // The renderer's own rule (library-query.ts pageLocale): the same language, so the same input.
  locale: listLocale(navigator.language)
})

const bridge: LarderBridge = {
  host: 'electron',
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> {
    if (!knownCalls.has(name)) {
      return Promise.resolve({ ok: false, error: { kind: 'invalid_input', message: `Unknown call "${String(name)}"` } })
    }
    return (early.take(name, input) ?? ipcRenderer.invoke(callChannel(name), input)) as Promise<CallResult<N>>
  },
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    if (!knownEvents.has(event)) throw new Error(`Unknown event "${String(event)}"`)
    if (typeof listener !== 'function') throw new Error('listener must be a function')
    const channel = eventChannel(event)
    const deliver = (payload: unknown): void => listener(payload as EventPayloads[E])
    const forward = (_event: IpcRendererEvent, payload: EventPayloads[E]): void => {
      if (!early.holding()) listener(payload)
    }
    const listeners = appListeners.get(event) ?? new Set<(payload: unknown) => void>()
    appListeners.set(event, listeners.add(deliver))
    ipcRenderer.on(channel, forward)
    return () => {
      listeners.delete(deliver)
      ipcRenderer.removeListener(channel, forward)
    }
  }
}

contextBridge.exposeInMainWorld('larder', bridge)
