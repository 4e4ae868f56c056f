// A refresh wave's update with 10,000 libraries shown: what the store derives (the sorted order, the counts, the
// clock) follows the libraries that changed, not all of them, and still ends exactly where a full sort would.
import { describe, expect, it } from 'vitest'
import { createBridgeClient } from '../../../src/renderer/src/bridge/client.ts'
import { sortLibraries, type SortState } from '../../../src/renderer/src/lib/library-query.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { createNowStore, pokeForChanges, startTicker, type TickerClock } from '../../../src/renderer/src/store/now.ts'
import { createStatusCountsSelector, createVisibleIdsSelector, type SelectorWork } from '../../../src/renderer/src/store/selectors.ts'
import type { LibraryListView, LibraryStatus } from '../../../src/shared/contract.ts'
import { listViewOf } from '../../../src/shared/library-list-view.ts'
import { FakeBridge } from './fake-bridge.ts'
import { library } from './fixtures.ts'

const STATUSES: readonly LibraryStatus[] = ['healthy', 'expiring_soon', 'expired', 'error', 'refreshing']
const NOW = 1_700_000_000_000

/** A small deterministic random source, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
    return state / 2_147_483_648
  }
}

/** Libraries with many ties: a few names (case apart), a few expiries, some unknown. */
function libraries(count: number, next: () => number): LibraryListView[] {
  return Array.from({ length: count }, () => listViewOf(library({ name: pickName(next), status: pick(STATUSES, next), expiresAt: pickExpiry(next) })))
}
function pick<T>(items: readonly T[], next: () => number): T {
  return items[Math.floor(next() * items.length)] as T
}
function pickName(next: () => number): string {
  return pick(['Alpha', 'alpha', 'Bravo', 'bravo 2', 'Bravo 10', 'Café', 'cafe'], next)
}
function pickExpiry(next: () => number): number | null {
  return next() < 0.2 ? null : NOW + Math.floor(next() * 6) * 60_000
}

async function loadedStore(views: readonly LibraryListView[]) {
  const bridge = new FakeBridge()
  const store = createAppStore(createBridgeClient(bridge))
  bridge.answers['libraries.list'] = () => ({ ok: true, value: views })
  await store.getState().loadLibraries()
  return store
}

/** Library objects that count the libraries read and the comparisons (the orders read `status`, `name` or `expiresAt`). */
function watchReads(store: Awaited<ReturnType<typeof loadedStore>>) {
  const looked = new Set<string>()
  const counter = { looked, reads: 0 }
  const state = store.getState()
  const byId = Object.fromEntries(
    state.ids.map((id) => [
      id,
      new Proxy(state.byId[id]!, {
        get(target, key, receiver) {
          if (key !== 'id') {
            counter.reads++
            looked.add(target.id)
          }
          return Reflect.get(target, key, receiver) as unknown
        }
      })
    ])
  )
  store.setState({ byId })
  return counter
}

