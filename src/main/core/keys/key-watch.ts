// The timers of keys of other systems: a status that changes with the clock alone (day 23 and day 30 without use, a
// week before an expiry date, the date itself) is announced when it does; a key whose system can be checked is
// checked about once a day, spread out (a check is a use); a SafetyCulture token is never checked on a plan unless
// its keep-alive is on (a planned check would hide the very inactivity a person must be warned of), and then once,
// three weeks after its last use. One deadline queue for them all, like the refresh engine's.
import { keepAliveAt } from '../systems/safetyculture/system.ts'
import { keySystemOf } from '../systems/registry.ts'
import { DeadlineQueue } from '../time/deadline-queue.ts'
import type { Clock } from '../time/clock.ts'
import type { KeyMeta } from './key-model.ts'
import type { KeyService } from './key-service.ts'
import { nextKeyBoundary } from './key-status.ts'

export interface KeyWatchTiming {
  /** Between two planned checks of a key (default 24 h). */
  readonly everyMs: number
  /** Added at random to each planned check (default 1 h). */
  readonly jitterMs: number
  /** The first planned check after start falls at random within this (default 6 h), never in the first minute. */
  readonly firstWithinMs: number
  /** After a check that failed to run (unreachable system, a 429), the next try (default 1 h). */
  readonly retryMs: number
}

export const DEFAULT_KEY_WATCH_TIMING: KeyWatchTiming = { everyMs: 24 * 3_600_000, jitterMs: 3_600_000, firstWithinMs: 6 * 3_600_000, retryMs: 3_600_000 }
const FIRST_AFTER_MS = 60_000

export interface KeyWatchOptions {
  readonly keys: KeyService
  readonly vault: { keys(): readonly KeyMeta[]; key(id: string): KeyMeta | undefined }
  readonly clock: Clock
  /** The key's status may have changed with the clock alone. */
  readonly announce: (id: string) => void
  readonly timing?: Partial<KeyWatchTiming>
  readonly random?: () => number
}

type Deadline = `status:${string}` | `check:${string}`

export class KeyWatch {
  readonly #options: KeyWatchOptions
  readonly #timing: KeyWatchTiming
  readonly #random: () => number
  readonly #queue: DeadlineQueue<Deadline>
  readonly #inflight = new Map<string, Promise<void>>()
  #started = false

  constructor(options: KeyWatchOptions) {
    this.#options = options
    this.#timing = { ...DEFAULT_KEY_WATCH_TIMING, ...options.timing }
    this.#random = options.random ?? Math.random
    this.#queue = new DeadlineQueue(options.clock, (deadline) => this.#due(deadline))
  }

  start(): void {
    if (this.#started) return
    this.#started = true
    for (const key of this.#options.vault.keys()) this.track(key.id, true)
  }

  stop(): void {
    this.#queue.stop()
  }

  /** A key was written (or is new): its next status change and its next check are planned again. */
  track(id: string, starting = false): void {
    if (!this.#started) return
    const key = this.#options.vault.key(id)
    if (key === undefined) return this.untrack(id)
    const now = this.#options.clock.now()
    const boundary = nextKeyBoundary(key, now)
    if (boundary === null) this.#queue.cancel(`status:${id}`)
    else this.#queue.schedule(`status:${id}`, boundary)
    const checkAt = this.#checkAt(key, now, starting)
    if (checkAt === null) this.#queue.cancel(`check:${id}`)
    else if (checkAt !== undefined) this.#queue.schedule(`check:${id}`, checkAt)
  }

  untrack(id: string): void {
    this.#queue.cancel(`status:${id}`)
    this.#queue.cancel(`check:${id}`)
  }

  /** When the next planned check of the key is, if any (for its view). */
  nextCheckAt(id: string): number | null {
    return this.#queue.deadlineOf(`check:${id}`) ?? null
  }

  /** After sleep or a clock change: statuses are announced again and what fell due runs (checks spread out). */
  reevaluate(): void {
    for (const key of this.#options.vault.keys()) this.#options.announce(key.id)
    this.#queue.reevaluate()
  }

  async settled(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight.values()])
  }

  /**
   * Undefined: keep the check planned (a write that moves nothing, e.g. a copy); null: none planned; else when.
   * A planned check goes on the plan it had; a key just added or started waits its spread-out first one.
   */
  #checkAt(key: KeyMeta, now: number, starting: boolean): number | null | undefined {
    // Revoked, expired or refused: only a person can help; checking it again would tell nothing new.
    if (key.state !== 'active' || key.lastCheck?.outcome === 'refused') return null
    if (keySystemOf(key.system).checkWith(key.details) === null) return null
    const last = key.lastCheck
    // Never two checks within a minute; after one that could not be made, an hour (a system down is not asked on).
    const earliest = last === null ? now + FIRST_AFTER_MS : last.at + (last.outcome === 'unreachable' || last.outcome === 'forbidden' ? this.#timing.retryMs : FIRST_AFTER_MS)
    if (key.system === 'safetyculture') {
      const at = keepAliveAt({ details: key.details, addedAt: key.addedAt, lastUsedAt: key.lastUsedAt })
      return at === null ? null : Math.max(at, earliest, now)
    }
    if (this.#queue.deadlineOf(`check:${key.id}`) !== undefined && !starting) return undefined
    if (last !== null && !starting) {
      const next = last.outcome === 'ok' ? last.at + this.#timing.everyMs + Math.round(this.#random() * this.#timing.jitterMs) : earliest
      return Math.max(next, now)
    }
    return Math.max(earliest, now + FIRST_AFTER_MS + Math.round(this.#random() * (this.#timing.firstWithinMs - FIRST_AFTER_MS)))
  }

  #due(deadline: Deadline): void {
    const id = deadline.slice(deadline.indexOf(':') + 1)
    if (deadline.startsWith('status:')) {
      this.#options.announce(id)
      this.track(id)
      return
    }
    if (this.#inflight.has(id)) return
    const run = this.#options.keys
      .check(id)
      .then(
        () => undefined,
        // Unreachable, a 429, or no longer checkable: try again later; what a person should know is on the key.
        () => {
          if (this.#options.vault.key(id)?.state === 'active') this.#queue.schedule(`check:${id}`, this.#options.clock.now() + this.#timing.retryMs)
        }
      )
      .finally(() => {
        this.#inflight.delete(id)
        const key = this.#options.vault.key(id)
        if (key !== undefined && this.#queue.deadlineOf(`check:${id}`) === undefined) {
          const next = this.#checkAt(key, this.#options.clock.now(), false)
          if (typeof next === 'number') this.#queue.schedule(`check:${id}`, next)
        }
      })
    this.#inflight.set(id, run)
  }
}
