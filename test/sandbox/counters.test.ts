import { afterEach, describe, expect, it } from 'vitest'
import type { Sandbox } from './index.ts'
import { startSandbox } from './index.ts'
import { apiGet, fetchError, library, refresh } from './test-helpers.ts'

let sb: Sandbox
afterEach(async () => {
  await sb.close()
})

/** Waits until the server has recorded n hits (it records when each response has closed). */
async function hitsRecorded(n: number): Promise<void> {
  for (let i = 0; i < 100 && sb.counters.hits.length < n; i++) await new Promise((r) => setTimeout(r, 10))
}

describe('counters', () => {
  it('see 5 concurrent refreshes of one family held in flight by latency', async () => {
    sb = await startSandbox()
    const nord = library(sb.fixtures.libraries, 1001)
    sb.faults.inject({ route: 'token', kind: 'latency', ms: 300 })
    const answers = await Promise.all(Array.from({ length: 5 }, () => refresh(sb.url, nord)))
    await hitsRecorded(5)
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1)
    expect(answers.filter((a) => a.body['error'] === 'invalid_grant')).toHaveLength(4)
    expect(sb.counters.maxConcurrentRefreshesByFamily(nord.familyId)).toBe(5)
    expect(sb.counters.maxConcurrentRefreshesByFamily()).toBe(5)
    expect(sb.counters.tokenRequestsByFamily(nord.familyId)).toBe(5)
    expect(sb.counters.tokenRequests.get(nord.familyId)).toBe(5)
  })

  it('count a connection reset as in flight until it drops, and sequential refreshes as 1', async () => {
    sb = await startSandbox({ revokeFamilyOnReuse: false })
    const zuid = library(sb.fixtures.libraries, 1002)
    sb.faults.inject({ route: 'token', kind: 'latency', ms: 200, times: 2 })
    sb.faults.inject({ route: 'token', kind: 'reset_before_commit', times: 1 })
    await Promise.all([fetchError(refresh(sb.url, zuid)), refresh(sb.url, zuid)])
    await hitsRecorded(2)
    expect(sb.counters.maxConcurrentRefreshesByFamily(zuid.familyId)).toBe(2)

    const trattoria = library(sb.fixtures.libraries, 1003)
    let current = trattoria.refreshToken
    for (let i = 0; i < 3; i++) {
      const a = await refresh(sb.url, { ...trattoria, refreshToken: current })
      current = String(a.body['refresh_token'])
    }
    expect(sb.counters.maxConcurrentRefreshesByFamily(trattoria.familyId)).toBe(1)
  })

  it('track the busiest 60 s of each family on the sandbox clock', async () => {
    sb = await startSandbox()
    const nord = library(sb.fixtures.libraries, 1001)
    const get = () => apiGet(sb.url, '/api/v2/accounts/outlets/', nord.accessToken)
    await get()
    await get()
    await get()
    sb.clock.advance(61_000)
    await get()
    await get()
    await hitsRecorded(5)
    expect(sb.counters.maxRequestsPerFamilyPerMinute(nord.familyId)).toBe(3)
    sb.clock.advance(30_000)
    await get()
    await get()
    await hitsRecorded(7)
    expect(sb.counters.maxRequestsPerFamilyPerMinute(nord.familyId)).toBe(4)
    expect(sb.counters.maxRequestsPerFamilyPerMinute()).toBe(4)
  })

  it('log every hit with the library it really acted on, and reset', async () => {
    sb = await startSandbox()
    const pat = sb.fixtures.user.token
    await apiGet(sb.url, '/api/v2/products/recipes/', pat.accessToken)
    sb.setActiveLibrary(501, 1002)
    await apiGet(sb.url, '/api/v2/products/recipes/', pat.accessToken)
    await apiGet(sb.url, '/api/v2/products/recipes/')
    await hitsRecorded(3)
    expect(sb.counters.hits.map(({ route, libraryId, familyId, status }) => ({ route, libraryId, familyId, status }))).toEqual([
      { route: 'recipes', libraryId: 1001, familyId: pat.familyId, status: 200 },
      { route: 'recipes', libraryId: 1002, familyId: pat.familyId, status: 200 },
      { route: 'recipes', libraryId: null, familyId: null, status: 401 }
    ])
    expect(sb.counters.hits[0]?.at).toBeTypeOf('number')
    expect(sb.counters.snapshot().hits).toHaveLength(3)
    sb.counters.reset()
    expect(sb.counters.hits).toEqual([])
    expect(sb.counters.maxRequestsPerFamilyPerMinute()).toBe(0)
  })
})
