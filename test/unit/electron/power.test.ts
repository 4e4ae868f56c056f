import { EventEmitter } from 'node:events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const fake = vi.hoisted(() => ({ powerMonitor: null as unknown as import('node:events').EventEmitter }))

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events')
  fake.powerMonitor = new Emitter()
  return { powerMonitor: fake.powerMonitor }
})

const { watchPower } = await import('../../../src/main/electron/power.ts')

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 5, 9), toFake: ['Date', 'setInterval', 'clearInterval', 'performance'] })
})
afterEach(() => vi.useRealTimers())

describe('power events', () => {
  it('calls onWake on resume, unlock and a user switching back; onSuspend on suspend', () => {
    const onWake = vi.fn()
    const onSuspend = vi.fn()
    const dispose = watchPower(onWake, { onSuspend, clockCheckEveryMs: 0 })
    const monitor = fake.powerMonitor as EventEmitter
    monitor.emit('suspend')
    expect(onSuspend).toHaveBeenCalledOnce()
    expect(onWake).not.toHaveBeenCalled()
    monitor.emit('resume')
    monitor.emit('unlock-screen')
    monitor.emit('user-did-become-active')
    expect(onWake.mock.calls).toEqual([['resume'], ['unlock-screen'], ['user-did-become-active']])
    dispose()
    monitor.emit('resume')
    expect(onWake).toHaveBeenCalledTimes(3)
    for (const event of ['resume', 'unlock-screen', 'user-did-become-active', 'suspend']) expect(monitor.listenerCount(event)).toBe(0)
  })

  it('calls onWake when the wall clock jumps, and not when it only ticks', () => {
    const onWake = vi.fn()
    const dispose = watchPower(onWake, { clockCheckEveryMs: 60_000, clockToleranceMs: 30_000 })
    vi.advanceTimersByTime(5 * 60_000)
    expect(onWake).not.toHaveBeenCalled()
    // The person (or NTP) sets the clock two hours ahead: only the wall clock moves.
    vi.setSystemTime(Date.now() + 2 * 3600_000)
    vi.advanceTimersByTime(60_000)
    expect(onWake).toHaveBeenCalledWith('clock-jump')
    dispose()
    expect(vi.getTimerCount()).toBe(0)
  })
})
