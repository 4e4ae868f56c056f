// The list's first page first: the store shows the first rows of a long list at once, reads the rest in chunks after
// that page is painted, and ends exactly where the main side is however events and chunks interleave.
import { describe, expect, it } from 'vitest'
import { createBridgeClient } from '../../../src/renderer/src/bridge/client.ts'
import { countByStatus } from '../../../src/renderer/src/lib/library-query.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { selectLibraryCount, selectLoadedCount, selectStatusCounts } from '../../../src/renderer/src/store/selectors.ts'
import type { LibraryListView, LibraryStatus } from '../../../src/shared/contract.ts'
import { LIBRARY_STATUSES } from '../../../src/shared/contract.ts'
import { listViewOf } from '../../../src/shared/library-list-view.ts'
import { FIRST_PAGE_ROWS, MORE_ROWS } from '../../../src/shared/list-paging.ts'
import { createRng as random } from '../../../src/main/sandbox/rng.ts'
import { FakeBridge } from './fake-bridge.ts'
import { PagingMain, seeded } from './paging-main.ts'
import { library } from './fixtures.ts'

/** A store connected to `main` whose rest waits until the test lets the first page's paint happen. */
function connected(main: PagingMain) {
  const client = createBridgeClient(main.bridge)
  const store = createAppStore(client)
  let paint: (() => void) | null = null
  const connection = connectStore(store, client, { schedule: (callback) => void setTimeout(callback, 0) }, {
    warm: () => {},
    afterPaint: (callback) => {
      paint = callback
    }
  })
  const painted = async (): Promise<void> => {
    for (let i = 0; i < 50 && paint === null; i++) await new Promise((resolve) => setTimeout(resolve, 0))
    expect(paint, 'the rest waits for the first page to be painted').not.toBeNull()
    paint?.()
  }
  return { store, connection, painted }
}

describe('the list: first page first', () => {
  it('shows the first page with the whole list’s size and counts, then reads the rest in chunks into one update', async () => {
    const main = new PagingMain(new FakeBridge())
    seeded(main, 5_000)
    const { store, connection, painted } = connected(main)
    await new Promise((resolve) => setTimeout(resolve, 0))
    await new Promise((resolve) => setTimeout(resolve, 0))

    const partial = store.getState()
    expect(partial.loadState).toBe('partial')
    expect(partial.ids).toHaveLength(FIRST_PAGE_ROWS)
    expect(selectLibraryCount(partial)).toBe(5_000)
    expect(selectLoadedCount(partial)).toBe(FIRST_PAGE_ROWS)
    expect(selectStatusCounts(partial)).toEqual(countByStatus([...main.rows.values()]))
    expect(main.bridge.inputsOf('libraries.listMore')).toHaveLength(0)

    await painted()
    await connection.ready
    const whole = store.getState()
    expect(whole.loadState).toBe('ready')
    expect(whole.listing).toBeNull()
    expect(whole.ids).toHaveLength(5_000)
    expect(whole.byId).toEqual(Object.fromEntries(main.rows))
    expect(selectLoadedCount(whole)).toBeNull()
    expect(selectStatusCounts(whole)).toEqual(countByStatus([...main.rows.values()]))
    expect(main.bridge.inputsOf('libraries.list')).toHaveLength(0)
    expect(main.bridge.inputsOf('libraries.listMore')).toHaveLength(Math.ceil((5_000 - FIRST_PAGE_ROWS) / MORE_ROWS))
    connection.dispose()
  })

  it('answers a short list in one call and is ready at once', async () => {
    const main = new PagingMain(new FakeBridge())
    seeded(main, 50)
    const { store, connection } = connected(main)
    await connection.ready
    expect(store.getState().loadState).toBe('ready')
    expect(store.getState().ids).toHaveLength(50)
    expect(main.bridge.inputsOf('libraries.listMore')).toHaveLength(0)
    connection.dispose()
  })

  it('ends equal to the main side however chunks and changes interleave (20 seeded runs)', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const main = new PagingMain(new FakeBridge())
      seeded(main, 4_500)
      const draw = random(seed)
      let added = 0
      const change = (): void => {
        const ids = [...main.rows.keys()]
        const id = ids[Math.floor(draw() * ids.length)] as string
        const roll = draw()
        if (roll < 0.5) {
          const row = main.rows.get(id) as LibraryListView
          main.put({ ...row, status: LIBRARY_STATUSES[Math.floor(draw() * LIBRARY_STATUSES.length)] as LibraryStatus, lastRefreshedAt: Math.floor(draw() * 1e9) })
        } else if (roll < 0.75) {
          // Removed: one already shown (first page) or one still to be read.
          main.remove(draw() < 0.3 ? `lib-${Math.floor(draw() * FIRST_PAGE_ROWS)}` : id)
        } else {
          main.put(listViewOf(library({ id: `new-${seed}-${++added}`, name: `New ${added}` })))
        }
      }
      main.aroundChunk = () => {
        for (let i = Math.floor(draw() * 30); i > 0; i--) change()
      }
      const { store, connection, painted } = connected(main)
      await new Promise((resolve) => setTimeout(resolve, 0))
      await new Promise((resolve) => setTimeout(resolve, 0))
      // Changes between the first page and the rest, too.
      for (let i = Math.floor(draw() * 20); i > 0; i--) change()
      await painted()
      await connection.ready
      connection.flush()
      const state = store.getState()
      expect(state.loadState, `seed ${seed}`).toBe('ready')
      expect(state.byId, `seed ${seed}`).toEqual(Object.fromEntries(main.rows))
      expect(new Set(state.ids).size, `seed ${seed}: each id once`).toBe(state.ids.length)
      expect(state.ids.length, `seed ${seed}`).toBe(main.rows.size)
      connection.dispose()
    }
  })

  it('reads the whole list instead when a chunk is refused, and still ends equal', async () => {
    const main = new PagingMain(new FakeBridge())
    seeded(main, 3_000)
    const { store, connection, painted } = connected(main)
    await new Promise((resolve) => setTimeout(resolve, 0))
    await new Promise((resolve) => setTimeout(resolve, 0))
    main.refuseChunks = true
    main.put({ ...(main.rows.get('lib-2500') as LibraryListView), status: 'error' })
    await painted()
    await connection.ready
    connection.flush()
    expect(main.bridge.inputsOf('libraries.list')).toHaveLength(1)
    expect(store.getState().loadState).toBe('ready')
    expect(store.getState().byId).toEqual(Object.fromEntries(main.rows))
    connection.dispose()
  })

  it('reads the whole list when the first page cannot be had', async () => {
    const bridge = new FakeBridge()
    bridge.libraries = [library({ name: 'Only' })]
    const client = createBridgeClient(bridge)
    const store = createAppStore(client)
    const connection = connectStore(store, client, undefined, { warm: () => {} })
    await connection.ready
    expect(bridge.inputsOf('libraries.listFirst')).toHaveLength(1)
    expect(bridge.inputsOf('libraries.list')).toHaveLength(1)
    expect(store.getState().loadState).toBe('ready')
    expect(store.getState().ids).toHaveLength(1)
    connection.dispose()
  })
})
