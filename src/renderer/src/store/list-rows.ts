// The one list's rows: the libraries' ids as their own selector keeps them (untouched, so a list of 10,000 costs what
// it did), with the keys that pass the filters put in their places. No key shown: the libraries' own array comes back.
import type { KeyView } from '../../../shared/contract.ts'
import { librariesShown, mergeRows, visibleKeys } from '../lib/key-query.ts'
import { isFiltered, queryTerms } from '../lib/library-query.ts'
import { selectLibraryCount, selectVisibleIds } from './selectors.ts'
import type { AppState } from './types.ts'

const NONE: readonly string[] = []

export function createVisibleRowsSelector(libraryIds: (state: AppState) => readonly string[] = selectVisibleIds): (state: AppState) => readonly string[] {
  let keysFor: { keysById: AppState['keysById']; keyIds: AppState['keyIds']; filter: AppState['filter']; system: AppState['systemFilter']; customer: AppState['customerFilter']; sort: AppState['sort'] } | null = null
  let keys: ReturnType<typeof visibleKeys> = []
  let mergedFor: { libraries: readonly string[]; keys: typeof keys; byId: AppState['byId'] } | null = null
  let merged: readonly string[] = NONE
  return (state) => {
    const libraries = librariesShown(state.systemFilter, state.customerFilter) ? libraryIds(state) : NONE
    if (state.keyIds.length === 0) return libraries
    if (keysFor === null || keysFor.keysById !== state.keysById || keysFor.keyIds !== state.keyIds || keysFor.filter !== state.filter || keysFor.system !== state.systemFilter || keysFor.customer !== state.customerFilter || keysFor.sort !== state.sort) {
      const all = state.keyIds.map((id) => state.keysById[id]).filter((key): key is KeyView => key !== undefined)
      keys = visibleKeys(all, state.filter, state.systemFilter, state.customerFilter, queryTerms(state.filter.search), state.sort)
      keysFor = { keysById: state.keysById, keyIds: state.keyIds, filter: state.filter, system: state.systemFilter, customer: state.customerFilter, sort: state.sort }
    }
    if (keys.length === 0) return libraries
    if (mergedFor === null || mergedFor.libraries !== libraries || mergedFor.keys !== keys || mergedFor.byId !== state.byId) {
      merged = mergeRows(libraries, state.byId, keys, state.sort)
      mergedFor = { libraries, keys, byId: state.byId }
    }
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
