// Derived views of the store, memoised so a component re-renders only when what it shows changed.
import type { LibraryView } from '../../../shared/contract.ts'
import { countByStatus, matchesFilter, queryTerms, sortLibraries, type StatusCounts } from '../lib/library-query.ts'
import type { AppState } from './types.ts'

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function allLibraries(state: AppState): LibraryView[] {
  const list: LibraryView[] = []
  for (const id of state.ids) {
    const library = state.byId[id]
    if (library) list.push(library)
  }
  return list
}

/**
 * The ids the list shows, in order. Sorting (the costly part) is redone only when a library or the sort
 * changed; typing in the search box only filters the sorted list again. The same array comes back while
 * the result is unchanged.
 */
export function createVisibleIdsSelector(): (state: AppState) => readonly string[] {
  let sortedFor: { byId: AppState['byId']; ids: AppState['ids']; sort: AppState['sort'] } | null = null
  let sorted: LibraryView[] = []
  let filteredFor: { sorted: LibraryView[]; filter: AppState['filter'] } | null = null
  let result: readonly string[] = []
  return (state) => {
    if (!sortedFor || sortedFor.byId !== state.byId || sortedFor.ids !== state.ids || sortedFor.sort !== state.sort) {
      sorted = sortLibraries(allLibraries(state), state.sort)
      sortedFor = { byId: state.byId, ids: state.ids, sort: state.sort }
    }
    if (!filteredFor || filteredFor.sorted !== sorted || filteredFor.filter !== state.filter) {
      const terms = queryTerms(state.filter.search)
      const next = sorted.filter((library) => matchesFilter(library, state.filter, terms)).map((library) => library.id)
      if (!sameIds(next, result)) result = next
      filteredFor = { sorted, filter: state.filter }
    }
    return result
  }
}

export function createStatusCountsSelector(): (state: AppState) => StatusCounts {
  let lastById: AppState['byId'] | null = null
  let counts: StatusCounts = countByStatus([])
  return (state) => {
    if (state.byId !== lastById) {
      const next = countByStatus(Object.values(state.byId))
      const changed = Object.keys(next).some((status) => next[status as keyof StatusCounts] !== counts[status as keyof StatusCounts])
      if (changed) counts = next
      lastById = state.byId
    }
    return counts
  }
}

export function selectLibraryCount(state: AppState): number {
  return state.ids.length
}

/** Every known expiry, for the shared ticker. */
export function selectExpiries(state: AppState): Iterable<number | null> {
  return Object.values(state.byId).map((library) => library.expiresAt)
}

/** Shared instances, so every component asking for the visible ids or the counts reuses one computation. */
export const selectVisibleIds = createVisibleIdsSelector()
export const selectStatusCounts = createStatusCountsSelector()
