// Keeping a sorted list sorted as a few of its items change: each changed item is found by binary search and, when
// it no longer fits where it was, taken out and put back where the same comparison places it. With a total order
// (every comparator here ends on the id) the result is exactly what a full sort gives, in about log2(n)
// comparisons per change instead of n·log2(n) for the whole.

export interface SortedPatch<T> {
  readonly sorted: T[]
  /** False when every changed item stayed in its place and none came or went: `sorted` is then the array given. */
  readonly reordered: boolean
  /** Positions whose item was replaced in place (meaningful when not reordered). */
  readonly replaced: readonly number[]
}

/** Where `item` (present in `sorted`) is; -1 when it is not there. */
function positionOf<T>(sorted: readonly T[], item: T, compare: (a: T, b: T) => number): number {
  let low = 0
  let high = sorted.length - 1
  while (low <= high) {
    const middle = (low + high) >>> 1
    const found = sorted[middle] as T
    const order = compare(found, item)
    if (order === 0) return found === item ? middle : -1
    if (order < 0) low = middle + 1
    else high = middle - 1
  }
  return -1
}

/** The first position from `low` whose item comes after `item`. */
function insertionPoint<T>(sorted: readonly T[], item: T, compare: (a: T, b: T) => number, low: number): number {
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (compare(sorted[middle] as T, item) < 0) low = middle + 1
    else high = middle
  }
  return low
}

/**
 * Applies changes to `sorted` (owned by the caller: items that keep their place are replaced in it). Each change is
 * [the item as it was in `sorted` or undefined when new, the item now or undefined when gone]. Null when an item
 * said to be in `sorted` is not: the caller sorts afresh.
 */
export function patchSorted<T>(sorted: T[], changes: Iterable<readonly [T | undefined, T | undefined]>, compare: (a: T, b: T) => number): SortedPatch<T> | null {
  const taken = new Set<number>()
  const incoming: T[] = []
  const replaced: number[] = []
  for (const [before, after] of changes) {
    const at = before === undefined ? -1 : positionOf(sorted, before, compare)
    if (before !== undefined && at < 0) return null
    if (after === undefined) {
      if (at >= 0) taken.add(at)
      continue
    }
    // Replacing an item by one that still falls between its neighbours keeps the whole sorted (later searches stay valid).
    if (at >= 0 && (at === 0 || compare(sorted[at - 1] as T, after) < 0) && (at === sorted.length - 1 || compare(after, sorted[at + 1] as T) < 0)) {
      sorted[at] = after
      replaced.push(at)
      continue
    }
    if (at >= 0) taken.add(at)
    incoming.push(after)
  }
  if (taken.size === 0 && incoming.length === 0) return { sorted, reordered: false, replaced }
  const kept = taken.size === 0 ? sorted : sorted.filter((_, index) => !taken.has(index))
  incoming.sort(compare)
  const merged: T[] = []
  let from = 0
  for (const item of incoming) {
    const to = insertionPoint(kept, item, compare, from)
    for (let k = from; k < to; k++) merged.push(kept[k] as T)
    merged.push(item)
    from = to
  }
  for (let k = from; k < kept.length; k++) merged.push(kept[k] as T)
  return { sorted: merged, reordered: true, replaced }
}
