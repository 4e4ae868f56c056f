// The one list's rows: the libraries' ids as their own selector keeps them (untouched, so a list of 10,000 costs what
// it did), with the keys that pass the filters put in their places. No key shown: the libraries' own array comes back.
// Typing costs for the keys what it costs for the libraries (thousands of keys: the mixed list of issue 15): the
// keys' query keeps its sort and recent answers (createVisibleKeysQuery), and recent merges are kept too, so a search
// deleted back to an earlier one gives that one's array again.
import type { KeyView } from '../../../shared/contract.ts'
import { createVisibleKeysQuery, librariesShown, mergeRows } from '../lib/key-query.ts'
import { isFiltered, queryTerms } from '../lib/library-query.ts'
import { selectLibraryCount, selectVisibleIds } from './selectors.ts'
import type { AppState } from './types.ts'

const NONE: readonly string[] = []

/** Merges kept: the libraries' selector and the keys' query give back their recent arrays, so these pairs recur. */
const RECENT_MERGES = 16

export function createVisibleRowsSelector(libraryIds: (state: AppState) => readonly string[] = selectVisibleIds): (state: AppState) => readonly string[] {
  let allFor: { keysById: AppState['keysById']; keyIds: AppState['keyIds'] } | null = null
  let all: readonly KeyView[] = []
  const visibleKeys = createVisibleKeysQuery()
  let keysFor: { all: readonly KeyView[]; filter: AppState['filter']; system: AppState['systemFilter']; customer: AppState['customerFilter']; sort: AppState['sort'] } | null = null
  let keys: ReturnType<typeof visibleKeys> = []
  let mergesFor: { byId: AppState['byId']; sort: AppState['sort'] } | null = null
  let merges: { readonly libraries: readonly string[]; readonly keys: typeof keys; readonly merged: readonly string[] }[] = []
  return (state) => {
    const libraries = librariesShown(state.systemFilter) ? libraryIds(state) : NONE
    if (state.keyIds.length === 0) return libraries
    if (allFor === null || allFor.keysById !== state.keysById || allFor.keyIds !== state.keyIds) {
      all = state.keyIds.map((id) => state.keysById[id]).filter((key): key is KeyView => key !== undefined)
      allFor = { keysById: state.keysById, keyIds: state.keyIds }
    }
    if (keysFor === null || keysFor.all !== all || keysFor.filter !== state.filter || keysFor.system !== state.systemFilter || keysFor.customer !== state.customerFilter || keysFor.sort !== state.sort) {
      keys = visibleKeys(all, state.filter, state.systemFilter, state.customerFilter, queryTerms(state.filter.search), state.sort)
      keysFor = { all, filter: state.filter, system: state.systemFilter, customer: state.customerFilter, sort: state.sort }
    }
    if (keys.length === 0) return libraries
    if (mergesFor === null || mergesFor.byId !== state.byId || mergesFor.sort !== state.sort) {
      merges = []
      mergesFor = { byId: state.byId, sort: state.sort }
    }
    const known = merges.find((merge) => merge.libraries === libraries && merge.keys === keys)
    if (known !== undefined) return known.merged
    const merged = mergeRows(libraries, state.byId, keys, state.sort)
    merges = [{ libraries, keys, merged }, ...merges.slice(0, RECENT_MERGES - 1)]
    return merged
  }
}

/** Libraries (with those of a partial list on their way) and keys. */
export function selectEntryCount(state: AppState): number {
  return selectLibraryCount(state) + state.keyIds.length
}

/** Whether any filter or search narrows the list (the system and customer filters too). */
export function selectListFiltered(state: AppState): boolean {
  return isFiltered(state.filter) || state.systemFilter !== 'all' || state.customerFilter !== null
}

/** Whether a row is a key's (else a library's). */
export function isKeyRow(state: AppState, id: string): boolean {
  return id in state.keysById
}

export const selectVisibleRows = createVisibleRowsSelector()
