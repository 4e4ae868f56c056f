// The dashboard with 5,000 libraries in Chromium, against the same page with 50 measured in the same run:
//   1. first render of the list after `libraries.list` answered (median of several page loads; goal ≤ 200 ms)
//   2. keystroke in the search box → the frame with the updated list (median and p95; goal ≤ 16 ms, one frame)
//   3. rows in the DOM (visible plus overscan only), at rest and scrolled to the middle
// A benchmark, not a test: nothing asserts a time. Builds nothing: needs out/renderer (npx electron-vite build).
//
//   node bench/dashboard.ts [--json] [--loads=N] [--libraries=N] [--baseline=N] [--renderer=DIR]
//
//   --json          one JSON object on stdout (the table goes to stderr), to compare commits
//   --loads=N       measured page loads per side for the first render (default 7; one warm-up load each before)
//   --libraries=N   libraries on the measured side (default 5000); --baseline=N on the baseline side (default 50)
//   --renderer=DIR  another built renderer than out/renderer (to compare two builds)
// Exit code 2 when out/renderer or Chromium is missing. CHROMIUM_PATH overrides /usr/bin/chromium.
//
// How it measures (see dashboard-page.ts for the in-page half): the stand-in bridge of the e2e tests
// (test/e2e/support/fake-bridge.ts) answers `libraries.list` on a timer after the shell is on screen, as an
// IPC answer would, and marks that moment with performance.mark; a MutationObserver sees the first row, and a
// requestAnimationFrame + posted message marks when that frame's style, layout and paint are done. Keystrokes
// are real key events (CDP) into the search box, one at a time: from keydown's event.timeStamp to the end of
// the frame after the list's DOM changed (or, when the list does not change for that keystroke, the frame after
// the input was handled). Which keystrokes change the rendered rows is worked out beforehand with the
// renderer's own pure query code (src/renderer/src/lib/library-query.ts).
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from '@playwright/test'
import playwrightConfig from '../playwright.config.ts'
import { DEFAULT_FILTER, DEFAULT_SORT, visibleLibraryIds } from '../src/renderer/src/lib/library-query.ts'
import type { LibraryView } from '../src/shared/contract.ts'
import { answerMarkName, installFakeBridge, manyLibraries } from '../test/e2e/support/fake-bridge.ts'
import { serveFolder } from '../test/support/static-server.ts'
import { armKeystroke, installRecorder, readFirstRender, readKeystroke, scrollAndCountRows, type LongTask, type RowCount } from './dashboard-page.ts'
import { median, percentile, round } from './measure.ts'

/** The same flags the e2e tests launch Chromium with (playwright.config.ts): off the network, no GPU. */
const LAUNCH_ARGS: readonly string[] = playwrightConfig.use?.launchOptions?.args ?? []
const VIEWPORT = { width: 1440, height: 900 } as const
/** LibraryGrid's OVERSCAN (not exported there): rows rendered beyond each edge of the viewport. */
const OVERSCAN = 12
const BS = 'Backspace'
/**
 * 30 keystrokes: digits narrow the list fast (every one changes it), then a place name, where only some letters
 * narrow it further. Deleting widens it back to all.
 */
export const KEYSTROKES: readonly string[] = [...'1234', BS, BS, BS, BS, ...'567', BS, BS, BS, ...'89', BS, BS, ...'zuid 3', BS, BS, BS, BS, BS, BS]

export const GOALS = { firstRenderMs: 200, keystrokeMs: 16 } as const

export interface DashboardBenchOptions {
  /** Libraries on the measured side (default 5000). */
  readonly libraries?: number
  /** Libraries on the baseline side (default 50). */
  readonly baselineLibraries?: number
  /** Measured page loads per side for the first render, after one warm-up load each (default 7). */
  readonly loads?: number
  /** The built renderer (default out/renderer, from the working directory). */
  readonly rendererDir?: string
  /** Chromium (default $CHROMIUM_PATH, else /usr/bin/chromium). */
  readonly executablePath?: string
  /** How long after it was asked the stand-in bridge answers `libraries.list` (default 500 ms: the page is quiet by then). */
  readonly listDelayMs?: number
  /** The whole run gives up (closing the browser) after this long (default 55 s). */
  readonly budgetMs?: number
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void
}

