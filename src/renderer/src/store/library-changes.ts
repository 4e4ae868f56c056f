// What the last few updates of the libraries touched, so what is derived from them (the sorted order, the counts,
// the clock) can follow the changes instead of walking all 10,000 libraries again on every update of a wave.
import type { LibraryListView } from '../../../shared/contract.ts'

type ById = Readonly<Record<string, LibraryListView>>

interface Step {
  readonly previous: ById
  readonly next: ById
  /** Ids changed, added or removed between the two. */
  readonly touched: readonly string[]
}

/** Only the last few steps are kept: each holds a whole byId alive. A reader further behind starts afresh. */
const STEPS_KEPT = 4
const steps: Step[] = []

/** Called by the libraries slice for every new byId made from the one before (not for a fresh load). */
export function noteLibraryChange(previous: ById, next: ById, touched: readonly string[]): void {
  if (steps.length >= STEPS_KEPT) steps.shift()
  steps.push({ previous, next, touched })
}

/**
 * The ids touched on the way from `from` to `to` (the same object: none); null when the way is not known (a fresh
 * load, too far back) or more than `limit` ids were touched, where going over everything is as cheap.
 */
export function touchedBetween(from: ById, to: ById, limit = Number.POSITIVE_INFINITY): ReadonlySet<string> | null {
  const touched = new Set<string>()
  let at = to
  for (let k = steps.length - 1; at !== from; k--) {
    const step = steps[k]
    if (step === undefined) return null
    if (step.next !== at) continue
    for (const id of step.touched) touched.add(id)
    if (touched.size > limit) return null
    at = step.previous
  }
  return touched
}
