// @vitest-environment happy-dom
// What the list costs the page, counted rather than timed: how many libraries its selector looks at per keystroke,
// whether it reads the page's layout (a forced, synchronous layout) to follow the search, how many rows it makes
// when it first shows, and whether a scrolled position gets its rows in the same frame.
import { afterEach, describe, expect, it } from 'vitest'
import type { HTMLElement } from 'happy-dom'
import type { LibraryStatus, LibraryView } from '../../../src/shared/contract.ts'
import { DEFAULT_FILTER, DEFAULT_SORT, visibleLibraryIds, type FilterState } from '../../../src/renderer/src/lib/library-query.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { createVisibleIdsSelector, type SelectorWork } from '../../../src/renderer/src/store/selectors.ts'
import type { AppState } from '../../../src/renderer/src/store/types.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { component, page, render, settle, type Rendered } from './render.ts'
import { type } from './typing.ts'

const STATUSES: readonly LibraryStatus[] = ['healthy', 'healthy', 'expiring_soon', 'expired', 'needs_reauth', 'error', 'revoked']
const PLACES = ['Nord', 'Zuid', 'Oost', 'West', 'Centrum']
const KINDS = ['Brasserie', 'Café', 'Trattoria', 'Bakkerij']

function many(count: number): LibraryView[] {
  return Array.from({ length: count }, (_, i) =>
    library({
      id: `lib-${i}`,
      name: `${KINDS[i % KINDS.length] ?? ''} ${PLACES[Math.floor(i / 4) % PLACES.length] ?? ''} ${i + 1}`,
      status: STATUSES[i % STATUSES.length] ?? 'healthy',
      tokenType: i % 3 === 0 ? 'personal' : 'service_account'
    })
  )
}

/** A state with only what the selector reads. */
function stateOf(libraries: readonly LibraryView[], filter: FilterState): AppState {
  const byId = Object.fromEntries(libraries.map((l) => [l.id, l]))
  return { byId, ids: libraries.map((l) => l.id), sort: DEFAULT_SORT, filter } as unknown as AppState
}

describe('the visible-ids selector, keystroke by keystroke', () => {
  it('looks only at the previous matches when a keystroke narrows the search, and at every library otherwise', () => {
    const libraries = many(1000)
    const work: SelectorWork = { examined: 0 }
    const select = createVisibleIdsSelector(work)
    const base = stateOf(libraries, DEFAULT_FILTER)
    const at = (filter: FilterState): AppState => ({ ...base, filter })
    const expected = (filter: FilterState): readonly string[] => visibleLibraryIds(libraries, filter, DEFAULT_SORT)

    const steps: { readonly filter: FilterState; readonly narrows: boolean }[] = [
      { filter: { ...DEFAULT_FILTER, search: 'c' }, narrows: false },
      { filter: { ...DEFAULT_FILTER, search: 'ca' }, narrows: true },
      { filter: { ...DEFAULT_FILTER, search: 'caf' }, narrows: true },
      { filter: { ...DEFAULT_FILTER, search: 'caf 1' }, narrows: true },
      { filter: { ...DEFAULT_FILTER, search: 'café 12' }, narrows: true },
      { filter: { ...DEFAULT_FILTER, search: 'café 1' }, narrows: false },
      { filter: { ...DEFAULT_FILTER, search: 'café 1', status: 'healthy' }, narrows: false },
      { filter: { ...DEFAULT_FILTER, search: 'café 1 nord', status: 'healthy' }, narrows: true },
      { filter: { ...DEFAULT_FILTER, search: 'nord café 1', status: 'healthy' }, narrows: true },
      { filter: { ...DEFAULT_FILTER, search: 'zuid' }, narrows: false }
    ]
    select(at(DEFAULT_FILTER))
    let previous = select(at(DEFAULT_FILTER))
    for (const { filter, narrows } of steps) {
      work.examined = 0
      const ids = select(at(filter))
      expect(ids).toEqual(expected(filter))
      expect(work.examined, `"${filter.search}" (${filter.status})`).toBe(narrows ? previous.length : libraries.length)
      previous = ids
    }
  })

  it('looks at no library when Backspace goes back to a search it just filtered', () => {
    const libraries = many(1000)
    const work: SelectorWork = { examined: 0 }
    const select = createVisibleIdsSelector(work)
    const base = stateOf(libraries, DEFAULT_FILTER)
    const typed = ['1', '12', '123', '1234']
    for (const search of typed) select({ ...base, filter: { ...DEFAULT_FILTER, search } })
    for (const search of [...typed].reverse().slice(1)) {
      work.examined = 0
      const filter = { ...DEFAULT_FILTER, search }
      expect(select({ ...base, filter })).toEqual(visibleLibraryIds(libraries, filter, DEFAULT_SORT))
      expect(work.examined, search).toBe(0)
    }
  })

  it('hands back every library without looking at any when nothing filters', () => {
    const libraries = many(300)
    const work: SelectorWork = { examined: 0 }
    const select = createVisibleIdsSelector(work)
    const base = stateOf(libraries, { ...DEFAULT_FILTER, search: 'nord' })
    select(base)
    work.examined = 0
    expect(select({ ...base, filter: { ...DEFAULT_FILTER, search: ' ' } })).toEqual(visibleLibraryIds(libraries, DEFAULT_FILTER, DEFAULT_SORT))
    expect(work.examined).toBe(0)
  })
})

