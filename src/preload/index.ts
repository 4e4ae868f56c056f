// Exposes exactly the bridge contract on `window.larder`: one invoke per known call, one subscription per
// known event. No ipcRenderer, no event objects, no unwrapped callbacks cross into the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { CallInput, CallName, CallResult, EventName, EventPayloads, LarderBridge } from '../shared/contract.ts'
import { CALL_NAMES, EVENT_NAMES, callChannel, eventChannel } from '../shared/names.ts'

const knownCalls: ReadonlySet<string> = new Set(CALL_NAMES)
const knownEvents: ReadonlySet<string> = new Set(EVENT_NAMES)

const bridge: LarderBridge = {
  host: 'electron',
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> {
    if (!knownCalls.has(name)) {
      return Promise.resolve({ ok: false, error: { kind: 'invalid_input', message: `Unknown call "${String(name)}"` } })
    }
    return ipcRenderer.invoke(callChannel(name), input) as Promise<CallResult<N>>
  },
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    if (!knownEvents.has(event)) throw new Error(`Unknown event "${String(event)}"`)
    if (typeof listener !== 'function') throw new Error('listener must be a function')
    const channel = eventChannel(event)
    const forward = (_event: IpcRendererEvent, payload: EventPayloads[E]): void => listener(payload)
    ipcRenderer.on(channel, forward)
    return () => {
      ipcRenderer.removeListener(channel, forward)
    }
  }
}

contextBridge.exposeInMainWorld('larder', bridge)
