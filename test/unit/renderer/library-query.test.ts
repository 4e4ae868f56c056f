import { describe, expect, it } from 'vitest'
import type { LibraryStatus } from '../../../src/shared/contract.ts'
import {
  compareByUrgency,
  countByStatus,
  DEFAULT_FILTER,
  isFiltered,
  matchesFilter,
  normalizeText,
  pageLocale,
  queryTerms,
  sortLibraries,
  visibleLibraryIds
} from '../../../src/renderer/src/lib/library-query.ts'
import { urgencyOrder } from '../../../src/shared/library-order.ts'
import { listLocale } from '../../../src/shared/list-paging.ts'
import { DAY, HOUR, library, NOW } from './fixtures.ts'

const names = (list: readonly { name: string }[]): string[] => list.map((l) => l.name)

describe('sorting by urgency', () => {
  it('puts the trouble first: re-authorization, expired, error, expiring soon, then healthy, revoked last', () => {
    const statuses: LibraryStatus[] = ['healthy', 'revoked', 'expiring_soon', 'error', 'needs_reauth', 'expired']
    const list = statuses.map((status) => library({ status, name: status }))
    expect(names(sortLibraries(list))).toEqual(['needs_reauth', 'expired', 'error', 'expiring_soon', 'healthy', 'revoked'])
  })

  it('orders libraries of one status by the soonest expiry, unknown expiry last', () => {
    const list = [
      library({ status: 'expiring_soon', name: 'later', expiresAt: NOW + 40 * HOUR }),
      library({ status: 'expiring_soon', name: 'unknown', expiresAt: null }),
      library({ status: 'expiring_soon', name: 'sooner', expiresAt: NOW + 2 * HOUR })
    ]
    expect(names(sortLibraries(list))).toEqual(['sooner', 'later', 'unknown'])
  })

  it('keeps a library that is being refreshed where an expiring one would be, so its row does not jump', () => {
    const refreshing = library({ status: 'refreshing', name: 'refreshing', expiresAt: NOW + 10 * HOUR })
    const expiring = library({ status: 'expiring_soon', name: 'expiring', expiresAt: NOW + 20 * HOUR })
    const healthy = library({ status: 'healthy', name: 'healthy' })
    expect(names(sortLibraries([healthy, expiring, refreshing]))).toEqual(['refreshing', 'expiring', 'healthy'])
  })

  it('breaks ties by name, then id, so the order never flickers', () => {
    const a = library({ name: 'Same', id: 'b', expiresAt: NOW + DAY })
    const b = library({ name: 'Same', id: 'a', expiresAt: NOW + DAY })
    expect(compareByUrgency(a, b)).toBeGreaterThan(0)
    expect(sortLibraries([a, b]).map((l) => l.id)).toEqual(['a', 'b'])
  })

  it('does not change the list it was given', () => {
    const list = [library({ status: 'healthy' }), library({ status: 'expired' })]
    const before = [...list]
    sortLibraries(list)
    expect(list).toEqual(before)
  })
})

describe('sorting by name and expiry', () => {
  const list = [
    library({ name: 'café zuid', expiresAt: NOW + 3 * DAY }),
    library({ name: 'Brasserie Nord', expiresAt: NOW + DAY }),
    library({ name: 'Library 10', expiresAt: null }),
    library({ name: 'Library 9', expiresAt: NOW + 2 * DAY })
  ]

  it('sorts names as people do: case-insensitive and numbers by value', () => {
    expect(names(sortLibraries(list, { key: 'name', direction: 'asc' }))).toEqual(['Brasserie Nord', 'café zuid', 'Library 9', 'Library 10'])
    expect(names(sortLibraries(list, { key: 'name', direction: 'desc' }))).toEqual(['Library 10', 'Library 9', 'café zuid', 'Brasserie Nord'])
  })

  it('sorts by expiry either way and keeps unknown expiries last', () => {
    expect(names(sortLibraries(list, { key: 'expiry', direction: 'asc' }))).toEqual(['Brasserie Nord', 'Library 9', 'café zuid', 'Library 10'])
    expect(names(sortLibraries(list, { key: 'expiry', direction: 'desc' }))).toEqual(['café zuid', 'Library 9', 'Brasserie Nord', 'Library 10'])
  })

  it("collates names in the locale it is given (the page's, which the main side's first page uses too)", () => {
    const nordic = library({ name: 'Åbo Bistro', expiresAt: NOW + DAY })
    const last = library({ name: 'Zuid Bistro', expiresAt: NOW + DAY })
    // Swedish puts Å after Z; English beside A.
    expect(urgencyOrder('sv')(nordic, last)).toBeGreaterThan(0)
    expect(urgencyOrder('en')(nordic, last)).toBeLessThan(0)
    expect(pageLocale()).toBe(listLocale(typeof navigator === 'undefined' ? undefined : navigator.language))
  })
})