/** out/renderer or Chromium is not there: nothing was measured (the command line exits 2). */
export class DashboardPrerequisiteError extends Error {
  override readonly name = 'DashboardPrerequisiteError'
}

export interface FirstRenderResult {
  readonly loads: number
  /** Per load: libraries.list answered → the first frame with rows is done (style, layout, paint included). */
  readonly samplesMs: readonly number[]
  readonly medianMs: number
  readonly minMs: number
  readonly maxMs: number
  /** Where the time went (medians): script, waiting for the frame, the frame's style/layout/paint. */
  readonly breakdown: Breakdown
  /** Long tasks (≥ 50 ms) that overlapped answered → painted, over all loads, and the longest. */
  readonly longTasks: number
  readonly longestTaskMs: number
  /** Loads where "Loading libraries…" was on the page before the list arrived (should be all). */
  readonly shellFirst: number
}

/** Medians of the three parts of a figure; they add up to about its median. */
export interface Breakdown {
  /** Start (answer, keydown) → the DOM has changed: script (store, selectors, React render and commit, forced layouts). */
  readonly scriptMs: number
  /** → the rAF callback of the next frame: waiting for the frame to start (vsync; other tasks). */
  readonly frameWaitMs: number
  /** → a message posted from that callback: the frame's style, layout and paint. */
  readonly frameRenderMs: number
}

export interface KeystrokeResult {
  readonly keystrokes: number
  /** Keystrokes that changed the rendered rows (or their number); the others only re-filter to the same rows. */
  readonly changedList: number
  /** Per keystroke: keydown timeStamp → end of the frame after the list changed. */
  readonly samplesMs: readonly number[]
  readonly medianMs: number
  readonly p95Ms: number
  readonly maxMs: number
  /** The same, only the keystrokes that changed the list. */
  readonly changedMedianMs: number
  readonly changedP95Ms: number
  readonly breakdown: Breakdown
  /** p95 of the script part. */
  readonly scriptP95Ms: number
  /** Median of keydown timeStamp → the page's keydown listener ran (the main thread was busy, or IPC). */
  readonly inputDelayMedianMs: number
  readonly longTasks: number
  readonly longestTaskMs: number
}

export interface RowsResult {
  readonly listed: number
  readonly atRest: RowCount
  readonly middle: RowCount
  readonly overscan: number
}

export interface SideResult {
  readonly libraries: number
  readonly firstRender: FirstRenderResult
  readonly keystroke: KeystrokeResult
  readonly rows: RowsResult
}

export interface DashboardGoal {
  readonly id: string
  readonly name: string
  readonly value: number
  readonly limit: number
  readonly unit: string
  readonly met: boolean
}

export interface DashboardResult {
  readonly chromium: string
  readonly viewport: typeof VIEWPORT
  readonly listDelayMs: number
  readonly larder: SideResult
  readonly baseline: SideResult
  /** Larder ÷ baseline (5,000 ÷ 50 by default). */
  readonly ratios: { readonly firstRender: number; readonly keystrokeMedian: number; readonly keystrokeP95: number }
  readonly goals: readonly DashboardGoal[]
  readonly durationMs: number
}

function goal(id: string, name: string, value: number, limit: number, unit: string): DashboardGoal {
  return { id, name, value: round(value, 2), limit, unit, met: value <= limit }
}

/** Long tasks overlapping [from, to]. */
function overlapping(tasks: readonly LongTask[], from: number, to: number): LongTask[] {
  return tasks.filter((task) => task.startTime < to && task.startTime + task.duration > from)
}

interface Parts {
  readonly script: number[]
  readonly frameWait: number[]
  readonly frameRender: number[]
}

function newParts(): Parts {
  return { script: [], frameWait: [], frameRender: [] }
}

function addParts(parts: Parts, start: number, domAt: number, rafAt: number, paintedAt: number): void {
  parts.script.push(domAt - start)
  parts.frameWait.push(rafAt - domAt)
  parts.frameRender.push(paintedAt - rafAt)
}

function breakdown(parts: Parts): Breakdown {
  return { scriptMs: round(median(parts.script), 2), frameWaitMs: round(median(parts.frameWait), 2), frameRenderMs: round(median(parts.frameRender), 2) }
}

