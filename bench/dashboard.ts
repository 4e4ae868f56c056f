// The dashboard with 10,000 libraries in Chromium, against the same page with 50 measured in the same run:
//   1. first render of the list after `libraries.list` answered (median of several page loads; goal ≤ 100 ms)
//   2. keystroke in the search box → the frame with the updated list (goals: median ≤ 8 ms, p95 ≤ 16 ms), beside the
//      same keystrokes into a bare page with one <input> (this machine's Chromium floor, dashboard/bare-input.ts)
//   3. rows in the DOM (visible plus overscan only), at rest and scrolled to the middle
//   4. scrolling a page at a time, by Page Down and by the wheel: input → the page's rows painted, the longest
//      frame, and long tasks (goal: none ≥ 50 ms)
//   5. the renderer's JavaScript as built: what the page loads at start (goal ≤ 350 kB) and in all
//   6. issue 15's mixed list: 5,000 credentials, libraries and keys of SafetyCulture, Airtable and service tokens,
//      against 5,000 Apicbase libraries in the same run, figures 1–4 on both sides, each mixed figure with its ratio
//      and whether it is worse beyond noise (goal: none; dashboard/mixed.ts, the mix and tolerance in settings.ts)
// A benchmark, not a test: nothing asserts a time. Builds nothing: needs out/renderer (npx electron-vite build).
//
//   node bench/dashboard.ts [--json] [--loads=N] [--libraries=N] [--baseline=N] [--renderer=DIR]
//                           [--mixed=N | --no-mixed] [--mixed-loads=N] [--mixed-rounds=N]
//
//   --json          one JSON object on stdout (the table goes to stderr), to compare commits
//   --loads=N       measured page loads per side for the first render (default 7; one warm-up load each before)
//   --libraries=N   libraries on the measured side (default 10000); --baseline=N on the baseline side (default 50)
//   --renderer=DIR  another built renderer than out/renderer (to compare two builds)
//   --mixed=N       credentials on each side of the mixed comparison (default 5000); --no-mixed leaves it out
//   --mixed-loads=N measured page loads per side there (default 15, MIXED_LOADS says why); --mixed-rounds=N keystroke passes per side (default 2)
// Exit code 2 when out/renderer or Chromium is missing. CHROMIUM_PATH overrides /usr/bin/chromium.
//
// The parts: dashboard/settings.ts (viewport, keystrokes, goals, the result's shape), dashboard/measure-page.ts
// (page loads, keystrokes, rows), dashboard-page.ts (the in-page half), dashboard/measure-scroll.ts and
// dashboard/scroll-page.ts (scrolling), dashboard/bundle-size.ts (the JavaScript), dashboard/format.ts (the table).
//
// How it measures (see dashboard-page.ts for the in-page half): the stand-in bridge of the e2e tests
// (test/e2e/support/fake-bridge.ts) answers `libraries.list` on a timer after the shell is on screen, as an
// IPC answer would, and marks that moment with performance.mark; a MutationObserver sees the first row, and a
// requestAnimationFrame + posted message marks when that frame's style, layout and paint are done. Keystrokes
// are real key events (CDP) into the search box, one at a time: from keydown's event.timeStamp to the end of
// the frame after the list's DOM changed (or, when the list does not change for that keystroke, the frame after
// the input was handled). Which keystrokes change the rendered rows is worked out beforehand with the
// renderer's own pure query code (src/renderer/src/lib/library-query.ts, and key-query.ts for a mixed list's merge:
// dashboard/list-rows.ts). With keys, the stand-in bridge answers `keys.list` too (asked with the libraries),
// and the first render ends at the frame where the grid lists every row, keys included.
import { performance } from 'node:perf_hooks'
import { chromium, type Browser } from '@playwright/test'
import { serveFolder } from '../test/support/static-server.ts'
import { measureBareInput } from './dashboard/bare-input.ts'
import { measureBundle } from './dashboard/bundle-size.ts'
import { formatDashboardResult } from './dashboard/format.ts'
import { firstRenderResult, loadOnce, measureKeystrokes, measureRows, newSide, type Side } from './dashboard/measure-page.ts'
import { measureMixed } from './dashboard/mixed.ts'
import { measureScroll } from './dashboard/measure-scroll.ts'
import { manyLibraries } from '../test/e2e/support/fake-bridge.ts'
import {
  DashboardPrerequisiteError,
  DEFAULT_LIBRARIES,
  DEFAULT_MIXED,
  GOALS,
  MIXED_LOADS,
  goal,
  KEYSTROKES,
  LAUNCH_ARGS,
  OVERSCAN,
  VIEWPORT,
  type DashboardBenchOptions,
  type DashboardResult,
  type KeystrokeResult,
  type MixedResult,
  type RowsResult,
  type ScrollResult,
  type SideResult
} from './dashboard/settings.ts'
import { round } from './measure.ts'
import { browserPrerequisites, runStandalone, wholeNumber } from './standalone.ts'

