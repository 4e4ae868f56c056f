// The store engine's two timers: the compaction planned for a quiet moment, and the retry after a failed write.
// Neither keeps the process alive: a vault that is closed or dropped must not hold the app open.

const RETRY_MIN_MS = 1_000
const RETRY_MAX_MS = 30_000

/** At most one pending timer; setting it again replaces the one that is pending. */
export class Alarm {
  #timer: ReturnType<typeof setTimeout> | null = null

  get isSet(): boolean {
    return this.#timer !== null
  }

  set(delayMs: number, ring: () => void): void {
    this.cancel()
    this.#timer = setTimeout(() => {
      this.#timer = null
      ring()
    }, delayMs)
    this.#timer.unref?.()
  }

  cancel(): void {
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
  }
}

/** One retry at a time, each waiting twice as long as the last (up to a maximum) until a write succeeds. */
export class RetryBackoff {
  readonly #alarm = new Alarm()
  #delayMs = RETRY_MIN_MS

  /** Plans `retry` unless one is planned already. */
  plan(retry: () => void): void {
    if (this.#alarm.isSet) return
    const delay = this.#delayMs
    this.#delayMs = Math.min(delay * 2, RETRY_MAX_MS)
    this.#alarm.set(delay, retry)
  }

  succeeded(): void {
    this.#delayMs = RETRY_MIN_MS
  }

  cancel(): void {
    this.#alarm.cancel()
  }
}
