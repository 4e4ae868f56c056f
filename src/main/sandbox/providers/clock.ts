// The fakes' time. Real time with an offset (as the Apicbase sandbox's clock), or frozen: then only set/advance move
// it, so a burst of requests lands in one instant and a rate window or a 30-day rule is exact in a test.

import type { SandboxClock } from '../clock.ts'
import { createClock } from '../clock.ts'

export interface ProviderClockOptions {
  /** Initial time in ms; default Date.now(). */
  startTime?: number
  /** Default false: time flows. True: it stands still between set/advance calls. */
  frozen?: boolean
}

export function createProviderClock(options: ProviderClockOptions = {}): SandboxClock {
  const start = options.startTime ?? Date.now()
  if (options.frozen !== true) return createClock(start)
  let now = finite(start, 'startTime')
  return {
    now: () => now,
    advance(ms) {
      now += finite(ms, 'advance(ms)')
    },
    set(ms) {
      now = finite(ms, 'set(ms)')
    }
  }
}

function finite(value: number, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`clock: ${what} must be a finite number of milliseconds`)
  return value
}
