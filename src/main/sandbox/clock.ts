/**
 * The sandbox's notion of time. It runs with real time (so latency and timeouts behave) but can
 * be pushed forward or set, so expiry, code lifetimes and rate windows are testable in ms.
 */
export interface SandboxClock {
  now(): number
  advance(ms: number): void
  set(ms: number): void
}

export function createClock(startTime: number = Date.now()): SandboxClock {
  assertFinite(startTime, 'startTime')
  let offset = startTime - Date.now()
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      assertFinite(ms, 'advance(ms)')
      offset += ms
    },
    set(ms) {
      assertFinite(ms, 'set(ms)')
      offset = ms - Date.now()
    }
  }
}

function assertFinite(value: number, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`clock: ${what} must be a finite number of milliseconds`)
  }
}
