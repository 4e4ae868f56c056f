// Keys in the one list: which pass the filters and search, in the list's own order, and where they fall among the
// libraries. Keys are few (tens), so they are filtered and sorted whole; the libraries' sorted ids are never walked
// again: each key finds its place among them by binary search. Pure.
import type { KeyView, LibraryListView } from '../../../shared/contract.ts'
import type { SYSTEM_IDS } from '../../../shared/contract/words.ts'
import type { Ordered } from '../../../shared/library-order.ts'
import { SYSTEM_LABEL } from '../../../shared/status-words.ts'
import { ATTENTION_STATUSES } from './status.ts'
import { containsTerms, normalizeText, sortOrder, type FilterState, type SortState } from './library-query.ts'

export type SystemId = (typeof SYSTEM_IDS)[number]
export type SystemFilter = SystemId | 'all'
/** A customer label as keys carry it, or every entry. */
export type CustomerFilter = string | null

/** The systems a key can be of, in the order the filter offers them (Apicbase's are the libraries). */
export const KEY_SYSTEMS = ['safetyculture', 'airtable', 'service_token'] as const satisfies readonly SystemId[]

export function isSystem(value: string): value is SystemId {
  return Object.hasOwn(SYSTEM_LABEL, value)
}

/** Whether the system and customer filters leave any library in (libraries are Apicbase's and carry no customer). */
export function librariesShown(system: SystemFilter, customer: CustomerFilter): boolean {
  return (system === 'all' || system === 'apicbase') && customer === null
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

/** A key as the list's orders read it: 'inactive' ranks beside 'expired' (both stopped working on their own). */
export function keyOrdered(key: KeyView): Ordered {
  return { id: key.id, name: key.name, status: key.status === 'inactive' ? 'expired' : key.status, expiresAt: key.expiresAt }
}

/** The keys that pass, in the list's order, as what the orders read. */
export function visibleKeys(keys: readonly KeyView[], filter: FilterState, system: SystemFilter, customer: CustomerFilter, terms: readonly string[], sort: SortState): Ordered[] {
  const order = sortOrder(sort)
  return keys
    .filter((key) => keyMatches(key, filter, system, customer, terms))
    .map(keyOrdered)
    .sort(order)
}

/**
 * The libraries' ids (already in order) with the keys put where the same order places them. Each key's place is a
 * binary search (about log2(n) comparisons); the libraries are copied once, in runs between keys.
 */
export function mergeRows(libraryIds: readonly string[], byId: Readonly<Record<string, LibraryListView>>, keys: readonly Ordered[], sort: SortState): readonly string[] {
  if (keys.length === 0) return libraryIds
  const order = sortOrder(sort)
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

/** The customers the keys name, in the page's order, each once. */
export function customersOf(keys: readonly KeyView[]): string[] {
  const seen = new Set<string>()
  for (const key of keys) if (key.customer !== null && key.customer !== '') seen.add(key.customer)
  return [...seen].sort((a, b) => a.localeCompare(b))
}