describe('the list in the page', () => {
  let shown: Rendered | null = null
  afterEach(async () => {
    await shown?.unmount()
    shown = null
  })

  async function storeOver(libraries: readonly LibraryView[]): Promise<AppStore> {
    const bridge = new FakeBridge()
    bridge.libraries = [...libraries]
    const store = createAppStore(bridge)
    await connectStore(store, bridge, new ManualScheduler()).ready
    return store
  }

  /**
   * Counts every read of the grid's scroll position and size (each one forces a layout in a browser); the grid is
   * 600 px tall. Installed on the prototype before the first render, so the list knows its size from the start.
   */
  function countLayoutReads(): { reads: number; scrollTop: number; restore(): void } {
    const prototype = Object.getPrototypeOf(page().createElement('div')) as object
    const saved = (['scrollTop', 'clientHeight'] as const).map((name) => {
      let owner: object | null = prototype
      while (owner !== null && Object.getOwnPropertyDescriptor(owner, name) === undefined) owner = Object.getPrototypeOf(owner) as object | null
      if (owner === null) throw new Error(`no ${name} in happy-dom`)
      return { name, owner, descriptor: Object.getOwnPropertyDescriptor(owner, name) as PropertyDescriptor }
    })
    const counter = {
      reads: 0,
      scrollTop: 0,
      restore() {
        for (const { name, owner, descriptor } of saved) Object.defineProperty(owner, name, descriptor)
      }
    }
    for (const { name, owner, descriptor } of saved) {
      Object.defineProperty(owner, name, {
        configurable: true,
        get(this: HTMLElement) {
          if (this.id !== 'library-grid') return descriptor.get?.call(this) as unknown
          counter.reads += 1
          return name === 'clientHeight' ? 600 : counter.scrollTop
        },
        set(this: HTMLElement, value: unknown) {
          descriptor.set?.call(this, value)
        }
      })
    }
    return counter
  }

  it('makes no more rows than the list has room for when it first shows (none made and thrown away)', async () => {
    const store = await storeOver(many(400))
    const counter = countLayoutReads()
    // Every element the page makes, to see afterwards which of them became rows.
    const doc = page() as unknown as { createElement: (tag: string) => HTMLElement }
    const createElement = doc.createElement
    const created: HTMLElement[] = []
    doc.createElement = function (this: unknown, tag: string) {
      const element = createElement.call(this, tag)
      created.push(element)
      return element
    }
    try {
      shown = await render(store, await component('LibrariesView'))
      await settle()
    } finally {
      counter.restore()
      doc.createElement = createElement
    }
    const made = created.filter((element) => element.classList.contains('library-row'))
    const inPage = shown.all('.library-row').length
    // 600 px of 34 px rows and the overscan: every row made is still there.
    expect(inPage).toBeLessThanOrEqual(Math.ceil(600 / 34) + 1 + 2 * 4)
    expect(made.length).toBe(inPage)
    expect(inPage).toBeGreaterThan(600 / 34)
  })

  it('puts the rows in the list\'s first commit, without reading the layout to size it', async () => {
    const store = await storeOver(many(400))
    const counter = countLayoutReads()
    // Rows put into the page on their own: each one came in a render after the list was already there.
    const addedLater: string[] = []
    const observer = new (globalThis as unknown as { MutationObserver: new (callback: (records: { addedNodes: ArrayLike<HTMLElement> }[]) => void) => { observe(target: unknown, options: object): void; disconnect(): void } }).MutationObserver((records) => {
      for (const record of records) for (const node of Array.from(record.addedNodes)) if (node.classList?.contains('library-row')) addedLater.push(node.dataset['id'] ?? '')
    })
    observer.observe(page().body, { childList: true, subtree: true })
    try {
      shown = await render(store, await component('LibrariesView'))
      await settle()
    } finally {
      counter.restore()
      observer.disconnect()
    }
    const inPage = shown.all('.library-row').length
    expect(inPage).toBeGreaterThan(600 / 34)
    expect(counter.reads, 'reads of the grid\'s scroll position or size while the list first showed').toBe(0)
    expect(addedLater.length, 'rows added after the list\'s first commit').toBe(0)
  })

  it('trims the rows a smaller viewport does not need after the frame, and adds the ones it lacks within it', async () => {
    // The first observation of the list's size always finds less room than the window's height assumed (the toolbar
    // sits above the list): rendering again at once would lay the page out a second time inside its first frame.
    type Observed = (entries: { contentRect: { height: number } }[]) => void
    const observed: Observed[] = []
    const scope = globalThis as unknown as { ResizeObserver: unknown; IS_REACT_ACT_ENVIRONMENT?: boolean }
    const saved = scope.ResizeObserver
    scope.ResizeObserver = class {
      constructor(callback: Observed) {
        observed.push(callback)
      }
      observe(): void {}
      disconnect(): void {}
    }
    try {
      const store = await storeOver(many(400))
      shown = await render(store, await component('LibrariesView'))
      const notify = observed.at(-1)
      if (!notify) throw new Error('the list observes no size')
      const assumed = shown.all('.library-row').length
      // Outside act, so what React renders at once shows apart from what it renders later.
      scope.IS_REACT_ACT_ENVIRONMENT = false
      notify([{ contentRect: { height: 34 * 6 } }])
      expect(shown.all('.library-row').length, 'rows right after a smaller size was observed').toBe(assumed)
      await new Promise((resolve) => setTimeout(resolve, 20))
      const trimmed = shown.all('.library-row').length
      expect(trimmed).toBeLessThan(assumed)
      notify([{ contentRect: { height: 34 * 60 } }])
      expect(shown.all('.library-row').length, 'rows right after a larger size was observed').toBeGreaterThan(assumed)
    } finally {
      scope.IS_REACT_ACT_ENVIRONMENT = true
      scope.ResizeObserver = saved
    }
  })

  it('filters as the person types without reading the layout, and the rows still fill the list', async () => {
    const store = await storeOver(many(400))
    const counter = countLayoutReads()
    try {
      shown = await render(store, await component('LibrariesView'))
    } catch (error) {
      counter.restore()
      throw error
    }
    const search = shown.all('#library-search')[0]
    if (!search) throw new Error('no search box')
    // 600 px of 34 px rows, and a few beyond the edge.
    const rowsAtRest = shown.all('.library-row').length
    expect(rowsAtRest).toBeGreaterThan(600 / 34)
    counter.reads = 0

    for (const text of ['c', 'ca', 'caf', 'café 1', 'café 1', 'café 12', 'café 1', '']) {
      await type(search, text)
      const expected = visibleLibraryIds(Object.values(store.getState().byId), store.getState().filter, DEFAULT_SORT)
      const rows = shown.all('.library-row')
      expect(rows.map((row) => row.dataset['id'])).toEqual(expected.slice(0, rows.length))
      expect(rows.length).toBe(Math.min(expected.length, rowsAtRest))
    }
    counter.restore()
    expect(counter.reads).toBe(0)
    await settle()
  })

  it('writes to the rows only what a keystroke changes in them: no element id, and the selected row keeps the one the grid points to', async () => {
    const store = await storeOver(many(400))
    shown = await render(store, await component('LibrariesView'))
    const first = shown.all('.library-row')[0]
    if (!first) throw new Error('no rows')
    await shown.click(first)
    const search = shown.all('#library-search')[0]
    if (!search) throw new Error('no search box')
    const grid = shown.all('#library-grid')[0]
    const active = grid?.getAttribute('aria-activedescendant')
    expect(active).toBeTruthy()
    // Every id a row is given or loses while typing: only the selected library's, as its row moves.
    const written: string[] = []
    const observer = new (globalThis as unknown as { MutationObserver: new (callback: (records: { attributeName: string | null; oldValue: string | null; target: HTMLElement }[]) => void) => { observe(target: unknown, options: object): void; disconnect(): void } }).MutationObserver((records) => {
      for (const record of records) if (record.attributeName === 'id' && record.target.classList.contains('library-row')) written.push(record.oldValue ?? '', record.target.id)
    })
    observer.observe(page().body, { attributes: true, attributeOldValue: true, subtree: true })
    for (const text of ['c', 'ca', 'caf', 'café 1', 'café 12', '']) await type(search, text)
    await settle()
    observer.disconnect()
    expect(written.filter((id) => id !== '' && id !== active), 'ids of other libraries written to rows while typing').toEqual([])
    const withId = shown.all('.library-row').filter((row) => row.id !== '')
    expect(withId.map((row) => row.id)).toEqual([active])
    expect(withId[0]?.getAttribute('aria-selected')).toBe('true')
  })

  it('renders the rows of a scrolled position while handling the scroll, not in a task after the frame', async () => {
    const store = await storeOver(many(400))
    const counter = countLayoutReads()
    try {
      shown = await render(store, await component('LibrariesView'))
      const grid = shown.all('#library-grid')[0]
      if (!grid) throw new Error('no grid')
      expect(shown.all('.library-row')[0]?.dataset['id']).toBe(selectFirst(store))
      // A page and a half down, as a wheel or the scroll bar moves it: the scroll event is all the page gets.
      counter.scrollTop = 34 * 30
      grid.dispatchEvent(new Event('scroll') as never)
      // No settle, no act: what the frame after this event paints is what is in the page now.
      const rows = shown.all('.library-row').map((row) => Number(row.getAttribute('aria-rowindex')) - 2)
      expect(Math.min(...rows)).toBe(30 - 4)
      expect(Math.max(...rows)).toBeGreaterThanOrEqual(30 + Math.floor(600 / 34))
    } finally {
      counter.restore()
    }
    await settle()
  })
})

/** The first library the list shows. */
function selectFirst(store: AppStore): string | undefined {
  return visibleLibraryIds(Object.values(store.getState().byId), store.getState().filter, DEFAULT_SORT)[0]
}
