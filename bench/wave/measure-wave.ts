// The Node half of one measured window of the wave benchmark: arm the page's recorder, refresh some libraries for
// real through the app's engine, wait until every event reached the page and its store has taken them, read what
// it cost on both sides (the page's store updates, React commits, frames and long tasks; Chromium's own
// script/layout/style time; the main thread's busy time; the desktop feed's work), then check that the page's store
// holds exactly the views the main side has for those libraries (after the figures, so the check costs them nothing).
import { performance } from 'node:perf_hooks'
import type { LarderApp } from '../../src/main/app/create-app.ts'
import type { LarderCore } from '../../src/main/core/larder-core.ts'
import { round } from '../measure.ts'
import type { DesktopCounts } from './desktop-ports.ts'
import { armWave, finishWave, verifyWave, type WaveWindow } from './page.ts'
import { TASK_CPU_CATEGORIES, taskCpu, type WindowCpu } from './task-cpu.ts'
import type { ChromiumTrace, WavePage } from './wave-page.ts'

export interface RendererTime {
  /** Chromium's Performance.getMetrics deltas over the window: script, layout, style recalculation, all tasks (ms). */
  readonly scriptMs: number
  readonly layoutMs: number
  readonly styleMs: number
  readonly taskMs: number
}

export interface WaveSample {
  /** Libraries refreshed (0: the page idle for the same kind of window). */
  readonly refreshed: number
  /** `library.changed` events the app emitted (each goes to the page as one message). */
  readonly events: number
  /** Main side: all refreshes resolved and the last batch handed out, ms; its event-loop busy time over that, ms. */
  readonly mainMs: number
  readonly mainBusyMs: number
  /** Page: arm → the store's last update of the wave (or the end of an idle window), ms. */
  readonly pageMs: number
  readonly storeUpdates: number
  readonly libraryUpdates: number
  readonly commits: number
  readonly frames: number
  readonly fps: number
  readonly longestFrameGapMs: number
  readonly longTasks: number
  readonly longestTaskMs: number
  /** The same long tasks' CPU (thread time) from a trace of the window, and the renderer's tasks in it; null untraced. */
  readonly cpu: WindowCpu | null
  readonly renderer: RendererTime
  /** The desktop feed during the window: tray summaries shown, libraries through tray and notifier, their time. */
  readonly desktop: { readonly trayShown: number; readonly trayLibraries: number; readonly notifierLibraries: number; readonly ms: number }
}

export interface WaveContext {
  readonly page: WavePage
  readonly app: LarderApp
  readonly core: LarderCore
  readonly desktop: DesktopCounts
  readonly timeoutMs: number
}

async function metrics(page: WavePage): Promise<Map<string, number>> {
  const { metrics: list } = await page.send<{ metrics: { name: string; value: number }[] }>('Performance.getMetrics')
  return new Map(list.map((metric) => [metric.name, metric.value]))
}

function rendererTime(before: Map<string, number>, after: Map<string, number>): RendererTime {
  const ms = (name: string): number => round(((after.get(name) ?? 0) - (before.get(name) ?? 0)) * 1000, 1)
  return { scriptMs: ms('ScriptDuration'), layoutMs: ms('LayoutDuration'), styleMs: ms('RecalcStyleDuration'), taskMs: ms('TaskDuration') }
}

/** Each library's view as the main side has it now, as JSON (what the page's store must hold). */
export function mainViews(app: LarderApp, ids?: readonly string[]): Record<string, string> {
  const projection = app.projection()
  if (!projection) throw new Error('the vault is not open')
  const wanted = ids === undefined ? null : new Set(ids)
  const out: Record<string, string> = {}
  // The list's rows: what the page's store holds (libraries.list and library.changed carry rows only).
  for (const view of projection.allListed()) if (wanted === null || wanted.has(view.id)) out[view.id] = JSON.stringify(view)
  return out
}

/** Longer than the store's longest pause between two updates (MAX_PAUSE_MS in store/connect.ts): its last one has happened. */
const QUIET_MS = 1_500

export interface WindowOptions {
  /** The page idle this long when no ids are given (default 1 s). */
  readonly idleMs?: number
  /** Trace the window (arm → the store's last update seen) for the long tasks' CPU. */
  readonly traced?: boolean
  /** More categories for that trace (--trace=FILE), and who gets the whole trace. */
  readonly extraCategories?: readonly string[]
  readonly onTrace?: (trace: ChromiumTrace) => void
}

/** One window: `ids` refreshed at once (none: the page idle for `idleMs`). */
export async function measureWave(context: WaveContext, ids: readonly string[], options: WindowOptions = {}): Promise<WaveSample> {
  const { page, app, core, desktop } = context
  const idleMs = options.idleMs ?? 1_000
  const traced = options.traced === true || options.onTrace !== undefined
  if (traced) {
    await page.startTrace([...new Set([...TASK_CPU_CATEGORIES, ...(options.extraCategories ?? [])])])
    // Tracing reaches the renderer a moment after the browser answers.
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  let events = 0
  const stop = app.events.on('library.changed', () => void events++)
  const desktopBefore = { ...desktop }
  const before = await metrics(page)
  const armedAt = await page.evaluate(armWave)
  const elu = performance.eventLoopUtilization()
  const started = performance.now()
  if (ids.length === 0) await new Promise((resolve) => setTimeout(resolve, idleMs))
  else await Promise.all(ids.map((id) => core.engine.refresh(id)))
  // The projection hands out the last changes at most a frame later (one batch a frame while changes come): now.
  await new Promise((resolve) => setImmediate(resolve))
  app.projection()?.flush()
  const mainMs = performance.now() - started
  const busy = performance.eventLoopUtilization(elu).active
  let window: WaveWindow
  try {
    window = await page.evaluate(finishWave, { events, quietMs: QUIET_MS, timeoutMs: context.timeoutMs })
  } finally {
    stop()
  }
  const after = await metrics(page)
  const trace = traced ? await page.stopTrace() : null
  if (trace && options.onTrace) options.onTrace(trace)
  const cpu = trace ? taskCpu(trace, armedAt, window.longTasks) : null
  const check = await page.evaluate(verifyWave, ids.length === 0 ? {} : mainViews(app, ids))
  if (check.differing > 0) throw new Error(`after refreshing ${ids.length} libraries the page's store differs from the main side for ${check.differing} (first: ${check.first})`)
  const pageMs = window.endedAt - window.startedAt
  const longest = Math.max(0, ...window.longTasks.map((task) => task.duration))
  return {
    refreshed: ids.length,
    events,
    mainMs: round(mainMs, 1),
    mainBusyMs: round(busy, 1),
    pageMs: round(pageMs, 1),
    storeUpdates: window.storeUpdates,
    libraryUpdates: window.libraryUpdates,
    commits: window.commits,
    frames: window.frames,
    fps: round(pageMs > 0 ? (window.frames * 1000) / pageMs : 0, 1),
    longestFrameGapMs: round(window.longestFrameGapMs, 1),
    longTasks: window.longTasks.length,
    longestTaskMs: round(longest, 1),
    cpu,
    renderer: rendererTime(before, after),
    desktop: {
      trayShown: desktop.trayShown - desktopBefore.trayShown,
      trayLibraries: desktop.trayLibraries - desktopBefore.trayLibraries,
      notifierLibraries: desktop.notifierLibraries - desktopBefore.notifierLibraries,
      ms: round(desktop.trayMs - desktopBefore.trayMs + desktop.notifierMs - desktopBefore.notifierMs, 2)
    }
  }
}
