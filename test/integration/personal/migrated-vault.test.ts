// A version 1 vault (test/fixtures/vault-v1, written by the version 1 code with the sandbox's seed-1 credentials),
// opened by today's Larder against a seed-1 sandbox: its personal record became a connection with an entry for the
// library it was added for, Larder remembers that library across the upgrade, and everything still works.
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LIBRARY_IDS, PERSONAL_USER_ID } from '../../sandbox/index.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

const FIXTURE = path.join(import.meta.dirname, '../../fixtures/vault-v1')

let h: LarderHarness
afterEach(async () => {
  await h?.close()
})

describe('a vault migrated from version 1', () => {
  it('keeps working: service tokens refresh, the personal token is a connection whose library is remembered', async () => {
    h = await startLarder({ copyFrom: FIXTURE, passphrase: 'larder v1 fixture passphrase', sandbox: { seed: 1 } })
    for (const meta of h.vault.list()) await h.vault.patch(meta.id, { apiBaseUrl: h.sandbox.url })
    const rows = h.core.libraries.list()
    const entry = rows.find((row) => row.personal?.role === 'library')!
    expect(rows.map((row) => [row.name, row.personal?.role ?? null])).toEqual([
      ['Brasserie Nord', null],
      ['Bistro West', null],
      ['Pat (personal)', 'connection'],
      ['Old personal token', 'connection'],
      ['Brasserie Nord', 'library']
    ])
    expect(entry).toMatchObject({ apicbaseLibraryId: '1001', personal: { connectionId: 'v1-pat', expectedLibraryId: '1001' } })
    expect(h.core.libraries.get('v1-unknown').status).toBe('needs_reauth')

    // While Larder was being upgraded, Pat switched to Café Zuid in Apicbase: Larder still knows it left the token on
    // Brasserie Nord, so it does not take the library away silently.
    h.sandbox.setActiveLibrary(PERSONAL_USER_ID, LIBRARY_IDS.cafeZuid)
    const refused = await h.handlers['libraries.copy']({ id: entry.id, format: 'token' })
    expect(refused).toMatchObject({ ok: false, error: { kind: 'api', apiKind: 'library_drift' } })
    const back = await h.actions.switchLibrary(entry.id)
    expect(back.personal).toMatchObject({ drifted: false, isActive: true })
    // The stored pair (expired by its record's clock) is refreshed once and handed out for Brasserie Nord.
    const receipt = await h.actions.copy(entry.id, 'token')
    expect(receipt.personal).toMatchObject({ switched: false, activeLibraryId: '1001' })
    const active = await h.core.client.getActiveLibrary({ baseUrl: h.sandbox.url, libraryName: 'x', rateKey: 'x' }, h.clipboard.text!)
    expect(active.id).toBe('1001')
    expect(h.sandbox.counters.tokenRequestsByFamily(h.sandbox.fixtures.user.token.familyId)).toBe(1)

    // A service-account library from version 1 refreshes with its own client credentials.
    await expect(h.actions.refresh('v1-nord')).resolves.toMatchObject({ status: 'healthy' })
  })
})
