// The one list with thousands of keys (issue 15: a mixed list of 5,000 no slower than 5,000 libraries): typing in search
// costs what it costs for the libraries. The keys are sorted once per change of the keys or the sort, a keystroke
// that narrows the search looks only at the keys that matched before, going back to a recent search looks at none, and
// the merge into the libraries walks both lists once when that is cheaper than a search per key. The answers stay
// those of the plain functions (visibleKeys, a sort of everything together).
import { describe, expect, it } from 'vitest'
import { createVisibleKeysQuery, mergeRows, visibleKeys, type KeyQueryWork } from '../../../src/renderer/src/lib/key-query.ts'
import { DEFAULT_FILTER, DEFAULT_SORT, queryTerms, sortOrder, visibleLibraryIds, type FilterState, type SortState } from '../../../src/renderer/src/lib/library-query.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { createVisibleRowsSelector } from '../../../src/renderer/src/store/list-rows.ts'
import { createVisibleIdsSelector } from '../../../src/renderer/src/store/selectors.ts'
import type { KeyView, LibraryListView } from '../../../src/shared/contract.ts'
import { listViewOf } from '../../../src/shared/library-list-view.ts'
import { manyLibraries } from '../../e2e/support/fake-bridge.ts'
import { manyKeys } from '../../e2e/support/many-keys.ts'
import { FakeBridge } from './fake-bridge.ts'
import { NOW } from './fixtures.ts'

const KEYS = manyKeys(600, NOW, { mix: { safetyculture: 4, airtable: 3, service_token: 3 }, firstNumber: 601 })
const LIBRARIES: LibraryListView[] = manyLibraries(600, NOW).map(listViewOf)
/** Typing and deleting, as the dashboard benchmark does: digits, then a place name. */
const SEARCHES = ['', '6', '61', '612', '61', '6', '', 'z', 'zu', 'zuid', 'zuid ', 'zuid 7', 'zuid ', 'zuid', 'zu', 'z', '']

const search = (text: string): FilterState => ({ ...DEFAULT_FILTER, search: text })
const zeroWork = (): KeyQueryWork => ({ examined: 0, compared: 0 })

describe('the keys a search shows, kept between keystrokes', () => {
  it('answers what visibleKeys answers, for every search, filter and order', () => {
    const query = createVisibleKeysQuery()
    const sorts: SortState[] = [DEFAULT_SORT, { key: 'name', direction: 'desc' }, { key: 'expiry', direction: 'desc' }]
    for (const sort of sorts) {
      for (const text of SEARCHES) {
        for (const [status, system, customer] of [
          ['all', 'all', null],
          ['attention', 'all', null],
          ['inactive', 'safetyculture', null],
          ['all', 'service_token', KEYS[0]?.customer ?? null]
        ] as const) {
          const filter = { ...search(text), status }
          const terms = queryTerms(text)
          expect(query(KEYS, filter, system, customer, terms, sort), `${sort.key} "${text}" ${status} ${system}`).toEqual(visibleKeys(KEYS, filter, system, customer, terms, sort))
        }
      }
    }
  })

  it('sorts the keys once; a narrowing keystroke looks only at the keys that matched before; Backspace looks at none', () => {
    const work = zeroWork()
    const query = createVisibleKeysQuery(work)
    const all = query(KEYS, search(''), 'all', null, [], DEFAULT_SORT)
    expect(all).toHaveLength(KEYS.length)
    expect(work.compared).toBeGreaterThan(0)

    const typed = (text: string): { examined: number; compared: number; shown: number } => {
      work.examined = 0
      work.compared = 0
      const shown = query(KEYS, search(text), 'all', null, queryTerms(text), DEFAULT_SORT).length
      return { examined: work.examined, compared: work.compared, shown }
    }
    const six = typed('6')
    expect(six).toMatchObject({ examined: KEYS.length, compared: 0 })
    const sixty = typed('61')
    expect(sixty).toMatchObject({ examined: six.shown, compared: 0 })
    expect(typed('612')).toMatchObject({ examined: sixty.shown, compared: 0 })
    expect(typed('61')).toMatchObject({ examined: 0, compared: 0, shown: sixty.shown })
    expect(typed('')).toMatchObject({ examined: 0, compared: 0, shown: KEYS.length })
  })

  it('gives the same array back for a search it answered recently, and sorts afresh when the keys change', () => {
    const work = zeroWork()
    const query = createVisibleKeysQuery(work)
    const first = query(KEYS, search('zu'), 'all', null, ['zu'], DEFAULT_SORT)
    query(KEYS, search('zuid'), 'all', null, ['zuid'], DEFAULT_SORT)
    expect(query(KEYS, search('zu'), 'all', null, ['zu'], DEFAULT_SORT)).toBe(first)
    const changed = KEYS.slice(1)
    work.compared = 0
    expect(query(changed, search('zu'), 'all', null, ['zu'], DEFAULT_SORT)).toEqual(visibleKeys(changed, search('zu'), 'all', null, ['zu'], DEFAULT_SORT))
    expect(work.compared).toBeGreaterThan(0)
  })
})

