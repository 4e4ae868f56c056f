import type { Clock, TimerHandle } from '../../src/main/core/time/clock.ts'

interface PendingTimer extends TimerHandle {
  at: number
  seq: number
  callback: () => void
  cancelled: boolean
}

/** A clock that only moves when a test says so; timers fire in order as it advances. */
export class ManualClock implements Clock {
  #now: number
  #seq = 0
  #timers: PendingTimer[] = []

  /** Real I/O that timers start (HTTP, disk) must finish before time moves on; tests hook that in here. */
  settleWith: (() => Promise<void>) | null = null

  constructor(start = Date.UTC(2026, 10, 25, 9, 0, 0)) {
    this.#now = start
  }

  now(): number {
    return this.#now
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    // Like the system clock, this one reads whole milliseconds, so a fractional delay fires at the next one.
    const timer: PendingTimer = { at: Math.ceil(this.#now + Math.max(0, ms)), seq: this.#seq++, callback, cancelled: false }
    this.#timers.push(timer)
    return timer
  }

  clearTimeout(handle: TimerHandle): void {
    ;(handle as PendingTimer).cancelled = true
  }

  /** Moves time forward, firing due timers in order and letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms
    for (;;) {
      await this.#settle()
      const next = this.#timers.filter((t) => !t.cancelled && t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0]
      if (!next) break
      this.#now = Math.max(this.#now, next.at)
      next.cancelled = true
      next.callback()
    }
    this.#now = target
    this.#timers = this.#timers.filter((t) => !t.cancelled)
    await this.#settle()
  }

  async #settle(): Promise<void> {
    await settle()
    if (this.settleWith) {
      await this.settleWith()
      await settle()
    }
  }

  /** Jumps the wall clock without firing timers, as a suspended machine or a changed clock does. */
  jump(ms: number): void {
    this.#now += ms
  }

  get pendingTimers(): number {
    return this.#timers.filter((t) => !t.cancelled).length
  }

  /** When the earliest pending timer is due, or null when none is pending. */
  get nextTimerAt(): number | null {
    let next: number | null = null
    for (const t of this.#timers) if (!t.cancelled && (next === null || t.at < next)) next = t.at
    return next
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}
