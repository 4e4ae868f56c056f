// Group commit: every change that arrives within a short window is made durable by one write, and every
// caller of that window is answered by it. A burst of rotations costs tens of writes instead of one each.
import { performance } from 'node:perf_hooks'

export interface CommitStats {
  /** Batches made durable, each by one call of `write`. */
  readonly batches: number
  readonly failedBatches: number
  /** fsync calls: the vault file (made by the store's atomic write), its directory, and the spent ledger. */
  readonly fsyncs: number
  /** Longest time a caller waited between joining a batch and its answer. */
  readonly maxWaitMs: number
}

interface Waiter {
  readonly joinedAt: number
  resolve(): void
  reject(error: unknown): void
}

export interface GroupCommitOptions {
  readonly windowMs: number
  /** Runs before each batch closes (the vault re-reads a file changed behind its back); may be slow. */
  readonly prepare: () => Promise<void>
  /**
   * Makes everything in memory durable; returns its fsyncs. It takes what it writes synchronously, at the call:
   * a change made while it awaits the disk belongs to the next batch.
   */
  readonly write: () => Promise<number>
  /** Turns a write failure into what every waiter of that batch is rejected with. */
  readonly failure: (cause: unknown) => Error
}

export class GroupCommit {
  readonly #options: GroupCommitOptions
  #waiters: Waiter[] = []
  #timer: ReturnType<typeof setTimeout> | null = null
  #running: Promise<void> | null = null
  #batches = 0
  #failedBatches = 0
  #fsyncs = 0
  #maxWaitMs = 0

  constructor(options: GroupCommitOptions) {
    this.#options = options
  }

  /** Joins the current batch (starting its window if none is open); resolves once that batch is durable. */
  join(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiters.push({ joinedAt: performance.now(), resolve, reject })
      this.#schedule(this.#options.windowMs)
    })
  }

  /** Joins and writes without waiting for the window (closing, or a reader who needs durability now). */
  joinNow(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiters.push({ joinedAt: performance.now(), resolve, reject })
      this.#schedule(0)
    })
  }

  get pending(): boolean {
    return this.#waiters.length > 0 || this.#running !== null
  }

  stats(): CommitStats {
    return { batches: this.#batches, failedBatches: this.#failedBatches, fsyncs: this.#fsyncs, maxWaitMs: this.#maxWaitMs }
  }

  #schedule(delayMs: number): void {
    // A batch being written is closed; new waiters form the next batch, which starts when it ends.
    if (this.#running) return
    if (this.#timer !== null) {
      if (delayMs > 0) return
      clearTimeout(this.#timer)
    }
    this.#timer = setTimeout(() => {
      this.#timer = null
      this.#start()
    }, delayMs)
  }

  #start(): void {
    this.#running = this.#run().finally(() => {
      this.#running = null
      const oldest = this.#waiters[0]
      if (oldest === undefined || this.#timer !== null) return
      // Who joined while this batch was written has waited through it: their batch starts once the oldest of
      // them has waited a window, which is at once when the write took that long (it usually has).
      const waited = performance.now() - oldest.joinedAt
      if (waited >= this.#options.windowMs) this.#start()
      else this.#schedule(this.#options.windowMs - waited)
    })
  }

  async #run(): Promise<void> {
    let batch: Waiter[] = []
    try {
      await this.#options.prepare()
      // The batch closes here: whoever joined during `prepare` has its change in memory and in this write.
      batch = this.#waiters
      this.#waiters = []
      this.#fsyncs += await this.#options.write()
      this.#batches++
    } catch (cause) {
      if (batch.length === 0) {
        batch = this.#waiters
        this.#waiters = []
      }
      this.#failedBatches++
      const error = this.#options.failure(cause)
      for (const waiter of batch) waiter.reject(error)
      return
    }
    const now = performance.now()
    for (const waiter of batch) {
      this.#maxWaitMs = Math.max(this.#maxWaitMs, now - waiter.joinedAt)
      waiter.resolve()
    }
  }
}
