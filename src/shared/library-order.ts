// The list's orders, shared by the main side (which answers the first page of the default order) and the page (which
// sorts what it holds): the first page is a prefix of the page's own order only when both compare alike. Types only
// from the contract, no schema library, so the renderer's bundle does not grow.
import type { KeyView, LibraryListView, LibraryStatus } from './contract.ts'

/** What the orders read of a library. */
export type Ordered = Pick<LibraryListView, 'id' | 'name' | 'status' | 'expiresAt'>
export type LibraryOrder = (a: Ordered, b: Ordered) => number

/**
 * Lower is more urgent. A library being refreshed keeps the rank of "expiring soon" (where most refreshes
 * start), so pressing Refresh now does not make its row jump away while it works. A moved one comes last, after
 * revoked: both are ended for this machine, but a moved token still works (on the other machine) and was sent
 * there on purpose, so nothing about it can ever want a look here.
 */
export const URGENCY_RANK: Readonly<Record<LibraryStatus, number>> = {
  needs_reauth: 0,
  expired: 1,
  error: 2,
  expiring_soon: 3,
  refreshing: 3,
  healthy: 5,
  revoked: 6,
  moved: 7
}

/** A key as the list's orders read it: 'inactive' ranks beside 'expired' (both stopped working on their own). */
export function keyOrdered(key: Pick<KeyView, 'id' | 'name' | 'status' | 'expiresAt'>): Ordered {
  return { id: key.id, name: key.name, status: key.status === 'inactive' ? 'expired' : key.status, expiresAt: key.expiresAt }
}

/** Keys in the list's default order (urgency) in `locale`: how 'keys.list' answers them. */
export function keysInListOrder<K extends Pick<KeyView, 'id' | 'name' | 'status' | 'expiresAt'>>(keys: readonly K[], locale: string): K[] {
  const order = urgencyOrder(locale)
  return keys
    .map((key) => ({ key, ordered: keyOrdered(key) }))
    .sort((a, b) => order(a.ordered, b.ordered))
    .map(({ key }) => key)
}

/** Unknown expiry sorts after every known one. */
export function compareExpiry(a: Ordered, b: Ordered): number {
  if (a.expiresAt === b.expiresAt) return 0
  if (a.expiresAt === null) return 1
  if (b.expiresAt === null) return -1
  return a.expiresAt - b.expiresAt
}

/** The last tie-break: ids are unique, so every order below is total. */
export function compareIds(a: Ordered, b: Ordered): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** Collators kept, by locale: a locale string comes from the page, so the cache is bounded. */
const MAX_LOCALES = 8
const comparers = new Map<string, (a: string, b: string) => number>()

/**
 * Names compared as a person reads them in `locale` (accents and case ignored, "Library 9" before "Library 10").
 * One collator per locale, built on first use (it costs milliseconds). A tag Intl cannot parse collates as English.
 */
export function nameComparer(locale: string): (a: string, b: string) => number {
  let comparer = comparers.get(locale)
  if (comparer === undefined) {
    let collator: Intl.Collator | undefined
    comparer = (a, b) => {
      collator ??= collatorFor(locale)
      return collator.compare(a, b)
    }
    if (comparers.size >= MAX_LOCALES) comparers.delete(comparers.keys().next().value as string)
    comparers.set(locale, comparer)
  }
  return comparer
}

function collatorFor(locale: string): Intl.Collator {
  const options: Intl.CollatorOptions = { sensitivity: 'base', numeric: true }
  try {
    return new Intl.Collator(locale, options)
  } catch {
    // A RangeError for a malformed tag ("a--b"): the same fallback on both sides.
    return new Intl.Collator('en', options)
  }
}

/** Most urgent status first; within a status, the soonest expiry; then by name, then id. The default order. */
export function urgencyOrder(locale: string): LibraryOrder {
  const names = nameComparer(locale)
  return (a, b) => URGENCY_RANK[a.status] - URGENCY_RANK[b.status] || compareExpiry(a, b) || names(a.name, b.name) || compareIds(a, b)
}

export function nameOrder(locale: string): LibraryOrder {
  const names = nameComparer(locale)
  return (a, b) => names(a.name, b.name) || compareIds(a, b)
}

export function expiryOrder(locale: string): LibraryOrder {
  const names = nameComparer(locale)
  return (a, b) => compareExpiry(a, b) || names(a.name, b.name) || compareIds(a, b)
}
