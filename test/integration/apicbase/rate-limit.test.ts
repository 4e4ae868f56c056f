// 429 answers and the rate-limit headers, kept per rate key (token family), from the sandbox's real
// limiter and from tiny servers that send the other header dialects.
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createApicbaseClient } from '../../../src/main/core/apicbase/index.ts'
import type { ApicbaseClient } from '../../../src/main/core/apicbase/index.ts'
import { LIBRARY_IDS } from '../../sandbox/index.ts'
import type { Sandbox } from '../../sandbox/index.ts'
import { apiError, assertNoSecretInAnyError, credsOf, remember, sandbox, seeded, sendJson, targetOf, tinyServer } from './helpers.ts'

const NOW = 1_800_000_000_000
let sb: Sandbox | undefined
let client: ApicbaseClient

afterEach(async () => {
  await client.close()
  await sb?.close()
  sb = undefined
})
afterAll(() => {
  expect(assertNoSecretInAnyError()).toBeGreaterThan(0)
})

describe("the sandbox's limiter", () => {
  it('captures RateLimit-* per rate key and turns the 429 into rate_limited with Retry-After', async () => {
    const s = await sandbox({ rateLimitPerMinute: 3 })
    sb = s
    client = createApicbaseClient({ now: () => NOW })
    const nord = seeded(s, LIBRARY_IDS.brasserieNord)
    const zuid = seeded(s, LIBRARY_IDS.cafeZuid)
    const nordTarget = targetOf(s.url, 'Brasserie Nord', 'fam-nord')
    const zuidTarget = targetOf(s.url, 'Café Zuid', 'fam-zuid')

    expect(client.rateLimit('fam-nord')).toBeNull()
    const remaining: (number | null)[] = []
    for (let i = 0; i < 3; i++) {
      await client.getActiveLibrary(nordTarget, nord.accessToken)
      remaining.push(client.rateLimit('fam-nord')?.remaining ?? null)
    }
    expect(remaining).toEqual([2, 1, 0])
    expect(client.rateLimit('fam-nord')).toMatchObject({ limit: 3, observedAt: NOW })
    expect(client.rateLimit('fam-nord')?.resetAt).toBeGreaterThan(NOW)
    expect(client.rateLimit('fam-zuid')).toBeNull()

    const error = await apiError(client.getActiveLibrary(nordTarget, nord.accessToken), 'rate_limited')
    expect(error.status).toBe(429)
    expect(error.retryAt).toBeGreaterThan(NOW)
    expect(error.retryAt).toBeLessThanOrEqual(NOW + 60_000)
    expect(error.message).toContain('Apicbase is rate-limiting Brasserie Nord (HTTP 429')
    expect(error.message).toContain(`Next try at ${new Date(error.retryAt ?? 0).toISOString()}`)

    // Another family has its own budget and its own record.
    await client.getActiveLibrary(zuidTarget, zuid.accessToken)
    expect(client.rateLimit('fam-zuid')).toMatchObject({ limit: 3, remaining: 2 })
    expect(client.rateLimit('fam-nord')?.remaining).toBe(0)

    // The sandbox window moves on with its clock; the family recovers.
    s.clock.advance(61_000)
    await client.getActiveLibrary(nordTarget, nord.accessToken)
    expect(client.rateLimit('fam-nord')?.remaining).toBe(2)
  })

  it('a rate-limited refresh is not committed: the token still refreshes once the window passes', async () => {
    const s = await sandbox({ rateLimitPerMinute: 1 })
    sb = s
    client = createApicbaseClient()
    const nord = seeded(s, LIBRARY_IDS.brasserieNord)
    const target = targetOf(s.url)
    await client.getActiveLibrary(target, nord.accessToken) // spends the family's only request
    const error = await apiError(client.refresh(target, credsOf(nord), nord.refreshToken), 'rate_limited')
    expect(error.maybeCommitted).toBe(false)
    s.clock.advance(61_000)
    const pair = await client.refresh(target, credsOf(nord), nord.refreshToken)
    remember(pair.accessToken, pair.refreshToken)
  })
})

describe('header dialects (tiny server)', () => {
  async function answer429(headers: Record<string, string>): Promise<{ retryAt: number | undefined; close(): Promise<void>; url: string }> {
    const tiny = await tinyServer((_req, res) => sendJson(res, 429, { detail: 'Request was throttled.' }, headers))
    const error = await apiError(client.getActiveLibrary(targetOf(tiny.url), 'access-token-0001'), 'rate_limited')
    return { retryAt: error.retryAt, close: tiny.close, url: tiny.url }
  }

  it.each([
    ['Retry-After in seconds', { 'Retry-After': '120' }, NOW + 120_000],
    ['Retry-After as an HTTP date', { 'Retry-After': new Date(NOW + 45_000).toUTCString() }, NOW + 45_000],
    ['Retry-After in the past', { 'Retry-After': new Date(NOW - 45_000).toUTCString() }, NOW],
    ['no Retry-After, RateLimit-Reset in seconds', { 'RateLimit-Reset': '42' }, NOW + 42_000],
    ['no Retry-After, X-RateLimit-Reset as epoch seconds', { 'X-RateLimit-Reset': String((NOW + 30_000) / 1000) }, NOW + 30_000],
    ['unreadable Retry-After, nothing else', { 'Retry-After': 'soon' }, NOW + 60_000],
    ['nothing at all', {}, NOW + 60_000],
    ['an absurd Retry-After (capped at a day)', { 'Retry-After': '99999999' }, NOW + 86_400_000]
  ])('%s', async (_label, headers, expected) => {
    client = createApicbaseClient({ now: () => NOW })
    const { retryAt, close } = await answer429(headers)
    await close()
    expect(retryAt).toBe(expected)
  })

  it.each([
    ['X-RateLimit-*', { 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '17', 'X-RateLimit-Reset': '30' }],
    ['RateLimit-* with policy parameters', { 'RateLimit-Limit': '100, 100;w=60', 'RateLimit-Remaining': '17', 'RateLimit-Reset': '30' }],
    ['the combined RateLimit header', { RateLimit: 'limit=100, remaining=17, reset=30' }]
  ])('reads %s', async (_label, headers) => {
    client = createApicbaseClient({ now: () => NOW })
    const tiny = await tinyServer((_req, res) => sendJson(res, 200, { id: 1, name: 'One', status: 'active' }, headers))
    try {
      await client.getActiveLibrary(targetOf(tiny.url, 'One', 'key-1'), 'access-token-0001')
      expect(client.rateLimit('key-1')).toEqual({ limit: 100, remaining: 17, resetAt: NOW + 30_000, observedAt: NOW })
    } finally {
      await tiny.close()
    }
  })

  it('ignores garbage and keeps the last readable snapshot', async () => {
    client = createApicbaseClient({ now: () => NOW })
    let headers: Record<string, string> = { 'RateLimit-Remaining': '5' }
    const tiny = await tinyServer((_req, res) => sendJson(res, 200, { id: 1 }, headers))
    try {
      await client.getActiveLibrary(targetOf(tiny.url, 'One', 'key-2'), 'access-token-0001')
      headers = { 'RateLimit-Remaining': 'lots', 'RateLimit-Limit': '' }
      await client.getActiveLibrary(targetOf(tiny.url, 'One', 'key-2'), 'access-token-0001')
      expect(client.rateLimit('key-2')).toEqual({ limit: null, remaining: 5, resetAt: null, observedAt: NOW })
    } finally {
      await tiny.close()
    }
  })
})
