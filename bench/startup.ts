// Start-up with 10,000 libraries (issue 18, goal 5): from the browser host's page load to the first frame that shows
// the list, through a real `libraries.list` over the WebSocket from the real app (the browser host's: a real vault on
// disk, the Apicbase sandbox on a thread of its own). Against the same with 50 libraries, in the same run, loads
// interleaved. The goal's figure is a WARM start: a new tab in a browser profile that has loaded Larder before, so
// the HTTP cache of the hashed assets and V8's code cache apply, as they do for the Electron window on every start
// after the first. The COLD start (a fresh context per load: nothing cached) is printed beside it.
//
// The loads are driven over a bare DevTools connection (bench/cdp-page.ts): Playwright turns on the Network domain,
// which makes Chromium copy the whole list's frame to DevTools inside the page; `--playwright` adds the old way's
// loads (a fresh Playwright context per load) so the difference shows. A benchmark, not a test: nothing asserts a
// time. Needs out/renderer (npx electron-vite build).
//
//   node bench/startup.ts [--json] [--loads=N] [--libraries=N] [--baseline=N] [--renderer=DIR] [--playwright]
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { chromium, type Browser } from '@playwright/test'
import { calls } from '../src/shared/contract.ts'
import { packedRows } from '../test/browser-host/host.ts'
import { freshContext, initScript, launchCdpBrowser, openCdpPage, type CdpBrowser } from './cdp-page.ts'
import { LAUNCH_ARGS, VIEWPORT } from './dashboard/settings.ts'
import { browserPrerequisites, runStandalone, wholeNumber } from './standalone.ts'
import { goal, median, round, type Goal } from './measure.ts'
import { startSandboxThread, type RemoteSandbox } from './remote-sandbox.ts'
import { startWaveApp, type WaveApp } from './wave/app.ts'
import { table, verdictOf } from './wave/format.ts'
import { FIRST_PAGE_ROWS } from '../src/shared/list-paging.ts'
import { installWaveRecorder, readFirstPaint, readListStored, type FirstPaint } from './wave/page.ts'

export const STARTUP_GOALS = { firstPaintMs: 300 } as const
/** Loads of each side in its warm profile before the measured ones: the first fills the HTTP cache and marks the scripts, the second makes V8's code cache. */
const WARM_UPS = 2

export type StartupMode = 'warm' | 'cold' | 'playwright'

export interface StartupBenchOptions {
  readonly libraries?: number
  readonly baselineLibraries?: number
  /** Measured loads per side and mode (default 7), after the warm-ups. */
  readonly loads?: number
  readonly rendererDir?: string
  readonly executablePath?: string
  /** Also load each side the old way (Playwright, its Network domain on), interleaved with the others. */
  readonly playwright?: boolean
  readonly budgetMs?: number
  readonly log?: (line: string) => void
}

export class StartupPrerequisiteError extends Error {
  override readonly name = 'StartupPrerequisiteError'
}

/** One page load's way to the first list paint, ms from its navigation start (performance.timeOrigin). */
export interface LoadFigures extends FirstPaint {
  readonly socketOpenAt: number | null
  /** Long tasks (≥ 50 ms) from the first paint until the whole list is in the store (a long list's rest, read after). */
  readonly restLongTasks: readonly { readonly duration: number }[]
}

/** Medians over one side's loads in one mode. */
export interface StartupSide {
  readonly libraries: number
  readonly mode: StartupMode
  readonly loads: number
  readonly samplesMs: readonly number[]
  /** Navigation start → the first frame with rows painted. */
  readonly firstPaintMs: number
  readonly minMs: number
  readonly maxMs: number
  /** The way there (medians): the bridge's socket open, DOMContentLoaded, the list's answer arrived, the store took it, rows in the DOM. */
  readonly socketOpenMs: number
  readonly domContentLoadedMs: number
  readonly listArrivedMs: number
  readonly listStoredMs: number
  readonly rowsMs: number
  /** The answer over the socket, bytes; JSON.parse of it in the page (median). */
  readonly listBytes: number
  readonly pageParseMs: number
  readonly longTasks: number
  readonly longestTaskMs: number
  /** Long tasks after the first paint until the whole list was in, over all loads; the longest. */
  readonly restLongTasks: number
  readonly restLongestTaskMs: number
}

