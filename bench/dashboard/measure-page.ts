// The Node half of each dashboard measurement: page loads until the first frame with rows, keystrokes into the
// search box, rows in the DOM at rest and scrolled. The in-page half is bench/dashboard-page.ts.
import type { Browser, Page } from '@playwright/test'
import type { KeyView, LibraryView } from '../../src/shared/contract.ts'
import { answerMarkName, installFakeBridge, releaseListName } from '../../test/e2e/support/fake-bridge.ts'
import { armKeystroke, installRecorder, readFirstRender, readKeystroke, scrollAndCountRows, type LongTask } from '../dashboard-page.ts'
import { median, percentile, round } from '../measure.ts'
import { expectedChanges, listedEntries, type ListedEntries } from './list-rows.ts'
import { cpuBetween, cpuMeter, type CpuReading } from './page-cpu.ts'
import { KEYSTROKES, OVERSCAN, VIEWPORT, type Breakdown, type FirstRenderResult, type KeystrokeResult, type RowsResult } from './settings.ts'

/** How long a held list waits, the shell on screen, before the CPU counters are read and the list let in. */
const HELD_MS = 300

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

export interface Side {
  readonly libraries: readonly LibraryView[]
  /** Keys of other systems beside them (a mixed list), or none. */
  readonly keys: readonly KeyView[]
  readonly entries: ListedEntries
  readonly firstSamples: number[]
  /** Per load, the main thread's CPU from the shell on screen to the whole list painted; null: not measured. */
  readonly firstRenderCpu: CpuReading[] | null
  readonly parts: Parts
  readonly longTasks: LongTask[]
  shellFirst: number
}

/**
 * One page load in a context of its own (so a renderer process of its own: no heap, code or GC shared with the
 * previous load), until the first frame with the whole list is done: for a mixed list, its keys included (the
 * window asks for `keys.list` with the libraries and puts them in with the list's last rows). The caller closes page.context().
 */
export async function loadOnce(browser: Browser, server: string, side: Side, listDelayMs: number, record: boolean): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  const cpu = record && side.firstRenderCpu !== null
  // Measuring CPU, the list is held until the counters are read (the stand-in's holdList), then let in at once.
  await installFakeBridge(page, { libraries: side.libraries, keys: side.keys, listDelayMs, holdList: cpu })
  await page.addInitScript(installRecorder, { rows: side.libraries.length + side.keys.length })
  const meter = cpu ? await cpuMeter(page) : null
  await page.goto(server)
  let atAnswer: CpuReading | null = null
  if (meter !== null) {
    const shell = await page.waitForSelector('.loading', { state: 'attached', timeout: 5_000 }).then(() => true, () => false)
    // The shell's own work (start-up, collections of the stand-in's data) settles before the reading.
    await page.waitForTimeout(HELD_MS)
    if (shell) atAnswer = await meter.read()
    await page.evaluate((name) => (globalThis as unknown as Record<string, () => void>)[name]?.(), releaseListName)
  }
  const { answeredAt, rows, longTasks } = await page.evaluate(readFirstRender, { mark: answerMarkName('libraries.list'), timeoutMs: 10_000 })
  if (errors.length > 0) throw new Error(`the page failed: ${errors.join('; ')}`)
  if (answeredAt === null) throw new Error('the fake bridge set no mark for libraries.list (test/e2e/support/fake-bridge.ts)')
  if (record) {
    side.firstSamples.push(rows.paintedAt - answeredAt)
    if (meter !== null && atAnswer !== null) side.firstRenderCpu?.push(cpuBetween(atAnswer, await meter.read()))
    addParts(side.parts, answeredAt, rows.mutationAt, rows.rafAt, rows.paintedAt)
    side.longTasks.push(...overlapping(longTasks, answeredAt, rows.paintedAt))
    if (rows.loadingAt !== null && rows.loadingAt < answeredAt) side.shellFirst += 1
  }
  return page
}

export function firstRenderResult(side: Side): FirstRenderResult {
  return {
    loads: side.firstSamples.length,
    samplesMs: side.firstSamples.map((value) => round(value, 2)),
    medianMs: round(median(side.firstSamples), 2),
    minMs: round(Math.min(...side.firstSamples), 2),
    maxMs: round(Math.max(...side.firstSamples), 2),
    breakdown: breakdown(side.parts),
    longTasks: side.longTasks.length,
    longestTaskMs: round(Math.max(0, ...side.longTasks.map((task) => task.duration)), 1),
    shellFirst: side.shellFirst,
  }
}

