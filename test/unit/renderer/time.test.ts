import { describe, expect, it } from 'vitest'
import { formatAgo, formatDuration, formatSpan, formatTimeLeft, nextTickDelay } from '../../../src/renderer/src/lib/time.ts'
import { DAY, HOUR, NOW } from './fixtures.ts'

const MINUTE = 60_000

describe('formatTimeLeft', () => {
  it('uses the two largest units', () => {
    expect(formatTimeLeft(NOW + 3 * DAY + 4 * HOUR + 59 * MINUTE, NOW)).toBe('3 d 4 h')
    expect(formatTimeLeft(NOW + 5 * HOUR + 12 * MINUTE + 30_000, NOW)).toBe('5 h 12 min')
    expect(formatTimeLeft(NOW + 12 * MINUTE + 59_000, NOW)).toBe('12 min')
    expect(formatTimeLeft(NOW + 45_500, NOW)).toBe('45 s')
  })

  it('drops a zero second unit', () => {
    expect(formatTimeLeft(NOW + 2 * DAY, NOW)).toBe('2 d')
    expect(formatTimeLeft(NOW + 7 * HOUR, NOW)).toBe('7 h')
  })

  it('says when it expired', () => {
    expect(formatTimeLeft(NOW, NOW)).toBe('expired just now')
    expect(formatTimeLeft(NOW - 30_000, NOW)).toBe('expired just now')
    expect(formatTimeLeft(NOW - 2 * HOUR, NOW)).toBe('expired 2 h ago')
    expect(formatTimeLeft(NOW - 3 * DAY - HOUR, NOW)).toBe('expired 3 d 1 h ago')
  })

  it('shows a dash when the expiry is unknown', () => {
    expect(formatTimeLeft(null, NOW)).toBe('—')
  })

  it('counts down every second in the last minute', () => {
    const labels = new Set<string>()
    for (let t = 0; t < 60; t++) labels.add(formatTimeLeft(NOW + 60_000, NOW + t * 1000))
    expect(labels.size).toBe(60)
  })
})

describe('formatAgo', () => {
  it('reads naturally', () => {
    expect(formatAgo(null, NOW)).toBe('never')
    expect(formatAgo(NOW - 10_000, NOW)).toBe('just now')
    expect(formatAgo(NOW + 10_000, NOW)).toBe('just now')
    expect(formatAgo(NOW - 50_000, NOW)).toBe('1 min ago')
    expect(formatAgo(NOW - 12 * MINUTE, NOW)).toBe('12 min ago')
    expect(formatAgo(NOW - 5 * HOUR - 40 * MINUTE, NOW)).toBe('5 h ago')
    expect(formatAgo(NOW - 3 * DAY, NOW)).toBe('3 d ago')
  })
})

describe('formatSpan and formatDuration', () => {
  it('never goes negative', () => {
    expect(formatSpan(-5000)).toBe('0 s')
  })
  it('names whole days as days', () => {
    expect(formatDuration(2 * DAY)).toBe('2 d')
    expect(formatDuration(30_000)).toBe('30 s')
    expect(formatDuration(10 * MINUTE)).toBe('10 min')
  })
})

describe('nextTickDelay', () => {
  it('ticks every second while an expiry is within a minute either way', () => {
    expect(nextTickDelay([NOW + 30_000], NOW)).toBe(1000)
    expect(nextTickDelay([NOW - 30_000], NOW)).toBe(1000)
    expect(nextTickDelay([NOW + 5 * DAY, NOW + 59_000], NOW)).toBe(1000)
  })

  it('ticks every 30 s when nothing is close', () => {
    expect(nextTickDelay([NOW + 5 * DAY, NOW - 2 * DAY, null], NOW)).toBe(30_000)
    expect(nextTickDelay([], NOW)).toBe(30_000)
  })

  it('wakes in time for an expiry that is about to come within the minute', () => {
    expect(nextTickDelay([NOW + 60_000 + 12_000], NOW)).toBe(12_000)
    expect(nextTickDelay([NOW + 60_000 + 200], NOW)).toBe(1000)
  })
})
