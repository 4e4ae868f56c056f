// Keys in the one list: which pass the filters and search, in the list's own order, and where they fall among the
// libraries. Usually keys are few (tens), but a partner may hold thousands (the dashboard benchmark's mixed 5,000), so
// typing costs what it costs for the libraries: createVisibleKeysQuery sorts once per change of the keys or the order
// and then only filters, narrowing from the last matches; mergeRows puts a few keys in by binary search and walks both
// lists once for many. Pure (the query keeps its own cache, nothing else).
import type { KeyView, LibraryListView } from '../../../shared/contract.ts'
import type { SYSTEM_IDS } from '../../../shared/contract/words.ts'
import { keyOrdered, type Ordered } from '../../../shared/library-order.ts'
import { SYSTEM_LABEL } from '../../../shared/status-words.ts'
import { ATTENTION_STATUSES } from './status.ts'
import { containsTerms, normalizeText, sortOrder, termsNarrow, type FilterState, type SortState } from './library-query.ts'

export type SystemId = (typeof SYSTEM_IDS)[number]
export type SystemFilter = SystemId | 'all'
/** A customer label as libraries and keys carry it, or every entry. */
export type CustomerFilter = string | null

/** The systems a key can be of, in the order the filter offers them (Apicbase's are the libraries). */
export const KEY_SYSTEMS = ['safetyculture', 'airtable', 'service_token'] as const satisfies readonly SystemId[]

export function isSystem(value: string): value is SystemId {
  return Object.hasOwn(SYSTEM_LABEL, value)
}

/** Whether the system filter leaves the libraries in (they are Apicbase's; their own selector filters by customer). */
export function librariesShown(system: SystemFilter): boolean {
  return system === 'all' || system === 'apicbase'
}

const haystacks = new WeakMap<KeyView, string>()

/** What a search looks in: the name, the customer, the system's name, and who or where it acts. */
export function keySearchText(key: KeyView): string {
  let text = haystacks.get(key)
  if (text === undefined) {
    const details =
      key.system === 'safetyculture' ? [key.details.organisation, key.details.owner] : key.system === 'service_token' ? [key.details.serviceUser, key.details.environment] : []
    text = normalizeText([key.name, key.customer ?? '', SYSTEM_LABEL[key.system], ...details].join(' \u0000 '))
    haystacks.set(key, text)
  }
  return text
}

/** 'Needs attention' holds an inactive key too: it stopped working, as an expired one did. */
const KEY_ATTENTION: ReadonlySet<string> = new Set([...ATTENTION_STATUSES, 'inactive'])

export function keyMatches(key: KeyView, filter: FilterState, system: SystemFilter, customer: CustomerFilter, terms: readonly string[]): boolean {
  // A token type is an Apicbase library's: choosing one shows libraries only.
  if (filter.tokenType !== 'all') return false
  if (system !== 'all' && key.system !== system) return false
  if (customer !== null && key.customer !== customer) return false
  if (filter.status === 'attention' ? !KEY_ATTENTION.has(key.status) : filter.status !== 'all' && key.status !== filter.status) return false
  return terms.length === 0 || containsTerms(keySearchText(key), terms)
}

export { keyOrdered }

/** The keys that pass, in the list's order, as what the orders read. */
export function visibleKeys(keys: readonly KeyView[], filter: FilterState, system: SystemFilter, customer: CustomerFilter, terms: readonly string[], sort: SortState): Ordered[] {
  const order = sortOrder(sort)
  return keys
    .filter((key) => keyMatches(key, filter, system, customer, terms))
    .map(keyOrdered)
    .sort(order)
}

/** How much work a key query or merge did: keys whose filters and search text it looked at, comparisons it made. */
export interface KeyQueryWork {
  examined: number
  compared: number
}

/** Results kept per order: a word typed and deleted again, or a filter switched back, costs no new look. */
const RECENT_QUERIES = 16

/**
 * visibleKeys with memory, for the list's selector: the keys are sorted once per change of the keys array or the
 * order, then each call only filters that sorted list. A search that narrows the last one (one more letter, one more
 * word) with the other filters unchanged looks only at the last matches; one of the last few looks at none and gives
 * back the same array, as does a search whose matches did not change.
 */
