// Sorting, filtering and searching the library list, and the counts the warnings banner shows. Pure.
import type { LibraryListView, LibraryStatus, TokenType } from '../../../shared/contract.ts'
import { expiryOrder, nameComparer, nameOrder, urgencyOrder, type LibraryOrder } from '../../../shared/library-order.ts'
import { listLocale } from '../../../shared/list-paging.ts'
import { ATTENTION_STATUSES, STATUSES_BY_URGENCY } from './status.ts'

export type SortKey = 'urgency' | 'name' | 'expiry'
export type SortDirection = 'asc' | 'desc'
export interface SortState {
  readonly key: SortKey
  readonly direction: SortDirection
}
export const DEFAULT_SORT: SortState = { key: 'urgency', direction: 'asc' }

/** `attention` is every status the banner counts (expiring soon, expired, needs re-authorization, error). */
export type StatusFilter = LibraryStatus | 'inactive' | 'all' | 'attention'
export type TokenTypeFilter = TokenType | 'all'
export interface FilterState {
  readonly status: StatusFilter
  readonly tokenType: TokenTypeFilter
  readonly search: string
}
export const DEFAULT_FILTER: FilterState = { status: 'all', tokenType: 'all', search: '' }

/**
 * The locale the page collates names in, and asks the main side to order the first page in: the browser's language
 * when it is a plain tag, else English (the same rule the preload and the page bridge apply to their early call).
 */
export function pageLocale(): string {
  return listLocale(typeof navigator === 'undefined' ? undefined : navigator.language)
}

/** Builds the collator now (it takes milliseconds the first time), so the first sort does not wait for it. */
export function prepareCollation(): void {
  nameComparer(pageLocale())('a', 'b')
}

type Comparators = Readonly<Record<SortKey, LibraryOrder>>
let comparators: Comparators | undefined
/** The shared orders in the page's locale, made once (the locale does not change under a running page). */
function pageComparators(): Comparators {
  if (comparators === undefined) {
    const locale = pageLocale()
    comparators = { urgency: urgencyOrder(locale), name: nameOrder(locale), expiry: expiryOrder(locale) }
  }
  return comparators
}

/** Most urgent status first; within a status, the soonest expiry; then by name. Deterministic. */
export function compareByUrgency(a: LibraryListView, b: LibraryListView): number {
  return pageComparators().urgency(a, b)
}

export function compareByName(a: LibraryListView, b: LibraryListView): number {
  return pageComparators().name(a, b)
}

export function compareByExpiry(a: LibraryListView, b: LibraryListView): number {
  return pageComparators().expiry(a, b)
}

/** A sorted copy. Descending reverses the order, except that unknown expiries stay last. */
export function sortLibraries<L extends LibraryListView>(libraries: readonly L[], sort: SortState = DEFAULT_SORT): L[] {
  const compare = pageComparators()[sort.key]
  const sorted = [...libraries].sort(compare)
  if (sort.direction === 'asc') return sorted
  if (sort.key !== 'expiry') return sorted.reverse()
  const known = sorted.filter((library) => library.expiresAt !== null).reverse()
  return [...known, ...sorted.filter((library) => library.expiresAt === null)]
}

/**
 * The order sortLibraries gives, as one comparison (descending too, unknown expiries still last): what keeping a
 * sorted list sorted change by change searches and inserts with. The orders are total, so both give one result.
 */
export function sortOrder(sort: SortState = DEFAULT_SORT): LibraryOrder {
  const compare = pageComparators()[sort.key]
  if (sort.direction === 'asc') return compare
  if (sort.key !== 'expiry') return (a, b) => compare(b, a)
  return (a, b) => {
    const aUnknown = a.expiresAt === null
    if (aUnknown !== (b.expiresAt === null)) return aUnknown ? 1 : -1
    return aUnknown ? compare(a, b) : compare(b, a)
  }
}

const NON_ASCII = /\P{ASCII}/u
/** Anything the whitespace rule below would change: a run, a leading or trailing space, a tab or a newline. */
const UNTIDY_SPACE = /\s\s|^\s|\s$|[^\S ]/

/** Lower case, accents removed, spaces collapsed: "Brasserie  Nörd" → "brasserie nord". */
export function normalizeText(text: string): string {
  // Plain ASCII (most names) has nothing to decompose: skipping that is most of the cost of the search index.
  const plain = NON_ASCII.test(text) ? text.normalize('NFD').replace(/\p{M}+/gu, '') : text
  const lower = plain.toLowerCase()
  return UNTIDY_SPACE.test(lower) ? lower.replace(/\s+/g, ' ').trim() : lower
}

const haystacks = new WeakMap<LibraryListView, string>()

/** What a search looks in: the name, the customer label, the Apicbase library name and id, and the client ID. */
export function searchText(library: LibraryListView): string {
  let text = haystacks.get(library)
  if (text === undefined) {
    text = normalizeText([library.name, library.customer ?? '', library.apicbaseLibraryName ?? '', library.apicbaseLibraryId ?? '', library.clientId].join(' \u0000 '))
    haystacks.set(library, text)
  }
  return text
}

/** The words of a query; a library matches when every word appears somewhere in what it is searched by. */
export function queryTerms(search: string): string[] {
  const normalized = normalizeText(search)
  return normalized === '' ? [] : normalized.split(' ')
}

export function matchesStatus(status: LibraryStatus, filter: StatusFilter): boolean {
  if (filter === 'all') return true
  if (filter === 'attention') return (ATTENTION_STATUSES as readonly LibraryStatus[]).includes(status)
  return status === filter
}

/** Whether a library's search text holds every word of the query. */
export function containsTerms(text: string, terms: readonly string[]): boolean {
  for (const term of terms) if (!text.includes(term)) return false
  return true
}

/**
 * Whether every library matching `next` also matches `previous`: each earlier word lies inside some new word
 * ("caf" → "cafe", "cafe" → "cafe 1"). The list can then be narrowed from the earlier matches alone.
 */
export function termsNarrow(previous: readonly string[], next: readonly string[]): boolean {
  return previous.every((old) => next.some((term) => term.includes(old)))
}

export function matchesFilter(library: LibraryListView, filter: FilterState, terms: readonly string[] = queryTerms(filter.search)): boolean {
  if (!matchesStatus(library.status, filter.status)) return false
  if (filter.tokenType !== 'all' && library.tokenType !== filter.tokenType) return false
  return terms.length === 0 || containsTerms(searchText(library), terms)
}

/** The ids to show, in order. */
export function visibleLibraryIds(libraries: readonly LibraryListView[], filter: FilterState, sort: SortState): string[] {
  const terms = queryTerms(filter.search)
  const kept = libraries.filter((library) => matchesFilter(library, filter, terms))
  return sortLibraries(kept, sort).map((library) => library.id)
}

export type StatusCounts = Readonly<Record<LibraryStatus, number>>

export function countByStatus(libraries: Iterable<LibraryListView>): StatusCounts {
  const counts = Object.fromEntries(STATUSES_BY_URGENCY.map((status) => [status, 0])) as Record<LibraryStatus, number>
  for (const library of libraries) counts[library.status] += 1
  return counts
}

export function isFiltered(filter: FilterState): boolean {
  return filter.status !== 'all' || filter.tokenType !== 'all' || filter.search.trim() !== ''
}