/** Main side, measured apart (medians): the handler (views built), the host's contract check, packing as rows and JSON.stringify. */
export interface MainSideParts {
  readonly handlerMs: number
  readonly checkMs: number
  readonly stringifyMs: number
}

export interface StartupPair {
  readonly larder: StartupSide
  readonly baseline: StartupSide
}

export interface StartupResult {
  readonly chromium: string
  /** The goal's figure: a warm profile. */
  readonly warm: StartupPair
  readonly cold: StartupPair
  /** Only with --playwright. */
  readonly playwright: StartupPair | null
  readonly main: { readonly larder: MainSideParts; readonly baseline: MainSideParts }
  readonly ratio: number
  readonly goals: readonly Goal[]
  readonly durationMs: number
}

/** Init script: when the bridge's socket opened (the recorder marks the rest). */
export function installSocketMark(): void {
  const g = globalThis as unknown as { __larderSocketOpenAt?: number | null; WebSocket: { prototype: object }; performance: { now(): number } }
  g.__larderSocketOpenAt = null
  const proto = g.WebSocket.prototype as { addEventListener(type: string, listener: () => void): void }
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'onopen')
  if (!descriptor?.set) return
  const set = descriptor.set
  Object.defineProperty(proto, 'onopen', {
    ...descriptor,
    set(this: typeof proto, value: unknown) {
      this.addEventListener('open', () => {
        g.__larderSocketOpenAt ??= g.performance.now()
      })
      set.call(this, value)
    }
  })
}

// The first paint, then the whole list in the store: a long list shows its first page first and reads the rest after.
const READ_LOAD = `location.protocol === 'http:' && globalThis.__larderWave
  ? (${readFirstPaint.toString()})().then((paint) => (${readListStored.toString()})().then((stored) => ({
      ...paint,
      listStoredAt: stored,
      restLongTasks: globalThis.__larderWave.longTasks.filter((task) => task.startTime >= paint.paintedAt && task.startTime < stored),
      socketOpenAt: globalThis.__larderSocketOpenAt ?? null
    })))
  : null`

interface Sample {
  readonly mode: StartupMode
  readonly figures: LoadFigures
}

/** One load over bare CDP: a new tab (in the warm profile, or a fresh context), to the first list paint. */
export async function cdpLoad(browser: CdpBrowser, url: string, mode: 'warm' | 'cold'): Promise<LoadFigures> {
  const context = mode === 'cold' ? await freshContext(browser.cdp) : null
  const page = await openCdpPage(browser.cdp, { ...(context ? { browserContextId: context.browserContextId } : {}), viewport: VIEWPORT, initScripts: [initScript(installWaveRecorder), initScript(installSocketMark)] })
  try {
    await page.navigate(url)
    // Until the page's own document answers (before that the evaluation may land in about:blank or a dying context).
    for (let tries = 0; tries < 1000; tries++) {
      const figures = await page.evaluate<LoadFigures | null>(READ_LOAD).catch(() => null)
      if (figures !== null) return figures
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    throw new Error('the page never showed the list')
  } finally {
    await page.close()
    await context?.dispose()
  }
}

/** The old way: Playwright, a fresh context per load (its Network domain on). */
async function playwrightLoad(browser: Browser, url: string): Promise<LoadFigures> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 })
  try {
    const page = await context.newPage()
    await page.addInitScript(installWaveRecorder)
    await page.addInitScript(installSocketMark)
    await page.goto(url)
    return (await page.evaluate(READ_LOAD)) as LoadFigures
  } finally {
    await context.close()
  }
}

