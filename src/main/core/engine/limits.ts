// Two limits on token requests: a global cap on how many are in flight, and a per-token budget that keeps
// Larder's own use well under the API's 100 requests a minute (the partner's scripts share that budget).
import type { Clock } from '../time/clock.ts'

export class Semaphore {
  readonly #limit: number
  #active = 0
  readonly #waiting: Array<() => void> = []

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a whole number ≥ 1, got ${limit}`)
    this.#limit = limit
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#limit) await new Promise<void>((resolve) => this.#waiting.push(resolve))
    else this.#active++
    try {
      return await task()
    } finally {
      const next = this.#waiting.shift()
      if (next) next()
      else this.#active--
    }
  }

  get active(): number {
    return this.#active
  }
}

const MINUTE = 60_000

/** A sliding one-minute window per key. `take` waits (on the injected clock) until the key has room. */
export class PerMinuteBudget {
  readonly #clock: Clock
  readonly #limit: number
  readonly #sent = new Map<string, number[]>()

  constructor(clock: Clock, limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`per-minute budget must be a whole number ≥ 1, got ${limit}`)
    this.#clock = clock
    this.#limit = limit
  }

  /** When `key` may send next (now, if it has room). */
  nextSlot(key: string): number {
    const now = this.#clock.now()
    const times = this.#prune(key, now)
    return times.length < this.#limit ? now : times[0]! + MINUTE
  }

  async take(key: string): Promise<void> {
    for (let at = this.nextSlot(key); at > this.#clock.now(); at = this.nextSlot(key)) {
      await new Promise<void>((resolve) => this.#clock.setTimeout(resolve, at - this.#clock.now()))
    }
    this.#record(key)
  }

  /** Takes a slot now if `key` has room (no waiting, no promise); false when it would have to wait. */
  tryTake(key: string): boolean {
    if (this.nextSlot(key) > this.#clock.now()) return false
    this.#record(key)
    return true
  }

  #record(key: string): void {
    const times = this.#sent.get(key)
    if (times === undefined) this.#sent.set(key, [this.#clock.now()])
    else times.push(this.#clock.now())
  }

  forget(key: string): void {
    this.#sent.delete(key)
  }

  #prune(key: string, now: number): number[] {
    const times = this.#sent.get(key) ?? []
    while (times.length > 0 && times[0]! <= now - MINUTE) times.shift()
    if (times.length === 0) this.#sent.delete(key)
    return times
  }
}
