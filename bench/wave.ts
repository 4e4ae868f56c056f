// A refresh wave with the window open (issue 18, goal 2): the real app (the browser host's: a real vault on disk,
// the Apicbase sandbox on a thread of its own, rate limit off) holding 10,000 libraries, the dashboard open in
// Chromium showing the list, then 1,000 of them refreshed at once. Against, in the same run and on the same page:
// the page idle for a second, and a wave of 10. Reported per window: long tasks (≥ 50 ms) in the renderer, store
// updates and React commits for the changes, frames per second, Chromium's script/layout/style time, the main
// thread's busy time; and the desktop feed's work (tray summary, notification decisions) per change, at 1,000
// and 10,000 libraries and at 100 and 1,000 changes (bench/wave/desktop-scale.ts). After the waves the page's
// store must hold exactly the main side's views (a SHA-256 of every view on both sides): the run fails otherwise.
// Each long task is shown with its CPU (thread time, from a light Chromium trace of each window), so a task
// stretched by a busy machine can be told from a heavy one. The page is driven over a bare DevTools connection
// (wave/wave-page.ts: no Network domain, as in a person's window); `--playwright` then measures the wave once more
// the old way (Playwright, its Network domain on: Chromium copies every WebSocket message inside the renderer).
// A benchmark, not a test: nothing asserts a time. Builds nothing: needs out/renderer (npx electron-vite build).
//
//   node bench/wave.ts [--json] [--libraries=N] [--wave=N] [--renderer=DIR] [--profile=DIR] [--trace=FILE]
//                      [--playwright] [--no-task-cpu]
//
//   --playwright   after the bare-DevTools page, a Playwright page measures the same wave, then a bare-DevTools
//                  page once more (columns of their own: the old way against a wave as late in the run)
//   --no-task-cpu  no trace of the windows (the long tasks' CPU is then not known)
//   --profile=DIR  CPU profiles of the measured wave: DIR/main.cpuprofile and DIR/renderer.cpuprofile (open in DevTools)
//   --trace=FILE   a Chromium trace of the measured wave (DevTools' Performance panel): what each long task was
//
// The parts: wave/app.ts (the app, seeded), wave/page.ts (the in-page recorder), wave/measure-wave.ts (one
// window), wave/desktop-ports.ts + wave/desktop-scale.ts (the desktop work), wave/format.ts (the table).
import { createHash } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import fs from 'node:fs'
import { goal } from './measure.ts'
import { startSandboxThread, type RemoteSandbox } from './remote-sandbox.ts'
import { startWaveApp, type WaveApp } from './wave/app.ts'
import { desktopPorts } from './wave/desktop-ports.ts'
import { measureDesktopScale } from './wave/desktop-scale.ts'
import { formatWaveResult, type WaveFigures } from './wave/format.ts'
import { mainViews, measureWave, type WaveContext, type WaveSample } from './wave/measure-wave.ts'
import { readListStored, storeDigest } from './wave/page.ts'
import { startProfiles } from './wave/profiles.ts'
import { openWavePage, type WaveDriver, type WavePage } from './wave/wave-page.ts'
import { browserPrerequisites, runStandalone, wholeNumber } from './standalone.ts'

export { formatWaveResult } from './wave/format.ts'
export type { WaveSample } from './wave/measure-wave.ts'
export type { DesktopScaleResult } from './wave/desktop-scale.ts'

export const WAVE_GOALS = {
  /** Long tasks (≥ 50 ms) in the renderer during the wave. */
  longTasks: 0,
  /** Store updates that changed the libraries, per animation frame of the wave: at most one a frame. */
  updatesPerFrame: 1,
  /** Desktop work per change, 10× the libraries (or 10× the changes) against the smaller case: O(changes). */
  desktopGrowth: 1.25
} as const

