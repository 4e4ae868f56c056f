// Issue 13, item 14: a token revoked at Apicbase must not stay "Healthy" until its next refresh fails (up to six days).
// Each library is checked with one cheap read its scopes allow, at most once a day, spread out, inside its request
// budget, and the result is its status. Item 15: its view carries the last rate-limit figures and any 429 wait.
import { afterEach, describe, expect, it } from 'vitest'
import { startHealthHarness, type HealthHarness } from '../../support/health-harness.ts'
import type { LibraryCredentials } from '../../sandbox/index.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

let h: HealthHarness
afterEach(async () => {
  await h?.close()
})

async function added(name = 'Bistro Gezond', scopes?: LibraryCredentials['scopes']): Promise<{ id: string; lib: LibraryCredentials }> {
  const lib = h.sandbox.addLibraryWithApplication({ name, ...(scopes ? { scopes } : {}) })
  return { id: await h.add(lib), lib }
}

/** The owner revokes the token at Apicbase (the refresh token kills its whole family; the access token only itself). */
async function revokeAtApicbase(id: string, lib: LibraryCredentials, which: 'refreshToken' | 'accessToken'): Promise<void> {
  const token = (await h.core.vault.secrets(id, [which]))[which]
  const body = new URLSearchParams({ token, client_id: lib.clientId, client_secret: lib.clientSecret })
  const answer = await fetch(`${h.sandbox.url}/oauth/revoke_token/`, { method: 'POST', body })
  expect(answer.status).toBe(200)
  await answer.body?.cancel()
}

function tokenRequests(lib: LibraryCredentials): number {
  return h.sandbox.counters.tokenRequestsByFamily(lib.familyId)
}

function apiReads(): number {
  return h.sandbox.counters.hits.filter((hit) => hit.route === 'recipes' || hit.route === 'outlets').length
}

