// One shared clock for every time label. Only the cells that show a time subscribe to it, each through a
// selector that answers its label, so a tick re-renders just the labels whose text changed.
import { createStore, type StoreApi } from 'zustand/vanilla'
import { nextTickDelay } from '../lib/time.ts'

export interface NowState {
  readonly now: number
}

export type NowStore = StoreApi<NowState>

export function createNowStore(start: number = Date.now()): NowStore {
  return createStore<NowState>()(() => ({ now: start }))
}

export interface TickerClock {
  now(): number
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

const systemClock: TickerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
}

export interface Ticker {
  stop(): void
  /** Ticks at once and plans the next tick again (after the window was hidden, or the machine slept). */
  poke(): void
}

/** Ticks `store` every second while some expiry is within a minute, every 30 s otherwise (see nextTickDelay). */
export function startTicker(store: NowStore, expiries: () => Iterable<number | null>, clock: TickerClock = systemClock): Ticker {
  let handle: unknown = null
  let stopped = false
  const tick = (): void => {
    if (stopped) return
    if (handle !== null) clock.clearTimeout(handle)
    const now = clock.now()
    store.setState({ now })
    handle = clock.setTimeout(tick, nextTickDelay(expiries(), now))
  }
  tick()
  return {
    stop() {
      stopped = true
      if (handle !== null) clock.clearTimeout(handle)
      handle = null
    },
    poke: tick
  }
}
