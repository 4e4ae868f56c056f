// What "Refresh all expiring" may send: the libraries the core would refresh. Expiring soon or expired, and not held
// back: the core refuses a library whose refreshes are held (paused after a restore that could not tell whether its
// token is still live, until a person ticks "Refresh it now"; moved to another machine), so the banner neither counts
// nor sends one. The list view carries `hold` exactly while the library is held (no secret in it).
import type { LibraryListView } from '../../../shared/contract.ts'
import { touchedBetween } from './library-changes.ts'
import type { AppState } from './types.ts'

/** Past this share of the list touched, counting everything again is as cheap as following the changes. */
const PATCH_SHARE = 1 / 8

export function isRefreshable(library: LibraryListView): boolean {
  return (library.status === 'expiring_soon' || library.status === 'expired') && library.hold === undefined
}

/** The ids to send, in the list's order. */
export function refreshableIds(state: Pick<AppState, 'ids' | 'byId'>): string[] {
  return state.ids.filter((id) => {
    const library = state.byId[id]
    return library !== undefined && isRefreshable(library)
  })
}

/**
 * How many there are, followed through a wave's updates (only the touched libraries are looked at again, as the
 * status counts are). While the rest of the list is read, the whole list's counts as of its first page stand in (the
 * button waits for the whole list anyway).
 */
export function createRefreshableCountSelector(): (state: AppState) => number {
  let lastById: AppState['byId'] | null = null
  let count = 0
  return (state) => {
    if (state.listing !== null) {
      lastById = null
      return state.listing.counts.expiring_soon + state.listing.counts.expired
    }
    if (state.byId !== lastById) {
      const touched = lastById === null ? null : touchedBetween(lastById, state.byId, state.ids.length * PATCH_SHARE)
      if (touched === null || lastById === null) count = refreshableIds(state).length
      else {
        for (const id of touched) {
          const was = lastById[id]
          const is = state.byId[id]
          if (was !== undefined && isRefreshable(was)) count -= 1
          if (is !== undefined && isRefreshable(is)) count += 1
        }
      }
      lastById = state.byId
    }
    return count
  }
}

/** One shared instance: the banner and anything else asking reuse one computation. */
export const selectRefreshableCount = createRefreshableCountSelector()
