// What each long task of the wave cost in CPU, from a Chromium trace of the window: the page's PerformanceObserver
// gives a task's wall time, which on a shared machine is stretched by whatever else runs (the app's own process,
// other benchmarks); the trace gives the same task's thread time (tdur), the renderer's own work. A 74 ms task
// with 20 ms of CPU was waiting; one with 70 ms of CPU is heavy. The trace's clock is placed on the page's by
// the user-timing mark armWave sets.
import { round } from '../measure.ts'
import type { LongTask } from './page.ts'
import { WAVE_ARMED_MARK } from './page.ts'
import type { ChromiumTrace, TraceEvent } from './wave-page.ts'

/** Categories enough for this: the renderer's tasks with their thread time, what ran in them, the arm mark. */
export const TASK_CPU_CATEGORIES: readonly string[] = ['toplevel', 'devtools.timeline', 'blink.user_timing']

export interface LongTaskCpu {
  /** The page's figure (PerformanceObserver), ms. */
  readonly wallMs: number
  /** The matching trace task's wall and thread (CPU) time, ms; null when no task in the trace matched. */
  readonly traceWallMs: number | null
  readonly cpuMs: number | null
  /** The largest pieces of work inside it: "name (detail) wall/CPU ms". */
  readonly inside: readonly string[]
}

export interface WindowCpu {
  readonly longTasks: readonly LongTaskCpu[]
  /** Over the whole trace of the window: the renderer main thread's tasks, their summed CPU, and the largest one's CPU and wall. */
  readonly tasks: number
  readonly cpuMs: number
  readonly heaviestCpuMs: number
  readonly heaviestWallMs: number
}

const TASK_NAMES = new Set(['ThreadControllerImpl::RunTask', 'RunTask'])
const ms = (us: number | undefined): number => round((us ?? 0) / 1000, 1)

function detail(event: TraceEvent): string {
  const data = (event.args?.['data'] ?? {}) as { type?: string; functionName?: string; url?: string; lineNumber?: number }
  if (data.type) return ` (${data.type})`
  if (data.functionName || data.url) return ` (${data.functionName || 'anonymous'} ${(data.url ?? '').replace(/^.*\//, '')}:${data.lineNumber ?? '?'})`
  return ''
}

/** The renderer's main thread that set the arm mark, its tasks, and the offset from the page's clock (ms) to the trace's (µs). */
export function taskCpu(trace: ChromiumTrace, armedAt: number, observed: readonly LongTask[]): WindowCpu {
  const events = trace.traceEvents
  const mark = events.find((e) => e.name === WAVE_ARMED_MARK)
  if (!mark) throw new Error(`the trace holds no ${WAVE_ARMED_MARK} mark`)
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && (e.args?.['name'] as string) === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`))
  const onMain = (e: TraceEvent): boolean => e.pid === mark.pid && mains.has(`${e.pid}:${e.tid}`)
  const complete = events.filter((e) => e.ph === 'X' && e.dur !== undefined && onMain(e)).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0))
  // Outermost task events only (a RunTask may sit inside ThreadControllerImpl::RunTask).
  const tasks: TraceEvent[] = []
  for (const e of complete) {
    if (!TASK_NAMES.has(e.name)) continue
    const last = tasks.at(-1)
    if (last && e.ts < last.ts + (last.dur ?? 0)) continue
    tasks.push(e)
  }
  // The mark carries its own page time (Chromium 156); armWave's return is a microsecond before it otherwise.
  const markedAt = (mark.args?.['data'] as { startTime?: number } | undefined)?.startTime ?? armedAt
  const offsetUs = mark.ts - markedAt * 1000
  const longTasks = observed.map((task): LongTaskCpu => {
    const at = task.startTime * 1000 + offsetUs
    let best: TraceEvent | null = null
    for (const t of tasks) if (Math.abs(t.ts - at) < 4000 && (best === null || Math.abs(t.ts - at) < Math.abs(best.ts - at))) best = t
    if (best === null) return { wallMs: round(task.duration, 1), traceWallMs: null, cpuMs: null, inside: [] }
    const end = best.ts + (best.dur ?? 0)
    // v8.* events (with --trace=FILE's categories) repeat the FunctionCall they sit in.
    const inner = complete.filter((e) => e !== best && !TASK_NAMES.has(e.name) && !e.name.startsWith('v8.') && !e.name.startsWith('V8.') && e.ts >= best.ts && e.ts + (e.dur ?? 0) <= end && (e.dur ?? 0) >= 2000)
    const inside = inner
      .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
      .slice(0, 5)
      .map((e) => `${e.name}${detail(e)} ${ms(e.dur)}/${e.tdur === undefined ? '?' : ms(e.tdur)} ms`)
    return { wallMs: round(task.duration, 1), traceWallMs: ms(best.dur), cpuMs: best.tdur === undefined ? null : ms(best.tdur), inside }
  })
  const heaviest = tasks.reduce<TraceEvent | null>((a, t) => (a === null || (t.tdur ?? 0) > (a.tdur ?? 0) ? t : a), null)
  return {
    longTasks,
    tasks: tasks.length,
    cpuMs: ms(tasks.reduce((sum, t) => sum + (t.tdur ?? 0), 0)),
    heaviestCpuMs: ms(heaviest?.tdur),
    heaviestWallMs: ms(heaviest?.dur)
  }
}
