// Rows other members wrote reach the core as the team vault took them in (LarderCore.teamChanged): only those records
// are tracked and announced again. The outside-edit path (reloaded) announces every library; for a refresh elsewhere
// in a team of thousands, that would hand the window the whole list for every row.
import { afterEach, describe, expect, it } from 'vitest'
import { sandboxLibraryRecord } from '../../support/sandbox-records.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

let h: LarderHarness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

describe('a team change announces only the rows it names', () => {
  it('one changed row: one announcement; a removed row: untracked and announced gone', async () => {
    h = await startLarder()
    const ids: string[] = []
    for (let i = 0; i < 30; i++) {
      const record = sandboxLibraryRecord(h.sandbox.addLibraryWithApplication({ name: `Kitchen ${i}` }), { id: `lib-${i}`, apiBaseUrl: h.sandbox.url, issuedAt: h.clock.now() })
      await h.vault.add(record.meta, record.secrets)
      ids.push(record.meta.id)
    }
    const changed: string[] = []
    const removed: string[] = []
    h.core.on('changed', (id) => changed.push(id))
    h.core.on('removed', (id) => removed.push(id))

    h.core.teamChanged({ added: [], changed: ['lib-7'], removed: [] })
    expect(new Set(changed)).toEqual(new Set(['lib-7']))

    await h.vault.remove('lib-3')
    changed.length = 0
    h.core.teamChanged({ added: [], changed: [], removed: ['lib-3'] })
    expect(removed).toContain('lib-3')
    expect(changed).toEqual([])
    expect(h.core.engine.status('lib-3')).toBeUndefined()
  })
})
