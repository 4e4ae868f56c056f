// A server with refresh-token rotation off (API.md, "Corrections and additions"): the refresh answer carries no
// refresh_token, or the same one again. The engine keeps the refresh token it has, the vault does not record it as
// spent, and the next refresh uses it successfully.
import { afterEach, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from '../../support/core-harness.ts'

let h: Harness
afterEach(async () => {
  await h?.close()
})

describe('refresh with rotation off', () => {
  it.each(['omitted', 'same'] as const)('an answer with the refresh token %s keeps the old one, and the next refresh uses it', async (rotation) => {
    h = await startHarness({ sandbox: { refreshTokenRotation: rotation } })
    const lib = h.sandbox.fixtures.libraries[0]!
    const id = await h.store(lib)

    const first = await h.engine.refresh(id, 'manual')
    expect(first).not.toBe(lib.accessToken)
    const kept = await h.vault.secrets(id)
    expect(kept).toMatchObject({ accessToken: first, refreshToken: lib.refreshToken })
    expect(h.vault.isSpent(lib.refreshToken)).toBe(false)
    expect(h.vault.get(id)).toMatchObject({ tokenState: 'active', lastError: null })

    const second = await h.engine.refresh(id, 'manual')
    expect(second).not.toBe(first)
    expect((await h.vault.secrets(id, ['refreshToken'])).refreshToken).toBe(lib.refreshToken)
    expect(h.sandbox.counters.tokenRequestsByFamily(lib.familyId)).toBe(2)
    expect(h.engine.status(id)).toBe('healthy')
    // The access token in use is the newest: Apicbase revoked the one before.
    expect((await h.client.getActiveLibrary({ baseUrl: h.sandbox.url, libraryName: lib.name, rateKey: id }, second)).id).toBe(String(lib.id))
  })
})