export async function measureKeystrokes(page: Page, side: Side, renderedAtTop: number, rounds = 1): Promise<KeystrokeResult> {
  const expect = expectedChanges(side.entries, KEYSTROKES, renderedAtTop)
  const samples = newKeySamples()
  for (let round = 0; round < rounds; round++) await recordKeystrokes(page, expect, samples)
  return keystrokeResult(samples)
}

/** Keystroke timings gathered over one or more passes of KEYSTROKES. */
export interface KeySamples {
  readonly total: number[]
  readonly changed: number[]
  readonly parts: Parts
  readonly inputDelay: number[]
  /** Long tasks overlapping a pass's keystrokes. */
  readonly longTasks: LongTask[]
}

export function newKeySamples(): KeySamples {
  return { total: [], changed: [], parts: newParts(), inputDelay: [], longTasks: [] }
}

/**
 * The bench's keystrokes into `#library-search`, each timed from keydown to its frame painted: the frame after the
 * list's DOM changed where `expect` says the list changes, else the frame after the input was handled. The
 * keystrokes end where they began (an empty search), so a page can take another pass.
 */
export async function recordKeystrokes(page: Page, expect: readonly boolean[], into: KeySamples): Promise<void> {
  await page.focus('#library-search')
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
    into.total.push(total)
    if (expectChange) into.changed.push(total)
    addParts(into.parts, timing.keydownAt, timing.mutationAt ?? timing.inputAt ?? timing.rafAt, timing.rafAt, timing.paintedAt)
    into.inputDelay.push(timing.keydownHandledAt - timing.keydownAt)
    from = Math.min(from, timing.keydownAt)
    to = Math.max(to, timing.paintedAt)
    longTasks = tasks
  }
  into.longTasks.push(...overlapping(longTasks, from, to))
}

export function keystrokeResult(samples: KeySamples): KeystrokeResult {
  const { total, changed, parts, inputDelay, longTasks } = samples
  return {
    keystrokes: total.length,
    changedList: changed.length,
    samplesMs: total.map((value) => round(value, 2)),
    medianMs: round(median(total), 2),
    p95Ms: round(percentile(total, 95), 2),
    maxMs: round(Math.max(...total), 2),
    changedMedianMs: changed.length === 0 ? 0 : round(median(changed), 2),
    changedP95Ms: changed.length === 0 ? 0 : round(percentile(changed, 95), 2),
    breakdown: breakdown(parts),
    scriptP95Ms: round(percentile(parts.script, 95), 2),
    inputDelayMedianMs: round(median(inputDelay), 2),
    longTasks: longTasks.length,
    longestTaskMs: round(Math.max(0, ...longTasks.map((task) => task.duration)), 1)
  }
}

/** One pass of the keystrokes, summed up (the bare page's reference). */
export async function typeKeystrokes(page: Page, expect: readonly boolean[]): Promise<KeystrokeResult> {
  const samples = newKeySamples()
  await recordKeystrokes(page, expect, samples)
  return keystrokeResult(samples)
}

/** Rows at rest (top of the list, settled) and scrolled to the middle; leaves the list at the top. */
export async function measureRows(page: Page): Promise<RowsResult> {
  const atRest = await page.evaluate(scrollAndCountRows, { where: 0, timeoutMs: 3_000 })
  const middle = await page.evaluate(scrollAndCountRows, { where: 0.5, timeoutMs: 3_000 })
  await page.evaluate(scrollAndCountRows, { where: 0, timeoutMs: 3_000 })
  return { listed: atRest.listed, atRest, middle, overscan: OVERSCAN }
}

/** `cpu`: also read the main thread's CPU time of each recorded load (a DevTools session per page). */
export function newSide(libraries: readonly LibraryView[], keys: readonly KeyView[] = [], cpu = false): Side {
  return { libraries, keys, entries: listedEntries(libraries, keys), firstSamples: [], firstRenderCpu: cpu ? [] : null, parts: newParts(), longTasks: [], shellFirst: 0 }
}