describe('a wave update costs what its changes cost', () => {
  it('patches changed libraries into the order: the same ids as a full sort, ties included, for every sort', async () => {
    const next = random(18)
    const sorts: SortState[] = (['urgency', 'name', 'expiry'] as const).flatMap((key) => (['asc', 'desc'] as const).map((direction) => ({ key, direction })))
    for (const sort of sorts) {
      const store = await loadedStore(libraries(400, next))
      store.getState().sortBy(sort.key, sort.direction)
      const work: SelectorWork = { examined: 0, compared: 0 }
      const select = createVisibleIdsSelector(work)
      select(store.getState())
      for (let update = 0; update < 40; update++) {
        const { byId, ids } = store.getState()
        const changed = Array.from({ length: 1 + Math.floor(next() * 12) }, () => {
          const id = pick(ids, next)
          const roll = next()
          const was = byId[id]!
          return roll < 0.3 ? { ...was, status: pick(STATUSES, next) } : roll < 0.6 ? { ...was, expiresAt: pickExpiry(next) } : roll < 0.8 ? { ...was, name: pickName(next) } : { ...was, lastRefreshedAt: update }
        })
        const added = next() < 0.3 ? libraries(2, next) : []
        const removed = next() < 0.3 ? [pick(ids, next)] : []
        store.getState().applyLibraryChanges([...changed, ...added], removed)
        if (update % 10 === 9) store.getState().setStatusFilter(pick(['all', 'attention', 'healthy'] as const, next))
        const after = store.getState()
        const everything = after.ids.map((id) => after.byId[id]!)
        const wanted = sortLibraries(everything, sort).filter((view) => after.filter.status === 'all' || (after.filter.status === 'attention' ? view.status !== 'healthy' && view.status !== 'refreshing' : view.status === after.filter.status))
        expect(select(after), `${sort.key} ${sort.direction}, update ${update}`).toEqual(wanted.map((view) => view.id))
      }
      // Patched, not sorted afresh: a full sort of 400 takes about 3,400 comparisons, 40 of them 136,000.
      expect(work.compared).toBeGreaterThan(0)
      expect(work.compared).toBeLessThan(40 * 400)
    }
  })

  it('an update of 20 of 2,000 libraries compares and looks at about the changed ones only; the counts too', async () => {
    const next = random(7)
    const store = await loadedStore(libraries(2_000, next))
    const counter = watchReads(store)
    const work: SelectorWork = { examined: 0, compared: 0 }
    const select = createVisibleIdsSelector(work)
    const counts = createStatusCountsSelector()
    const first = select(store.getState())
    const countsBefore = counts(store.getState())

    // Refreshed: a new lastRefreshedAt only, no sort key moved: the same array comes back.
    const { byId, ids } = store.getState()
    store.getState().applyLibraryChanges(ids.slice(0, 20).map((id) => ({ ...byId[id]!, lastRefreshedAt: 5 })), [])
    counter.reads = 0
    counter.looked.clear()
    expect(select(store.getState())).toBe(first)
    expect(counts(store.getState())).toBe(countsBefore)
    // 20 changed: each found by binary search (log2 2,000 ≈ 11 comparisons) and checked against its neighbours.
    expect(counter.looked.size).toBeLessThanOrEqual(20 * 15)
    expect(counter.reads).toBeLessThan(20 * 15 * 6)

    // Statuses changed: the changed ones move, the counts follow them.
    const moved = ids.slice(20, 40).map((id) => ({ ...store.getState().byId[id]!, status: 'refreshing' as const }))
    store.getState().applyLibraryChanges(moved, [])
    counter.reads = 0
    counter.looked.clear()
    const shown = select(store.getState())
    const shownCounts = counts(store.getState())
    expect(counter.looked.size).toBeLessThanOrEqual(20 * 15)
    expect(counter.reads).toBeLessThan(20 * 15 * 6)
    const after = store.getState()
    const everything = after.ids.map((id) => after.byId[id]!)
    expect(shown).toEqual(sortLibraries(everything).map((view) => view.id))
    expect(shownCounts.refreshing).toBe(everything.filter((view) => view.status === 'refreshing').length)
    expect(shownCounts.healthy).toBe(everything.filter((view) => view.status === 'healthy').length)
  })
})

describe('the clock during a wave', () => {
  function ticking() {
    let now = NOW
    const clock: TickerClock = { now: () => now, setTimeout: () => ({}), clearTimeout: () => undefined }
    const nowStore = createNowStore(0)
    let ticks = 0
    nowStore.subscribe(() => ticks++)
    return { nowStore, clock, ticks: () => ticks, advance: (ms: number) => (now += ms) }
  }

  it('is not ticked by updates whose expiries are no sooner than its plan; a sooner one or a new status ticks it', async () => {
    const next = random(3)
    const views = libraries(200, next).map((view) => ({ ...view, status: 'healthy' as const, expiresAt: NOW + 3_600_000 }))
    const store = await loadedStore(views)
    const clock = ticking()
    const ticker = startTicker(clock.nowStore, () => store.getState().ids.map((id) => store.getState().byId[id]!.expiresAt), clock.clock)
    const unsubscribe = store.subscribe((state, previous) => pokeForChanges(ticker, previous.byId, state.byId))
    const ticksBefore = clock.ticks()
    // A wave: each library refreshing, then refreshed with an expiry an hour away, 20 per update.
    for (let update = 0; update < 20; update++) {
      const { byId, ids } = store.getState()
      const batch = ids.slice((update % 10) * 20, (update % 10) * 20 + 20)
      const status = update < 10 ? ('refreshing' as const) : ('healthy' as const)
      store.getState().applyLibraryChanges(batch.map((id) => ({ ...byId[id]!, status, expiresAt: NOW + 3_600_000 + update })), [])
    }
    expect(clock.ticks() - ticksBefore).toBe(0)
    // An expiry within the minute needs the clock sooner than it planned.
    const first = store.getState().ids[0]!
    store.getState().applyLibraryChanges([{ ...store.getState().byId[first]!, expiresAt: NOW + 30_000 }], [])
    expect(clock.ticks() - ticksBefore).toBe(1)
    // A library that turned expired.
    const second = store.getState().ids[1]!
    store.getState().applyLibraryChanges([{ ...store.getState().byId[second]!, status: 'expired' }], [])
    expect(clock.ticks() - ticksBefore).toBe(2)
    unsubscribe()
    ticker.stop()
  })
})
