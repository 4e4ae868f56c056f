// Electron has no "system time changed" event. A jump shows as the wall clock moving by a different amount
// than the monotonic clock between two looks; the same check also catches a sleep that no power event reported
// (the monotonic clock stops while suspended on Linux and macOS).

export interface ClockPair {
  /** Wall-clock milliseconds (Date.now). */
  wall(): number
  /** Monotonic milliseconds (performance.now). */
  monotonic(): number
}

export interface ClockJumpDetector {
  /** How far the wall clock jumped since the last look, when beyond the tolerance; otherwise null. */
  check(): number | null
}

export function createClockJumpDetector(clocks: ClockPair, toleranceMs: number): ClockJumpDetector {
  if (!Number.isFinite(toleranceMs) || toleranceMs <= 0) throw new RangeError('toleranceMs must be a positive number')
  let lastWall = clocks.wall()
  let lastMonotonic = clocks.monotonic()
  return {
    check() {
      const wall = clocks.wall()
      const monotonic = clocks.monotonic()
      const drift = wall - lastWall - (monotonic - lastMonotonic)
      lastWall = wall
      lastMonotonic = monotonic
      return Math.abs(drift) > toleranceMs ? drift : null
    }
  }
}
