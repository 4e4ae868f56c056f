// @vitest-environment happy-dom
// A library moved to another machine (issue 17 part 3) reads "Moved" in its row and pane, not "Revoked": its token
// still works, on the other machine. The status filter offers "Moved"; "Needs attention" and the warnings leave it
// out (nothing is wrong with it); the banner names it quietly, beside the libraries that work.
import { afterEach, describe, expect, it } from 'vitest'
import type { LibraryView } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { sortLibraries } from '../../../src/renderer/src/lib/library-query.ts'
import { act } from './estate-fixtures.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { component, render, settle, type Rendered } from './render.ts'

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

const FILE = '/media/usb/larder-move.age'

function moved(name: string): LibraryView {
  return library({ name, status: 'moved', hold: { kind: 'moved', at: 1, to: FILE, message: `${name} was moved to ${FILE} on 2026-11-24; Larder on this machine no longer refreshes it.` } })
}

async function listOf(libraries: LibraryView[]): Promise<{ store: AppStore; view: Rendered }> {
  const bridge = new FakeBridge()
  bridge.libraries = libraries
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  shown = await render(store, await component('LibrariesView'))
  await settle()
  return { store, view: shown }
}

const rowNames = (view: Rendered): string[] => view.all('.library-row .col-name').map((name) => name.getAttribute('title') ?? '')

describe('a moved library in the window', () => {
  it('its row and pane say Moved, not Revoked, with where it went beside it and no time left', async () => {
    const { store, view } = await listOf([moved('Brasserie Nord')])
    const row = view.all('.library-row')[0]
    expect(row?.querySelector('.badge')?.textContent).toBe('Moved')
    expect(row?.querySelector('.badge')?.className).toBe('badge badge-moved')
    expect(row?.textContent).not.toContain('Revoked')
    expect(row?.querySelector('.tag-hold')?.textContent).toBe('moved to larder-move.age')
    expect(row?.querySelector('.col-left')?.textContent).toBe('—')
    await act(() => store.getState().select(store.getState().ids[0] ?? ''))
    const pane = view.all('.detail-pane')[0]
    expect(pane?.querySelector('.badge')?.textContent).toBe('Moved')
    expect(pane?.textContent).not.toContain('Revoked')
  })

  it('the status filter offers Moved after Revoked; Needs attention and the warnings leave it out', async () => {
    const nord = moved('Brasserie Nord')
    const { store, view } = await listOf([library({ name: 'Bistro Oost', status: 'expired' }), library({ name: 'Café Zuid' }), nord])
    const options = view.all('#f-status option').map((option) => option.textContent)
    expect(options.slice(-2)).toEqual(['Revoked', 'Moved'])
    await act(() => store.getState().setStatusFilter('moved'))
    expect(rowNames(view)).toEqual(['Brasserie Nord'])
    await act(() => store.getState().setStatusFilter('attention'))
    expect(rowNames(view)).toEqual(['Bistro Oost'])
    const banner = view.all('section[aria-label="Warnings"]')[0]
    expect([...(banner?.querySelectorAll('.banner-link') ?? [])].map((link) => link.textContent)).toEqual(['1 expired', '1 moved'])
    expect(banner?.textContent).not.toContain('revoked')
  })

  it('beside healthy ones the banner does not call the moved library fine, and names it quietly', async () => {
    const { view } = await listOf([library({ name: 'Bistro Oost' }), library({ name: 'Café Zuid' }), moved('Brasserie Nord')])
    const banner = view.all('section[aria-label="Warnings"]')[0]
    expect(banner?.className).toBe('banner banner-quiet')
    expect(banner?.textContent).toContain('2 of 3 libraries are fine')
    expect([...(banner?.querySelectorAll('.banner-link') ?? [])].map((link) => link.textContent)).toEqual(['1 moved'])
    expect(banner?.textContent).not.toContain('Refresh all expiring')
  })

  it('sorts last by urgency, after revoked: ended here, and nothing about it can want a look', () => {
    const list = [moved('Nord'), library({ name: 'Zuid', status: 'revoked' }), library({ name: 'Oost', status: 'healthy' }), library({ name: 'West', status: 'expired' })]
    expect(sortLibraries(list).map((l) => l.name)).toEqual(['West', 'Oost', 'Zuid', 'Nord'])
  })
})
