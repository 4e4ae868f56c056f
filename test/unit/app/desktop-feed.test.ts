// The desktop feed's work in a refresh wave grows with the number of changes, not with the number of libraries: a
// tray that takes a summary is never handed every library again after the first look (each change updates the
// summary it shows), and what it shows is what a summary of every library says.
import { describe, expect, it } from 'vitest'
import { createDesktopFeed, type NotifierPort, type TrayPort } from '../../../src/main/app/desktop-feed.ts'
import { buildTrayModel, type TrayModel } from '../../../src/main/core/desktop/tray-model.ts'
import type { LibraryView } from '../../../src/shared/contract.ts'
import { manyLibraries } from '../../e2e/support/fake-bridge.ts'
import { ManualClock } from '../../support/manual-clock.ts'

interface Wave {
  /** Libraries handed to the feed's `views()` (every library, each time it is asked) after the first look. */
  readonly viewsHandedOut: number
  /** Libraries the notifier was told of during the wave. */
  readonly notified: number
  readonly shown: number
  readonly lastShown: { readonly model: TrayModel; readonly names: ReadonlyMap<string, string> } | null
  readonly current: readonly LibraryView[]
}

/** `refreshed` of `libraries` go refreshing, then healthy, 16 a turn, a turn every 16 ms, over a manual clock. */
async function wave(libraries: number, refreshed: number): Promise<Wave> {
  const clock = new ManualClock()
  const current = new Map<string, LibraryView>(manyLibraries(libraries, clock.now()).map((view) => [view.id, { ...view, status: 'healthy', lastError: null }]))
  let viewsHandedOut = 0
  let notified = 0
  let shown = 0
  let lastShown: Wave['lastShown'] = null
  const tray: TrayPort = {
    show: (model, names) => {
      shown++
      lastShown = { model, names }
    },
    update: () => {
      throw new Error('a tray that takes a summary is never handed every library')
    },
    destroy: () => undefined
  }
  const notifier: NotifierPort = { observe: (list) => void (notified += list.length), forget: () => undefined, configure: () => undefined, dispose: () => undefined }
  const feed = createDesktopFeed({ tray, notifier, clock })
  feed.start(() => {
    viewsHandedOut += current.size
    return [...current.values()]
  }, { expiring: true, failed: true, needsReauth: true })
  await clock.advance(2_000)
  viewsHandedOut = 0
  notified = 0
  const ids = [...current.keys()].slice(0, refreshed)
  const set = (id: string, status: LibraryView['status']): LibraryView => {
    const view = { ...current.get(id)!, status }
    current.set(id, view)
    return view
  }
  for (let turn = 0; turn * 16 < ids.length + 16; turn++) {
    const starting = ids.slice(turn * 16, (turn + 1) * 16).map((id) => set(id, 'refreshing'))
    const finished = ids.slice((turn - 1) * 16, turn * 16).map((id) => set(id, 'healthy'))
    feed.apply({ personal: [], changed: [...finished, ...starting], removed: [] })
    await clock.advance(16)
  }
  // A removal goes through too.
  const gone = ids[0]!
  current.delete(gone)
  feed.apply({ personal: [], changed: [], removed: [gone] })
  await clock.advance(2_000)
  feed.dispose()
  return { viewsHandedOut, notified, shown, lastShown, current: [...current.values()] }
}

describe('desktop feed in a refresh wave', () => {
  it('hands the tray a summary kept change by change: work per change does not grow with the libraries', async () => {
    const small = await wave(1_000, 200)
    const large = await wave(10_000, 200)
    for (const result of [small, large]) {
      // Every library only at the first look; in the wave, only the changes.
      expect(result.viewsHandedOut).toBe(0)
      expect(result.notified).toBe(400)
      expect(result.shown).toBeGreaterThanOrEqual(1)
      expect(result.lastShown?.model).toEqual(buildTrayModel(result.current))
      for (const [id, name] of result.lastShown?.names ?? []) expect(result.current.find((view) => view.id === id)?.name).toBe(name)
    }
    expect(large.shown).toBe(small.shown)
  }, 30_000)

  it('still hands every library to a tray that builds its own summary', async () => {
    const clock = new ManualClock()
    const views = manyLibraries(3, clock.now())
    const handed: number[] = []
    const feed = createDesktopFeed({ clock, tray: { update: (list) => void handed.push(list.length), destroy: () => undefined } })
    feed.start(() => views, { expiring: true, failed: true, needsReauth: true })
    feed.apply({ personal: [], changed: [views[0]!], removed: [] })
    await clock.advance(1_000)
    expect(handed).toEqual([3, 3])
    feed.dispose()
  })
})
