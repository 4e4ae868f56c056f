// Start-up with 10,000 libraries (issue 18, goal 5, first half): from the browser host's page load to the first
// frame that shows the list, through a real `libraries.list` over the WebSocket from the real app (the browser
// host's: a real vault on disk, the Apicbase sandbox on a thread of its own). Against the same with 50 libraries,
// measured in the same run, loads alternating. Also what the list costs on its way, each side on its own: the
// answer's size, building the views (the handler), the host's contract check and serialising on the main side,
// JSON.parse in the page. A benchmark, not a test: nothing asserts a time. Needs out/renderer (npx electron-vite build).
//
//   node bench/startup.ts [--json] [--loads=N] [--libraries=N] [--baseline=N] [--renderer=DIR]
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { chromium, type Browser } from '@playwright/test'
import { calls } from '../src/shared/contract.ts'
import { packedRows } from '../test/browser-host/host.ts'
import { LAUNCH_ARGS, VIEWPORT } from './dashboard/settings.ts'
import { browserPrerequisites, runStandalone, wholeNumber } from './standalone.ts'
import { goal, median, round, type Goal } from './measure.ts'
import { startSandboxThread, type RemoteSandbox } from './remote-sandbox.ts'
import { startWaveApp, type WaveApp } from './wave/app.ts'
import { table, verdictOf } from './wave/format.ts'
import { installWaveRecorder, readFirstPaint, type FirstPaint } from './wave/page.ts'

export const STARTUP_GOALS = { firstPaintMs: 300 } as const

export interface StartupBenchOptions {
  readonly libraries?: number
  readonly baselineLibraries?: number
  /** Measured loads per side, after one warm-up load each (default 7). */
  readonly loads?: number
  readonly rendererDir?: string
  readonly executablePath?: string
  readonly budgetMs?: number
  readonly log?: (line: string) => void
}

export class StartupPrerequisiteError extends Error {
  override readonly name = 'StartupPrerequisiteError'
}

/** Medians over the loads, each from the page's navigation start (performance.timeOrigin). */
export interface StartupSide {
  readonly libraries: number
  readonly loads: number
  readonly samplesMs: readonly number[]
  /** Navigation start → the first frame with rows painted. */
  readonly firstPaintMs: number
  readonly minMs: number
  readonly maxMs: number
  /** The way there (medians): DOMContentLoaded, the list's answer arrived, the store took it, rows in the DOM. */
  readonly domContentLoadedMs: number
  readonly listArrivedMs: number
  readonly listStoredMs: number
  readonly rowsMs: number
  /** The answer over the socket, bytes; JSON.parse of it in the page (median). */
  readonly listBytes: number
  readonly pageParseMs: number
  /** Main side, measured apart (medians): the handler (views built), the host's contract check, packing as rows and JSON.stringify. */
  readonly handlerMs: number
  readonly checkMs: number
  readonly stringifyMs: number
  readonly longTasks: number
  readonly longestTaskMs: number
}

export interface StartupResult {
  readonly chromium: string
  readonly larder: StartupSide
  readonly baseline: StartupSide
  readonly ratio: number
  readonly goals: readonly Goal[]
  readonly durationMs: number
}

interface Loads {
  readonly paints: FirstPaint[]
  readonly handlerMs: number[]
  readonly checkMs: number[]
  readonly stringifyMs: number[]
}

/** The main side's parts of one `libraries.list`, each on its own: the handler, the host's contract check, serialising. */
async function mainSideParts(app: WaveApp, loads: Loads): Promise<void> {
  const handlers = app.assembled.handlers
  let started = performance.now()
  const result = await handlers['libraries.list']({})
  loads.handlerMs.push(performance.now() - started)
  if (!result.ok) throw new Error(`libraries.list refused: ${result.error.message}`)
  started = performance.now()
  const parsed = calls['libraries.list'].output.safeParse(result.value)
  loads.checkMs.push(performance.now() - started)
  if (!parsed.success) throw new Error('libraries.list answered outside its contract')
  // What the host sends: the list as rows (packedRows), serialised.
  started = performance.now()
  const rows = packedRows(result)
  JSON.stringify(rows === null ? { type: 'result', id: 1, result } : { type: 'result', id: 1, rows })
  loads.stringifyMs.push(performance.now() - started)
}

