// Issue 15's measure for the one list: the dashboard with a mixed list of N credentials (Apicbase libraries beside
// SafetyCulture, Airtable and service-token keys; MIXED_SHARE says the mix and why) against an Apicbase-only list of
// the same N, in the same browser and run, measured the same way as the main comparison: page loads (list answered →
// the whole list painted, keys included: the window asks for them with the libraries and shows them with its last rows),
// keystrokes (which ones change the rows worked out with the renderer's own merge, list-rows.ts), rows in the DOM and
// scrolling. Loads alternate sides, both pages stay open for the keystrokes, whose passes alternate too, so a noisy
// moment lands on both. Each mixed figure is printed with its ratio and whether it is worse beyond MIXED_TOLERANCE.
import type { Browser, Page } from '@playwright/test'
import type { KeyView, LibraryView } from '../../src/shared/contract.ts'
import { manyLibraries } from '../../test/e2e/support/fake-bridge.ts'
import { customerLabelOf, manyKeys } from '../../test/e2e/support/many-keys.ts'
import { median, round } from '../measure.ts'
import { expectedChanges } from './list-rows.ts'
import { firstRenderResult, keystrokeResult, loadOnce, measureRows, newKeySamples, newSide, recordKeystrokes, type KeySamples, type Side } from './measure-page.ts'
import { measureScroll } from './measure-scroll.ts'
import { cpuBetween, cpuMeter, type CpuMeter, type CpuReading } from './page-cpu.ts'
import { KEYSTROKES, MIXED_SHARE, MIXED_TOLERANCE, type CpuResult, type MixedFigure, type MixedResult, type RowsResult, type ScrollResult, type SideResult } from './settings.ts'

export interface MixedOptions {
  readonly entries: number
  readonly loads: number
  readonly rounds: number
  readonly listDelayMs: number
  readonly log: (line: string) => void
}

/** The figures compared, each read the same way from both sides. */
const cpu = (side: SideResult): CpuResult => side.cpu ?? { firstRenderMs: Number.NaN, firstRenderLoads: 0, keystrokeMs: Number.NaN, keystrokeScriptMs: Number.NaN, scrollPageMs: Number.NaN }
const FIGURES: readonly { readonly id: string; readonly name: string; readonly unit: MixedFigure['unit']; readonly read: (side: SideResult) => number }[] = [
  { id: 'firstRender', name: 'first render: list answered → whole list painted, median', unit: 'ms', read: (s) => s.firstRender.medianMs },
  { id: 'firstRenderCpu', name: 'first render, main-thread CPU (list answered → whole list painted), median', unit: 'cpu ms', read: (s) => cpu(s).firstRenderMs },
  // Per 5 loads, so the tolerance (1 more) means the same whatever the number of loads.
  { id: 'firstRenderLongTasks', name: 'long tasks (≥ 50 ms) during first renders, per 5 loads', unit: 'tasks', read: (s) => round((s.firstRender.longTasks * 5) / Math.max(1, s.firstRender.loads), 1) },
  { id: 'keystrokeMedian', name: 'keystroke → updated list, median', unit: 'ms', read: (s) => s.keystroke.medianMs },
  { id: 'keystrokeP95', name: 'keystroke → updated list, p95', unit: 'ms', read: (s) => s.keystroke.p95Ms },
  { id: 'keystrokeChangedMedian', name: 'keystrokes that changed the rows, median', unit: 'ms', read: (s) => s.keystroke.changedMedianMs },
  { id: 'keystrokeScript', name: 'keystroke script (keydown → list DOM changed), median', unit: 'ms', read: (s) => s.keystroke.breakdown.scriptMs },
  { id: 'keystrokeScriptP95', name: 'keystroke script, p95', unit: 'ms', read: (s) => s.keystroke.scriptP95Ms },
  { id: 'keystrokeCpu', name: 'keystroke, main-thread CPU per key', unit: 'cpu ms', read: (s) => cpu(s).keystrokeMs },
  { id: 'keystrokeScriptCpu', name: 'keystroke, script CPU per key', unit: 'cpu ms', read: (s) => cpu(s).keystrokeScriptMs },
  { id: 'keystrokeLongTasks', name: 'long tasks while typing', unit: 'tasks', read: (s) => s.keystroke.longTasks },
  { id: 'rowsAtRest', name: 'rows in the DOM above visible, at rest', unit: 'rows', read: (s) => s.rows.atRest.inDom - s.rows.atRest.visible },
  { id: 'rowsMiddle', name: 'rows in the DOM above visible, scrolled to the middle', unit: 'rows', read: (s) => s.rows.middle.inDom - s.rows.middle.visible },
  { id: 'pageDown', name: 'Page Down: input → page painted, median', unit: 'ms', read: (s) => s.scroll.pageDown.medianMs },
  { id: 'wheel', name: 'wheel: input → page painted, median', unit: 'ms', read: (s) => s.scroll.wheel.medianMs },
  { id: 'scrollLongestFrame', name: 'scrolling: longest frame', unit: 'ms', read: (s) => Math.max(s.scroll.pageDown.longestFrameMs, s.scroll.wheel.longestFrameMs) },
  { id: 'scrollCpu', name: 'scrolling, main-thread CPU per page', unit: 'cpu ms', read: (s) => cpu(s).scrollPageMs },
  { id: 'scrollLongTasks', name: 'long tasks scrolling (Page Down + wheel)', unit: 'tasks', read: (s) => s.scroll.pageDown.longTasks + s.scroll.wheel.longTasks }
]

