// "Refresh before copying when the token expires within" (Settings): a copy hands out the stored token while it has
// more than the margin left, and refreshes first (once, durably) when it has less. Both sides are asserted, so
// breaking the margin check either way, or never refreshing before a copy, fails here.
import { afterEach, describe, expect, it } from 'vitest'
import type { LibraryCredentials } from '../../sandbox/index.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const WEEK = 7 * 24 * HOUR

let h: LarderHarness
afterEach(async () => {
  await h?.close()
})

/** A library added through the app with a fresh 7-day token; timer refreshes 10 min ahead, copies refresh 1 h ahead. */
async function addedWithMargins(): Promise<{ id: string; credentials: LibraryCredentials; addedAt: number }> {
  h = await startLarder()
  await h.actions.updateSettings({ refreshAheadMs: 10 * MINUTE, copyFreshnessMarginMs: HOUR })
  const credentials = h.sandbox.addLibraryWithApplication({ name: 'Brasserie Marge' })
  const { tokenType, name, clientId, clientSecret, accessToken, refreshToken } = credentials
  const library = await h.actions.add({ tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: h.sandbox.url })
  return { id: library.id, credentials, addedAt: h.clock.now() }
}

function tokenRequests(libraryId: number): number {
  return h.sandbox.counters.hits.filter((hit) => hit.route === 'token' && hit.libraryId === libraryId).length
}

async function sandboxAccepts(accessToken: string): Promise<number> {
  const answer = await fetch(`${h.sandbox.url}/api/v2/products/recipes/`, { headers: { authorization: `Bearer ${accessToken}` } })
  await answer.body?.cancel()
  return answer.status
}

describe('copy refreshes first only when the token expires within the margin', () => {
  it('with more than the margin left, the stored token is copied and nothing is sent to the token endpoint', async () => {
    const { id, credentials, addedAt } = await addedWithMargins()
    const { expiresAt } = h.core.libraries.get(id)
    expect(expiresAt).toBe(addedAt + WEEK)
    await h.advance(WEEK - HOUR - 5 * MINUTE) // 65 min left: outside the 60 min margin
    const before = tokenRequests(credentials.id)
    const stored = await h.core.vault.secrets(id, ['accessToken'])

    await h.actions.copy(id, 'token')

    expect(tokenRequests(credentials.id)).toBe(before)
    expect(h.clipboard.text).toBe(stored.accessToken)
    expect(h.core.libraries.get(id).expiresAt).toBe(expiresAt)
  })

  it('with less than the margin left, the copy refreshes once, durably, and hands out the new token', async () => {
    const { id, credentials, addedAt } = await addedWithMargins()
    await h.advance(WEEK - 30 * MINUTE) // 30 min left: inside the 60 min margin, before the 10 min timer
    const before = tokenRequests(credentials.id)
    const old = await h.core.vault.secrets(id, ['accessToken', 'refreshToken'])
    expect(h.core.libraries.get(id).expiresAt).toBe(addedAt + WEEK) // the timer has not refreshed it

    await h.actions.copy(id, 'token')

    expect(tokenRequests(credentials.id)).toBe(before + 1)
    const now = await h.core.vault.secrets(id, ['accessToken', 'refreshToken'])
    expect(now.accessToken).not.toBe(old.accessToken)
    expect(h.clipboard.text).toBe(now.accessToken)
    expect(h.core.vault.isSpent(old.refreshToken)).toBe(true)
    expect(h.core.libraries.get(id).expiresAt).toBe(h.clock.now() + WEEK)
    expect(await sandboxAccepts(now.accessToken)).toBe(200)
  })

  it('a margin of zero copies a token with a minute left as it is', async () => {
    const { id, credentials } = await addedWithMargins()
    await h.actions.updateSettings({ copyFreshnessMarginMs: 0 })
    await h.advance(WEEK - 11 * MINUTE)
    const before = tokenRequests(credentials.id)
    const stored = await h.core.vault.secrets(id, ['accessToken'])
    await h.actions.copy(id, 'header')
    expect(tokenRequests(credentials.id)).toBe(before)
    expect(h.clipboard.text).toBe(`Authorization: Bearer ${stored.accessToken}`)
  })
})