function sideResult(libraries: number, loads: Loads): StartupSide {
  const pick = (f: (p: FirstPaint) => number): number => round(median(loads.paints.map(f)), 1)
  const firsts = loads.paints.map((p) => p.paintedAt)
  const tasks = loads.paints.flatMap((p) => p.longTasks)
  return {
    libraries,
    loads: loads.paints.length,
    samplesMs: firsts.map((value) => round(value, 1)),
    firstPaintMs: round(median(firsts), 1),
    minMs: round(Math.min(...firsts), 1),
    maxMs: round(Math.max(...firsts), 1),
    domContentLoadedMs: pick((p) => p.domContentLoadedAt),
    listArrivedMs: pick((p) => p.listArrivedAt ?? Number.NaN),
    listStoredMs: pick((p) => p.listStoredAt ?? Number.NaN),
    rowsMs: pick((p) => p.rowsAt),
    listBytes: loads.paints[0]?.listBytes ?? 0,
    pageParseMs: pick((p) => p.listParseMs),
    handlerMs: round(median(loads.handlerMs), 2),
    checkMs: round(median(loads.checkMs), 2),
    stringifyMs: round(median(loads.stringifyMs), 2),
    longTasks: tasks.length,
    longestTaskMs: round(Math.max(0, ...tasks.map((task) => task.duration)), 1)
  }
}

export async function runStartupBench(options: StartupBenchOptions = {}): Promise<StartupResult> {
  const started = performance.now()
  const log = options.log ?? (() => undefined)
  const count = options.libraries ?? 10_000
  const baselineCount = options.baselineLibraries ?? 50
  const loads = options.loads ?? 7
  const { rendererDir, executablePath } = browserPrerequisites(options, (message) => new StartupPrerequisiteError(message))
  const budgetMs = options.budgetMs ?? 180_000
  let sandbox: RemoteSandbox | null = null
  const apps: WaveApp[] = []
  let browser: Browser | null = null
  let overBudget = false
  const watchdog = setTimeout(() => {
    overBudget = true
    void browser?.close()
  }, budgetMs)
  try {
    sandbox = await startSandboxThread({ rateLimitPerMinute: false })
    const larderApp = await startWaveApp({ libraries: count, sandbox, rendererDir })
    apps.push(larderApp)
    const baselineApp = await startWaveApp({ libraries: baselineCount, sandbox, rendererDir, prefix: 'Baseline' })
    apps.push(baselineApp)
    log(`startup: ${count} and ${baselineCount} libraries seeded; ${loads} loads each (+1 warm-up)`)
    const launched = await chromium.launch({ executablePath, args: [...LAUNCH_ARGS], timeout: 15_000 })
    browser = launched
    const sides = [
      { app: larderApp, loads: { paints: [], handlerMs: [], checkMs: [], stringifyMs: [] } as Loads },
      { app: baselineApp, loads: { paints: [], handlerMs: [], checkMs: [], stringifyMs: [] } as Loads }
    ]
    // Alternating sides, so a noisy moment lands on both; a context (a renderer process) of its own per load.
    for (let load = 0; load <= loads; load++) {
      for (const side of sides) {
        const context = await launched.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 })
        try {
          const page = await context.newPage()
          const errors: string[] = []
          page.on('pageerror', (error) => errors.push(error.message))
          await page.addInitScript(installWaveRecorder)
          await page.goto(side.app.host.urlWithSecret)
          const paint = await page.evaluate(readFirstPaint)
          if (errors.length > 0) throw new Error(`the page failed: ${errors.join('; ')}`)
          if (load > 0) side.loads.paints.push(paint)
        } finally {
          await context.close()
        }
        if (load > 0) await mainSideParts(side.app, side.loads)
      }
    }
    const larder = sideResult(count, sides[0]!.loads)
    const baseline = sideResult(baselineCount, sides[1]!.loads)
    return {
      chromium: launched.version(),
      larder,
      baseline,
      ratio: round(larder.firstPaintMs / baseline.firstPaintMs, 2),
      goals: [goal('startup.firstPaint', `page load → first list paint, ${count} libraries (median)`, larder.firstPaintMs, STARTUP_GOALS.firstPaintMs, 'ms')],
      durationMs: Math.round(performance.now() - started)
    }
  } catch (error) {
    if (overBudget) throw new Error(`the start-up benchmark took longer than ${budgetMs / 1000} s and was stopped`, { cause: error })
    throw error
  } finally {
    clearTimeout(watchdog)
    await browser?.close().catch(() => undefined)
    for (const app of apps) await app.close().catch(() => undefined)
    await sandbox?.close().catch(() => undefined)
  }
}

