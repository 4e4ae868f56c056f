// The page the wave benchmark measures, driven one of two ways behind one interface: over a bare DevTools
// connection (bench/cdp-page.ts: Page, Runtime, Emulation, and Performance for its metrics; no Network domain), or
// the old way through Playwright, which always turns the Network domain on, so Chromium copies every WebSocket
// message to DevTools inside the renderer (at start-up the 3.8 MB list; a wave's messages are one turn's rows
// each, and there the renderer's CPU showed no clear difference on a loaded machine). The first is what a
// person's window does; the second is kept to show the difference (`--playwright`).
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from '@playwright/test'
import { initScript, launchCdpBrowser, openCdpPage, type CdpBrowser, type CdpPage } from '../cdp-page.ts'
import { LAUNCH_ARGS, VIEWPORT } from '../dashboard/settings.ts'
import { installErrorRecorder, installWaveRecorder, readFirstPaint, readPageErrors } from './page.ts'

export type WaveDriver = 'cdp' | 'playwright'

/** The parsed `{"traceEvents": […]}` of a Chromium trace. */
export interface ChromiumTrace {
  readonly traceEvents: readonly TraceEvent[]
}

export interface TraceEvent {
  readonly name: string
  readonly cat: string
  readonly ph: string
  readonly pid: number
  readonly tid: number
  readonly ts: number
  readonly dur?: number
  readonly tdur?: number
  readonly args?: Readonly<Record<string, unknown>>
}

export interface WavePage {
  readonly driver: WaveDriver
  readonly version: string
  /** Runs `fn(arg)` in the page (its source text is all the page gets) and returns its value, promises awaited. */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>
  /** A DevTools command to the page's own session (Performance.getMetrics, Profiler.start, …). */
  send<T>(method: string, params?: object): Promise<T>
  /** A Chromium trace of what happens between the two calls. */
  startTrace(categories: readonly string[]): Promise<void>
  stopTrace(): Promise<ChromiumTrace>
  /** Uncaught errors and unhandled rejections in the page so far. */
  errors(): Promise<readonly string[]>
  close(): Promise<void>
}

const callText = (fn: (arg: never) => unknown, arg: unknown): string => `(${fn.toString()})(${arg === undefined ? '' : JSON.stringify(arg)})`

/** Opens the dashboard at `url` in a new Chromium, waits for its first list paint, and turns on Performance's metrics. */
export async function openWavePage(driver: WaveDriver, executablePath: string, url: string): Promise<WavePage> {
  const page = driver === 'cdp' ? await openOverCdp(executablePath, url) : await openOverPlaywright(executablePath, url)
  try {
    await page.send('Performance.enable')
    return page
  } catch (error) {
    await page.close()
    throw error
  }
}

async function openOverCdp(executablePath: string, url: string): Promise<WavePage> {
  const browser: CdpBrowser = await launchCdpBrowser(executablePath, LAUNCH_ARGS, VIEWPORT)
  let page: CdpPage | null = null
  try {
    page = await openCdpPage(browser.cdp, { viewport: VIEWPORT, initScripts: [initScript(installErrorRecorder), initScript(installWaveRecorder)] })
    await page.navigate(url)
    const own = page
    // Until the dashboard's own document answers (before that an evaluation may land in about:blank).
    const firstPaint = `location.protocol === 'http:' && globalThis.__larderWave ? (${readFirstPaint.toString()})().then(() => true) : false`
    let painted = false
    for (let tries = 0; tries < 3000 && !painted; tries++) {
      painted = await own.evaluate<boolean>(firstPaint).catch(() => false)
      if (!painted) await new Promise((resolve) => setTimeout(resolve, 10))
    }
    if (!painted) throw new Error('the page never showed the list')
    return {
      driver: 'cdp',
      version: browser.version,
      evaluate: (fn, arg) => own.evaluate(callText(fn, arg)),
      send: (method, params = {}) => browser.cdp.send(method, params, own.sessionId),
      startTrace: async (categories) => {
        await browser.cdp.send('Tracing.start', { traceConfig: { includedCategories: categories, recordMode: 'recordAsMuchAsPossible' }, transferMode: 'ReturnAsStream' })
      },
      stopTrace: () => stopCdpTrace(browser),
      errors: () => own.evaluate(callText(readPageErrors, undefined)),
      close: () => browser.close()
    }
  } catch (error) {
    await browser.close()
    throw error
  }
}

async function stopCdpTrace(browser: CdpBrowser): Promise<ChromiumTrace> {
  const complete = new Promise<string>((resolve) => {
    const stop = browser.cdp.onEvent((method, params) => {
      if (method !== 'Tracing.tracingComplete') return
      stop()
      resolve((params as { stream: string }).stream)
    })
  })
  await browser.cdp.send('Tracing.end')
  const handle = await complete
  let text = ''
  for (;;) {
    const chunk = await browser.cdp.send<{ data: string; eof: boolean; base64Encoded?: boolean }>('IO.read', { handle, size: 1 << 20 })
    text += chunk.base64Encoded === true ? Buffer.from(chunk.data, 'base64').toString() : chunk.data
    if (chunk.eof) break
  }
  await browser.cdp.send('IO.close', { handle })
  return JSON.parse(text) as ChromiumTrace
}

async function openOverPlaywright(executablePath: string, url: string): Promise<WavePage> {
  const browser: Browser = await chromium.launch({ executablePath, args: [...LAUNCH_ARGS], timeout: 15_000 })
  try {
    const context: BrowserContext = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 })
    const page: Page = await context.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await page.addInitScript(installWaveRecorder)
    await page.goto(url)
    await page.evaluate(readFirstPaint)
    const cdp: CDPSession = await context.newCDPSession(page)
    return {
      driver: 'playwright',
      version: browser.version(),
      evaluate: <R, A>(fn: (arg: A) => R | Promise<R>, arg?: A) => page.evaluate(callText(fn as (arg: never) => unknown, arg)) as Promise<R>,
      send: <T>(method: string, params: object = {}) => (cdp.send as (method: string, params: object) => Promise<unknown>)(method, params) as Promise<T>,
      startTrace: (categories) => browser.startTracing(page, { categories: [...categories] }),
      stopTrace: async () => JSON.parse((await browser.stopTracing()).toString()) as ChromiumTrace,
      errors: () => Promise.resolve([...pageErrors]),
      close: () => browser.close()
    }
  } catch (error) {
    await browser.close()
    throw error
  }
}