export interface WaveBenchOptions {
  /** Libraries the app holds (default 10,000). */
  readonly libraries?: number
  /** Libraries refreshed in the measured wave (default 1,000); the baseline wave refreshes 10. */
  readonly wave?: number
  readonly baselineWave?: number
  readonly rendererDir?: string
  readonly executablePath?: string
  /** Rounds of the desktop scale measurement (default 3). */
  readonly desktopRounds?: number
  /** Writes CPU profiles of the measured wave here: main.cpuprofile (this process) and renderer.cpuprofile (the page). */
  readonly profileDir?: string
  /** Writes a Chromium trace of the measured wave to this file (open in DevTools' Performance panel). */
  readonly traceFile?: string
  /** Also measure the wave once the old way (Playwright, its Network domain on), after the bare-DevTools page. */
  readonly playwright?: boolean
  /** Trace each window for the long tasks' CPU (default true). */
  readonly taskCpu?: boolean
  /** The whole run gives up after this long (default 240 s). */
  readonly budgetMs?: number
  readonly log?: (line: string) => void
}

const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'disabled-by-default-v8.cpu_profiler', 'blink.user_timing']

export class WavePrerequisiteError extends Error {
  override readonly name = 'WavePrerequisiteError'
}

export interface WaveResult extends WaveFigures {
  readonly durationMs: number
}

/** SHA-256 of every view, `id\nJSON\n` in id order: the same text the page's storeDigest hashes. */
function mainDigest(views: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256')
  for (const id of Object.keys(views).sort()) hash.update(`${id}\n${views[id]}\n`)
  return hash.digest('hex')
}

