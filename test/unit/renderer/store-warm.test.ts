// The search index is built in the window's idle time a slice at a time, so the frame that first shows a list of
// 10,000 never waits for it (built in one go it was a task of 100 ms or more).
import { describe, expect, it } from 'vitest'
import { connectStore, WARM_SLICE_MS, warmSearch, type IdleDeadline } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { selectLibraryList } from '../../../src/renderer/src/store/selectors.ts'
import type { LibraryView } from '../../../src/shared/contract.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { library } from './fixtures.ts'

describe('search index built when the window is idle', () => {
  it('builds one slice per idle period, as long as the period lasts, until every library is done', () => {
    const read = new Set<string>()
    const libraries = Array.from({ length: 1_000 }, (_, i) => {
      const view = library({ name: `Library ${i}` })
      // Counts the libraries whose search text was built (it reads the name).
      return new Proxy(view, {
        get(target, key, receiver) {
          if (key === 'name') read.add(target.id)
          return Reflect.get(target, key, receiver) as unknown
        }
      }) as LibraryView
    })
    const idle: ((deadline: IdleDeadline) => void)[] = []
    warmSearch(libraries, (callback) => void idle.push(callback))
    let periods = 0
    while (idle.length > 0) {
      periods++
      // Each idle period has room for about ten libraries.
      let left = 10
      idle.shift()!({ timeRemaining: () => left-- })
      expect(read.size).toBeLessThanOrEqual(periods * 10)
    }
    expect(read.size).toBe(1_000)
    expect(periods).toBeGreaterThanOrEqual(100)
  })

  it('stops a slice well before a long idle period ends (a key pressed meanwhile is not kept waiting)', () => {
    const libraries = Array.from({ length: 200 }, (_, i) => library({ name: `Library ${i}` }))
    const idle: ((deadline: IdleDeadline) => void)[] = []
    warmSearch(libraries, (callback) => void idle.push(callback))
    // A 50 ms idle period, one millisecond per library.
    let left = 50
    idle.shift()!({ timeRemaining: () => left-- })
    expect(50 - left).toBeLessThanOrEqual(WARM_SLICE_MS + 1)
    expect(idle).toHaveLength(1)
  })

  it('is built from the list the sort and counts read, not from a copy of its own (10,000 libraries: one array, not two)', async () => {
    const bridge = new FakeBridge()
    bridge.libraries = Array.from({ length: 100 }, (_, i) => library({ name: `Library ${i}` }))
    const store = createAppStore(bridge)
    let warmed: readonly unknown[] | null = null
    await connectStore(store, bridge, new ManualScheduler(), { warm: (libraries) => void (warmed = libraries) }).ready
    expect(warmed).toHaveLength(100)
    expect(warmed).toBe(selectLibraryList(store.getState()))
  })
})
