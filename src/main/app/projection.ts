// The one producer of what hosts show: it turns the core's change signals into library and personal views and
// hands them out at most once a frame while changes keep coming (a lone change after quiet on the next turn),
// however many signals arrived meanwhile: a refresh wave of 1,000 libraries builds each view about once per
// refresh, never the whole list per change. It keeps no copy of the views: whoever needs every library (the
// tray's summary, a new window) asks for them as they are now.
import type { LibraryListView, LibraryView, PersonalActiveView } from '../../shared/contract.ts'
import type { LarderCore } from '../core/larder-core.ts'
import { systemClock, type Clock, type TimerHandle } from '../core/time/clock.ts'
import { toLibraryListView, toLibraryView, toPersonalActiveView } from './views.ts'

/**
 * One library that changed: its list row (what a window is sent) and its failure's kind (what the tray and
 * notifications read besides the row's fields). A whole view is never built for a change: a window asks for one.
 */
export interface ChangedRow {
  readonly row: LibraryListView
  readonly lastError: { readonly kind: string } | null
}

/** What changed in one window, in the order a client should apply it: active libraries, rows, removals. */
export interface ViewBatch {
  readonly personal: readonly PersonalActiveView[]
  readonly changed: readonly ChangedRow[]
  readonly removed: readonly string[]
}

export interface ProjectionStats {
  /** Rows built for batches since the projection started (one per library changed in a window). */
  readonly viewsBuilt: number
  readonly batches: number
}

/** Runs a callback once the current turn's work is done. */
export type TurnScheduler = (callback: () => void) => void

export const nextTurn: TurnScheduler = (callback) => void setImmediate(callback)

/**
 * How often batches may go out. A signal arriving `minGapMs` or more after the last batch goes out on the next turn;
 * one arriving sooner waits for the window's end (a timer), so a burst costs one batch a frame, not one a turn. Only
 * a library's intermediate state inside one window can go unseen ("refreshing" of a refresh that ended in it).
 */
export interface ProjectionPace {
  /** The app's clock: a test's manual clock decides what counts as quiet and when a window ends, as for every timer. */
  readonly clock: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>
  readonly minGapMs: number
}

export const FRAME_MS = 16

export class ViewProjection {
  readonly #core: Pick<LarderCore, 'on' | 'off' | 'libraries' | 'vault'>
  readonly #publish: (batch: ViewBatch) => void
  readonly #schedule: TurnScheduler
  readonly #pace: ProjectionPace
  /** Ids seen this turn: true while the library exists, false once removed (the last signal wins). */
  readonly #pending = new Map<string, boolean>()
  readonly #personal = new Map<string, PersonalActiveView>()
  #scheduled = false
  /** The window's timer while one is set (a batch waiting for its frame). */
  #timer: TimerHandle | null = null
  #lastFlushAt = Number.NEGATIVE_INFINITY
  #stopped = false
  #viewsBuilt = 0
  #batches = 0

  readonly #onChanged = (id: string): void => this.#mark(id, true)
  readonly #onRemoved = (id: string): void => this.#mark(id, false)
  readonly #onPersonal = (state: Parameters<typeof toPersonalActiveView>[0]): void => {
    this.#personal.set(state.connectionId, toPersonalActiveView(state))
    this.#later()
  }

  constructor(
    core: Pick<LarderCore, 'on' | 'off' | 'libraries' | 'vault'>,
    publish: (batch: ViewBatch) => void,
    schedule: TurnScheduler = nextTurn,
    pace: ProjectionPace = { clock: systemClock, minGapMs: FRAME_MS }
  ) {
    this.#core = core
    this.#publish = publish
    this.#schedule = schedule
    this.#pace = pace
    core.on('changed', this.#onChanged)
    core.on('removed', this.#onRemoved)
    core.on('personal.active', this.#onPersonal)
  }

  /** Every library's view as it is now. */
  all(): LibraryView[] {
    return this.#core.libraries.list().map(toLibraryView)
  }

  /** Every library's list row as it is now (what 'libraries.list' answers). */
  allListed(): LibraryListView[] {
    return this.#core.libraries.list().map(toLibraryListView)
  }

  stats(): ProjectionStats {
    return { viewsBuilt: this.#viewsBuilt, batches: this.#batches }
  }

  /** Hands out what changed now, without waiting for the turn to end. */
  flush(): void {
    this.#scheduled = false
    this.#clearTimer()
    if (this.#stopped || (this.#pending.size === 0 && this.#personal.size === 0)) return
    const changed: ChangedRow[] = []
    const removed: string[] = []
    for (const [id, exists] of this.#pending) {
      const library = exists ? this.#current(id) : undefined
      if (library) changed.push(library)
      else removed.push(id)
    }
    const personal = [...this.#personal.values()]
    this.#pending.clear()
    this.#personal.clear()
    this.#batches++
    this.#lastFlushAt = this.#pace.clock.now()
    this.#publish({ personal, changed, removed })
  }

  stop(): void {
    this.#stopped = true
    this.#clearTimer()
    this.#core.off('changed', this.#onChanged)
    this.#core.off('removed', this.#onRemoved)
    this.#core.off('personal.active', this.#onPersonal)
  }

  #mark(id: string, exists: boolean): void {
    this.#pending.set(id, exists)
    this.#later()
  }

  #later(): void {
    if (this.#scheduled || this.#stopped) return
    this.#scheduled = true
    const elapsed = this.#pace.clock.now() - this.#lastFlushAt
    // A clock that went back (a wall clock set back) counts as quiet: never a wait longer than one window.
    if (elapsed >= this.#pace.minGapMs || elapsed < 0) {
      this.#schedule(() => this.flush())
      return
    }
    // Not a reason to keep the process up: close() flushes what is left.
    this.#timer = this.#pace.clock.setTimeout(() => this.flush(), this.#pace.minGapMs - elapsed)
    this.#timer.unref?.()
  }

  #clearTimer(): void {
    if (this.#timer === null) return
    this.#pace.clock.clearTimeout(this.#timer)
    this.#timer = null
  }

  /** The library's row now, or undefined when it is gone (a signal can outlive its record within a window). */
  #current(id: string): ChangedRow | undefined {
    const { vault, libraries } = this.#core
    return vault.get(id) !== undefined || vault.entry(id) !== undefined ? this.#build(libraries.get(id)) : undefined
  }

  #build(library: Parameters<typeof toLibraryListView>[0]): ChangedRow {
    this.#viewsBuilt++
    return { row: toLibraryListView(library), lastError: library.lastError }
  }
}
