// Start-up in the Electron window: the two answers the app needs before it can show anything (where the vault
// stands, then every library) are asked for while the preload runs, so the main side builds them while the page's
// script loads, as the browser host's web-bridge does. The app's first call of each (with no input) takes the
// early answer, once. Events that arrive after the first early answer are newer than it: they are held until the
// app has taken the early answers and acted on them, then reach its listeners in order (an app that never asks
// gets them after EARLY_WAIT_MS). Events before it are older and go through as always.
import type { CallName, EventName } from '../shared/contract.ts'

export const EARLY_CALLS = ['vault.state', 'libraries.list'] as const satisfies readonly CallName[]
/** Early answers not taken by then are dropped and held events delivered. */
export const EARLY_WAIT_MS = 10_000

export interface EarlyCallPorts {
  /** Asks the main side (ipcRenderer.invoke on the call's channel). */
  invoke(name: CallName, input: unknown): Promise<unknown>
  /** Hears every event while the early answers are pending; returns what stops it. */
  listen(capture: (event: EventName, payload: unknown) => void): () => void
  /** Hands a held event to the app's listeners. */
  deliver(event: EventName, payload: unknown): void
  setTimeout(callback: () => void, ms: number): unknown
}

export interface EarlyCalls {
  /** The early answer for the app's first call of `name` with no input, once; else null (ask the main side). */
  take(name: CallName, input: unknown): Promise<unknown> | null
  /** While true, an event is held here and must not reach the app's listeners directly. */
  holding(): boolean
}

export function startEarlyCalls(ports: EarlyCallPorts): EarlyCalls {
  const early = new Map<CallName, Promise<unknown>>()
  let held: { readonly event: EventName; readonly payload: unknown }[] | null = null
  const stopListening = ports.listen((event, payload) => held?.push({ event, payload }))

  const release = (): void => {
    early.clear()
    stopListening()
    const events = held ?? []
    held = null
    for (const { event, payload } of events) ports.deliver(event, payload)
  }
  // After the app's own continuation of the answer it took (microtasks) has run: a task later.
  const releaseSoon = (): void => void ports.setTimeout(release, 0)

  for (const name of EARLY_CALLS) {
    const answer = ports.invoke(name, {})
    // Taken, it rejects as the app's own call would have; never taken, nobody is told.
    answer.catch(() => undefined)
    early.set(name, answer)
  }
  void early.get('vault.state')?.then(() => {
    if (early.size === 0) return
    held ??= []
    ports.setTimeout(release, EARLY_WAIT_MS)
  }, release)

  return {
    holding: () => held !== null,
    take(name, input) {
      const answer = early.get(name)
      if (answer === undefined || !isEmptyInput(input)) return null
      early.delete(name)
      return answer.then((result) => {
        const ok = isRecord(result) && result['ok'] === true
        if (name === 'vault.state') {
          // A vault that is not open has no list to give: the app asks again once it is.
          const open = ok && isRecord(result['value']) && result['value']['state'] === 'open'
          if (!open) releaseSoon()
          return result
        }
        releaseSoon()
        // Refused early (the vault closed meanwhile): the app's own call is sent now.
        return ok ? result : ports.invoke(name, input)
      })
    }
  }
}

function isEmptyInput(input: unknown): boolean {
  return isRecord(input) && Object.keys(input).length === 0
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