export { formatDashboardResult } from './dashboard/format.ts'
export {
  DashboardPrerequisiteError,
  DEFAULT_LIBRARIES,
  DEFAULT_MIXED,
  GOALS,
  KEYSTROKES,
  MIXED_SHARE,
  MIXED_TOLERANCE,
  type Breakdown,
  type BundleResult,
  type DashboardBenchOptions,
  type DashboardGoal,
  type DashboardResult,
  type FirstRenderResult,
  type KeystrokeResult,
  type MixedFigure,
  type MixedResult,
  type RowsResult,
  type ScrollResult,
  type ScrollWayResult,
  type SideResult
} from './dashboard/settings.ts'

export async function runDashboardBench(options: DashboardBenchOptions = {}): Promise<DashboardResult> {
  const started = performance.now()
  const log = options.log ?? (() => undefined)
  const count = options.libraries ?? DEFAULT_LIBRARIES
  const baselineCount = options.baselineLibraries ?? 50
  const loads = options.loads ?? 7
  const listDelayMs = options.listDelayMs ?? 500
  const mixedEntries = options.mixed ?? DEFAULT_MIXED
  const mixedLoads = options.mixedLoads ?? MIXED_LOADS
  const mixedRounds = options.mixedRounds ?? 2
  const budgetMs = options.budgetMs ?? (mixedEntries > 0 ? 420_000 : 150_000)
  const { rendererDir, executablePath } = browserPrerequisites(options, (message) => new DashboardPrerequisiteError(message))
  if (!Number.isInteger(loads) || loads < 1) throw new RangeError('loads must be a whole number ≥ 1')
  if (!Number.isInteger(mixedEntries) || mixedEntries < 0 || (mixedEntries > 0 && mixedEntries < 2)) throw new RangeError('mixed must be 0 (left out) or a whole number ≥ 2')
  if (!Number.isInteger(mixedLoads) || mixedLoads < 1 || !Number.isInteger(mixedRounds) || mixedRounds < 1) throw new RangeError('mixed loads and rounds must be whole numbers ≥ 1')

  const server = await serveFolder(rendererDir)
  let browser: Browser | null = null
  let overBudget = false
  const watchdog = setTimeout(() => {
    overBudget = true
    void browser?.close()
  }, budgetMs)
  try {
    const launched = await chromium.launch({ executablePath, args: [...LAUNCH_ARGS], timeout: 15_000 })
    browser = launched
    const now = Date.now()
    const larder = newSide(manyLibraries(count, now))
    const baseline = newSide(manyLibraries(baselineCount, now))
    const sides = [larder, baseline] as const

    log(`dashboard: Chromium ${launched.version()}, ${count} vs ${baselineCount} libraries, ${loads} loads each (+1 warm-up)`)
    // Alternating sides, so a noisy moment lands on both.
    for (let load = 0; load <= loads; load++) {
      for (const side of sides) await (await loadOnce(launched, server.url, side, listDelayMs, load > 0)).context().close()
    }

    const interact = async (side: Side): Promise<{ keystroke: KeystrokeResult; rows: RowsResult; scroll: ScrollResult }> => {
      const page = await loadOnce(launched, server.url, side, listDelayMs, false)
      const errors: string[] = []
      page.on('pageerror', (error) => errors.push(error.message))
      try {
        const rows = await measureRows(page)
        log(`dashboard: ${side.libraries.length} libraries: ${KEYSTROKES.length} keystrokes`)
        const keystroke = await measureKeystrokes(page, side, rows.atRest.inDom)
        log(`dashboard: ${side.libraries.length} libraries: scrolling a page at a time`)
        const scroll = await measureScroll(page)
        if (errors.length > 0) throw new Error(`the page failed: ${errors.join('; ')}`)
        return { keystroke, rows, scroll }
      } finally {
        await page.context().close()
      }
    }
    const larderInteractive = await interact(larder)
    log(`dashboard: a bare page with one <input>: ${KEYSTROKES.length} keystrokes`)
    const bareInput = await measureBareInput(launched, server.url)
    const baselineInteractive = await interact(baseline)
    const mixed: MixedResult | null = mixedEntries > 0 ? await measureMixed(launched, server.url, { entries: mixedEntries, loads: mixedLoads, rounds: mixedRounds, listDelayMs, log }) : null
    const bundle = await measureBundle(launched, server.url, rendererDir)
    const larderResult: SideResult = { libraries: count, firstRender: firstRenderResult(larder), ...larderInteractive }
    const baselineResult: SideResult = { libraries: baselineCount, firstRender: firstRenderResult(baseline), ...baselineInteractive }

    const { atRest, middle } = larderResult.rows
    const { pageDown, wheel } = larderResult.scroll
    const goals = [
      goal('dashboard.firstRender', `first render of ${count} libraries after the data arrived (median)`, larderResult.firstRender.medianMs, GOALS.firstRenderMs, 'ms'),
      goal('dashboard.keystroke', `keystroke → updated list, ${count} libraries (median)`, larderResult.keystroke.medianMs, GOALS.keystrokeMedianMs, 'ms'),
      goal('dashboard.keystrokeP95', `keystroke → updated list, ${count} libraries (p95)`, larderResult.keystroke.p95Ms, GOALS.keystrokeP95Ms, 'ms'),
      goal('dashboard.scrollLongTasks', `long tasks (≥ 50 ms) scrolling ${count} libraries a page at a time (Page Down, wheel)`, pageDown.longTasks + wheel.longTasks, GOALS.scrollLongTasks, 'tasks'),
      goal('dashboard.rowsAtRest', 'rows in the DOM above visible + overscan, at rest', atRest.inDom - atRest.visible, 2 * OVERSCAN, 'rows'),
      goal('dashboard.rowsMiddle', 'rows in the DOM above visible + overscan, scrolled to the middle', middle.inDom - middle.visible, 2 * OVERSCAN, 'rows'),
      goal('dashboard.startJs', 'renderer JavaScript the page loads at start (minified)', bundle.startKb, GOALS.startJsKb, 'kB')
    ]
    if (mixed !== null) {
      goals.push(goal('dashboard.mixedWorse', `figures of a mixed list of ${mixedEntries} worse than ${mixedEntries} Apicbase libraries beyond noise (same run)`, mixed.worse, 0, 'figures'))
    }
    const ratio = (a: number, b: number): number => round(b > 0 ? a / b : Number.NaN, 2)
    return {
      chromium: launched.version(),
      viewport: VIEWPORT,
      listDelayMs,
      larder: larderResult,
      baseline: baselineResult,
      bareInput,
      bundle,
      ratios: {
        firstRender: ratio(larderResult.firstRender.medianMs, baselineResult.firstRender.medianMs),
        keystrokeMedian: ratio(larderResult.keystroke.medianMs, baselineResult.keystroke.medianMs),
        keystrokeP95: ratio(larderResult.keystroke.p95Ms, baselineResult.keystroke.p95Ms),
        keystrokeOverBare: ratio(larderResult.keystroke.medianMs, bareInput.medianMs)
      },
      mixed,
      goals,
      durationMs: Math.round(performance.now() - started)
    }
  } catch (error) {
    if (overBudget) throw new Error(`the dashboard benchmark took longer than ${budgetMs / 1000} s and was stopped`, { cause: error })
    throw error
  } finally {
    clearTimeout(watchdog)
    await browser?.close().catch(() => undefined)
    await server.close()
  }
}

