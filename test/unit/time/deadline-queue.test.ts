import { describe, expect, it } from 'vitest'
import { DeadlineQueue } from '../../../src/main/core/time/deadline-queue.ts'
import { MAX_TIMER_MS } from '../../../src/main/core/time/clock.ts'
import { ManualClock } from '../../support/manual-clock.ts'

describe('DeadlineQueue', () => {
  it('fires deadlines in order with one timer, not one per key', async () => {
    const clock = new ManualClock()
    const fired: string[] = []
    const queue = new DeadlineQueue<string>(clock, (key) => fired.push(key))
    const t0 = clock.now()
    queue.schedule('c', t0 + 3_000)
    queue.schedule('a', t0 + 1_000)
    queue.schedule('b', t0 + 2_000)
    expect(clock.pendingTimers).toBe(1)
    await clock.advance(2_500)
    expect(fired).toEqual(['a', 'b'])
    await clock.advance(1_000)
    expect(fired).toEqual(['a', 'b', 'c'])
    expect(queue.size).toBe(0)
  })

  it('moves and cancels deadlines', async () => {
    const clock = new ManualClock()
    const fired: string[] = []
    const queue = new DeadlineQueue<string>(clock, (key) => fired.push(key))
    queue.schedule('a', clock.now() + 1_000)
    queue.schedule('a', clock.now() + 5_000)
    queue.schedule('b', clock.now() + 2_000)
    queue.cancel('b')
    await clock.advance(3_000)
    expect(fired).toEqual([])
    await clock.advance(3_000)
    expect(fired).toEqual(['a'])
  })

  it('never arms a timer beyond Node’s 2^31−1 ms limit, and still fires a deadline months away', async () => {
    const clock = new ManualClock()
    const delays: number[] = []
    const spy = { ...clock, now: () => clock.now(), clearTimeout: (h: never) => clock.clearTimeout(h), setTimeout: (cb: () => void, ms: number) => (delays.push(ms), clock.setTimeout(cb, ms)) }
    const fired: string[] = []
    const queue = new DeadlineQueue<string>(spy, (key) => fired.push(key))
    const ninetyDays = 90 * 24 * 3600_000
    queue.schedule('far', clock.now() + ninetyDays)
    await clock.advance(ninetyDays + 1)
    expect(fired).toEqual(['far'])
    expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_TIMER_MS)
  })

  it('after a wall-clock jump (sleep), reevaluate fires what is due exactly once, however often it is called', () => {
    const clock = new ManualClock()
    const fired: string[] = []
    const queue = new DeadlineQueue<string>(clock, (key) => fired.push(key))
    queue.schedule('a', clock.now() + 60_000)
    queue.schedule('b', clock.now() + 10 * 24 * 3600_000)
    clock.jump(2 * 3600_000)
    queue.reevaluate()
    queue.reevaluate()
    expect(fired).toEqual(['a'])
    expect(queue.deadlineOf('b')).toBeDefined()
  })

  it('rejects deadlines that are not finite times', () => {
    const queue = new DeadlineQueue<string>(new ManualClock(), () => undefined)
    expect(() => queue.schedule('x', Number.NaN)).toThrow(/finite/)
    expect(() => queue.schedule('x', Number.POSITIVE_INFINITY)).toThrow(/finite/)
    expect(queue.size).toBe(0)
  })

  it('keeps its heap small when the same keys are rescheduled many times', async () => {
    const clock = new ManualClock()
    let fired = 0
    const queue = new DeadlineQueue<number>(clock, () => fired++)
    for (let round = 0; round < 200; round++) for (let key = 0; key < 50; key++) queue.schedule(key, clock.now() + 1_000 + round)
    expect(queue.size).toBe(50)
    await clock.advance(5_000)
    expect(fired).toBe(50)
  })
})