interface Side {
  readonly libraries: readonly LibraryView[]
  readonly firstSamples: number[]
  readonly parts: Parts
  readonly longTasks: LongTask[]
  shellFirst: number
}

/**
 * One page load in a context of its own (so a renderer process of its own: no heap, code or GC shared with the
 * previous load), until the first frame with rows is done. The caller closes page.context().
 */
async function loadOnce(browser: Browser, server: string, side: Side, listDelayMs: number, record: boolean): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await installFakeBridge(page, { libraries: side.libraries, listDelayMs })
  await page.addInitScript(installRecorder)
  await page.goto(server)
  const { answeredAt, rows, longTasks } = await page.evaluate(readFirstRender, { mark: answerMarkName('libraries.list'), timeoutMs: 10_000 })
  if (errors.length > 0) throw new Error(`the page failed: ${errors.join('; ')}`)
  if (answeredAt === null) throw new Error('the fake bridge set no mark for libraries.list (test/e2e/support/fake-bridge.ts)')
  if (record) {
    side.firstSamples.push(rows.paintedAt - answeredAt)
    addParts(side.parts, answeredAt, rows.mutationAt, rows.rafAt, rows.paintedAt)
    side.longTasks.push(...overlapping(longTasks, answeredAt, rows.paintedAt))
    if (rows.loadingAt !== null && rows.loadingAt < answeredAt) side.shellFirst += 1
  }
  return page
}

function firstRenderResult(side: Side): FirstRenderResult {
  return {
    loads: side.firstSamples.length,
    samplesMs: side.firstSamples.map((value) => round(value, 2)),
    medianMs: round(median(side.firstSamples), 2),
    minMs: round(Math.min(...side.firstSamples), 2),
    maxMs: round(Math.max(...side.firstSamples), 2),
    breakdown: breakdown(side.parts),
    longTasks: side.longTasks.length,
    longestTaskMs: round(Math.max(0, ...side.longTasks.map((task) => task.duration)), 1),
    shellFirst: side.shellFirst
  }
}

/** For each keystroke, whether the rows the grid renders at the top (or their number) change. */
function expectedChanges(libraries: readonly LibraryView[], keys: readonly string[], renderedAtTop: number): boolean[] {
  let search = ''
  let previous = visibleLibraryIds(libraries, DEFAULT_FILTER, DEFAULT_SORT)
  return keys.map((key) => {
    search = key === BS ? search.slice(0, -1) : search + key
    const next = visibleLibraryIds(libraries, { ...DEFAULT_FILTER, search }, DEFAULT_SORT)
    const rendered = Math.min(renderedAtTop, next.length, previous.length)
    let changed = next.length !== previous.length
    for (let i = 0; !changed && i < rendered; i++) changed = next[i] !== previous[i]
    previous = next
    return changed
  })
}

async function measureKeystrokes(page: Page, side: Side, renderedAtTop: number): Promise<KeystrokeResult> {
  const expect = expectedChanges(side.libraries, KEYSTROKES, renderedAtTop)
  await page.focus('#library-search')
  const samples: number[] = []
  const changedSamples: number[] = []
  const parts = newParts()
  const inputDelay: number[] = []
  let longTasks: LongTask[] = []
  let from = Number.POSITIVE_INFINITY
  let to = 0
  for (const [i, key] of KEYSTROKES.entries()) {
    const expectChange = expect[i] ?? false
    await page.evaluate(armKeystroke, expectChange)
    // Key down (the input happens here), wait for its frame, then key up: the keyup cannot delay the frame.
    await page.keyboard.down(key)
    const { timing, longTasks: tasks } = await page.evaluate(readKeystroke, 2_000)
    await page.keyboard.up(key)
    const total = timing.paintedAt - timing.keydownAt
    samples.push(total)
    if (expectChange) changedSamples.push(total)
    addParts(parts, timing.keydownAt, timing.mutationAt ?? timing.inputAt ?? timing.rafAt, timing.rafAt, timing.paintedAt)
    inputDelay.push(timing.keydownHandledAt - timing.keydownAt)
    from = Math.min(from, timing.keydownAt)
    to = Math.max(to, timing.paintedAt)
    longTasks = tasks
  }
  const typingTasks = overlapping(longTasks, from, to)
  return {
    keystrokes: samples.length,
    changedList: changedSamples.length,
    samplesMs: samples.map((value) => round(value, 2)),
    medianMs: round(median(samples), 2),
    p95Ms: round(percentile(samples, 95), 2),
    maxMs: round(Math.max(...samples), 2),
    changedMedianMs: changedSamples.length === 0 ? 0 : round(median(changedSamples), 2),
    changedP95Ms: changedSamples.length === 0 ? 0 : round(percentile(changedSamples, 95), 2),
    breakdown: breakdown(parts),
    scriptP95Ms: round(percentile(parts.script, 95), 2),
    inputDelayMedianMs: round(median(inputDelay), 2),
    longTasks: typingTasks.length,
    longestTaskMs: round(Math.max(0, ...typingTasks.map((task) => task.duration)), 1)
  }
}

