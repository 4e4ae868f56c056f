// The main side's desktop work (tray summary, notification decisions) as a function of the number of changes and of
// the number of libraries: the app's desktop feed (src/main/app/desktop-feed.ts) with the stand-in tray and notifier
// of desktop-ports.ts, on a manual clock, fed a refresh wave the way the projection hands it out (a batch per turn,
// each library first "refreshing", then settled). The figure that matters is work per change: it must not grow
// with the number of libraries (a tray rebuilt from every library once a second makes each change cost O(libraries)
// while a wave lasts). Counts are the judge; times are shown beside them.
import { performance } from 'node:perf_hooks'
import { createDesktopFeed } from '../../src/main/app/desktop-feed.ts'
import type { LibraryView } from '../../src/shared/contract.ts'
import { ManualClock } from '../../test/support/manual-clock.ts'
import { manyLibraries } from '../../test/e2e/support/fake-bridge.ts'
import { median, round } from '../measure.ts'
import { ALL_ON, desktopPorts } from './desktop-ports.ts'

/** Libraries starting (and finishing) their refresh per turn, and the time between turns: about the real wave's pace. */
export const BATCH = 16
export const TURN_MS = 16

export interface DesktopScaleCase {
  readonly libraries: number
  /** Libraries refreshed in the wave; each changes twice (refreshing, then refreshed). */
  readonly refreshed: number
  readonly changes: number
  /** Tray summaries shown during the wave (and the trailing one after it). */
  readonly trayShown: number
  /** Library entries the desktop work went through (views built for the tray, libraries summed up, libraries the notifier was told of). */
  readonly operations: number
  readonly operationsPerChange: number
  /** Main-thread time in the feed and its ports, median of the rounds, and per change. */
  readonly ms: number
  readonly usPerChange: number
}

export interface DesktopScaleResult {
  readonly cases: readonly DesktopScaleCase[]
  /** Operations per change with 10× the libraries, same wave (100 refreshed): 1 when the work does not depend on the library count. */
  readonly growthWithLibraries: number
  /** Operations per change for a wave 10× as large, same libraries (10,000): about 1 when the work is O(changes). */
  readonly growthWithChanges: number
}

function healthyViews(count: number, now: number): LibraryView[] {
  return manyLibraries(count, now).map((view) => ({ ...view, status: 'healthy', lastError: null, expiresAt: now + 5 * 86_400_000 }))
}

async function runCase(libraries: number, refreshed: number): Promise<{ operations: number; ms: number; trayShown: number; changes: number }> {
  const clock = new ManualClock()
  const ports = desktopPorts(clock)
  const current = new Map(healthyViews(libraries, clock.now()).map((view) => [view.id, view]))
  let viewsBuilt = 0
  let viewsMs = 0
  // As the projection's all(): a fresh view of every library each time it is asked.
  const views = (): LibraryView[] => {
    const started = performance.now()
    const all = [...current.values()].map((view) => ({ ...view }))
    viewsBuilt += all.length
    viewsMs += performance.now() - started
    return all
  }
  const feed = createDesktopFeed({ clock, tray: ports.tray, notifier: ports.notifier })
  feed.start(views, ALL_ON)
  await clock.advance(2_000)
  const before = { ...ports.counts, viewsBuilt, viewsMs }
  const ids = [...current.keys()].slice(0, refreshed)
  let applyMs = 0
  let changes = 0
  const change = (id: string, status: LibraryView['status']): LibraryView => {
    const view = { ...current.get(id)!, status, ...(status === 'healthy' ? { lastRefreshedAt: clock.now(), expiresAt: clock.now() + 7 * 86_400_000 } : {}) }
    current.set(id, view)
    changes++
    return view
  }
  for (let turn = 0; turn * BATCH < ids.length + BATCH; turn++) {
    const starting = ids.slice(turn * BATCH, (turn + 1) * BATCH).map((id) => change(id, 'refreshing'))
    const finished = ids.slice((turn - 1) * BATCH, turn * BATCH).map((id) => change(id, 'healthy'))
    const started = performance.now()
    feed.apply({ personal: [], changed: [...finished, ...starting], removed: [] })
    applyMs += performance.now() - started
    await clock.advance(TURN_MS)
  }
  await clock.advance(2_000)
  const counts = ports.counts
  feed.dispose()
  const operations = viewsBuilt - before.viewsBuilt + (counts.trayLibraries - before.trayLibraries) + (counts.notifierLibraries - before.notifierLibraries)
  // Tray and notifier time inside apply() is counted there already; the tray's timer-driven updates are not.
  const timerMs = viewsMs - before.viewsMs + (counts.trayMs - before.trayMs)
  return { operations, ms: applyMs + timerMs, trayShown: counts.trayShown - before.trayShown, changes }
}

export async function measureDesktopScale(options: { readonly rounds?: number; readonly log?: (line: string) => void } = {}): Promise<DesktopScaleResult> {
  const rounds = options.rounds ?? 3
  const shapes = [
    { libraries: 1_000, refreshed: 100 },
    { libraries: 10_000, refreshed: 100 },
    { libraries: 10_000, refreshed: 1_000 }
  ] as const
  const samples = shapes.map(() => ({ ms: [] as number[], operations: 0, trayShown: 0, changes: 0 }))
  // Rounds interleave the shapes, so a noisy moment lands on each; the first round warms up.
  for (let round = 0; round <= rounds; round++) {
    for (const [i, shape] of shapes.entries()) {
      const result = await runCase(shape.libraries, shape.refreshed)
      if (round === 0) continue
      const sample = samples[i]!
      sample.ms.push(result.ms)
      sample.operations = result.operations
      sample.trayShown = result.trayShown
      sample.changes = result.changes
    }
  }
  const cases = shapes.map((shape, i): DesktopScaleCase => {
    const sample = samples[i]!
    const ms = median(sample.ms)
    return {
      libraries: shape.libraries,
      refreshed: shape.refreshed,
      changes: sample.changes,
      trayShown: sample.trayShown,
      operations: sample.operations,
      operationsPerChange: round(sample.operations / sample.changes, 2),
      ms: round(ms, 2),
      usPerChange: round((ms * 1000) / sample.changes, 1)
    }
  })
  options.log?.(`desktop scale: ${cases.map((c) => `${c.libraries}/${c.refreshed}: ${c.operationsPerChange} ops, ${c.usPerChange} µs per change`).join('; ')}`)
  const [small, large, wave] = cases as [DesktopScaleCase, DesktopScaleCase, DesktopScaleCase]
  return {
    cases,
    growthWithLibraries: round(large.operationsPerChange / small.operationsPerChange, 2),
    growthWithChanges: round(wave.operationsPerChange / large.operationsPerChange, 2)
  }
}