describe('filtering and search', () => {
  const nord = library({ name: 'Brasserie Nord', apicbaseLibraryName: 'Nord BV', apicbaseLibraryId: '1001', clientId: 'abcCLIENT', status: 'expiring_soon' })
  const zuid = library({ name: 'Café Zuid', apicbaseLibraryName: null, apicbaseLibraryId: null, status: 'healthy', tokenType: 'personal' })
  const oost = library({ name: 'Trattoria Oost', apicbaseLibraryName: 'Oost', apicbaseLibraryId: '1003', status: 'needs_reauth', tokenType: 'connected_application' })
  const all = [nord, zuid, oost]
  const ids = (filter: Partial<typeof DEFAULT_FILTER>): string[] => visibleLibraryIds(all, { ...DEFAULT_FILTER, ...filter }, { key: 'name', direction: 'asc' })

  it('shows everything with no filter', () => {
    expect(ids({})).toEqual([nord.id, zuid.id, oost.id])
    expect(isFiltered(DEFAULT_FILTER)).toBe(false)
  })

  it('searches the name, the Apicbase library name and id, and the client ID, ignoring case and accents', () => {
    expect(ids({ search: 'nord' })).toEqual([nord.id])
    expect(ids({ search: 'CAFE' })).toEqual([zuid.id])
    expect(ids({ search: 'Nord BV' })).toEqual([nord.id])
    expect(ids({ search: '1003' })).toEqual([oost.id])
    expect(ids({ search: 'abcclient' })).toEqual([nord.id])
  })

  it('needs every word of the query, in any order', () => {
    expect(ids({ search: 'oost trattoria' })).toEqual([oost.id])
    expect(ids({ search: 'oost nord' })).toEqual([])
  })

  it('ignores surrounding and repeated spaces', () => {
    expect(queryTerms('  café   zuid ')).toEqual(['cafe', 'zuid'])
    expect(ids({ search: '   ' })).toEqual([nord.id, zuid.id, oost.id])
  })

  it('filters by status, by "needs attention", and by token type, together with the search', () => {
    expect(ids({ status: 'healthy' })).toEqual([zuid.id])
    expect(ids({ status: 'attention' })).toEqual([nord.id, oost.id])
    expect(ids({ tokenType: 'personal' })).toEqual([zuid.id])
    expect(ids({ status: 'attention', search: 'oost' })).toEqual([oost.id])
    expect(ids({ status: 'attention', tokenType: 'personal' })).toEqual([])
    expect(isFiltered({ ...DEFAULT_FILTER, tokenType: 'personal' })).toBe(true)
  })

  it('matchesFilter agrees with the list', () => {
    expect(matchesFilter(nord, { ...DEFAULT_FILTER, search: 'brass' })).toBe(true)
    expect(matchesFilter(nord, { ...DEFAULT_FILTER, search: 'zuid' })).toBe(false)
  })

  it('normalizes text for search', () => {
    expect(normalizeText('  Brasserie  Nörd ')).toBe('brasserie nord')
  })

  it('filters 5,000 libraries fast enough to run on every keystroke', () => {
    const many = Array.from({ length: 5000 }, (_, i) => library({ name: `Customer ${i}`, status: i % 7 === 0 ? 'expiring_soon' : 'healthy' }))
    const started = performance.now()
    for (let i = 0; i < 10; i++) visibleLibraryIds(many, { ...DEFAULT_FILTER, search: `customer ${i}` }, { key: 'urgency', direction: 'asc' })
    expect((performance.now() - started) / 10).toBeLessThan(100)
  })
})

describe('countByStatus', () => {
  it('counts every status, zero included', () => {
    const counts = countByStatus([library({ status: 'expired' }), library({ status: 'expired' }), library({ status: 'healthy' })])
    expect(counts).toEqual({ needs_reauth: 0, expired: 2, error: 0, expiring_soon: 0, refreshing: 0, healthy: 1, revoked: 0, moved: 0 })
  })
})