/** The main side's parts of the page's first list answer (`libraries.listFirst`), each on its own: the handler, the host's contract check, serialising. */
async function mainSideParts(app: WaveApp, into: { handlerMs: number[]; checkMs: number[]; stringifyMs: number[] }): Promise<void> {
  const input = { count: FIRST_PAGE_ROWS, locale: 'en' }
  let started = performance.now()
  const result = await app.assembled.handlers['libraries.listFirst'](input)
  into.handlerMs.push(performance.now() - started)
  if (!result.ok) throw new Error(`libraries.listFirst refused: ${result.error.message}`)
  started = performance.now()
  const parsed = calls['libraries.listFirst'].output.safeParse(result.value)
  into.checkMs.push(performance.now() - started)
  if (!parsed.success) throw new Error('libraries.listFirst answered outside its contract')
  started = performance.now()
  const rows = packedRows(result)
  JSON.stringify(rows === null ? { type: 'result', id: 1, result } : { type: 'result', id: 1, rows })
  into.stringifyMs.push(performance.now() - started)
}

function sideResult(libraries: number, mode: StartupMode, samples: readonly Sample[]): StartupSide {
  const loads = samples.filter((s) => s.mode === mode).map((s) => s.figures)
  const pick = (f: (p: LoadFigures) => number | null): number => round(median(loads.map((p) => f(p) ?? Number.NaN)), 1)
  const firsts = loads.map((p) => p.paintedAt)
  const tasks = loads.flatMap((p) => p.longTasks)
  const restTasks = loads.flatMap((p) => p.restLongTasks)
  return {
    libraries,
    mode,
    loads: loads.length,
    samplesMs: firsts.map((value) => round(value, 1)),
    firstPaintMs: round(median(firsts), 1),
    minMs: round(Math.min(...firsts), 1),
    maxMs: round(Math.max(...firsts), 1),
    socketOpenMs: pick((p) => p.socketOpenAt),
    domContentLoadedMs: pick((p) => p.domContentLoadedAt),
    listArrivedMs: pick((p) => p.listArrivedAt),
    listStoredMs: pick((p) => p.listStoredAt),
    rowsMs: pick((p) => p.rowsAt),
    listBytes: loads[0]?.listBytes ?? 0,
    pageParseMs: pick((p) => p.listParseMs),
    longTasks: tasks.length,
    longestTaskMs: round(Math.max(0, ...tasks.map((task) => task.duration)), 1),
    restLongTasks: restTasks.length,
    restLongestTaskMs: round(Math.max(0, ...restTasks.map((task) => task.duration)), 1)
  }
}

const medianParts = (parts: { handlerMs: number[]; checkMs: number[]; stringifyMs: number[] }): MainSideParts => ({
  handlerMs: round(median(parts.handlerMs), 2),
  checkMs: round(median(parts.checkMs), 2),
  stringifyMs: round(median(parts.stringifyMs), 2)
})

