import { describe, expect, it } from 'vitest'
import { PerMinuteBudget, Semaphore } from '../../../src/main/core/engine/limits.ts'
import { ManualClock } from '../../support/manual-clock.ts'

describe('Semaphore', () => {
  it('never runs more than its limit at once', async () => {
    const semaphore = new Semaphore(3)
    let active = 0
    let peak = 0
    await Promise.all(
      Array.from({ length: 20 }, () =>
        semaphore.run(async () => {
          active++
          peak = Math.max(peak, active)
          await new Promise((resolve) => setTimeout(resolve, 2))
          active--
        })
      )
    )
    expect(peak).toBe(3)
    expect(semaphore.active).toBe(0)
  })

  it('releases its slot when a task throws', async () => {
    const semaphore = new Semaphore(1)
    await expect(semaphore.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    await expect(semaphore.run(() => Promise.resolve(7))).resolves.toBe(7)
  })

  it('rejects a nonsensical limit', () => {
    expect(() => new Semaphore(0)).toThrow(/whole number/)
  })
})

describe('PerMinuteBudget', () => {
  it('lets N through per sliding minute per key and makes the next wait', async () => {
    const clock = new ManualClock()
    const budget = new PerMinuteBudget(clock, 3)
    const start = clock.now()
    for (let i = 0; i < 3; i++) await budget.take('lib')
    await budget.take('other')
    let fourth = false
    const waiting = budget.take('lib').then(() => (fourth = true))
    await clock.advance(59_000)
    expect(fourth).toBe(false)
    await clock.advance(1_000)
    await waiting
    expect(fourth).toBe(true)
    expect(clock.now() - start).toBe(60_000)
  })
})
