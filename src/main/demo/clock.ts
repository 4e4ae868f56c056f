// The demo's clock: the system's, plus an offset the seeding may move for a moment. Timers are real timers, so the
// app runs as it always does; only "now" is shifted while one library is added "six days ago".
import { systemClock, type Clock, type TimerHandle } from '../core/time/clock.ts'

export interface DemoClock extends Clock {
  /** Moves "now" by `ms` (negative: back). Timers already armed are not touched, as after a sleep. */
  shift(ms: number): void
}

export function createDemoClock(): DemoClock {
  let offset = 0
  return {
    now: () => Date.now() + offset,
    setTimeout: (callback: () => void, ms: number): TimerHandle => systemClock.setTimeout(callback, ms),
    clearTimeout: (handle: TimerHandle): void => systemClock.clearTimeout(handle),
    shift(ms) {
      if (!Number.isFinite(ms)) throw new RangeError('shift(ms) needs a finite number of milliseconds')
      offset += ms
    }
  }
}