export async function runWaveBench(options: WaveBenchOptions = {}): Promise<WaveResult> {
  const started = performance.now()
  const log = options.log ?? (() => undefined)
  const count = options.libraries ?? 10_000
  const waveSize = options.wave ?? 1_000
  const baselineSize = options.baselineWave ?? 10
  const warmSize = 50
  const { rendererDir, executablePath } = browserPrerequisites(options, (message) => new WavePrerequisiteError(message))
  if (waveSize + baselineSize + warmSize > count) throw new RangeError(`--wave (${waveSize}) + ${baselineSize + warmSize} must fit in --libraries (${count})`)

  const budgetMs = options.budgetMs ?? 240_000
  let sandbox: RemoteSandbox | null = null
  let app: WaveApp | null = null
  let page: WavePage | null = null
  let overBudget = false
  const watchdog = setTimeout(() => {
    overBudget = true
    void page?.close()
  }, budgetMs)
  const traced = options.taskCpu !== false
  try {
    const desktopScale = await measureDesktopScale({ rounds: options.desktopRounds ?? 3, log })
    sandbox = await startSandboxThread({ rateLimitPerMinute: false })
    const ports = desktopPorts({ now: () => Date.now() })
    app = await startWaveApp({ libraries: count, sandbox, rendererDir, ports: { tray: ports.tray, notifier: ports.notifier } })
    log(`wave: ${count} libraries seeded in ${(app.seedMs / 1000).toFixed(1)} s`)
    const { assembled, ids } = app
    const url = app.host.urlWithSecret
    const contextOf = (wavePage: WavePage): WaveContext => ({ page: wavePage, app: assembled.app, core: assembled.core, desktop: ports.counts, timeoutMs: 60_000 })
    /** The guarantee that goes with coalescing: the page ends with every change, exactly as the main side has it. */
    const checkStore = async (wavePage: WavePage): Promise<string> => {
      const errors = await wavePage.errors()
      if (errors.length > 0) throw new Error(`the page failed: ${errors.join('; ')}`)
      const page256 = await wavePage.evaluate(storeDigest)
      const main256 = mainDigest(mainViews(assembled.app))
      if (page256.count !== count || page256.ids !== count || page256.sha256 !== main256) {
        throw new Error(`the page's store differs from the main side after the waves (${wavePage.driver}): ${page256.count} views (${page256.ids} ids), sha256 ${page256.sha256} against ${count}, ${main256}`)
      }
      return main256
    }

    page = await openWavePage('cdp', executablePath, url)
    await page.evaluate(readListStored)
    const chromiumVersion = page.version
    const context = contextOf(page)
    // Warm-up (JIT on both sides, the sockets' buffers), then: idle, the baseline wave, the measured wave.
    await measureWave(context, ids.slice(count - warmSize))
    const idle = await measureWave(context, [], { traced })
    const baseline = await measureWave(context, ids.slice(waveSize, waveSize + baselineSize), { traced })
    log(`wave: baseline of ${baselineSize} done; refreshing ${waveSize}`)
    const profiling = options.profileDir === undefined ? null : await startProfiles(page)
    const traceFile = options.traceFile
    const wave = await measureWave(context, ids.slice(0, waveSize), {
      traced,
      ...(traceFile === undefined ? {} : { extraCategories: TRACE_CATEGORIES, onTrace: (trace) => fs.writeFileSync(traceFile, JSON.stringify(trace)) })
    })
    if (profiling && options.profileDir !== undefined) await profiling.stop(options.profileDir)
    const main256 = await checkStore(page)
    await page.close()
    page = null

    // The old way, once: a Playwright page on the same app, warmed the same way, the same libraries refreshed;
    // then a bare-DevTools page again, so the old way can be held against a wave that comes as late in the run
    // (a library's second refresh costs the main side less than its first: the later waves share that).
    const laterWaves: { driver: WaveDriver; sample: WaveSample }[] = []
    for (const driver of options.playwright === true ? (['playwright', 'cdp'] as const) : []) {
      log(`wave: the same wave again, ${driver === 'cdp' ? 'over bare DevTools' : 'the old way (Playwright)'}`)
      page = await openWavePage(driver, executablePath, url)
      await page.evaluate(readListStored)
      await measureWave(contextOf(page), ids.slice(count - warmSize))
      laterWaves.push({ driver, sample: await measureWave(contextOf(page), ids.slice(0, waveSize), { traced }) })
      await checkStore(page)
      await page.close()
      page = null
    }

    const growth = Math.max(desktopScale.growthWithLibraries, desktopScale.growthWithChanges)
    const goals = [
      goal('wave.longTasks', `long tasks (≥ 50 ms) in the renderer while ${waveSize} of ${count} libraries refresh`, wave.longTasks, WAVE_GOALS.longTasks, 'tasks'),
      goal('wave.updatesPerFrame', 'store updates of the list per animation frame during the wave', wave.frames > 0 ? wave.libraryUpdates / wave.frames : Number.POSITIVE_INFINITY, WAVE_GOALS.updatesPerFrame, '×'),
      goal('wave.desktopGrowth', 'desktop work per change, 10× the libraries or the changes (O(changes): 1)', growth, WAVE_GOALS.desktopGrowth, '×')
    ]
    return {
      chromium: chromiumVersion,
      driver: 'bare DevTools connection (no Network domain)',
      libraries: count,
      seedMs: Math.round(app.seedMs),
      idle,
      baseline,
      wave,
      laterWaves,
      desktopScale,
      finalState: { libraries: count, sha256: main256 },
      goals,
      durationMs: Math.round(performance.now() - started)
    }
  } catch (error) {
    if (overBudget) throw new Error(`the wave benchmark took longer than ${budgetMs / 1000} s and was stopped`, { cause: error })
    throw error
  } finally {
    clearTimeout(watchdog)
    await page?.close().catch(() => undefined)
    await app?.close().catch(() => undefined)
    await sandbox?.close().catch(() => undefined)
  }
}

// ── the command line ───────────────────────────────────────────────────────────────────────────────────────

function parseArgs(argv: readonly string[]): { json: boolean; options: WaveBenchOptions } {
  let json = false
  const options: { libraries?: number; wave?: number; rendererDir?: string; profileDir?: string; traceFile?: string; playwright?: boolean; taskCpu?: boolean } = {}
  for (const arg of argv) {
    const [flag = '', value = ''] = arg.split('=', 2)
    if (flag === '--json') json = true
    else if (flag === '--playwright') options.playwright = true
    else if (flag === '--no-task-cpu') options.taskCpu = false
    else if (flag === '--libraries') options.libraries = wholeNumber(flag, value)
    else if (flag === '--wave') options.wave = wholeNumber(flag, value)
    else if (flag === '--renderer' && value !== '') options.rendererDir = value
    else if (flag === '--profile' && value !== '') options.profileDir = value
    else if (flag === '--trace' && value !== '') options.traceFile = value
    else throw new Error(`unknown argument "${arg}" (see the top of bench/wave.ts)`)
  }
  return { json, options }
}

runStandalone({ name: 'wave', moduleUrl: import.meta.url, parseArgs, run: runWaveBench, format: formatWaveResult, prerequisite: WavePrerequisiteError })
