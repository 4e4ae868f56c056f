import { describe, expect, it } from 'vitest'
import { createClockJumpDetector } from '../../../src/main/core/desktop/clock-jump.ts'

describe('clock jump detector', () => {
  it('reports a wall-clock jump beyond the tolerance, in either direction, once', () => {
    let wall = 1_000_000
    let mono = 50
    const detector = createClockJumpDetector({ wall: () => wall, monotonic: () => mono }, 30_000)
    wall += 60_000
    mono += 60_000
    expect(detector.check()).toBeNull()
    wall += 60_000 + 3600_000
    mono += 60_000
    expect(detector.check()).toBe(3600_000)
    expect(detector.check()).toBeNull()
    wall -= 3600_000
    expect(detector.check()).toBe(-3600_000)
  })

  it('ignores small drift', () => {
    let wall = 0
    let mono = 0
    const detector = createClockJumpDetector({ wall: () => wall, monotonic: () => mono }, 30_000)
    wall += 60_500
    mono += 60_000
    expect(detector.check()).toBeNull()
  })
})
