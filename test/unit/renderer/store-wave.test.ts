// A refresh wave reaching the window: the store takes every change, ends exactly where the main side is, and
// coalesces the updates so that applying them takes a bounded share of the page's time however costly each one is
// (with 10,000 libraries an update costs tens of milliseconds: sorting, counting, rendering).
import { describe, expect, it } from 'vitest'
import { createBridgeClient } from '../../../src/renderer/src/bridge/client.ts'
import { connectStore, type Scheduler } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { createStatusCountsSelector, createVisibleIdsSelector, selectExpiries } from '../../../src/renderer/src/store/selectors.ts'
import { sortLibraries } from '../../../src/renderer/src/lib/library-query.ts'
import type { LibraryListView } from '../../../src/shared/contract.ts'
import { listViewOf } from '../../../src/shared/library-list-view.ts'
import { FakeBridge } from './fake-bridge.ts'
import { library } from './fixtures.ts'

const FRAME_MS = 16
/** The share of the page's time a wave's updates may take. */
const MAX_UPDATE_SHARE = 0.25

/** Timers on a clock that moves only when the test says so; a callback runs at its due time. */
class FakeTimers implements Scheduler {
  now = 0
  readonly delays: number[] = []
  #queue: { at: number; callback: () => void }[] = []
  schedule(callback: () => void, delayMs = FRAME_MS): void {
    this.delays.push(delayMs)
    this.#queue.push({ at: this.now + delayMs, callback })
  }
  /** Moves to `until`, running what falls due on the way. */
  advance(until: number): void {
    for (;;) {
      this.#queue.sort((a, b) => a.at - b.at)
      const next = this.#queue[0]
      if (!next || next.at > until) break
      this.#queue.shift()
      this.now = Math.max(this.now, next.at)
      next.callback()
    }
    this.now = until
  }
}