export async function runStartupBench(options: StartupBenchOptions = {}): Promise<StartupResult> {
  const started = performance.now()
  const log = options.log ?? (() => undefined)
  const count = options.libraries ?? 10_000
  const baselineCount = options.baselineLibraries ?? 50
  const loads = options.loads ?? 7
  const modes: readonly StartupMode[] = options.playwright === true ? ['warm', 'cold', 'playwright'] : ['warm', 'cold']
  const { rendererDir, executablePath } = browserPrerequisites(options, (message) => new StartupPrerequisiteError(message))
  const budgetMs = options.budgetMs ?? 240_000
  let sandbox: RemoteSandbox | null = null
  const apps: WaveApp[] = []
  let cdpBrowser: CdpBrowser | null = null
  let playwrightBrowser: Browser | null = null
  let overBudget = false
  const watchdog = setTimeout(() => {
    overBudget = true
    void cdpBrowser?.close()
    void playwrightBrowser?.close()
  }, budgetMs)
  try {
    sandbox = await startSandboxThread({ rateLimitPerMinute: false })
    const larderApp = await startWaveApp({ libraries: count, sandbox, rendererDir })
    apps.push(larderApp)
    const baselineApp = await startWaveApp({ libraries: baselineCount, sandbox, rendererDir, prefix: 'Baseline' })
    apps.push(baselineApp)
    log(`startup: ${count} and ${baselineCount} libraries seeded; ${loads} loads per side in each of ${modes.join(', ')} (after ${WARM_UPS} warm-ups)`)
    const launched = await launchCdpBrowser(executablePath, LAUNCH_ARGS, VIEWPORT)
    cdpBrowser = launched
    if (options.playwright === true) playwrightBrowser = await chromium.launch({ executablePath, args: [...LAUNCH_ARGS], timeout: 15_000 })
    const sides = [
      { app: larderApp, samples: [] as Sample[], parts: { handlerMs: [] as number[], checkMs: [] as number[], stringifyMs: [] as number[] } },
      { app: baselineApp, samples: [] as Sample[], parts: { handlerMs: [] as number[], checkMs: [] as number[], stringifyMs: [] as number[] } }
    ]
    // Rounds: the warm-ups, then the measured loads; in each, every side in every mode, so a noisy moment lands on all.
    for (let pass = 0; pass < WARM_UPS + loads; pass++) {
      const measured = pass >= WARM_UPS
      for (const side of sides) {
        for (const mode of modes) {
          const url = side.app.host.urlWithSecret
          const figures = mode === 'playwright' ? await playwrightLoad(playwrightBrowser!, url) : await cdpLoad(launched, url, mode)
          if (measured) side.samples.push({ mode, figures })
        }
        if (measured) await mainSideParts(side.app, side.parts)
      }
    }
    const pair = (mode: StartupMode): StartupPair => ({ larder: sideResult(count, mode, sides[0]!.samples), baseline: sideResult(baselineCount, mode, sides[1]!.samples) })
    const warm = pair('warm')
    return {
      chromium: launched.version,
      warm,
      cold: pair('cold'),
      playwright: options.playwright === true ? pair('playwright') : null,
      main: { larder: medianParts(sides[0]!.parts), baseline: medianParts(sides[1]!.parts) },
      ratio: round(warm.larder.firstPaintMs / warm.baseline.firstPaintMs, 2),
      goals: [goal('startup.firstPaint', `page load → first list paint, ${count} libraries, warm start (median)`, warm.larder.firstPaintMs, STARTUP_GOALS.firstPaintMs, 'ms')],
      durationMs: Math.round(performance.now() - started)
    }
  } catch (error) {
    if (overBudget) throw new Error(`the start-up benchmark took longer than ${budgetMs / 1000} s and was stopped`, { cause: error })
    throw error
  } finally {
    clearTimeout(watchdog)
    await cdpBrowser?.close().catch(() => undefined)
    await playwrightBrowser?.close().catch(() => undefined)
    for (const app of apps) await app.close().catch(() => undefined)
    await sandbox?.close().catch(() => undefined)
  }
}

const MODE_TITLES: Readonly<Record<StartupMode, string>> = {
  warm: 'warm start (a profile that loaded Larder before; bare CDP)',
  cold: 'cold start (a fresh context per load; bare CDP)',
  playwright: 'the old way (Playwright, fresh context, its Network domain on)'
}

