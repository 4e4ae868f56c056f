// The customer labels the one list names (libraries' and keys'), for the customer filter and the label fields'
// suggestions. A wave of updates to 10,000 libraries moves the counts by the libraries it touched only; the same
// array comes back while the labels stay the same, so nothing that shows them renders again.
import type { LibraryListView } from '../../../shared/contract.ts'
import { touchedBetween } from './library-changes.ts'
import { selectLibraryList } from './selectors.ts'
import type { AppState } from './types.ts'

/** Beyond this share of the libraries touched at once, counting afresh costs no more. */
const PATCH_SHARE = 1 / 8

/** Moves one label's count; true when the label came or went (the list of labels changed). */
function count(counts: Map<string, number>, label: string | undefined, by: number): boolean {
  if (label === undefined) return false
  const before = counts.get(label) ?? 0
  const next = before + by
  if (next > 0) counts.set(label, next)
  else counts.delete(label)
  return (before === 0) !== (next <= 0)
}

function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((label, index) => label === b[index])
}

export function createCustomersSelector(): (state: AppState) => readonly string[] {
  /** How many libraries carry each label, as of `countedFor`. */
  let counts = new Map<string, number>()
  let countedFor: AppState['byId'] | null = null
  let keysFor: { keysById: AppState['keysById']; keyIds: AppState['keyIds'] } | null = null
  let keyLabels: readonly string[] = []
  let labels: readonly string[] = []
  const collator = new Intl.Collator(undefined, { sensitivity: 'base' })

  /** Follows the libraries; true when a label came or went. */
  const countLibraries = (state: AppState): boolean => {
    if (countedFor === state.byId) return false
    const touched = countedFor === null ? null : touchedBetween(countedFor, state.byId, state.ids.length * PATCH_SHARE)
    let moved = false
    if (touched === null || countedFor === null) {
      counts = new Map()
      for (const library of selectLibraryList(state)) count(counts, library.customer, 1)
      moved = true
    } else {
      const before: Readonly<Record<string, LibraryListView>> = countedFor
      for (const id of touched) {
        const was = before[id]?.customer
        const is = state.byId[id]?.customer
        // A refresh leaves the label as it was: nothing to count.
        if (was === is) continue
        if (count(counts, was, -1)) moved = true
        if (count(counts, is, 1)) moved = true
      }
    }
    countedFor = state.byId
    return moved
  }

  const countKeys = (state: AppState): boolean => {
    if (keysFor !== null && keysFor.keysById === state.keysById && keysFor.keyIds === state.keyIds) return false
    const seen = new Set<string>()
    for (const id of state.keyIds) {
      const customer = state.keysById[id]?.customer
      if (customer !== undefined && customer !== null && customer !== '') seen.add(customer)
    }
    keyLabels = [...seen]
    keysFor = { keysById: state.keysById, keyIds: state.keyIds }
    return true
  }

  return (state) => {
    const libraries = countLibraries(state)
    const keys = countKeys(state)
    if (!libraries && !keys) return labels
    const next = [...new Set([...counts.keys(), ...keyLabels])].sort((a, b) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0))
    if (!sameLabels(next, labels)) labels = next
    return labels
  }
}

/** Every customer label in the list, sorted, each once; one shared computation. */
export const selectCustomers = createCustomersSelector()
