// System time plus an offset that moves only when a test says so: real timers, a clock that can be set back (a pair
// added under a negative offset is that much older) or forward (as after sleep).
import type { Clock, TimerHandle } from '../../src/main/core/time/clock.ts'

export class ShiftedClock implements Clock {
  offset = 0
  now(): number {
    return Date.now() + this.offset
  }
  setTimeout(callback: () => void, ms: number): TimerHandle {
    return setTimeout(callback, ms)
  }
  clearTimeout(handle: TimerHandle): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>)
  }
}