export function formatStartupResult(result: StartupResult): string {
  const ms = (value: number): string => (Number.isNaN(value) ? '–' : `${value.toFixed(0)} ms`)
  const { larder: l0, baseline: b0 } = result.warm
  const rows: string[][] = [['', 'start-up, Chromium over the browser host', `Larder (${l0.libraries.toLocaleString('en-US')})`, `baseline (${b0.libraries}, same run)`, 'goal', '']]
  const pairs: [StartupMode, StartupPair][] = [['warm', result.warm], ['cold', result.cold]]
  if (result.playwright) pairs.push(['playwright', result.playwright])
  for (const [mode, { larder: l, baseline: b }] of pairs) {
    const goalCells = mode === 'warm' ? [`≤ ${STARTUP_GOALS.firstPaintMs} ms`, verdictOf(result.goals, 'startup.firstPaint')] : ['', '']
    rows.push([mode === 'warm' ? '5' : '', `${MODE_TITLES[mode]}: first list paint, median of ${l.loads}`, ms(l.firstPaintMs), ms(b.firstPaintMs), ...goalCells])
    rows.push(['', '  min / max', `${ms(l.minMs)} / ${ms(l.maxMs)}`, `${ms(b.minMs)} / ${ms(b.maxMs)}`, '', ''])
    const phases = (s: StartupSide): string => [s.socketOpenMs, s.listArrivedMs, s.rowsMs, s.firstPaintMs].map(ms).join(' → ')
    rows.push(['', '  navigation → socket open → list arrived → rows in DOM → painted', phases(l), phases(b), '', ''])
    rows.push(['', '  DOMContentLoaded; long tasks (≥ 50 ms) until painted, longest', `${ms(l.domContentLoadedMs)}; ${l.longTasks}, ${ms(l.longestTaskMs)}`, `${ms(b.domContentLoadedMs)}; ${b.longTasks}, ${ms(b.longestTaskMs)}`, '', ''])
    const rest = (side: StartupSide): string => `${ms(side.listStoredMs)}; ${side.restLongTasks}, ${ms(side.restLongestTaskMs)}`
    rows.push(['', '  whole list in the store; long tasks after the paint until then, longest', rest(l), rest(b), '', ''])
  }
  const { larder: ml, baseline: mb } = result.main
  const mainParts = (p: MainSideParts): string => [p.handlerMs, p.checkMs, p.stringifyMs].map((v) => `${v.toFixed(1)} ms`).join(' / ')
  rows.push(['', 'the first list answer (libraries.listFirst) over the socket; JSON.parse in the page', `${(l0.listBytes / 1024).toFixed(0)} kB; ${l0.pageParseMs.toFixed(1)} ms`, `${(b0.listBytes / 1024).toFixed(1)} kB; ${b0.pageParseMs.toFixed(1)} ms`, '', ''])
  rows.push(['', 'main, that answer: handler (order, counts, rows) / host contract check / rows + JSON.stringify', mainParts(ml), mainParts(mb), '', ''])
  const notes = [`warm ratio ${result.ratio}×; Chromium ${result.chromium}, headless; node ${process.version}, ${os.cpus().length} CPUs`, `goals met: ${result.goals.filter((g) => g.met).length} of ${result.goals.length}`]
  return `${table(rows)}\n\n${notes.join('\n')}\n`
}

// ── the command line ───────────────────────────────────────────────────────────────────────────────────────

function parseArgs(argv: readonly string[]): { json: boolean; options: StartupBenchOptions } {
  let json = false
  const options: { libraries?: number; baselineLibraries?: number; loads?: number; rendererDir?: string; playwright?: boolean } = {}
  for (const arg of argv) {
    const [flag = '', value = ''] = arg.split('=', 2)
    if (flag === '--json') json = true
    else if (flag === '--playwright') options.playwright = true
    else if (flag === '--loads') options.loads = wholeNumber(flag, value)
    else if (flag === '--libraries') options.libraries = wholeNumber(flag, value)
    else if (flag === '--baseline') options.baselineLibraries = wholeNumber(flag, value)
    else if (flag === '--renderer' && value !== '') options.rendererDir = value
    else throw new Error(`unknown argument "${arg}" (see the top of bench/startup.ts)`)
  }
  return { json, options }
}

runStandalone({ name: 'startup', moduleUrl: import.meta.url, parseArgs, run: runStartupBench, format: formatStartupResult, prerequisite: StartupPrerequisiteError })
