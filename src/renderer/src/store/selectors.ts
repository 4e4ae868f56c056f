// Derived views of the store, memoised so a component re-renders only when what it shows changed.
import type { LibraryListView } from '../../../shared/contract.ts'
import { containsTerms, countByStatus, matchesStatus, queryTerms, searchText, sortLibraries, sortOrder, termsNarrow, type StatusCounts } from '../lib/library-query.ts'
import { patchSorted } from '../lib/sorted-patch.ts'
import { touchedBetween } from './library-changes.ts'
import type { AppState } from './types.ts'

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function allLibraries(state: AppState): LibraryListView[] {
  const list: LibraryListView[] = []
  for (const id of state.ids) {
    const library = state.byId[id]
    if (library) list.push(library)
  }
  return list
}

let listedFor: { byId: AppState['byId']; ids: AppState['ids'] } | null = null
let listed: readonly LibraryListView[] = []

/**
 * Every library, in the order Larder listed them: one array per change of the libraries, which the sort, the
 * warnings' counts and the clock's expiries all read (walking 10,000 keys of byId costs more than an array).
 */
export function selectLibraryList(state: AppState): readonly LibraryListView[] {
  if (listedFor === null || listedFor.byId !== state.byId || listedFor.ids !== state.ids) {
    listed = allLibraries(state)
    listedFor = { byId: state.byId, ids: state.ids }
  }
  return listed
}

/** How much work the visible-ids selector did: libraries whose status, type and search text it looked at. */
export interface SelectorWork {
  examined: number
  /** Comparisons made keeping the list sorted (counted when present). */
  compared?: number
}

/** Beyond this share of the libraries changed at once, sorting afresh from the last order costs no more. */
const PATCH_SHARE = 1 / 8

/** Whether a library passes the status, type and customer filters and holds every search word. */
function passes(library: LibraryListView, filter: AppState['filter'], customer: Customer, terms: readonly string[], text: () => string): boolean {
  if (customer !== null && library.customer !== customer) return false
  if (filter.status !== 'all' && !matchesStatus(library.status, filter.status)) return false
  if (filter.tokenType !== 'all' && library.tokenType !== filter.tokenType) return false
  return terms.length === 0 || containsTerms(text(), terms)
}

/** A label is never empty, so '' stands for every customer. */
function filterKey(filter: AppState['filter'], customer: Customer, terms: readonly string[]): string {
  return `${filter.status}\u0000${filter.tokenType}\u0000${customer ?? ''}\u0000${terms.join('\u0000')}`
}

/** Whether position `index` is among `matches` (ascending). */
function matchedAt(matches: readonly number[], index: number): boolean {
  let low = 0
  let high = matches.length - 1
  while (low <= high) {
    const middle = (low + high) >>> 1
    const at = matches[middle] as number
    if (at === index) return true
    if (at < index) low = middle + 1
    else high = middle - 1
  }
  return false
}

type Customer = AppState['customerFilter']

interface Filtered {
  readonly filter: AppState['filter']
  readonly customer: Customer
  readonly terms: readonly string[]
  /** Positions in the sorted list that matched; null when nothing filtered (every one matched). */
  readonly matches: readonly number[] | null
}

/** Results kept per sort: a word typed and deleted again, or a filter switched back, costs no new look. */
const RECENT_FILTERS = 16

/**
 * The ids the list shows, in order. Sorting (the costly part) is redone only when a library or the sort
 * changed; typing in the search box only filters the sorted list again, and a keystroke that narrows the search
 * (one more letter, one more word) looks only at what matched before; going back to a search or filter of the last
 * few (Backspace) looks at none. The same array comes back while the result is unchanged.
 */
