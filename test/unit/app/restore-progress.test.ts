// A restore's progress lines for `larder restore` (issue 17, session 9): the command's timeout counts silence, so while
// a restore runs Larder says something at least every RESTORE_HEARTBEAT_MS, even when the API is slow and nothing
// moves; while it moves, at most a line a second (10,000 pairs are not 10,000 lines), and the end of each step always.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ProgressLines, RESTORE_HEARTBEAT_MS } from '../../../src/main/app/use-cases/restore-progress.ts'

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('a restore’s progress lines', () => {
  it('repeat the last line every heartbeat while nothing moves, with the time so far, and stop with the restore', () => {
    const lines: string[] = []
    const progress = new ProgressLines((line) => lines.push(line), false)
    expect(lines).toEqual(['Restoring: opening the file…'])
    progress.sink({ step: 'checking', done: 0, total: 10_000 })
    vi.advanceTimersByTime(3 * RESTORE_HEARTBEAT_MS)
    const seconds = (n: number): number => (n * RESTORE_HEARTBEAT_MS) / 1000
    expect(lines).toEqual([
      'Restoring: opening the file…',
      'Restoring: 0 of 10,000 backed-up pairs checked at the API',
      ...[1, 2, 3].map((n) => `Restoring: 0 of 10,000 backed-up pairs checked at the API (${seconds(n)} s)`)
    ])
    progress.stop()
    vi.advanceTimersByTime(10 * RESTORE_HEARTBEAT_MS)
    expect(lines).toHaveLength(5)
  })

  it('say at most a line a second while it moves, and the end of each step', () => {
    const lines: string[] = []
    const progress = new ProgressLines((line) => lines.push(line), true)
    for (let done = 0; done <= 10_000; done += 32) {
      progress.sink({ step: 'checking', done: Math.min(done, 10_000), total: 10_000 })
      vi.advanceTimersByTime(10)
    }
    progress.sink({ step: 'checking', done: 10_000, total: 10_000 })
    progress.sink({ step: 'writing', done: 256, total: 10_000 })
    progress.stop()
    expect(lines.length).toBeLessThanOrEqual(1 + 4 + 2 + 1)
    expect(lines[0]).toBe('Reading the backup: opening the file…')
    expect(lines.slice(-2)).toEqual(['Reading the backup: 10,000 of 10,000 backed-up pairs checked at the API', 'Reading the backup: 256 of 10,000 libraries written'])
  })
})
