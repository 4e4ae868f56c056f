// A refresh announces its library three times (refreshing, the new pair written, healthy again), but only the write
// is a record change: a status the engine derives changes no record, so it does not re-plan the library's health
// checks or re-read its audit facts. The engine's timing is one object per settings object, not one per look.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { toLibraryView } from '../../../src/main/app/views.ts'
import type { FactualAuditLog } from '../../../src/main/core/audit/index.ts'
import type { StatusThresholds } from '../../../src/main/core/model.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

/** Every thresholds object a status was derived with (the engine passes its timing). */
const timings = vi.hoisted(() => new Set<object>())
vi.mock('../../../src/main/core/model.ts', async (importOriginal) => {
  const model = await importOriginal<typeof import('../../../src/main/core/model.ts')>()
  return {
    ...model,
    deriveStatus: (...args: Parameters<typeof model.deriveStatus>) => {
      const thresholds: StatusThresholds | undefined = args[3]
      if (thresholds) timings.add(thresholds)
      return model.deriveStatus(...args)
    }
  }
})

let h: LarderHarness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

async function oneLibrary(): Promise<{ harness: LarderHarness; id: string }> {
  const harness = await startLarder()
  h = harness
  const credentials = harness.sandbox.addLibraryWithApplication({ name: 'Bistro Signals' })
  const { tokenType, name, clientId, clientSecret, accessToken, refreshToken } = credentials
  const library = await harness.actions.add({ tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: harness.sandbox.url })
  await harness.nextTurn()
  return { harness, id: library.id }
}

describe('the core signals a refresh', () => {
  it('announces it three times, but re-plans health and re-reads audit facts only for the write', async () => {
    const { harness, id } = await oneLibrary()
    const core = harness.core
    const signals: string[] = []
    core.on('changed', (changed) => void (changed === id && signals.push(changed)))
    const track = vi.spyOn(core.health, 'track')
    const note = vi.spyOn(core.audit as FactualAuditLog, 'note')

    await harness.actions.refresh(id)
    await harness.nextTurn()

    expect(signals).toHaveLength(3)
    expect(track.mock.calls.filter(([tracked]) => tracked === id)).toHaveLength(1)
    expect(note.mock.calls.filter(([noted]) => noted === id)).toHaveLength(1)
    const rows = harness.events.of('library.changed').filter((row) => row.id === id)
    expect(rows.at(-1)?.status).toBe('healthy')
    expect(toLibraryView(core.libraries.get(id)).status).toBe('healthy')
  })

  it('derives statuses across 10 refreshes with one timing object while the settings stay the same', async () => {
    const { harness, id } = await oneLibrary()
    timings.clear()
    for (let i = 0; i < 10; i++) {
      await harness.actions.refresh(id)
      await harness.advance(61_000)
    }
    await harness.nextTurn()
    expect(timings.size).toBe(1)
  })
})
