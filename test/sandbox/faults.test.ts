import { afterEach, describe, expect, it } from 'vitest'
import type { Sandbox } from './index.ts'
import { startSandbox } from './index.ts'
import { answer, apiGet, fetchError, library, refresh, tokenBody } from './test-helpers.ts'

let sb: Sandbox
afterEach(async () => {
  await sb.close()
})

const RECIPES = '/api/v2/products/recipes/'

function nord() {
  return library(sb.fixtures.libraries, 1001)
}

describe('faults that replace the answer', () => {
  it('latency delays the answer by ms', async () => {
    sb = await startSandbox()
    sb.faults.inject({ route: 'recipes', kind: 'latency', ms: 250, times: 1 })
    const started = performance.now()
    expect((await apiGet(sb.url, RECIPES, nord().accessToken)).status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(240)
  })

  it('status answers 5xx JSON {detail} (503 by default) without performing the refresh', async () => {
    sb = await startSandbox()
    sb.faults.inject({ route: 'token', kind: 'status', times: 1 })
    sb.faults.inject({ route: 'recipes', kind: 'status', status: 500, times: 1 })
    const a = await refresh(sb.url, nord())
    expect(a.status).toBe(503)
    expect(typeof a.body['detail']).toBe('string')
    expect((await apiGet(sb.url, RECIPES, nord().accessToken)).status).toBe(500)
    expect((await refresh(sb.url, nord())).status).toBe(200)
  })

  it('html answers a proxy-style 502 page', async () => {
    sb = await startSandbox()
    sb.faults.inject({ route: 'token', kind: 'html', times: 1 })
    const a = await refresh(sb.url, nord())
    expect(a.status).toBe(502)
    expect(a.headers.get('content-type')).toMatch(/^text\/html/)
    expect(a.text).toContain('Bad Gateway')
  })

  it('non_json answers 200 text/plain garbage', async () => {
    sb = await startSandbox()
    sb.faults.inject({ route: 'libraries', kind: 'non_json', times: 1 })
    const a = await apiGet(sb.url, '/api/v2/accounts/libraries/', nord().accessToken)
    expect(a.status).toBe(200)
    expect(a.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(() => JSON.parse(a.text) as unknown).toThrow()
  })

  it('oversized answers 200 JSON of the given size (5 MB default), chunked', async () => {
    sb = await startSandbox()
    sb.faults.inject({ route: 'recipes', kind: 'oversized', bytes: 100_000, times: 1 })
    sb.faults.inject({ route: 'outlets', kind: 'oversized', times: 1 })
    const res = await fetch(`${sb.url}${RECIPES}`, { headers: { Authorization: `Bearer ${nord().accessToken}` } })
    expect(res.headers.get('content-length')).toBeNull()
    const text = await res.text()
    expect(Buffer.byteLength(text)).toBe(100_000)
    expect(JSON.parse(text)).toBeTypeOf('object')
    const big = await apiGet(sb.url, '/api/v2/accounts/outlets/', nord().accessToken)
    expect(big.text.length).toBe(5 * 1024 * 1024)
  })

  it('rate_limit answers 429 with Retry-After (30 by default)', async () => {
    sb = await startSandbox()
    sb.faults.inject({ route: 'active', kind: 'rate_limit', times: 1 })
    sb.faults.inject({ route: 'outlets', kind: 'rate_limit', retryAfter: 7, times: 1 })
    const a = await apiGet(sb.url, '/api/v2/accounts/libraries/active/', nord().accessToken)
    expect(a.status).toBe(429)
    expect(a.headers.get('retry-after')).toBe('30')
    expect((await apiGet(sb.url, '/api/v2/accounts/outlets/', nord().accessToken)).headers.get('retry-after')).toBe('7')
  })
})

describe('faults around the commit', () => {
  it('truncated: the refresh commits, the body is cut mid-way', async () => {
    sb = await startSandbox()
    sb.faults.inject({ route: 'token', kind: 'truncated', times: 1 })
    const a = await refresh(sb.url, nord())
    expect(a.status).toBe(200)
    expect(a.text.startsWith('{"access_token":"')).toBe(true)
    expect(() => JSON.parse(a.text) as unknown).toThrow()
    expect((await refresh(sb.url, nord())).body['error']).toBe('invalid_grant')
  })

  it('reset_before_commit: the connection drops and the refresh token stays valid', async () => {
    sb = await startSandbox()
    sb.faults.inject({ route: 'token', kind: 'reset_before_commit', times: 1 })
    await fetchError(refresh(sb.url, nord()))
    const a = await refresh(sb.url, nord())
    expect(a.status).toBe(200)
    expect(sb.counters.hits.filter((h) => h.route === 'token').map((h) => h.status)).toEqual([0, 200])
  })

  it('reset_after_commit: the rotation happened, so the old refresh token is dead', async () => {
    sb = await startSandbox({ revokeFamilyOnReuse: false })
    sb.faults.inject({ route: 'token', kind: 'reset_after_commit', times: 1 })
    await fetchError(refresh(sb.url, nord()))
    const a = await refresh(sb.url, nord())
    expect(a.status).toBe(400)
    expect(a.body['error']).toBe('invalid_grant')
  })

  it('reset_after_commit on a switch: the library did change', async () => {
    sb = await startSandbox()
    sb.faults.inject({ route: 'active', kind: 'reset_after_commit', times: 1 })
    const pat = sb.fixtures.user.token.accessToken
    await fetchError(
      fetch(`${sb.url}/api/v2/accounts/libraries/active/`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${pat}`, 'Content-Type': 'application/json' },
        body: '{"library":1002}'
      })
    )
    expect((await apiGet(sb.url, '/api/v2/accounts/libraries/active/', pat)).body['id']).toBe(1002)
  })
})

describe('fault selection', () => {
  it('times limits how often a fault fires; clear removes faults', async () => {
    sb = await startSandbox()
    sb.faults.inject({ route: 'recipes', kind: 'status', times: 2 })
    const token = nord().accessToken
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) statuses.push((await apiGet(sb.url, RECIPES, token)).status)
    expect(statuses).toEqual([503, 503, 200])
    const id = sb.faults.inject({ route: '*', kind: 'status', status: 502 })
    expect((await apiGet(sb.url, '/api/v2/accounts/outlets/', token)).status).toBe(502)
    expect((await apiGet(sb.url, '/anything/', token)).status).toBe(502)
    sb.faults.clear(id)
    expect((await apiGet(sb.url, RECIPES, token)).status).toBe(200)
    sb.faults.inject({ route: 'recipes', kind: 'status' })
    expect((await apiGet(sb.url, '/api/v2/accounts/outlets/', token)).status).toBe(200) // other route untouched
    sb.faults.clear()
    expect(sb.faults.list()).toEqual([])
  })

  it('probability draws from the seeded RNG: same seed, same pattern', async () => {
    const pattern = async (seed: number): Promise<number[]> => {
      const box = await startSandbox({ seed, rateLimitPerMinute: false })
      try {
        box.faults.inject({ route: 'outlets', kind: 'status', probability: 0.5 })
        const token = library(box.fixtures.libraries, 1001).accessToken
        const out: number[] = []
        for (let i = 0; i < 24; i++) out.push((await apiGet(box.url, '/api/v2/accounts/outlets/', token)).status)
        return out
      } finally {
        await box.close()
      }
    }
    sb = await startSandbox()
    const first = await pattern(3)
    expect(await pattern(3)).toEqual(first)
    expect(first).toContain(503)
    expect(first).toContain(200)
  })

  it('rejects malformed specs', async () => {
    sb = await startSandbox()
    expect(() => sb.faults.inject({ route: 'token', kind: 'status', status: 200 })).toThrow(/status/)
    expect(() => sb.faults.inject({ route: 'token', kind: 'latency' })).toThrow(/ms/)
    expect(() => sb.faults.inject({ route: 'token', kind: 'status', probability: 2 })).toThrow(/probability/)
  })

  it('a refresh answered after a latency fault still works', async () => {
    sb = await startSandbox()
    sb.faults.inject({ route: 'token', kind: 'latency', ms: 50 })
    const a = await answer(
      await fetch(`${sb.url}/oauth/token/`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: nord().clientId, client_secret: nord().clientSecret, refresh_token: nord().refreshToken })
      })
    )
    expect(tokenBody(a).token_type).toBe('Bearer')
  })
})