describe('merging many keys among the libraries', () => {
  it('walks both lists once when there are many keys, and puts each where sorting everything together would', () => {
    const byId = Object.fromEntries(LIBRARIES.map((row) => [row.id, row]))
    for (const sort of [DEFAULT_SORT, { key: 'name', direction: 'asc' }, { key: 'expiry', direction: 'desc' }] as const) {
      const order = sortOrder(sort)
      const libraryIds = [...LIBRARIES].sort(order).map((row) => row.id)
      const keys = visibleKeys(KEYS, DEFAULT_FILTER, 'all', null, [], sort)
      const work = zeroWork()
      const merged = mergeRows(libraryIds, byId, keys, sort, work)
      expect(merged).toEqual([...LIBRARIES, ...keys].sort(order).map((item) => item.id))
      // One walk: at most one comparison per library and per key (a search per key would be about 600 × 10).
      expect(work.compared).toBeGreaterThan(0)
      expect(work.compared).toBeLessThanOrEqual(LIBRARIES.length + keys.length)
    }
  })
})

describe('the one list’s rows in the store, typing', () => {
  it('answers the plain functions’ rows for each keystroke, and the same array when a search comes back', () => {
    const store = createAppStore(new FakeBridge())
    store.getState().applyLibraryChanges(LIBRARIES, [])
    const keysById: Record<string, KeyView> = {}
    for (const key of KEYS) keysById[key.id] = key
    store.setState({ keysById, keyIds: KEYS.map((key) => key.id) })
    const libraryIds = createVisibleIdsSelector()
    const rows = createVisibleRowsSelector(libraryIds)
    const byId = Object.fromEntries(LIBRARIES.map((row) => [row.id, row]))
    const seen = new Map<string, { readonly libraries: readonly string[]; readonly rows: readonly string[] }>()
    let cameBack = 0
    for (const text of SEARCHES) {
      store.getState().setSearch(text)
      const shown = rows(store.getState())
      const keys = visibleKeys(KEYS, search(text), 'all', null, queryTerms(text), DEFAULT_SORT)
      expect(shown, `"${text}"`).toEqual(mergeRows(visibleLibraryIds(LIBRARIES, search(text), DEFAULT_SORT), byId, keys, DEFAULT_SORT))
      // The libraries' selector gives its recent array back (when its rows did not change meanwhile): so do the rows.
      const libraries = libraryIds(store.getState())
      const before = seen.get(text)
      if (before !== undefined && before.libraries === libraries) {
        expect(shown, `"${text}" again`).toBe(before.rows)
        cameBack += 1
      }
      seen.set(text, { libraries, rows: shown })
    }
    expect(cameBack).toBeGreaterThanOrEqual(3)
  })
})