export function formatStartupResult(result: StartupResult): string {
  const { larder: l, baseline: b } = result
  const ms = (value: number): string => `${value.toFixed(1)} ms`
  const rows: string[][] = [['', 'start-up, Chromium over the browser host', `Larder (${l.libraries.toLocaleString('en-US')})`, `baseline (${b.libraries}, same run)`, 'goal', '']]
  rows.push(['5', `page load → first list paint, median of ${l.loads} loads`, ms(l.firstPaintMs), ms(b.firstPaintMs), `≤ ${STARTUP_GOALS.firstPaintMs} ms`, verdictOf(result.goals, 'startup.firstPaint')])
  rows.push(['', '  min / max', `${ms(l.minMs)} / ${ms(l.maxMs)}`, `${ms(b.minMs)} / ${ms(b.maxMs)}`, '', ''])
  rows.push(['', '  DOMContentLoaded / list arrived / stored / rows in DOM', [l.domContentLoadedMs, l.listArrivedMs, l.listStoredMs, l.rowsMs].map(ms).join(' / '), [b.domContentLoadedMs, b.listArrivedMs, b.listStoredMs, b.rowsMs].map(ms).join(' / '), '', ''])
  rows.push(['', '  libraries.list answer over the socket', `${(l.listBytes / 1024).toFixed(0)} kB`, `${(b.listBytes / 1024).toFixed(1)} kB`, '', ''])
  rows.push(['', '  main: handler (views) / host contract check / rows + JSON.stringify', `${ms(l.handlerMs)} / ${ms(l.checkMs)} / ${ms(l.stringifyMs)}`, `${ms(b.handlerMs)} / ${ms(b.checkMs)} / ${ms(b.stringifyMs)}`, '', ''])
  rows.push(['', '  page: JSON.parse of the answer (the bridge checks no view)', ms(l.pageParseMs), ms(b.pageParseMs), '', ''])
  rows.push(['', '  long tasks (≥ 50 ms) before the paint, all loads; longest', `${l.longTasks}; ${ms(l.longestTaskMs)}`, `${b.longTasks}; ${ms(b.longestTaskMs)}`, '', ''])
  const notes = [`ratio ${result.ratio}×; Chromium ${result.chromium}, headless; node ${process.version}, ${os.cpus().length} CPUs`, `goals met: ${result.goals.filter((g) => g.met).length} of ${result.goals.length}`]
  return `${table(rows)}\n\n${notes.join('\n')}\n`
}

// ── the command line ───────────────────────────────────────────────────────────────────────────────────────

function parseArgs(argv: readonly string[]): { json: boolean; options: StartupBenchOptions } {
  let json = false
  const options: { libraries?: number; baselineLibraries?: number; loads?: number; rendererDir?: string } = {}
  for (const arg of argv) {
    const [flag = '', value = ''] = arg.split('=', 2)
    if (flag === '--json') json = true
    else if (flag === '--loads') options.loads = wholeNumber(flag, value)
    else if (flag === '--libraries') options.libraries = wholeNumber(flag, value)
    else if (flag === '--baseline') options.baselineLibraries = wholeNumber(flag, value)
    else if (flag === '--renderer' && value !== '') options.rendererDir = value
    else throw new Error(`unknown argument "${arg}" (see the top of bench/startup.ts)`)
  }
  return { json, options }
}

runStandalone({ name: 'startup', moduleUrl: import.meta.url, parseArgs, run: runStartupBench, format: formatStartupResult, prerequisite: StartupPrerequisiteError })
