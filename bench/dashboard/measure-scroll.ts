// The Node half of the scroll measurement: a full page at a time, by Page Down in the grid (the selection moves a
// page and the grid scrolls to it) and by the mouse wheel; for each, from the input to the frame painted with the
// page's rows, the longest time between painted frames meanwhile, and long tasks. bench/dashboard/scroll-page.ts
// is the in-page half.
import type { Page } from '@playwright/test'
import { HEADER_HEIGHT, ROW_HEIGHT } from '../../src/renderer/src/features/libraries/list-geometry.ts'
import type { LongTask } from '../dashboard-page.ts'
import { median, percentile, round } from '../measure.ts'
import { armScroll, gridPage, readScroll, type ScrollTiming } from './scroll-page.ts'
import { SCROLL_PAGES, type ScrollResult, type ScrollWayResult } from './settings.ts'

const TIMEOUT_MS = 3_000

function overlapping(tasks: readonly LongTask[], from: number, to: number): LongTask[] {
  return tasks.filter((task) => task.startTime < to && task.startTime + task.duration > from)
}

function summary(timings: readonly ScrollTiming[], tasks: readonly LongTask[]): ScrollWayResult {
  if (timings.length === 0) return { pages: 0, medianMs: 0, p95Ms: 0, maxMs: 0, longestFrameMs: 0, longTasks: 0, longestTaskMs: 0 }
  const latency = timings.map((t) => t.settledAt - t.inputAt)
  const during = timings.flatMap((t) => overlapping(tasks, t.inputAt, t.settledAt))
  return {
    pages: timings.length,
    medianMs: round(median(latency), 2),
    p95Ms: round(percentile(latency, 95), 2),
    maxMs: round(Math.max(...latency), 2),
    longestFrameMs: round(Math.max(...timings.map((t) => t.longestFrameMs)), 2),
    longTasks: during.length,
    longestTaskMs: round(Math.max(0, ...during.map((task) => task.duration)), 1)
  }
}

async function longTasksSoFar(page: Page): Promise<LongTask[]> {
  return page.evaluate(() => ((globalThis as unknown as { __larderBench?: { longTasks: LongTask[] } }).__larderBench?.longTasks ?? []).slice())
}

async function once(page: Page, input: () => Promise<void>): Promise<ScrollTiming> {
  await page.evaluate(armScroll, { timeoutMs: TIMEOUT_MS })
  await input()
  return page.evaluate(readScroll)
}

/** Page Down, then the wheel, a page at a time, as far as the list goes (up to SCROLL_PAGES each); leaves the list at the top. */
export async function measureScroll(page: Page): Promise<ScrollResult> {
  const geometry = { rowHeight: ROW_HEIGHT, headerHeight: HEADER_HEIGHT }
  const grid = page.locator('#library-grid')
  await grid.focus()
  // The first row selected and in view; one Page Down so the selection sits at the bottom edge, and every Page Down
  // after it scrolls a whole page.
  await page.keyboard.press('Home')
  await page.keyboard.press('PageDown')
  await page.waitForTimeout(100)
  const { rowsPerPage, pagePx } = await page.evaluate(gridPage, geometry)
  const listed = Number((await grid.getAttribute('aria-rowcount')) ?? '1') - 1

  const byKey: ScrollTiming[] = []
  for (let i = 0; i < SCROLL_PAGES && (i + 2) * rowsPerPage < listed; i++) byKey.push(await once(page, () => page.keyboard.press('PageDown')))

  await page.keyboard.press('Home')
  await page.waitForTimeout(100)
  const box = await grid.boundingBox()
  if (box === null) throw new Error('the grid is not on screen')
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  const byWheel: ScrollTiming[] = []
  for (let i = 0; i < SCROLL_PAGES && (await page.evaluate(gridPage, geometry)).canScrollDown; i++) {
    byWheel.push(await once(page, () => page.mouse.wheel(0, pagePx)))
  }
  await page.keyboard.press('Home')
  const tasks = await longTasksSoFar(page)
  return { rowsPerPage, pagePx, pageDown: summary(byKey, tasks), wheel: summary(byWheel, tasks) }
}