describe('a refresh wave reaching the store', () => {
  it('drops events that came before the list: the list is newer than they are', async () => {
    const bridge = new FakeBridge()
    const a = listViewOf(library({ name: 'A', status: 'healthy', lastRefreshedAt: 2_000 }))
    const b = listViewOf(library({ name: 'B' }))
    // The transport is ordered: whatever was sent before the answer to libraries.list happened before the list was read.
    bridge.answers['libraries.list'] = () => {
      bridge.emit('library.changed', { ...a, status: 'refreshing', lastRefreshedAt: 1_000 })
      bridge.emit('library.changed', b)
      return { ok: true, value: [a] }
    }
    const store = createAppStore(createBridgeClient(bridge))
    const timers = new FakeTimers()
    const connection = connectStore(store, createBridgeClient(bridge), timers, { now: () => timers.now })
    await connection.ready
    timers.advance(1_000)
    expect(store.getState().byId[a.id]).toEqual(a)
    expect(store.getState().ids).toEqual([a.id])
    // What comes after the answer is applied.
    bridge.emit('library.changed', b)
    timers.advance(2_000)
    expect(store.getState().ids).toEqual([a.id, b.id])
    connection.dispose()
  })

  it('spaces updates by their cost while a wave lasts, applies a lone change within a frame, and ends with every change', async () => {
    const bridge = new FakeBridge()
    const libraries = Array.from({ length: 1_000 }, (_, i) => library({ name: `L${i}` }))
    bridge.libraries = libraries
    const store = createAppStore(createBridgeClient(bridge))
    const timers = new FakeTimers()
    const costMs = 40
    // Each update of the libraries costs 40 ms of the page's time (what sorting and rendering 10,000 takes).
    let updates = 0
    let busyMs = 0
    store.subscribe((state, previous) => {
      if (state.byId === previous.byId || store.getState().loadState !== 'ready') return
      updates++
      busyMs += costMs
      timers.now += costMs
    })
    const connection = connectStore(store, createBridgeClient(bridge), timers, { now: () => timers.now, afterUpdate: (callback) => callback() })
    await connection.ready
    updates = 0
    busyMs = 0

    // A lone change after a quiet spell is shown in the next frame.
    timers.advance(5_000)
    const rows = libraries.map(listViewOf)
    bridge.emit('library.changed', { ...rows[0]!, status: 'refreshing' })
    timers.advance(5_000 + FRAME_MS)
    expect(store.getState().byId[libraries[0]!.id]?.status).toBe('refreshing')
    expect(updates).toBe(1)
    updates = 0
    busyMs = 0
    timers.advance(10_000)

    // The wave: 2,000 events over 2 s (each library refreshing, then refreshed), 20 every 20 ms.
    const last = new Map<string, LibraryListView>()
    const start = timers.now
    for (let step = 0; step < 100; step++) {
      for (let k = 0; k < 20; k++) {
        const i = step * 20 + k
        const view = i < 1_000 ? { ...rows[i]!, status: 'refreshing' as const } : { ...rows[i - 1_000]!, lastRefreshedAt: i }
        last.set(view.id, view)
        bridge.emit('library.changed', view)
      }
      timers.advance(start + (step + 1) * 20)
    }
    const waveMs = timers.now - start
    timers.advance(timers.now + 5_000)

    // Every change arrived; the page ends where the main side is.
    for (const [id, view] of last) expect(store.getState().byId[id]).toEqual(view)
    // Applying took at most the allowed share of the wave (a frame's spacing alone would take 40 / 56 of it).
    expect(busyMs).toBeLessThanOrEqual(waveMs * MAX_UPDATE_SHARE + 2 * costMs)
    expect(updates).toBeLessThanOrEqual(Math.ceil((waveMs * MAX_UPDATE_SHARE) / costMs) + 2)
    expect(updates).toBeGreaterThanOrEqual(3)
    connection.dispose()
  })

  it('what every update recomputes reads the libraries through the id list, never by enumerating byId', async () => {
    // byId is keyed by ids: with 10,000 of them, Object.values(byId) sorts its keys each time (7 ms in Node, more in
    // the page), and the counts and the ticker's expiries are recomputed on every update of a wave.
    const bridge = new FakeBridge()
    bridge.libraries = Array.from({ length: 50 }, (_, i) => library({ name: `L${i}`, status: i % 2 === 0 ? 'healthy' : 'expired' }))
    const store = createAppStore(createBridgeClient(bridge))
    await store.getState().loadLibraries()
    let enumerations = 0
    const state = store.getState()
    const byId = new Proxy(state.byId, {
      ownKeys(target) {
        enumerations++
        return Reflect.ownKeys(target)
      }
    })
    const watched = { ...state, byId }
    expect(createStatusCountsSelector()(watched)).toMatchObject({ healthy: 25, expired: 25 })
    expect([...selectExpiries(watched)]).toEqual(bridge.libraries.map((view) => view.expiresAt))
    expect(enumerations).toBe(0)
  })

  it('re-sorts after an update from the order it last showed: about one comparison per library, not a full sort', async () => {
    const bridge = new FakeBridge()
    const statuses = ['healthy', 'expiring_soon', 'expired', 'error'] as const
    bridge.libraries = Array.from({ length: 2_000 }, (_, i) => library({ name: `L${(i * 7919) % 2_000}`, status: statuses[i % 4], expiresAt: 1_000_000 + ((i * 104_729) % 2_000) * 60_000 }))
    const store = createAppStore(createBridgeClient(bridge))
    await store.getState().loadLibraries()
    const select = createVisibleIdsSelector()
    select(store.getState())
    // Counts comparisons: the urgency order reads each side's status once per comparison.
    let reads = 0
    const counted = (view: LibraryListView): LibraryListView =>
      new Proxy(view, {
        get(target, key, receiver) {
          if (key === 'status') reads++
          return Reflect.get(target, key, receiver) as unknown
        }
      })
    const { byId, ids } = store.getState()
    const changed = ids.slice(0, 20).map((id) => ({ ...byId[id]!, status: 'refreshing' as const }))
    store.getState().applyLibraryChanges(changed, [])
    const after = store.getState()
    const watched = { ...after, byId: Object.fromEntries(after.ids.map((id) => [id, counted(after.byId[id]!)])) }
    reads = 0
    const shown = select(watched)
    expect(shown).toEqual(sortLibraries(after.ids.map((id) => after.byId[id]!)).map((view) => view.id))
    // A full sort of 2,000 takes about 2,000 × log2(2,000) ≈ 22,000 comparisons.
    expect(reads / 2).toBeLessThan(3 * 2_000)
  })
})
