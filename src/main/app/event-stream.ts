// The app's one typed stream of contract events. A host forwards it to its clients (a window, sockets); every
// registration answers its own disposer, so a host that goes away leaves nothing behind.
import type { EventName, EventPayloads } from '../../shared/contract.ts'

export type AnyEventListener = <E extends EventName>(name: E, payload: EventPayloads[E]) => void

export class EventStream {
  readonly #listeners = new Set<AnyEventListener>()
  readonly #passes: (name: EventName) => boolean

  /** `passes`: whether an event goes out now (the app lock holds library and key events back). Default: every one. */
  constructor(passes: (name: EventName) => boolean = () => true) {
    this.#passes = passes
  }

  /** Every event, in order. */
  onAny(listener: AnyEventListener): () => void {
    this.#listeners.add(listener)
    return () => void this.#listeners.delete(listener)
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayloads[E]) => void): () => void {
    return this.onAny((event: EventName, payload: EventPayloads[EventName]) => {
      if (event === name) listener(payload as EventPayloads[E])
    })
  }

  emit<E extends EventName>(name: E, payload: EventPayloads[E]): void {
    if (!this.#passes(name)) return
    for (const listener of [...this.#listeners]) listener(name, payload)
  }

  listenerCount(): number {
    return this.#listeners.size
  }
}