export function createVisibleIdsSelector(work?: SelectorWork): (state: AppState) => readonly string[] {
  let sortedFor: { byId: AppState['byId']; ids: AppState['ids']; sort: AppState['sort'] } | null = null
  let sorted: LibraryListView[] = []
  let sortedIds: readonly string[] = []
  /** Each sorted library's search text, looked up once per sort (searchText keeps it per library object). */
  let texts: (string | undefined)[] = []
  let filtered: Filtered | null = null
  let result: readonly string[] = []
  /** Recent results for this sort, by filter: Backspace goes back to a search already filtered. */
  let recent = new Map<string, { readonly matches: readonly number[] | null; readonly ids: readonly string[] }>()

  const filter = (next: AppState['filter'], customer: Customer, terms: readonly string[]): readonly number[] => {
    const previous = filtered
    const narrowing =
      previous !== null &&
      previous.matches !== null &&
      previous.filter.status === next.status &&
      previous.filter.tokenType === next.tokenType &&
      (previous.customer === null || previous.customer === customer) &&
      termsNarrow(previous.terms, terms)
    const candidates = narrowing ? previous.matches : null
    const count = candidates === null ? sorted.length : candidates.length
    const matches: number[] = []
    for (let k = 0; k < count; k++) {
      const i = candidates === null ? k : (candidates[k] as number)
      const library = sorted[i] as LibraryListView
      if (passes(library, next, customer, terms, () => (texts[i] ??= searchText(library)))) matches.push(i)
    }
    if (work) work.examined += count
    return matches
  }

  /**
   * Only a few libraries changed since the last sort (a wave's update): they are patched into the order, and the
   * filter's result is kept when no library moved, came or went and none changed whether it passes. False when
   * that cannot be done (a fresh load, a new sort, many changes): the caller sorts afresh.
   */
  const patch = (state: AppState): boolean => {
    if (sortedFor === null || sortedFor.sort !== state.sort) return false
    const before = sortedFor.byId
    const touched = touchedBetween(before, state.byId, sorted.length * PATCH_SHARE)
    if (touched === null) return false
    const order = sortOrder(state.sort)
    const compare = work ? (a: LibraryListView, b: LibraryListView) => ((work.compared = (work.compared ?? 0) + 1), order(a, b)) : order
    const changes: [LibraryListView | undefined, LibraryListView | undefined][] = []
    for (const id of touched) changes.push([before[id], state.byId[id]])
    const patched = patchSorted(sorted, changes, compare)
    if (patched === null) return false
    sortedFor = { byId: state.byId, ids: state.ids, sort: state.sort }
    if (patched.reordered) {
      sorted = patched.sorted
      sortedIds = sorted.map((library) => library.id)
      texts = []
      filtered = null
      recent = new Map()
      return true
    }
    // The same order: the filter's answer stands unless a replaced library now passes it differently.
    for (const index of patched.replaced) texts[index] = undefined
    recent = new Map()
    if (filtered === null) return true
    const { matches, terms, customer } = filtered
    if (matches !== null) {
      const current = filtered.filter
      if (work) work.examined += patched.replaced.length
      const unchanged = patched.replaced.every((index) => {
        const library = sorted[index] as LibraryListView
        return passes(library, current, customer, terms, () => (texts[index] ??= searchText(library))) === matchedAt(matches, index)
      })
      if (!unchanged) {
        filtered = null
        return true
      }
    }
    recent.set(filterKey(filtered.filter, customer, terms), { matches, ids: result })
    return true
  }

  return (state) => {
    if ((!sortedFor || sortedFor.byId !== state.byId || sortedFor.ids !== state.ids || sortedFor.sort !== state.sort) && !patch(state)) {
      // Only some libraries changed (a refresh wave's update): from the order last shown the sort finds long runs
      // already in place, about one comparison per library instead of a full sort's log2(n). Same result: the orders are total.
      const lastOrder = sortedFor !== null && sortedFor.ids === state.ids && sortedFor.sort === state.sort
      sorted = sortLibraries(lastOrder ? sorted.map((library) => state.byId[library.id] ?? library) : selectLibraryList(state), state.sort)
      sortedIds = sorted.map((library) => library.id)
      texts = []
      sortedFor = { byId: state.byId, ids: state.ids, sort: state.sort }
      filtered = null
      recent = new Map()
    }
    const customer = state.customerFilter ?? null
    if (!filtered || filtered.filter !== state.filter || filtered.customer !== customer) {
      const terms = queryTerms(state.filter.search)
      const key = filterKey(state.filter, customer, terms)
      let known = recent.get(key)
      if (known === undefined) {
        const everything = state.filter.status === 'all' && state.filter.tokenType === 'all' && customer === null && terms.length === 0
        const matches = everything ? null : filter(state.filter, customer, terms)
        known = { matches, ids: matches === null ? sortedIds : matches.map((i) => (sorted[i] as LibraryListView).id) }
        if (recent.size >= RECENT_FILTERS) recent.delete(recent.keys().next().value as string)
        recent.set(key, known)
      }
      if (!sameIds(known.ids, result)) result = known.ids
      filtered = { filter: state.filter, customer, terms, matches: known.matches }
    }
    return result
  }
}

/** `counts` moved by what the touched libraries were in `before` and are in `after`. */
function recount(counts: StatusCounts, touched: ReadonlySet<string>, before: AppState['byId'], after: AppState['byId']): StatusCounts {
  const next = { ...counts }
  for (const id of touched) {
    const was = before[id]
    const is = after[id]
    if (was !== undefined) next[was.status] -= 1
    if (is !== undefined) next[is.status] += 1
  }
  return next
}

export function createStatusCountsSelector(): (state: AppState) => StatusCounts {
  let lastById: AppState['byId'] | null = null
  let counts: StatusCounts = countByStatus([])
  return (state) => {
    // While the rest of the list is read, the whole list's counts as of its first page (events wait, so they hold).
    if (state.listing !== null) {
      lastById = null
      return state.listing.counts
    }
    if (state.byId !== lastById) {
      // A wave's update: only the touched libraries move the counts. Otherwise through the id list: enumerating
      // byId (10,000 id keys) sorts them each time.
      const touched = lastById === null ? null : touchedBetween(lastById, state.byId, state.ids.length * PATCH_SHARE)
      const next = touched === null || lastById === null ? countByStatus(allLibraries(state)) : recount(counts, touched, lastById, state.byId)
      const changed = Object.keys(next).some((status) => next[status as keyof StatusCounts] !== counts[status as keyof StatusCounts])
      if (changed) counts = next
      lastById = state.byId
    }
    return counts
  }
}

/** How many libraries there are, including those of a partial list still on their way. */
export function selectLibraryCount(state: AppState): number {
  return state.listing?.total ?? state.ids.length
}

/** How many of a partial list's libraries are in (null once the whole list is). */
export function selectLoadedCount(state: AppState): number | null {
  return state.listing === null ? null : state.ids.length
}

/** Every known expiry, for the shared ticker. */
export function selectExpiries(state: AppState): Iterable<number | null> {
  return state.ids.map((id) => state.byId[id]?.expiresAt ?? null)
}

/** Shared instances, so every component asking for the visible ids or the counts reuses one computation. */
export const selectVisibleIds = createVisibleIdsSelector()
export const selectStatusCounts = createStatusCountsSelector()