/** Whether `mixed` is worse than `only` beyond the tolerance for its unit. */
export function worseBeyondNoise(unit: MixedFigure['unit'], only: number, mixed: number): boolean {
  if (unit === 'rows') return mixed > only + MIXED_TOLERANCE.rows
  if (unit === 'tasks') return mixed > only + MIXED_TOLERANCE.longTasks
  const absolute = unit === 'cpu ms' ? MIXED_TOLERANCE.cpuMs : MIXED_TOLERANCE.absoluteMs
  return mixed > only * (1 + MIXED_TOLERANCE.relative) && mixed > only + absolute
}

export function compareSides(only: SideResult, mixed: SideResult): MixedFigure[] {
  return FIGURES.map(({ id, name, unit, read }) => {
    const a = read(only)
    const b = read(mixed)
    return { id, name, unit, apicbaseOnly: a, mixed: b, ratio: round(a > 0 ? b / a : Number.NaN, 2), worse: worseBeyondNoise(unit, a, b) }
  })
}

function composition(libraries: number, keys: readonly KeyView[]): MixedResult['composition'] {
  const bySystem = { safetyculture: 0, airtable: 0, service_token: 0 }
  const keyStatuses: Record<string, number> = {}
  const customers = new Set<string>()
  for (const key of keys) {
    bySystem[key.system] += 1
    keyStatuses[key.status] = (keyStatuses[key.status] ?? 0) + 1
    if (key.customer !== null) customers.add(key.customer)
  }
  return { libraries, keys: bySystem, customers: customers.size, keyStatuses }
}

interface Open {
  readonly side: Side
  readonly page: Page
  readonly errors: string[]
  readonly rows: RowsResult
  readonly expect: readonly boolean[]
  readonly keys: KeySamples
  readonly meter: CpuMeter
  /** CPU time of the keystroke passes, summed. */
  keysCpu: CpuReading
}

const sum = (a: CpuReading, b: CpuReading): CpuReading => ({ threadMs: a.threadMs + b.threadMs, scriptMs: a.scriptMs + b.scriptMs })
const ZERO: CpuReading = { threadMs: 0, scriptMs: 0 }

/** Library n (from 1) labelled with credential n's customer, or left without one as one in eight are. */
function labelled(libraries: readonly LibraryView[]): LibraryView[] {
  return libraries.map((library, i) => {
    const customer = customerLabelOf(i + 1)
    return customer === null ? library : { ...library, customer }
  })
}

