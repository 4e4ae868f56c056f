import { afterEach, describe, expect, it } from 'vitest'
import type { LibraryCredentials, Sandbox } from './index.ts'
import { startSandbox } from './index.ts'
import { apiGet, refresh, resultNames, tokenBody } from './test-helpers.ts'

let sb: Sandbox
afterEach(async () => {
  await sb.close()
})

describe('many libraries', () => {
  it('adds 5,000 libraries with their own applications quickly, each fully usable', async () => {
    sb = await startSandbox({ rateLimitPerMinute: false })
    const started = performance.now()
    const added: LibraryCredentials[] = []
    for (let i = 0; i < 5000; i++) added.push(sb.addLibraryWithApplication({ name: `Customer ${i}` }))
    expect(performance.now() - started).toBeLessThan(3000)
    expect(new Set(added.map((l) => l.clientId)).size).toBe(5000)
    expect(new Set(added.map((l) => l.id)).size).toBe(5000)

    const last = added[4999]
    const other = added[10]
    if (last === undefined || other === undefined) throw new Error('missing')
    expect(resultNames(await apiGet(sb.url, '/api/v2/products/recipes/', last.accessToken))[0]).toContain('Customer 4999')
    // Each library refreshes only with its own application's credentials.
    expect((await refresh(sb.url, { ...other, refreshToken: last.refreshToken })).body['error']).toBe('invalid_grant')
    const fresh = tokenBody(await refresh(sb.url, last))
    expect((await apiGet(sb.url, '/api/v2/accounts/libraries/active/', fresh.access_token)).body).toEqual({
      id: last.id,
      name: 'Customer 4999',
      status: 'active'
    })
  })
})