export function createVisibleKeysQuery(work?: KeyQueryWork): (keys: readonly KeyView[], filter: FilterState, system: SystemFilter, customer: CustomerFilter, terms: readonly string[], sort: SortState) => readonly Ordered[] {
  let sortedFor: { readonly keys: readonly KeyView[]; readonly sort: SortState } | null = null
  let sorted: { readonly key: KeyView; readonly ordered: Ordered }[] = []
  let last: { readonly filter: FilterState; readonly system: SystemFilter; readonly customer: CustomerFilter; readonly terms: readonly string[]; readonly matches: readonly number[]; readonly shown: readonly Ordered[] } | null = null
  let recent = new Map<string, { readonly matches: readonly number[]; readonly shown: readonly Ordered[] }>()
  return (keys, filter, system, customer, terms, sort) => {
    if (sortedFor === null || sortedFor.keys !== keys || sortedFor.sort !== sort) {
      const order = sortOrder(sort)
      const compare = work ? (a: Ordered, b: Ordered): number => ((work.compared += 1), order(a, b)) : order
      sorted = keys.map((key) => ({ key, ordered: keyOrdered(key) })).sort((a, b) => compare(a.ordered, b.ordered))
      sortedFor = { keys, sort }
      last = null
      recent = new Map()
    }
    const id = [filter.status, filter.tokenType, system, customer === null ? '\u0001' : customer, ...terms].join('\u0000')
    let found = recent.get(id)
    if (found === undefined) {
      const narrowing = last !== null && last.filter.status === filter.status && last.filter.tokenType === filter.tokenType && last.system === system && last.customer === customer && termsNarrow(last.terms, terms)
      const candidates = narrowing && last !== null ? last.matches : null
      const count = candidates === null ? sorted.length : candidates.length
      const matches: number[] = []
      for (let k = 0; k < count; k++) {
        const i = candidates === null ? k : (candidates[k] as number)
        if (keyMatches((sorted[i] as (typeof sorted)[number]).key, filter, system, customer, terms)) matches.push(i)
      }
      if (work) work.examined += count
      // The same keys as last time: the same array, so what is built from it (the merge) is kept too.
      const same = last !== null && last.matches.length === matches.length && matches.every((i, k) => last?.matches[k] === i)
      found = { matches, shown: same && last !== null ? last.shown : matches.map((i) => (sorted[i] as (typeof sorted)[number]).ordered) }
      recent.delete(id)
      recent.set(id, found)
      if (recent.size > RECENT_QUERIES) recent.delete(recent.keys().next().value as string)
    }
    last = { filter, system, customer, terms, matches: found.matches, shown: found.shown }
    return found.shown
  }
}

/**
 * The libraries' ids (already in order) with the keys put where the same order places them. A few keys: each key's
 * place is a binary search (about log2(n) comparisons); many: one walk down both lists (at most n + k comparisons).
 * The libraries are copied once, in runs between keys.
 */
export function mergeRows(libraryIds: readonly string[], byId: Readonly<Record<string, LibraryListView>>, keys: readonly Ordered[], sort: SortState, work?: KeyQueryWork): readonly string[] {
  if (keys.length === 0) return libraryIds
  const sortedOrder = sortOrder(sort)
  const order = work ? (a: Ordered, b: Ordered): number => ((work.compared += 1), sortedOrder(a, b)) : sortedOrder
  if (keys.length * Math.log2(libraryIds.length + 1) > libraryIds.length + keys.length) return mergeWalking(libraryIds, byId, keys, order)
  const merged: string[] = []
  let from = 0
  for (const key of keys) {
    let low = from
    let high = libraryIds.length
    while (low < high) {
      const middle = (low + high) >>> 1
      const library = byId[libraryIds[middle] as string]
      if (library !== undefined && order(library, key) < 0) low = middle + 1
      else high = middle
    }
    for (let i = from; i < low; i++) merged.push(libraryIds[i] as string)
    merged.push(key.id)
    from = low
  }
  for (let i = from; i < libraryIds.length; i++) merged.push(libraryIds[i] as string)
  return merged
}

/** mergeRows for many keys: both lists walked once, each library passed over while it comes before the next key. */
function mergeWalking(libraryIds: readonly string[], byId: Readonly<Record<string, LibraryListView>>, keys: readonly Ordered[], order: (a: Ordered, b: Ordered) => number): readonly string[] {
  const merged: string[] = []
  let next = 0
  for (const key of keys) {
    while (next < libraryIds.length) {
      const library = byId[libraryIds[next] as string]
      if (library === undefined || order(library, key) >= 0) break
      merged.push(libraryIds[next] as string)
      next += 1
    }
    merged.push(key.id)
  }
  for (let i = next; i < libraryIds.length; i++) merged.push(libraryIds[i] as string)
  return merged
}