export async function measureMixed(browser: Browser, server: string, options: MixedOptions): Promise<MixedResult> {
  const { entries, loads, rounds, listDelayMs, log } = options
  const now = Date.now()
  const libraryCount = Math.round(entries * MIXED_SHARE.libraries)
  const keyViews = manyKeys(entries - libraryCount, now, { mix: MIXED_SHARE.keys, firstNumber: libraryCount + 1 })
  // Libraries carry customer labels as the keys do (a partner labels a customer's library with its other keys), on
  // both sides alike: the customer filter is on both pages, and what differs is only that half the list is keys.
  const only = newSide(labelled(manyLibraries(entries, now)), [], true)
  // Keys numbered on from the libraries: both sides' names hold the numbers 1…N, so a search matches alike.
  const mixed = newSide(labelled(manyLibraries(libraryCount, now)), keyViews, true)
  const label = (side: Side): string => (side.keys.length === 0 ? `${entries} Apicbase only` : `${entries} mixed`)

  log(`dashboard: mixed comparison, ${entries} Apicbase libraries vs ${libraryCount} libraries + ${keyViews.length} keys, ${loads} loads each (+1 warm-up)`)
  for (let load = 0; load <= loads; load++) {
    const order = load % 2 === 0 ? [only, mixed] : [mixed, only]
    for (const side of order) await (await loadOnce(browser, server, side, listDelayMs, load > 0)).context().close()
  }

  const opened: Open[] = []
  try {
    for (const side of [only, mixed]) {
      const page = await loadOnce(browser, server, side, listDelayMs, false)
      const errors: string[] = []
      page.on('pageerror', (error) => errors.push(error.message))
      opened.push({ side, page, errors, rows: await measureRows(page), expect: [], keys: newKeySamples(), meter: await cpuMeter(page), keysCpu: ZERO })
    }
    const ready = opened.map((open) => ({ ...open, expect: expectedChanges(open.side.entries, KEYSTROKES, open.rows.atRest.inDom) }))
    for (let pass = 0; pass < rounds; pass++) {
      for (const open of pass % 2 === 0 ? ready : [...ready].reverse()) {
        log(`dashboard: ${label(open.side)}: ${KEYSTROKES.length} keystrokes (pass ${pass + 1} of ${rounds})`)
        const before = await open.meter.read()
        await recordKeystrokes(open.page, open.expect, open.keys)
        open.keysCpu = sum(open.keysCpu, cpuBetween(before, await open.meter.read()))
      }
    }
    const results: SideResult[] = []
    for (const open of ready) {
      log(`dashboard: ${label(open.side)}: scrolling a page at a time`)
      const before = await open.meter.read()
      const scroll: ScrollResult = await measureScroll(open.page)
      const scrollCpu = cpuBetween(before, await open.meter.read())
      if (open.errors.length > 0) throw new Error(`the page failed: ${open.errors.join('; ')}`)
      const { side } = open
      const keystrokes = open.keys.total.length
      const firstCpu = side.firstRenderCpu ?? []
      const cpuResult: CpuResult = {
        firstRenderMs: firstCpu.length === 0 ? Number.NaN : round(median(firstCpu.map((reading) => reading.threadMs)), 2),
        firstRenderLoads: firstCpu.length,
        keystrokeMs: round(open.keysCpu.threadMs / keystrokes, 2),
        keystrokeScriptMs: round(open.keysCpu.scriptMs / keystrokes, 2),
        scrollPageMs: round(scrollCpu.threadMs / Math.max(1, scroll.pageDown.pages + scroll.wheel.pages), 2)
      }
      results.push({ libraries: side.libraries.length, keys: side.keys.length, firstRender: firstRenderResult(side), keystroke: keystrokeResult(open.keys), rows: open.rows, scroll, cpu: cpuResult })
    }
    const [onlyResult, mixedResult] = results as [SideResult, SideResult]
    const figures = compareSides(onlyResult, mixedResult)
    const worse = figures.filter((figure) => figure.worse).length
    return {
      entries,
      composition: composition(libraryCount, keyViews),
      tolerance: MIXED_TOLERANCE,
      apicbaseOnly: onlyResult,
      mixed: mixedResult,
      figures,
      worse,
      noFigureWorse: worse === 0
    }
  } finally {
    for (const open of opened) await open.page.context().close()
  }
}
