// Re-authorizing stores the owner's new pair after checking it with a refresh (issue 19 item 12): the library was
// refreshed just now, so "Last refreshed" and "Issued" say so instead of keeping the dead token's times.
import { afterEach, describe, expect, it } from 'vitest'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

let h: LarderHarness
afterEach(async () => {
  await h?.close()
})

describe('re-authorizing', () => {
  it('sets lastRefreshedAt and issuedAt to the moment the new pair was checked and stored', async () => {
    h = await startLarder()
    const credentials = h.sandbox.addLibraryWithApplication({ name: 'Bistro Reauth' })
    const { tokenType, name, clientId, clientSecret, accessToken, refreshToken } = credentials
    const added = await h.actions.add({ tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: h.sandbox.url })
    await h.actions.refresh(added.id)
    const refreshedAt = h.core.libraries.get(added.id).lastRefreshedAt
    expect(refreshedAt).toBe(h.clock.now())

    // Eighteen minutes later the owner's token is revoked and they issue a new pair.
    await h.advance(18 * 60_000)
    await h.actions.revoke(added.id)
    const pair = h.sandbox.issueTokenPair({ clientId, kind: tokenType, libraryId: credentials.id, scopes: credentials.scopes })
    await h.advance(60_000)
    const back = await h.actions.reauthorize(added.id, { accessToken: pair.accessToken, refreshToken: pair.refreshToken })

    expect(back.status).toBe('healthy')
    expect(back.lastRefreshedAt).toBe(h.clock.now())
    expect(back.issuedAt).toBe(h.clock.now())
    expect(h.vault.get(added.id)?.lastRefreshedAt).toBe(h.clock.now())
  })
})
