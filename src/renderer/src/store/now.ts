// One shared clock for every time label. Only the cells that show a time subscribe to it, each through a
// selector that answers its label, so a tick re-renders just the labels whose text changed.
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { LibraryListView } from '../../../shared/contract.ts'
import { nextTickDelay } from '../lib/time.ts'
import { touchedBetween } from './library-changes.ts'

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
  /** Whether any of these expiries needs a tick sooner than the one planned. */
  wantsSooner(expiries: Iterable<number | null>): boolean
}

/** Ticks `store` every second while some expiry is within a minute, every 30 s otherwise (see nextTickDelay). */
export function startTicker(store: NowStore, expiries: () => Iterable<number | null>, clock: TickerClock = systemClock): Ticker {
  let handle: unknown = null
  let dueAt = Number.POSITIVE_INFINITY
  let stopped = false
  const tick = (): void => {
    if (stopped) return
    if (handle !== null) clock.clearTimeout(handle)
    const now = clock.now()
    store.setState({ now })
    const delay = nextTickDelay(expiries(), now)
    dueAt = now + delay
    handle = clock.setTimeout(tick, delay)
  }
  tick()
  return {
    stop() {
      stopped = true
      if (handle !== null) clock.clearTimeout(handle)
      handle = null
    },
    poke: tick,
    wantsSooner(expiries) {
      if (stopped) return false
      const now = clock.now()
      return now + nextTickDelay(expiries, now) < dueAt
    }
  }
}

type ById = Readonly<Record<string, LibraryListView>>

/** A new library, or a status that changed other than into or out of 'refreshing' (every library of a wave does that). */
function statusMoved(was: LibraryListView | undefined, is: LibraryListView): boolean {
  if (was === undefined) return true
  return was.status !== is.status && was.status !== 'refreshing' && is.status !== 'refreshing'
}

/**
 * Pokes the ticker after an update of the libraries only when it matters: a touched library's status changed (or it
 * is new; a wave's passage through 'refreshing' aside), or its expiry needs a tick sooner than the one planned. A wave's updates otherwise leave the clock alone
 * (a tick goes over every expiry and re-renders every time label). Unknown changes (a fresh load) poke.
 */
export function pokeForChanges(ticker: Ticker, before: ById, after: ById): void {
  if (before === after) return
  const touched = touchedBetween(before, after)
  if (touched === null) {
    ticker.poke()
    return
  }
  const expiries: (number | null)[] = []
  for (const id of touched) {
    const is = after[id]
    if (is === undefined) continue
    if (statusMoved(before[id], is)) {
      ticker.poke()
      return
    }
    expiries.push(is.expiresAt)
  }
  // One pass over the touched expiries: the soonest tick any of them needs.
  if (expiries.length > 0 && ticker.wantsSooner(expiries)) ticker.poke()
}
