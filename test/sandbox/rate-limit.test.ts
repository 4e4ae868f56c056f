import { afterEach, describe, expect, it } from 'vitest'
import type { Sandbox } from './index.ts'
import { startSandbox } from './index.ts'
import { apiGet, library, refresh, tokenBody } from './test-helpers.ts'

let sb: Sandbox
afterEach(async () => {
  await sb.close()
})

const RECIPES = '/api/v2/products/recipes/'

describe('rate limit', () => {
  it('counts down in headers, throttles with 429 + Retry-After, and recovers after the window', async () => {
    sb = await startSandbox({ rateLimitPerMinute: 5 })
    const token = library(sb.fixtures.libraries, 1001).accessToken
    for (let i = 1; i <= 5; i++) {
      const a = await apiGet(sb.url, RECIPES, token)
      expect(a.status).toBe(200)
      expect(a.headers.get('ratelimit-limit')).toBe('5')
      expect(a.headers.get('ratelimit-remaining')).toBe(String(5 - i))
      expect(Number(a.headers.get('ratelimit-reset'))).toBeGreaterThan(0)
    }
    sb.clock.advance(20_000)
    const throttled = await apiGet(sb.url, RECIPES, token)
    expect(throttled.status).toBe(429)
    expect(String(throttled.body['detail'])).toMatch(/^Request was throttled/)
    expect(throttled.headers.get('retry-after')).toBe('40')
    expect(throttled.headers.get('ratelimit-remaining')).toBe('0')
    sb.clock.advance(40_000)
    expect((await apiGet(sb.url, RECIPES, token)).status).toBe(200)
  })

  it('is per user: rotation does not reset it, other users are unaffected', async () => {
    sb = await startSandbox({ rateLimitPerMinute: 3 })
    const nord = library(sb.fixtures.libraries, 1001)
    await apiGet(sb.url, RECIPES, nord.accessToken)
    await apiGet(sb.url, RECIPES, nord.accessToken)
    const fresh = tokenBody(await refresh(sb.url, nord)) // the third request of the family
    expect((await apiGet(sb.url, RECIPES, fresh.access_token)).status).toBe(429)
    const throttledRefresh = await refresh(sb.url, { ...nord, refreshToken: fresh.refresh_token })
    expect(throttledRefresh.status).toBe(429)
    expect((await apiGet(sb.url, RECIPES, library(sb.fixtures.libraries, 1002).accessToken)).status).toBe(200)
    // The throttled refresh did not consume the refresh token.
    sb.clock.advance(60_000)
    expect((await refresh(sb.url, { ...nord, refreshToken: fresh.refresh_token })).status).toBe(200)
  })

  it("is per user, not per token: two tokens of one person share the budget (Apicbase's 100/min per user)", async () => {
    sb = await startSandbox({ rateLimitPerMinute: 4 })
    const pat = sb.fixtures.user.token
    const second = sb.issueTokenPair({ clientId: sb.fixtures.partner.clientId, kind: 'personal', userId: sb.fixtures.user.id, scopes: 'accounts library' })
    expect(second.familyId).not.toBe(pat.familyId)
    await apiGet(sb.url, RECIPES, pat.accessToken)
    await apiGet(sb.url, RECIPES, pat.accessToken)
    const third = await apiGet(sb.url, RECIPES, second.accessToken)
    expect(third.status).toBe(200)
    expect(third.headers.get('ratelimit-remaining')).toBe('1')
    expect((await refresh(sb.url, { ...pat, refreshToken: second.refreshToken })).status).toBe(200) // the fourth
    expect((await apiGet(sb.url, RECIPES, pat.accessToken)).status).toBe(429)
    // Another user's token (a service account of a library) has its own budget.
    expect((await apiGet(sb.url, RECIPES, library(sb.fixtures.libraries, 1001).accessToken)).status).toBe(200)
  })

  it('sends headers on every response, errors included (default 100/min)', async () => {
    sb = await startSandbox()
    for (const a of [await apiGet(sb.url, RECIPES), await apiGet(sb.url, '/nope/'), await apiGet(sb.url, RECIPES, library(sb.fixtures.libraries, 1001).accessToken)]) {
      expect(a.headers.get('ratelimit-limit')).toBe('100')
      expect(a.headers.get('ratelimit-remaining')).not.toBeNull()
    }
  })

  it('can be switched off', async () => {
    sb = await startSandbox({ rateLimitPerMinute: false })
    const token = library(sb.fixtures.libraries, 1001).accessToken
    const statuses = await Promise.all(Array.from({ length: 120 }, () => apiGet(sb.url, RECIPES, token)))
    expect(statuses.every((a) => a.status === 200)).toBe(true)
    expect(statuses[0]?.headers.get('ratelimit-limit')).toBeNull()
  })
})
