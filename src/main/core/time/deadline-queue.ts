// One queue of deadlines for the whole app: a min-heap and a single timer armed for the earliest entry.
// A timer per library would mean thousands of timers, each with its own overflow and sleep problems.
import { MAX_TIMER_MS, type Clock, type TimerHandle } from './clock.ts'

interface Entry<K> {
  readonly key: K
  readonly at: number
  readonly version: number
}

export interface DeadlineQueueOptions {
  /**
   * The longest the single timer sleeps before looking at the wall clock again. Timers run on a
   * monotonic clock that stops while the machine sleeps, so a long sleep must not be trusted.
   */
  readonly maxSleepMs?: number
}

export class DeadlineQueue<K> {
  readonly #clock: Clock
  readonly #onDue: (key: K) => void
  readonly #maxSleepMs: number
  readonly #heap: Entry<K>[] = []
  readonly #current = new Map<K, Entry<K>>()
  #version = 0
  #timer: TimerHandle | null = null
  #armedFor = Number.POSITIVE_INFINITY
  #stopped = false

  constructor(clock: Clock, onDue: (key: K) => void, options: DeadlineQueueOptions = {}) {
    this.#clock = clock
    this.#onDue = onDue
    this.#maxSleepMs = Math.min(options.maxSleepMs ?? 15 * 60_000, MAX_TIMER_MS)
  }

  /** Sets (or moves) the deadline of `key`. */
  schedule(key: K, at: number): void {
    if (!Number.isFinite(at)) throw new RangeError(`deadline for ${String(key)} must be a finite time, got ${at}`)
    const entry: Entry<K> = { key, at, version: ++this.#version }
    this.#current.set(key, entry)
    this.#push(entry)
    if (this.#heap.length > 2 * this.#current.size + 64) this.#compact()
    this.#arm()
  }

  cancel(key: K): void {
    this.#current.delete(key)
  }

  deadlineOf(key: K): number | undefined {
    return this.#current.get(key)?.at
  }

  get size(): number {
    return this.#current.size
  }

  /** Fires everything due now and re-arms. Safe to call any number of times (resume, clock change). */
  reevaluate(): void {
    if (this.#stopped) return
    this.#disarm()
    const now = this.#clock.now()
    const due: K[] = []
    for (let top = this.#peek(); top && top.at <= now; top = this.#peek()) {
      this.#pop()
      due.push(top.key)
      this.#current.delete(top.key)
    }
    this.#arm()
    for (const key of due) this.#onDue(key)
  }

  stop(): void {
    this.#stopped = true
    this.#disarm()
  }

  #arm(): void {
    if (this.#stopped) return
    const top = this.#peek()
    if (!top) return this.#disarm()
    if (this.#timer && top.at >= this.#armedFor) return
    this.#disarm()
    const delay = Math.min(Math.max(top.at - this.#clock.now(), 0), this.#maxSleepMs)
    this.#armedFor = top.at
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null
      this.#armedFor = Number.POSITIVE_INFINITY
      this.reevaluate()
    }, delay)
    this.#timer.unref?.()
  }

  #disarm(): void {
    if (this.#timer) this.#clock.clearTimeout(this.#timer)
    this.#timer = null
    this.#armedFor = Number.POSITIVE_INFINITY
  }

  /** The earliest live entry; stale ones (moved or cancelled) are dropped on the way. */
  #peek(): Entry<K> | undefined {
    for (let top = this.#heap[0]; top; top = this.#heap[0]) {
      if (this.#current.get(top.key) === top) return top
      this.#pop()
    }
    return undefined
  }

  /** Drops stale entries left behind by moved deadlines, so a long-running app does not grow the heap. */
  #compact(): void {
    this.#heap.length = 0
    for (const entry of this.#current.values()) this.#push(entry)
  }

  #push(entry: Entry<K>): void {
    const heap = this.#heap
    heap.push(entry)
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (earlier(heap[parent]!, entry)) break
      heap[i] = heap[parent]!
      i = parent
    }
    heap[i] = entry
  }

  #pop(): void {
    const heap = this.#heap
    const last = heap.pop()
    if (!last || heap.length === 0) return
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      if (left >= heap.length) break
      const right = left + 1
      const child = right < heap.length && earlier(heap[right]!, heap[left]!) ? right : left
      if (earlier(last, heap[child]!)) break
      heap[i] = heap[child]!
      i = child
    }
    heap[i] = last
  }
}

function earlier<K>(a: Entry<K>, b: Entry<K>): boolean {
  return a.at < b.at || (a.at === b.at && a.version < b.version)
}