// ── the command line ───────────────────────────────────────────────────────────────────────────────────────

interface Cli {
  readonly json: boolean
  readonly options: DashboardBenchOptions
}

function parseArgs(argv: readonly string[]): Cli {
  let json = false
  const options: { libraries?: number; baselineLibraries?: number; loads?: number; rendererDir?: string; mixed?: number; mixedLoads?: number; mixedRounds?: number } = {}
  for (const arg of argv) {
    const [flag = '', value = ''] = arg.split('=', 2)
    if (flag === '--json') json = true
    else if (flag === '--loads') options.loads = wholeNumber(flag, value)
    else if (flag === '--libraries') options.libraries = wholeNumber(flag, value)
    else if (flag === '--baseline') options.baselineLibraries = wholeNumber(flag, value)
    else if (flag === '--renderer' && value !== '') options.rendererDir = value
    else if (flag === '--mixed') options.mixed = wholeNumber(flag, value, 2)
    else if (flag === '--no-mixed' && value === '') options.mixed = 0
    else if (flag === '--mixed-loads') options.mixedLoads = wholeNumber(flag, value)
    else if (flag === '--mixed-rounds') options.mixedRounds = wholeNumber(flag, value)
    else throw new Error(`unknown argument "${arg}" (see the top of bench/dashboard.ts)`)
  }
  return { json, options }
}

runStandalone({ name: 'dashboard', moduleUrl: import.meta.url, parseArgs, run: runDashboardBench, format: formatDashboardResult, prerequisite: DashboardPrerequisiteError })
