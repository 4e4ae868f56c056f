// Small measuring helpers shared by the benchmarks: order statistics, heap readings, rounding.

export function median(values: readonly number[]): number {
  return percentile(values, 50)
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of nothing')
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)))
  return sorted[rank - 1]!
}

/** Collects garbage until the heap stops shrinking; needs --expose-gc. */
export async function settledHeapUsed(): Promise<number> {
  const collect = globalThis.gc
  if (collect === undefined) throw new Error('run with --expose-gc to measure the heap')
  let previous = Number.POSITIVE_INFINITY
  for (let i = 0; i < 10; i++) {
    // Let finalizers, weak callbacks and pending promise jobs run between collections.
    await new Promise<void>((resolve) => setImmediate(resolve))
    collect()
    const used = process.memoryUsage().heapUsed
    if (used >= previous - 64 * 1024) return used
    previous = used
  }
  return previous
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

/** A figure with its goal: met when the value is at most the limit. */
export interface Goal {
  readonly id: string
  readonly name: string
  readonly value: number
  readonly limit: number
  readonly unit: string
  readonly met: boolean
}

export function goal(id: string, name: string, value: number, limit: number, unit: string): Goal {
  return { id, name, value: round(value, 2), limit, unit, met: value <= limit }
}
