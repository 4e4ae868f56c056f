import { afterEach, describe, expect, it } from 'vitest'
import type { Sandbox } from './index.ts'
import { startSandbox } from './index.ts'
import { answer, apiGet, library, postForm, postJson, resultNames, tokenBody } from './test-helpers.ts'

let sb: Sandbox
afterEach(async () => {
  await sb.close()
})

const get = async (url: string) => answer(await fetch(url))

describe('admin endpoints', () => {
  it('are 404 like any unknown path when admin is off', async () => {
    sb = await startSandbox()
    expect(sb.adminUrl).toBeNull()
    for (const a of [await get(`${sb.url}/__sandbox/fixtures/`), await postJson(`${sb.url}/__sandbox/clock/`, { advanceMs: 1 })]) {
      expect(a.status).toBe(404)
      expect(a.body).toEqual({ detail: 'Not found.' })
    }
  })

  it('serve fixtures, the clock and counters when on', async () => {
    sb = await startSandbox({ admin: true, startTime: 1_000_000 })
    const admin = sb.adminUrl ?? ''
    expect(admin).toBe(`${sb.url}/__sandbox`)
    const fixtures = await get(`${admin}/fixtures/`)
    expect(fixtures.body).toEqual(JSON.parse(JSON.stringify(sb.fixtures)))

    const advanced = await postJson(`${admin}/clock/`, { advanceMs: 60_000 })
    expect(Number(advanced.body['now'])).toBeGreaterThanOrEqual(1_060_000)
    const set = await postJson(`${admin}/clock/`, { setMs: 5_000_000 })
    expect(Number(set.body['now'])).toBeGreaterThanOrEqual(5_000_000)
    expect(Number((await get(`${admin}/clock/`)).body['now'])).toBeLessThan(5_100_000)
    expect((await postJson(`${admin}/clock/`, { advanceMs: 'soon' })).status).toBe(400)
    expect((await postJson(`${admin}/clock/`, {})).status).toBe(400)

    await apiGet(sb.url, '/api/v2/accounts/outlets/', library(sb.fixtures.libraries, 1001).accessToken)
    const counters = await get(`${admin}/counters/`)
    expect(counters.body['hits']).toHaveLength(1)
    expect(counters.body).toHaveProperty('maxRequestsPerFamilyPerMinute')
    await postJson(`${admin}/counters/reset/`, {})
    expect((await get(`${admin}/counters/`)).body['hits']).toEqual([])
    expect(sb.counters.hits).toHaveLength(0) // admin calls are not hits
  })

  it('inject and clear faults', async () => {
    sb = await startSandbox({ admin: true })
    const admin = sb.adminUrl ?? ''
    const injected = await postJson(`${admin}/faults/`, { route: 'outlets', kind: 'status', status: 504 })
    expect(injected.status).toBe(201)
    expect(injected.body['id']).toEqual(expect.any(String))
    const token = library(sb.fixtures.libraries, 1001).accessToken
    expect((await apiGet(sb.url, '/api/v2/accounts/outlets/', token)).status).toBe(504)
    expect((await postJson(`${admin}/faults/`, { route: 'outlets', kind: 'explode' })).status).toBe(400)
    const cleared = await answer(await fetch(`${admin}/faults/`, { method: 'DELETE' }))
    expect(cleared.body).toEqual({ faults: [] })
    expect((await apiGet(sb.url, '/api/v2/accounts/outlets/', token)).status).toBe(200)
  })

  it('switch the active library, add libraries, mint codes and tokens, deactivate users', async () => {
    sb = await startSandbox({ admin: true })
    const admin = sb.adminUrl ?? ''
    const pat = sb.fixtures.user.token
    expect((await postJson(`${admin}/active-library/`, { userId: 501, libraryId: 1002 })).body['id']).toBe(1002)
    expect(resultNames(await apiGet(sb.url, '/api/v2/products/recipes/', pat.accessToken))[0]).toContain('Café Zuid')
    expect((await postJson(`${admin}/active-library/`, { userId: 501, libraryId: 1004 })).status).toBe(400)

    const added = await postJson(`${admin}/libraries/`, { name: 'Snackbar Zee' })
    expect(added.status).toBe(201)
    expect(added.body).toMatchObject({ id: 2001, name: 'Snackbar Zee', tokenType: 'service_account' })
    const outlets = await apiGet(sb.url, '/api/v2/accounts/outlets/', String(added.body['accessToken']))
    expect(resultNames(outlets)[0]).toContain('Snackbar Zee')

    const code = await postJson(`${admin}/codes/`, { clientId: sb.fixtures.partner.clientId, userId: 501, scopes: 'accounts' })
    const pair = tokenBody(
      await postForm(`${sb.url}/oauth/token/`, {
        grant_type: 'authorization_code',
        code: String(code.body['code']),
        client_id: sb.fixtures.partner.clientId,
        client_secret: sb.fixtures.partner.clientSecret
      })
    )
    expect(pair.scope).toBe('accounts')

    const issued = await postJson(`${admin}/tokens/`, { clientId: sb.fixtures.partner.clientId, kind: 'connected_application', libraryId: 1003, scopes: ['library'] })
    expect(issued.body).toMatchObject({ tokenType: 'connected_application', libraryId: 1003, scopes: ['library'] })

    expect((await postJson(`${admin}/users/deactivate/`, { userId: 501 })).status).toBe(200)
    expect((await apiGet(sb.url, '/api/v2/accounts/libraries/', pat.accessToken)).status).toBe(401)
    expect((await postJson(`${admin}/nope/`, {})).status).toBe(404)
    const badJson = await answer(await fetch(`${admin}/libraries/`, { method: 'POST', body: '{oops' }))
    expect(badJson.status).toBe(400)
  })
})
