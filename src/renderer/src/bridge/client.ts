// The one place the renderer touches `window.larder`. Everything else asks this client, which answers a
// CallResult even when Larder is not there (a plain page) or the transport broke, so no caller needs a catch.
import type { CallInput, CallName, CallResult, EventName, EventPayloads, LarderBridge } from '../../../shared/contract.ts'

export const NOT_CONNECTED = 'Not connected to Larder. This page runs outside the Larder app, so it cannot see or change any library.'

export interface BridgeClient {
  /** False in a plain page without Larder's bridge: every call then answers an error saying so. */
  readonly connected: boolean
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>>
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void
}

/** The bridge the preload (or the browser host) put on the page, looked up when asked, never at import. */
export function findBridge(): LarderBridge | null {
  const candidate = (globalThis as { larder?: unknown }).larder
  if (typeof candidate !== 'object' || candidate === null) return null
  const bridge = candidate as Partial<LarderBridge>
  return typeof bridge.call === 'function' && typeof bridge.on === 'function' ? (candidate as LarderBridge) : null
}

function failure<N extends CallName>(kind: 'internal', message: string): CallResult<N> {
  return { ok: false, error: { kind, message } }
}

function isCallResult(value: unknown): value is { ok: boolean } {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean'
}

export function createBridgeClient(bridge: LarderBridge | null): BridgeClient {
  if (bridge === null) {
    return {
      connected: false,
      call: <N extends CallName>() => Promise.resolve(failure<N>('internal', NOT_CONNECTED)),
      on: () => () => undefined
    }
  }
  return {
    connected: true,
    async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> {
      try {
        const result: unknown = await bridge.call(name, input)
        if (isCallResult(result)) return result as CallResult<N>
        return failure<N>('internal', `Larder sent an answer to ${name} that this window does not understand.`)
      } catch (error) {
        const reason = error instanceof Error && error.message !== '' ? ` (${error.message})` : ''
        return failure<N>('internal', `Larder did not answer ${name}${reason}. If this keeps happening, restart Larder.`)
      }
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
      try {
        return bridge.on(event, listener)
      } catch {
        return () => undefined
      }
    }
  }
}
