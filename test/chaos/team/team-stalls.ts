// When the test process itself stood still: the five members of the team chaos run share one process (and the machine
// its CPU with whatever else runs), so a stall of its event loop (synchronous fsyncs on a busy disk, CPU taken by other
// processes) delays every member at once, which separate machines would not see. A timer every 20 ms notes each gap
// longer than 100 ms; the pair watch takes those gaps out of a pair's lateness and reports both figures.

const TICK_MS = 20
const GAP_MS = 100

export class Stalls {
  /** Each stall: [from, to] in Date.now() ms. */
  readonly spans: [number, number][] = []
  #last = Date.now()
  readonly #timer: NodeJS.Timeout

  constructor() {
    this.#timer = setInterval(() => {
      const now = Date.now()
      if (now - this.#last > GAP_MS) this.spans.push([this.#last + TICK_MS, now])
      this.#last = now
    }, TICK_MS)
  }

  /** Milliseconds of stall between `from` and `to`. */
  within(from: number, to: number): number {
    let total = 0
    for (const [start, end] of this.spans) total += Math.max(0, Math.min(end, to) - Math.max(start, from))
    return total
  }

  /** The longest stall, and all of them together (ms). */
  figures(): { longest: number; total: number } {
    const lengths = this.spans.map(([start, end]) => end - start)
    return { longest: Math.max(0, ...lengths), total: lengths.reduce((sum, ms) => sum + ms, 0) }
  }

  stop(): void {
    clearInterval(this.#timer)
  }
}