describe('health checks find what a refresh would find days later', () => {
  it('a token revoked at Apicbase shows as needing re-authorization after its next check', async () => {
    h = await startHealthHarness()
    const { id, lib } = await added()
    expect(h.view(id).status).toBe('healthy')
    expect(h.view(id).health).toMatchObject({ checkedAt: null, outcome: null })
    await revokeAtApicbase(id, lib, 'refreshToken')
    await h.advance(7 * HOUR)
    expect(h.checks(lib.id).length + apiReads()).toBeGreaterThan(0)
    const view = h.view(id)
    expect(view.status).toBe('needs_reauth')
    expect(view.health).toMatchObject({ outcome: 'unauthorized' })
    // The access token was refused, so Larder tried one refresh, which Apicbase refused too (the family is dead).
    expect(tokenRequests(lib)).toBe(2)
    expect(view.lastError?.kind).toBe('invalid_grant')
  })

  it('an access token revoked alone is refreshed once and checked again: healthy', async () => {
    h = await startHealthHarness()
    const { id, lib } = await added()
    await revokeAtApicbase(id, lib, 'accessToken')
    await h.advance(7 * HOUR)
    expect(h.view(id)).toMatchObject({ status: 'healthy', health: { outcome: 'ok', endpoint: '/api/v2/library/recipes/' } })
    expect(tokenRequests(lib)).toBe(2)
    expect(h.checks(lib.id)).toHaveLength(1) // the refused read has no library; the second read does
  })

  it('a token refused even right after a successful refresh is declared: re-authorization needed', async () => {
    h = await startHealthHarness()
    const { id, lib } = await added()
    h.sandbox.faults.inject({ route: 'recipes', kind: 'status', status: 401, times: 2 })
    await h.advance(7 * HOUR)
    const view = h.view(id)
    expect(view.status).toBe('needs_reauth')
    expect(view.lastError).toMatchObject({ kind: 'unauthorized' })
    expect(view.lastError?.message).toMatch(/refused the token of Bistro Gezond in a health check/)
    expect(tokenRequests(lib)).toBe(2) // added (1) and the one refresh before declaring (1)
    expect(apiReads()).toBe(2)
  })

  it('a 403 shows as an error (a scope is missing) while refreshes go on; a 503 leaves the status alone', async () => {
    h = await startHealthHarness()
    const { id, lib } = await added()
    h.sandbox.faults.inject({ route: 'recipes', kind: 'status', status: 403, times: 1 })
    await h.advance(7 * HOUR)
    expect(h.view(id)).toMatchObject({ status: 'error', lastError: { kind: 'forbidden' }, health: { outcome: 'forbidden' } })
    expect(h.core.vault.get(id)?.lastError).toBeNull()
    h.sandbox.faults.inject({ route: 'recipes', kind: 'status', status: 503, times: 1 })
    await h.advance(DAY + 2 * HOUR)
    expect(h.view(id)).toMatchObject({ status: 'error', health: { outcome: 'unreachable' } })
    // The token itself is fine: it is still refreshed ahead of expiry, and the next good check clears the error.
    await h.advance(5 * DAY)
    expect(tokenRequests(lib)).toBe(2)
    expect(h.view(id)).toMatchObject({ status: 'healthy', health: { outcome: 'ok' }, lastError: null })
  })

  it("a check of a token whose refresh is waiting out its backoff waits too: nothing is sent before the engine's retry", async () => {
    h = await startHealthHarness()
    const { id, lib } = await added()
    // Apicbase's token endpoint is down past the token's expiry: every refresh fails and backs off.
    h.sandbox.faults.inject({ route: 'token', kind: 'status', status: 503, times: 1_000 })
    await h.advance(7 * DAY + HOUR)
    const retryAt = h.core.vault.get(id)?.lastError?.retryAt ?? 0
    expect(h.core.vault.get(id)?.expiresAt ?? Infinity).toBeLessThan(h.clock.now())
    expect(retryAt).toBeGreaterThan(h.clock.now())
    const sent = tokenRequests(lib)

    // The check needs a fresh token to read with; it does not ask for one before the retry is due.
    const result = await h.core.health.check(id)
    expect(tokenRequests(lib)).toBe(sent)
    expect(result?.outcome).not.toBe('ok')
    expect(h.core.vault.get(id)?.lastError).toMatchObject({ kind: 'server_error', retryAt })

    // At the retry the engine's own timer asks (once), and with Apicbase back the token is healthy again.
    h.sandbox.faults.clear()
    await h.advance(retryAt - h.clock.now())
    expect(tokenRequests(lib)).toBe(sent + 1)
    expect(h.view(id)).toMatchObject({ status: 'healthy', lastError: null })
  })

  it("a token with only the 'accounts' scope is checked with a one-item page of outlets", async () => {
    h = await startHealthHarness()
    const { id, lib } = await added('Bistro Accounts', ['accounts'])
    await h.advance(7 * HOUR)
    expect(h.view(id)).toMatchObject({ status: 'healthy', health: { outcome: 'ok', endpoint: '/api/v2/accounts/outlets/' } })
    expect(h.sandbox.counters.hits.filter((hit) => hit.route === 'outlets' && hit.libraryId === lib.id)).toHaveLength(1)
  })
})

