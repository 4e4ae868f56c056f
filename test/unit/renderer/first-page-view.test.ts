// @vitest-environment happy-dom
// What the list shows while the rest of a long list is on its way: the first page's rows, how much of the whole they
// are, the whole list's warnings, and no action that needs every library.
import { afterEach, describe, expect, it } from 'vitest'
import { countByStatus } from '../../../src/renderer/src/lib/library-query.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import type { LibraryListView } from '../../../src/shared/contract.ts'
import { listViewOf } from '../../../src/shared/library-list-view.ts'
import { FakeBridge } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { component, render, settle, type Rendered } from './render.ts'

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

/** A store holding the first 200 of 1,000 libraries, 40 of them expiring soon, as connect leaves it after the first page. */
function partialStore(): { store: AppStore; rest: LibraryListView[] } {
  const rows = Array.from({ length: 1_000 }, (_, i) => listViewOf(library({ id: `lib-${i}`, name: i % 10 === 0 ? `Bistro ${i}` : `Library ${i}`, status: i % 25 === 0 ? 'expiring_soon' : 'healthy' })))
  const first = rows.slice(0, 200)
  const store = createAppStore(new FakeBridge())
  store.setState({
    byId: Object.fromEntries(first.map((row) => [row.id, row])),
    ids: first.map((row) => row.id),
    loadState: 'partial',
    listing: { version: 'v1', next: 200, total: 1_000, counts: countByStatus(rows) }
  })
  return { store, rest: rows.slice(200) }
}

describe('the list while the rest of it is read', () => {
  it('shows the first page as part of the whole, the whole list’s warnings, and waits to refresh all', async () => {
    const { store, rest } = partialStore()
    shown = await render(store, await component('LibrariesView'))
    expect(shown.all('.result-count')[0]?.textContent).toBe('200 of 1,000 libraries (loading the rest…)')
    expect(shown.all('[role="grid"]')[0]?.getAttribute('aria-busy')).toBe('true')
    const warnings = shown.all('section[aria-label="Warnings"]')[0]?.textContent ?? ''
    expect(warnings).toContain('40 expiring soon')
    const refreshAll = shown.button('Refresh all expiring')
    expect(refreshAll.hasAttribute('disabled')).toBe(true)
    expect(refreshAll.getAttribute('title')).toBe('Available once every library is loaded')

    store.getState().completeLibraries({ byId: Object.fromEntries(rest.map((row) => [row.id, row])), ids: rest.map((row) => row.id) })
    await settle()
    expect(store.getState().loadState).toBe('ready')
    expect(shown.all('.result-count')[0]?.textContent).toBe('1,000 libraries')
    expect(shown.all('[role="grid"]')[0]?.getAttribute('aria-busy')).toBe('false')
    expect(shown.all('section[aria-label="Warnings"]')[0]?.textContent).toContain('40 expiring soon')
    expect(shown.button('Refresh all expiring').hasAttribute('disabled')).toBe(false)
  })

  it('says how many of the loaded rows match a search', async () => {
    const { store } = partialStore()
    shown = await render(store, await component('LibrariesView'))
    store.getState().setSearch('bistro')
    await settle(400)
    // Every tenth is a bistro: 20 of the first 200.
    expect(shown.all('.result-count')[0]?.textContent).toBe('20 matches in the first 200 of 1,000 libraries (loading the rest…)')
  })
})
