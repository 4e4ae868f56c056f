// The one list's rows (issue 15, item 5): with no key the libraries' own selector answers, the same array; with keys,
// each is put where sorting everything together would put it, in every order; and what a key's next step says.
import { describe, expect, it } from 'vitest'
import { keyOrdered, mergeRows } from '../../../src/renderer/src/lib/key-query.ts'
import { keyNextStep } from '../../../src/renderer/src/lib/key-next-step.ts'
import { sortOrder, type SortState } from '../../../src/renderer/src/lib/library-query.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { createVisibleRowsSelector } from '../../../src/renderer/src/store/list-rows.ts'
import { createVisibleIdsSelector } from '../../../src/renderer/src/store/selectors.ts'
import { listViewOf } from '../../../src/shared/library-list-view.ts'
import type { LibraryListView } from '../../../src/shared/contract.ts'
import { FakeBridge } from './fake-bridge.ts'
import { DAY, library, NOW } from './fixtures.ts'
import { airtableKey, safetyCultureKey, serviceTokenKey } from './key-fixtures.ts'

const STATUSES = ['healthy', 'expiring_soon', 'expired', 'needs_reauth', 'error', 'revoked'] as const

function libraries(count: number): LibraryListView[] {
  return Array.from({ length: count }, (_, i) => listViewOf(library({ name: `Kitchen ${i % 7}`, status: STATUSES[i % STATUSES.length], expiresAt: i % 5 === 0 ? null : NOW + (i % 9) * DAY })))
}

describe('the one list’s rows', () => {
  it('with no key, answers the libraries’ own array (nothing merged, nothing copied)', () => {
    const store = createAppStore(new FakeBridge())
    const rows = libraries(50)
    store.getState().applyLibraryChanges(rows, [])
    const libraryIds = createVisibleIdsSelector()
    const visibleRows = createVisibleRowsSelector(libraryIds)
    expect(visibleRows(store.getState())).toBe(libraryIds(store.getState()))
  })

  it('puts each key where sorting everything together would, in every order and direction', () => {
    const rows = libraries(40)
    const keys = [
      safetyCultureKey({ name: 'Kitchen 3', status: 'inactive', expiresAt: NOW - DAY }),
      airtableKey({ name: 'Kitchen 1', status: 'needs_reauth' }),
      serviceTokenKey({ name: 'Kitchen 9', status: 'expiring_soon', expiresAt: NOW + 2 * DAY }),
      serviceTokenKey({ name: 'Kitchen 0', status: 'healthy', expiresAt: null })
    ]
    const byId = Object.fromEntries(rows.map((row) => [row.id, row]))
    for (const key of ['urgency', 'name', 'expiry'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        const sort: SortState = { key, direction }
        const order = sortOrder(sort)
        const libraryIds = [...rows].sort(order).map((row) => row.id)
        const ordered = keys.map(keyOrdered).sort(order)
        const everything = [...rows, ...keys.map(keyOrdered)].sort(order).map((item) => item.id)
        expect(mergeRows(libraryIds, byId, ordered, sort), `${key} ${direction}`).toEqual(everything)
      }
    }
  })
})

describe('a key’s next step', () => {
  it('says nothing for a healthy key, and what to do for each trouble', () => {
    expect(keyNextStep(safetyCultureKey())).toBeNull()
    expect(keyNextStep(safetyCultureKey({ status: 'inactive' }))?.text).toContain('Make a new token in SafetyCulture: My Profile → Settings → API tokens')
    expect(keyNextStep(safetyCultureKey({ status: 'expiring_soon' }))?.text).toContain('Used elsewhere just now')
    expect(keyNextStep(serviceTokenKey({ status: 'revoked', state: 'revoked' }))?.title).toBe('Revoked by its admin')
    expect(keyNextStep(serviceTokenKey({ status: 'expiring_soon' }))?.text).toContain('the admin of svc-sync')
    expect(keyNextStep(airtableKey({ status: 'error', tampered: true }))?.title).toBe('Changed outside Larder')
  })
})
