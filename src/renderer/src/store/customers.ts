// The customer labels the one list names (libraries' and keys'), for the customer filter and the label fields'
// suggestions. A wave of updates to 10,000 libraries moves the counts by the libraries it touched only; the same
// array comes back while the labels stay the same, so nothing that shows them renders again.
import type { LibraryListView } from '../../../shared/contract.ts'
import { touchedBetween } from './library-changes.ts'
import { selectLibraryList } from './selectors.ts'
import type { AppState } from './types.ts'

/** Beyond this share of the libraries touched at once, counting afresh costs no more. */
const PATCH_SHARE = 1 / 8

function count(counts: Map<string, number>, label: string | undefined, by: number): void {
  if (label === undefined) return
  const next = (counts.get(label) ?? 0) + by
  if (next > 0) counts.set(label, next)
  else counts.delete(label)
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

  const countLibraries = (state: AppState): boolean => {
    if (countedFor === state.byId) return false
    const touched = countedFor === null ? null : touchedBetween(countedFor, state.byId, state.ids.length * PATCH_SHARE)
    if (touched === null || countedFor === null) {
      counts = new Map()
      for (const library of selectLibraryList(state)) count(counts, library.customer, 1)
    } else {
      const before: Readonly<Record<string, LibraryListView>> = countedFor
      for (const id of touched) {
        count(counts, before[id]?.customer, -1)
        count(counts, state.byId[id]?.customer, 1)
      }
    }
    countedFor = state.byId
    return true
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