describe('health checks are cheap and spread out', () => {
  it('no check in the first minute; first checks spread over hours; then at most one a day per library', async () => {
    h = await startHealthHarness()
    const libs = []
    for (let i = 0; i < 12; i++) libs.push(await added(`Bistro ${i}`))
    const start = h.clock.now()
    await h.advance(MINUTE)
    expect(apiReads()).toBe(0)
    await h.advance(6 * HOUR)
    const firsts = libs.map(({ id, lib }) => {
      expect(h.checks(lib.id)).toHaveLength(1)
      return h.checkTimes(id)
    })
    for (const checks of firsts) expect(checks).toHaveLength(1)
    const times = firsts.map((checks) => checks[0]! - start).sort((a, b) => a - b)
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(2 * HOUR)
    expect(new Set(times.map((t) => Math.floor(t / (10 * MINUTE)))).size).toBeGreaterThan(6)
    for (let day = 0; day < 3; day++) await h.advance(DAY)
    for (const { id, lib } of libs) {
      const checks = h.checkTimes(id)
      expect(h.checks(lib.id)).toHaveLength(checks.length)
      expect(checks.length).toBeGreaterThanOrEqual(3)
      for (let i = 1; i < checks.length; i++) expect(checks[i]! - checks[i - 1]!).toBeGreaterThanOrEqual(DAY)
      expect(h.view(id).health?.nextAt).toBeGreaterThan(h.clock.now())
    }
  })

  it("a check waits for the library's request budget, as its refreshes do", async () => {
    h = await startHealthHarness({ core: { engine: { perTokenPerMinute: 1 }, health: { scheduled: false } } })
    const { id, lib } = await added()
    // Waiting on the budget is waiting on Larder's clock: let time move without waiting for the check first.
    h.clock.settleWith = () => h.core.engine.settled()
    await h.core.engine.refresh(id, 'manual')
    const refreshedAt = h.clock.now()
    const check = h.core.health.check(id)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(h.checks(lib.id)).toHaveLength(0)
    await h.advance(MINUTE)
    expect((await check)?.outcome).toBe('ok')
    expect(h.checks(lib.id)).toHaveLength(1)
    expect(h.checks(lib.id)[0]).toBeGreaterThanOrEqual(refreshedAt + MINUTE)
  })

  it('a planned check holds back while Apicbase says the limit is nearly spent, and goes once the window resets', async () => {
    h = await startHealthHarness({ sandbox: { rateLimitPerMinute: 10 } })
    const { id, lib } = await added()
    const planned = h.view(id).health?.nextAt ?? 0
    await h.advance(planned - h.clock.now() - 30_000)
    // Larder's own reads leave one request of ten: the reserve (a tenth) is the partner's scripts'.
    const token = (await h.core.vault.secrets(id, ['accessToken'])).accessToken
    const target = { baseUrl: h.sandbox.url, libraryName: lib.name, rateKey: id }
    while ((h.core.client.rateLimit(id)?.remaining ?? 10) > 1) await h.core.client.readCheck(target, token, 'library')
    const resetAt = h.core.client.rateLimit(id)?.resetAt ?? 0
    const before = h.checks(lib.id).length
    await h.advance(40_000) // past the planned time, before the reset
    expect(h.checks(lib.id)).toHaveLength(before)
    expect(h.view(id).health).toMatchObject({ checkedAt: null })
    expect(h.view(id).health?.nextAt).toBeGreaterThanOrEqual(resetAt)
    await h.advance(2 * MINUTE)
    expect(h.checks(lib.id)).toHaveLength(before + 1)
    expect(h.view(id).health).toMatchObject({ outcome: 'ok' })
    expect(h.sandbox.counters.hits.filter((hit) => hit.status === 429)).toHaveLength(0)
  })
})

describe('rate-limit figures in the view (item 15)', () => {
  it('the view carries the limit, what is left and when it resets, after a call', async () => {
    h = await startHealthHarness()
    const { id } = await added()
    const figures = h.view(id).rateLimit
    expect(figures).toMatchObject({ limit: 100, waitingUntil: null, observedAt: h.clock.now() })
    expect(figures?.remaining).toBeLessThan(100)
    expect(figures?.resetAt).toBeGreaterThan(h.clock.now())
  })

  it('a 429 shows "waiting until" in the view; the check goes after the wait, once, and the status never changed', async () => {
    h = await startHealthHarness({ sandbox: { rateLimitPerMinute: 10 } })
    const { id } = await added()
    const planned = h.view(id).health?.nextAt ?? 0
    await h.advance(planned - h.clock.now() - 10_000)
    // The partner's own script spends the minute's budget with the same token; Larder does not see it.
    const token = (await h.core.vault.secrets(id, ['accessToken'])).accessToken
    for (let i = 0; i < 10; i++) {
      const answer = await fetch(`${h.sandbox.url}/api/v2/accounts/outlets/`, { headers: { authorization: `Bearer ${token}` } })
      await answer.body?.cancel()
    }
    await h.advance(20_000) // the planned check goes, and is answered 429
    const throttled = h.sandbox.counters.hits.filter((hit) => hit.status === 429)
    expect(throttled).toHaveLength(1)
    const view = h.view(id)
    expect(view.status).toBe('healthy')
    expect(view.health).toMatchObject({ checkedAt: null })
    expect(view.rateLimit).toMatchObject({ limit: 10, remaining: 0 })
    const waitingUntil = view.rateLimit?.waitingUntil ?? 0
    expect(waitingUntil).toBeGreaterThan(h.clock.now())
    const seen = h.sandbox.counters.hits.length
    await h.advance(waitingUntil - h.clock.now() - 1_000)
    expect(h.sandbox.counters.hits).toHaveLength(seen) // nothing at all is sent while waiting
    expect(h.checkTimes(id)).toHaveLength(0)
    await h.advance(2 * MINUTE)
    expect(h.checkTimes(id)).toHaveLength(1)
    expect(h.sandbox.counters.hits).toHaveLength(seen + 1)
    expect(h.view(id)).toMatchObject({ status: 'healthy', health: { outcome: 'ok' }, rateLimit: { waitingUntil: null } })
  })
})
