// The projection hands out at most one batch a frame (16 ms) while changes keep coming, and a change after quiet
// on the next turn, as before: a refresh burst's "refreshing" and "refreshed" of one library mostly fall in one
// window, so each library's view is built about once per refresh instead of twice. Nothing is dropped: every id
// signalled is in a batch, with its state at the flush.
import { afterEach, describe, expect, it } from 'vitest'
import { ViewProjection, type ProjectionPace, type TurnScheduler, type ViewBatch } from '../../../src/main/app/projection.ts'
import { systemClock } from '../../../src/main/core/time/clock.ts'
import { sandboxLibraryRecord } from '../../support/sandbox-records.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

let h: LarderHarness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

/** A scheduler whose turns the test runs by hand, and a clock the test moves. */
function manualTurns(): { schedule: TurnScheduler; runTurn(): void } {
  const queued: (() => void)[] = []
  return {
    schedule: (callback) => void queued.push(callback),
    runTurn: () => {
      for (const callback of queued.splice(0)) callback()
    }
  }
}

async function tenLibraries(): Promise<{ harness: LarderHarness; ids: string[] }> {
  const harness = await startLarder()
  h = harness
  const ids: string[] = []
  for (let i = 0; i < 10; i++) {
    const credentials = harness.sandbox.addLibraryWithApplication({ name: `Paced ${i}` })
    const record = sandboxLibraryRecord(credentials, { id: `paced-${i}`, apiBaseUrl: harness.sandbox.url, issuedAt: harness.clock.now() })
    await harness.core.vault.add(record.meta, record.secrets)
  }
  for (let i = 0; i < 10; i++) ids.push(`paced-${i}`)
  await harness.nextTurn()
  return { harness, ids }
}

/** The system's timers with a clock the test moves. */
const pacedBy = (now: () => number): ProjectionPace => ({ clock: { ...systemClock, now }, minGapMs: 16 })

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('the projection paces its batches', () => {
  it('hands out 100 signals for 10 libraries over 10 ms, one signal a turn, in one or two batches, every id in them', async () => {
    const { harness, ids } = await tenLibraries()
    const turns = manualTurns()
    let now = 1_000_000
    const batches: ViewBatch[] = []
    const projection = new ViewProjection(harness.core, (batch) => batches.push(batch), turns.schedule, pacedBy(() => now))
    try {
      for (let i = 0; i < 100; i++) {
        harness.core.emit('changed', ids[i % ids.length]!)
        turns.runTurn()
        now += 0.1
      }
      // What waits for the window's end is handed out at its end (a timer), never dropped.
      await settle(40)
      turns.runTurn()
      expect(batches.length).toBeGreaterThanOrEqual(1)
      expect(batches.length).toBeLessThanOrEqual(2)
      expect(new Set(batches.flatMap((batch) => batch.changed.map((changed) => changed.row.id)))).toEqual(new Set(ids))
      expect(projection.stats().viewsBuilt).toBeLessThanOrEqual(2 * ids.length)
    } finally {
      projection.stop()
    }
  })

  it('hands out a change after 16 ms of quiet on the next turn', async () => {
    const { harness, ids } = await tenLibraries()
    const turns = manualTurns()
    let now = 1_000_000
    const batches: ViewBatch[] = []
    const projection = new ViewProjection(harness.core, (batch) => batches.push(batch), turns.schedule, pacedBy(() => now))
    try {
      harness.core.emit('changed', ids[0]!)
      turns.runTurn()
      expect(batches.length).toBe(1)
      now += 16
      harness.core.emit('changed', ids[1]!)
      turns.runTurn()
      expect(batches.length).toBe(2)
      expect(batches[1]!.changed.map((changed) => changed.row.id)).toEqual([ids[1]])
    } finally {
      projection.stop()
    }
  })

  it('flush() hands out what waits for the window at once (closing does this), and the timer then finds nothing', async () => {
    const { harness, ids } = await tenLibraries()
    const turns = manualTurns()
    const now = 1_000_000
    const batches: ViewBatch[] = []
    const projection = new ViewProjection(harness.core, (batch) => batches.push(batch), turns.schedule, pacedBy(() => now))
    try {
      harness.core.emit('changed', ids[0]!)
      turns.runTurn()
      harness.core.emit('changed', ids[1]!)
      turns.runTurn()
      projection.flush()
      expect(batches.map((batch) => batch.changed.map((changed) => changed.row.id))).toEqual([[ids[0]], [ids[1]]])
      await settle(40)
      turns.runTurn()
      expect(batches.length).toBe(2)
    } finally {
      projection.stop()
    }
  })
})
