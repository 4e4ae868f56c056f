// The Node half of each dashboard measurement: page loads until the first frame with rows, keystrokes into the
// search box, rows in the DOM at rest and scrolled. The in-page half is bench/dashboard-page.ts.
import type { Browser, Page } from '@playwright/test'
import { DEFAULT_FILTER, DEFAULT_SORT, visibleLibraryIds } from '../../src/renderer/src/lib/library-query.ts'
import type { LibraryView } from '../../src/shared/contract.ts'
import { answerMarkName, installFakeBridge, manyLibraries } from '../../test/e2e/support/fake-bridge.ts'
import { armKeystroke, installRecorder, readFirstRender, readKeystroke, scrollAndCountRows, type LongTask } from '../dashboard-page.ts'
import { median, percentile, round } from '../measure.ts'
import { BS, KEYSTROKES, OVERSCAN, VIEWPORT, type Breakdown, type FirstRenderResult, type KeystrokeResult, type RowsResult } from './settings.ts'

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
  readonly firstSamples: number[]
  readonly parts: Parts
  readonly longTasks: LongTask[]
  shellFirst: number
}

/**
 * One page load in a context of its own (so a renderer process of its own: no heap, code or GC shared with the
 * previous load), until the first frame with rows is done. The caller closes page.context().
 */
export async function loadOnce(browser: Browser, server: string, side: Side, listDelayMs: number, record: boolean): Promise<Page> {
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

export async function measureKeystrokes(page: Page, side: Side, renderedAtTop: number): Promise<KeystrokeResult> {
  return typeKeystrokes(page, expectedChanges(side.libraries, KEYSTROKES, renderedAtTop))
}

/**
 * The bench's keystrokes into `#library-search`, each timed from keydown to its frame painted: the frame after the
 * list's DOM changed where `expect` says the list changes, else the frame after the input was handled.
 */
export async function typeKeystrokes(page: Page, expect: readonly boolean[]): Promise<KeystrokeResult> {
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
export async function measureRows(page: Page): Promise<RowsResult> {
  const atRest = await page.evaluate(scrollAndCountRows, { where: 0, timeoutMs: 3_000 })
  const middle = await page.evaluate(scrollAndCountRows, { where: 0.5, timeoutMs: 3_000 })
  await page.evaluate(scrollAndCountRows, { where: 0, timeoutMs: 3_000 })
  return { listed: atRest.listed, atRest, middle, overscan: OVERSCAN }
}

export function newSide(count: number, now: number): Side {
  return { libraries: manyLibraries(count, now), firstSamples: [], parts: newParts(), longTasks: [], shellFirst: 0 }
}