/** Rows at rest (top of the list, settled) and scrolled to the middle; leaves the list at the top. */
async function measureRows(page: Page): Promise<RowsResult> {
  const atRest = await page.evaluate(scrollAndCountRows, { where: 0, timeoutMs: 3_000 })
  const middle = await page.evaluate(scrollAndCountRows, { where: 0.5, timeoutMs: 3_000 })
  await page.evaluate(scrollAndCountRows, { where: 0, timeoutMs: 3_000 })
  return { listed: atRest.listed, atRest, middle, overscan: OVERSCAN }
}

function newSide(count: number, now: number): Side {
  return { libraries: manyLibraries(count, now), firstSamples: [], parts: newParts(), longTasks: [], shellFirst: 0 }
}

export async function runDashboardBench(options: DashboardBenchOptions = {}): Promise<DashboardResult> {
  const started = performance.now()
  const log = options.log ?? (() => undefined)
  const count = options.libraries ?? 5000
  const baselineCount = options.baselineLibraries ?? 50
  const loads = options.loads ?? 7
  const listDelayMs = options.listDelayMs ?? 500
  const budgetMs = options.budgetMs ?? 55_000
  const rendererDir = path.resolve(options.rendererDir ?? 'out/renderer')
  const executablePath = options.executablePath ?? process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new DashboardPrerequisiteError(`${path.join(rendererDir, 'index.html')} is missing. This benchmark builds nothing: run \`npx electron-vite build\` first.`)
  }
  if (!existsSync(executablePath)) throw new DashboardPrerequisiteError(`no Chromium at ${executablePath} (set CHROMIUM_PATH)`)
  if (!Number.isInteger(loads) || loads < 1) throw new RangeError('loads must be a whole number ≥ 1')

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
    const larder = newSide(count, now)
    const baseline = newSide(baselineCount, now)
    const sides = [larder, baseline] as const

    log(`dashboard: Chromium ${launched.version()}, ${count} vs ${baselineCount} libraries, ${loads} loads each (+1 warm-up)`)
    // Alternating sides, so a noisy moment lands on both.
    for (let load = 0; load <= loads; load++) {
      for (const side of sides) await (await loadOnce(launched, server.url, side, listDelayMs, load > 0)).context().close()
    }

    const interact = async (side: Side): Promise<{ keystroke: KeystrokeResult; rows: RowsResult }> => {
      const page = await loadOnce(launched, server.url, side, listDelayMs, false)
      const errors: string[] = []
      page.on('pageerror', (error) => errors.push(error.message))
      try {
        const rows = await measureRows(page)
        log(`dashboard: ${side.libraries.length} libraries: ${KEYSTROKES.length} keystrokes`)
        const keystroke = await measureKeystrokes(page, side, rows.atRest.inDom)
        if (errors.length > 0) throw new Error(`the page failed: ${errors.join('; ')}`)
        return { keystroke, rows }
      } finally {
        await page.context().close()
      }
    }
    const larderInteractive = await interact(larder)
    const baselineInteractive = await interact(baseline)
    const larderResult: SideResult = { libraries: count, firstRender: firstRenderResult(larder), ...larderInteractive }
    const baselineResult: SideResult = { libraries: baselineCount, firstRender: firstRenderResult(baseline), ...baselineInteractive }

    const { atRest, middle } = larderResult.rows
    const goals = [
      goal('dashboard.firstRender', `first render of ${count} libraries after the data arrived (median)`, larderResult.firstRender.medianMs, GOALS.firstRenderMs, 'ms'),
      goal('dashboard.keystroke', `keystroke → updated list, ${count} libraries (median)`, larderResult.keystroke.medianMs, GOALS.keystrokeMs, 'ms'),
      goal('dashboard.rowsAtRest', 'rows in the DOM above visible + overscan, at rest', atRest.inDom - atRest.visible, 2 * OVERSCAN, 'rows'),
      goal('dashboard.rowsMiddle', 'rows in the DOM above visible + overscan, scrolled to the middle', middle.inDom - middle.visible, 2 * OVERSCAN, 'rows')
    ]
    const ratio = (a: number, b: number): number => round(b > 0 ? a / b : Number.NaN, 2)
    return {
      chromium: launched.version(),
      viewport: VIEWPORT,
      listDelayMs,
      larder: larderResult,
      baseline: baselineResult,
      ratios: {
        firstRender: ratio(larderResult.firstRender.medianMs, baselineResult.firstRender.medianMs),
        keystrokeMedian: ratio(larderResult.keystroke.medianMs, baselineResult.keystroke.medianMs),
        keystrokeP95: ratio(larderResult.keystroke.p95Ms, baselineResult.keystroke.p95Ms)
      },
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

// ── the table ──────────────────────────────────────────────────────────────────────────────────────────────

const ms = (value: number): string => `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} ms`
const times = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(1)}×` : '–')

function table(rows: readonly (readonly string[])[]): string {
  const header = rows[0] ?? []
  const widths = header.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)))
  const line = (row: readonly string[]): string => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()
  const rule = widths.map((width) => '─'.repeat(width)).join('  ')
  return [line(header), rule, ...rows.slice(1).map(line)].join('\n')
}

/** The result as a readable table, goals marked met or MISSED. */
export function formatDashboardResult(result: DashboardResult): string {
  const { larder: l, baseline: b, ratios } = result
  const verdict = (id: string): string => {
    const found = result.goals.find((g) => g.id === id)
    return found === undefined ? '' : found.met ? 'met' : 'MISSED'
  }
  const n = (count: number): string => count.toLocaleString('en-US')
  const rows: string[][] = [['', 'dashboard, Chromium', `Larder (${n(l.libraries)})`, `baseline (${n(b.libraries)}, same run)`, 'ratio', 'goal', '']]
  const fr = l.firstRender
  rows.push(['1', `first render after libraries.list answered, median of ${fr.loads} loads`, ms(fr.medianMs), ms(b.firstRender.medianMs), times(ratios.firstRender), `≤ ${GOALS.firstRenderMs} ms`, verdict('dashboard.firstRender')])
  rows.push(['', '  min / max', `${ms(fr.minMs)} / ${ms(fr.maxMs)}`, `${ms(b.firstRender.minMs)} / ${ms(b.firstRender.maxMs)}`, '', '', ''])
  const parts = (x: Breakdown): string => `${ms(x.scriptMs)} / ${ms(x.frameWaitMs)} / ${ms(x.frameRenderMs)}`
  rows.push(['', '  medians: script (answer → rows in DOM) / wait for frame / frame', parts(fr.breakdown), parts(b.firstRender.breakdown), '', '', ''])
  rows.push(['', '  long tasks (≥ 50 ms) in that window, all loads; longest', `${fr.longTasks}; ${ms(fr.longestTaskMs)}`, `${b.firstRender.longTasks}; ${ms(b.firstRender.longestTaskMs)}`, '', '', ''])
  const k = l.keystroke
  rows.push(['2', `keystroke → frame with the updated list, median (${k.keystrokes} keys)`, ms(k.medianMs), ms(b.keystroke.medianMs), times(ratios.keystrokeMedian), `≤ ${GOALS.keystrokeMs} ms`, verdict('dashboard.keystroke')])
  rows.push(['', '  p95 / max', `${ms(k.p95Ms)} / ${ms(k.maxMs)}`, `${ms(b.keystroke.p95Ms)} / ${ms(b.keystroke.maxMs)}`, times(ratios.keystrokeP95), '', ''])
  rows.push(['', `  only keys that changed the rows (${k.changedList} / ${b.keystroke.changedList}): median / p95`, `${ms(k.changedMedianMs)} / ${ms(k.changedP95Ms)}`, `${ms(b.keystroke.changedMedianMs)} / ${ms(b.keystroke.changedP95Ms)}`, '', '', ''])
  rows.push(['', '  medians: script (keydown → list DOM changed) / wait for frame / frame', parts(k.breakdown), parts(b.keystroke.breakdown), '', '', ''])
  rows.push(['', '  script p95; input delay (keydown → listener) median', `${ms(k.scriptP95Ms)}; ${ms(k.inputDelayMedianMs)}`, `${ms(b.keystroke.scriptP95Ms)}; ${ms(b.keystroke.inputDelayMedianMs)}`, '', '', ''])
  rows.push(['', '  long tasks (≥ 50 ms) while typing; longest', `${k.longTasks}; ${ms(k.longestTaskMs)}`, `${b.keystroke.longTasks}; ${ms(b.keystroke.longestTaskMs)}`, '', '', ''])
  const rest = l.rows.atRest
  const middle = l.rows.middle
  rows.push(['3', `rows in the DOM at rest (of ${n(l.rows.listed)}): in DOM (visible)`, `${rest.inDom} (${rest.visible})`, `${b.rows.atRest.inDom} (${b.rows.atRest.visible})`, '', `≤ visible + ${2 * OVERSCAN}`, verdict('dashboard.rowsAtRest')])
  rows.push(['', 'rows in the DOM scrolled to the middle: in DOM (visible)', `${middle.inDom} (${middle.visible})`, `${b.rows.middle.inDom} (${b.rows.middle.visible})`, '', `≤ visible + ${2 * OVERSCAN}`, verdict('dashboard.rowsMiddle')])
  const met = result.goals.filter((g) => g.met).length
  const notes = [
    `Chromium ${result.chromium}, ${result.viewport.width}×${result.viewport.height}, headless, ${LAUNCH_ARGS.join(' ')}; node ${process.version}, ${os.cpus().length} CPUs`,
    `libraries.list answered ${result.listDelayMs} ms after it was asked (shell on screen first in ${fr.shellFirst} of ${fr.loads} loads); times end when the frame is painted`,
    `goals met: ${met} of ${result.goals.length}`
  ]
  return `${table(rows)}\n\n${notes.join('\n')}\n`
}

// ── the command line ───────────────────────────────────────────────────────────────────────────────────────

interface Cli {
  readonly json: boolean
  readonly options: DashboardBenchOptions
}

function parseArgs(argv: readonly string[]): Cli {
  let json = false
  const options: { libraries?: number; baselineLibraries?: number; loads?: number; rendererDir?: string } = {}
  const whole = (flag: string, value: string, min: number): number => {
    if (!/^\d+$/.test(value) || Number(value) < min) throw new Error(`${flag} needs a whole number ≥ ${min}, got "${value}"`)
    return Number(value)
  }
  for (const arg of argv) {
    const [flag = '', value = ''] = arg.split('=', 2)
    if (flag === '--json') json = true
    else if (flag === '--loads') options.loads = whole(flag, value, 1)
    else if (flag === '--libraries') options.libraries = whole(flag, value, 1)
    else if (flag === '--baseline') options.baselineLibraries = whole(flag, value, 1)
    else if (flag === '--renderer' && value !== '') options.rendererDir = value
    else throw new Error(`unknown argument "${arg}" (see the top of bench/dashboard.ts)`)
  }
  return { json, options }
}

async function main(): Promise<void> {
  const { json, options } = parseArgs(process.argv.slice(2))
  const log = (line: string): void => void process.stderr.write(`${line}\n`)
  const result = await runDashboardBench({ ...options, log })
  const text = formatDashboardResult(result)
  if (json) {
    process.stderr.write(`\n${text}`)
    const output = {
      schema: 'larder-bench-dashboard/1',
      at: new Date().toISOString(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: os.cpus().length,
      options,
      allMet: result.goals.every((g) => g.met),
      ...result
    }
    process.stdout.write(`${JSON.stringify(output)}\n`)
  } else {
    process.stdout.write(`\n${text}(${(result.durationMs / 1000).toFixed(1)} s)\n`)
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    if (error instanceof DashboardPrerequisiteError) {
      process.stderr.write(`dashboard bench: ${error.message}\n`)
      process.exitCode = 2
      return
    }
    process.stderr.write(`dashboard bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exitCode = 1
  })
}
