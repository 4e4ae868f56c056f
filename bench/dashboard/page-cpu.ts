// The page's CPU time, for comparisons that must hold on a busy machine: Chromium's own counters over DevTools
// (Performance.getMetrics with thread ticks), so a task stretched by a core shared with other work does not count
// as the page's. ThreadTime is the renderer's main thread (script, style, layout, paint set-up); ScriptDuration its
// script part.
import type { Page } from '@playwright/test'

export interface CpuReading {
  /** The renderer main thread's CPU time so far, ms. */
  readonly threadMs: number
  /** Of it, running script, ms. */
  readonly scriptMs: number
}

export interface CpuMeter {
  read(): Promise<CpuReading>
}

/** A DevTools session on `page` reading its CPU counters (kept until the page's context closes). */
export async function cpuMeter(page: Page): Promise<CpuMeter> {
  const session = await page.context().newCDPSession(page)
  // Thread ticks: the durations are CPU time of the thread, not wall time.
  await session.send('Performance.enable', { timeDomain: 'threadTicks' })
  return {
    async read() {
      const { metrics } = await session.send('Performance.getMetrics')
      const value = (name: string): number => (metrics.find((metric) => metric.name === name)?.value ?? Number.NaN) * 1000
      return { threadMs: value('ThreadTime'), scriptMs: value('ScriptDuration') }
    }
  }
}

/** CPU time spent between two readings. */
export function cpuBetween(before: CpuReading, after: CpuReading): CpuReading {
  return { threadMs: after.threadMs - before.threadMs, scriptMs: after.scriptMs - before.scriptMs }
}
