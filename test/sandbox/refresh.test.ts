import { afterEach, describe, expect, it } from 'vitest'
import type { Sandbox } from './index.ts'
import { startSandbox } from './index.ts'
import type { Answer } from './test-helpers.ts'
import { apiGet, library, postForm, refresh, resultNames, tokenBody } from './test-helpers.ts'

let sb: Sandbox
afterEach(async () => {
  await sb.close()
})

const DAY_MS = 86_400_000

describe('refresh_token grant', () => {
  it('rotates: new pair works, old refresh token dies, old access token is revoked', async () => {
    sb = await startSandbox()
    const nord = library(sb.fixtures.libraries, 1001)
    const fresh = tokenBody(await refresh(sb.url, nord))
    expect(fresh).toMatchObject({ token_type: 'Bearer', expires_in: 604800, scope: 'accounts library' })
    expect(fresh.access_token).not.toBe(nord.accessToken)
    expect(fresh.refresh_token).not.toBe(nord.refreshToken)
    expect(fresh.access_token).toMatch(/^[A-Za-z0-9]{30}$/)

    const recipes = await apiGet(sb.url, '/api/v2/products/recipes/', fresh.access_token)
    expect(recipes.status).toBe(200)
    expect(resultNames(recipes)[0]).toContain('Brasserie Nord')
    expect((await apiGet(sb.url, '/api/v2/products/recipes/', nord.accessToken)).status).toBe(401)

    const again = await refresh(sb.url, nord)
    expect(again.status).toBe(400)
    expect(again.body['error']).toBe('invalid_grant')
  })

  it('reuse of a rotated refresh token revokes the whole family', async () => {
    sb = await startSandbox()
    const nord = library(sb.fixtures.libraries, 1001)
    const fresh = tokenBody(await refresh(sb.url, nord))
    const reuse = await refresh(sb.url, nord)
    expect(reuse.status).toBe(400)
    expect(reuse.body['error']).toBe('invalid_grant')
    // The legitimate newest pair died with the family.
    expect((await apiGet(sb.url, '/api/v2/products/recipes/', fresh.access_token)).status).toBe(401)
    const next = await refresh(sb.url, { ...nord, refreshToken: fresh.refresh_token })
    expect(next.body['error']).toBe('invalid_grant')
  })

  it('with revokeFamilyOnReuse off, reuse fails but the family lives', async () => {
    sb = await startSandbox({ revokeFamilyOnReuse: false })
    const nord = library(sb.fixtures.libraries, 1001)
    const fresh = tokenBody(await refresh(sb.url, nord))
    expect((await refresh(sb.url, nord)).body['error']).toBe('invalid_grant')
    expect((await apiGet(sb.url, '/api/v2/products/recipes/', fresh.access_token)).status).toBe(200)
    expect((await refresh(sb.url, { ...nord, refreshToken: fresh.refresh_token })).status).toBe(200)
  })

  it('rejects unknown clients, wrong secrets and missing credentials with 401 invalid_client', async () => {
    sb = await startSandbox()
    const nord = library(sb.fixtures.libraries, 1001)
    for (const input of [
      { ...nord, clientSecret: 'wrong' },
      { ...nord, clientId: 'no-such-client' }
    ]) {
      const a = await refresh(sb.url, input)
      expect(a.status).toBe(401)
      expect(a.body['error']).toBe('invalid_client')
    }
    const bare = await postForm(`${sb.url}/oauth/token/`, { grant_type: 'refresh_token', refresh_token: nord.refreshToken })
    expect(bare.status).toBe(401)
    expect(bare.body['error']).toBe('invalid_client')
    // None of that touched the token.
    expect((await refresh(sb.url, nord)).status).toBe(200)
  })

  // Documented choice: a valid client presenting another application's refresh token gets
  // invalid_grant (the client is fine, the grant is not its own); mixing one library's id with
  // another's secret fails client authentication, invalid_client. Neither harms the family.
  it("another library's client: invalid_grant with its own secret, invalid_client with a mixed pair", async () => {
    sb = await startSandbox()
    const nord = library(sb.fixtures.libraries, 1001)
    const zuid = library(sb.fixtures.libraries, 1002)
    const foreign = await refresh(sb.url, { ...zuid, refreshToken: nord.refreshToken })
    expect(foreign.status).toBe(400)
    expect(foreign.body['error']).toBe('invalid_grant')
    const mixed = await refresh(sb.url, { clientId: nord.clientId, clientSecret: zuid.clientSecret, refreshToken: nord.refreshToken })
    expect(mixed.status).toBe(401)
    expect(mixed.body['error']).toBe('invalid_client')
    expect((await refresh(sb.url, nord)).status).toBe(200)
  })

  it('accepts client credentials by HTTP Basic', async () => {
    sb = await startSandbox()
    const nord = library(sb.fixtures.libraries, 1001)
    const basic = Buffer.from(`${nord.clientId}:${nord.clientSecret}`).toString('base64')
    const a = await postForm(
      `${sb.url}/oauth/token/`,
      { grant_type: 'refresh_token', refresh_token: nord.refreshToken },
      { Authorization: `Basic ${basic}` }
    )
    expect(a.status).toBe(200)
  })

  it('refreshes an expired access token; the expired one answers 401', async () => {
    sb = await startSandbox()
    const nord = library(sb.fixtures.libraries, 1001)
    sb.clock.advance(8 * DAY_MS)
    const expired = await apiGet(sb.url, '/api/v2/products/recipes/', nord.accessToken)
    expect(expired.status).toBe(401)
    expect(String(expired.body['detail'])).toMatch(/expired/)
    const fresh = tokenBody(await refresh(sb.url, nord))
    expect((await apiGet(sb.url, '/api/v2/products/recipes/', fresh.access_token)).status).toBe(200)
  })

  it('honours a custom access-token lifetime', async () => {
    sb = await startSandbox({ accessTokenTtlSeconds: 60 })
    const nord = library(sb.fixtures.libraries, 1001)
    sb.clock.advance(59_000)
    expect((await apiGet(sb.url, '/api/v2/products/recipes/', nord.accessToken)).status).toBe(200)
    sb.clock.advance(1_000)
    expect((await apiGet(sb.url, '/api/v2/products/recipes/', nord.accessToken)).status).toBe(401)
    expect(tokenBody(await refresh(sb.url, nord)).expires_in).toBe(60)
  })

  it('answers invalid_request and unsupported_grant_type for malformed requests', async () => {
    sb = await startSandbox()
    const nord = library(sb.fixtures.libraries, 1001)
    const json = await fetch(`${sb.url}/oauth/token/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token' })
    })
    expect(json.status).toBe(400)
    expect(await json.json()).toMatchObject({ error: 'invalid_request' })
    const creds = { client_id: nord.clientId, client_secret: nord.clientSecret }
    // oauthlib hands a request without grant_type to its default (authorization_code) grant, which refuses the type.
    const noGrantType = await postForm(`${sb.url}/oauth/token/`, creds)
    expect(noGrantType.status).toBe(400)
    expect(noGrantType.body['error']).toBe('unsupported_grant_type')
    expect((await postForm(`${sb.url}/oauth/token/`, { ...creds, grant_type: 'refresh_token' })).body['error']).toBe(
      'invalid_request'
    )
    const password = await postForm(`${sb.url}/oauth/token/`, { ...creds, grant_type: 'password' })
    expect(password.status).toBe(400)
    expect(password.body['error']).toBe('unsupported_grant_type')
    const unknown = await refresh(sb.url, { ...nord, refreshToken: 'x'.repeat(30) })
    expect(unknown.body['error']).toBe('invalid_grant')
  })

  it('every token answer carries Cache-Control: no-store, errors with the status oauthlib gives them', async () => {
    sb = await startSandbox()
    const nord = library(sb.fixtures.libraries, 1001)
    const creds = { client_id: nord.clientId, client_secret: nord.clientSecret }
    const answers: [Promise<Answer>, number, string | null][] = [
      [postForm(`${sb.url}/oauth/token/`, creds), 400, 'unsupported_grant_type'],
      [postForm(`${sb.url}/oauth/token/`, { ...creds, grant_type: 'refresh_token' }), 400, 'invalid_request'],
      [refresh(sb.url, { ...nord, clientId: 'no-such-client' }), 401, 'invalid_client'],
      [refresh(sb.url, { ...nord, refreshToken: 'y'.repeat(30) }), 400, 'invalid_grant'],
      [refresh(sb.url, nord), 200, null]
    ]
    for (const [pending, status, error] of answers) {
      const a = await pending
      expect(a.status, a.text).toBe(status)
      expect(a.body['error'] ?? null).toBe(error)
      expect(a.headers.get('cache-control')).toBe('no-store')
      expect(a.headers.get('pragma')).toBe('no-cache')
    }
  })

  it('client authentication by HTTP Basic falls back to the form body when the header does not authenticate', async () => {
    sb = await startSandbox()
    const nord = library(sb.fixtures.libraries, 1001)
    const wrongBasic = `Basic ${Buffer.from(`${nord.clientId}:wrong`).toString('base64')}`
    const withForm = await postForm(
      `${sb.url}/oauth/token/`,
      { grant_type: 'refresh_token', refresh_token: nord.refreshToken, client_id: nord.clientId, client_secret: nord.clientSecret },
      { Authorization: wrongBasic }
    )
    expect(withForm.status).toBe(200)
    const alone = await postForm(`${sb.url}/oauth/token/`, { grant_type: 'refresh_token', refresh_token: tokenBody(withForm).refresh_token }, { Authorization: wrongBasic })
    expect(alone.status).toBe(401)
    expect(alone.body['error']).toBe('invalid_client')
  })

  it("stops a deactivated user's personal token (API 401, refresh invalid_grant)", async () => {
    sb = await startSandbox()
    const pat = sb.fixtures.user
    expect((await apiGet(sb.url, '/api/v2/accounts/libraries/', pat.token.accessToken)).status).toBe(200)
    sb.deactivateUser(pat.id)
    expect((await apiGet(sb.url, '/api/v2/accounts/libraries/', pat.token.accessToken)).status).toBe(401)
    expect((await refresh(sb.url, pat.token)).body['error']).toBe('invalid_grant')
  })
})

describe('refresh-token rotation off', () => {
  it("'omitted': the answer has no refresh_token and the one sent stays good; the old access token is revoked", async () => {
    sb = await startSandbox({ refreshTokenRotation: 'omitted' })
    const nord = library(sb.fixtures.libraries, 1001)
    const first = await refresh(sb.url, nord)
    expect(first.status).toBe(200)
    expect(first.body).not.toHaveProperty('refresh_token')
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 604800, scope: 'accounts library' })
    const access = String(first.body['access_token'])
    expect(access).not.toBe(nord.accessToken)
    expect((await apiGet(sb.url, '/api/v2/library/recipes/', nord.accessToken)).status).toBe(401)
    expect((await apiGet(sb.url, '/api/v2/library/recipes/', access)).status).toBe(200)
    const second = await refresh(sb.url, nord)
    expect(second.status).toBe(200)
    expect(second.body['access_token']).not.toBe(access)
  })

  it("'same': the answer repeats the refresh token it was sent", async () => {
    sb = await startSandbox({ refreshTokenRotation: 'same' })
    const nord = library(sb.fixtures.libraries, 1001)
    expect(tokenBody(await refresh(sb.url, nord)).refresh_token).toBe(nord.refreshToken)
    expect(tokenBody(await refresh(sb.url, nord)).refresh_token).toBe(nord.refreshToken)
  })
})

describe('fixtures', () => {
  it('are deterministic per seed and opaque', async () => {
    sb = await startSandbox({ seed: 7 })
    const same = await startSandbox({ seed: 7 })
    const other = await startSandbox({ seed: 8 })
    try {
      expect(same.fixtures).toEqual(sb.fixtures)
      expect(other.fixtures.libraries[0]?.accessToken).not.toBe(sb.fixtures.libraries[0]?.accessToken)
    } finally {
      await same.close()
      await other.close()
    }
    const { libraries, user, partner } = sb.fixtures
    expect(partner).toMatchObject({ name: 'Larder Demo Partner', kind: 'partner' })
    expect(libraries.map((l) => [l.id, l.name, l.tokenType])).toEqual([
      [1001, 'Brasserie Nord', 'service_account'],
      [1002, 'Café Zuid', 'service_account'],
      [1003, 'Trattoria Oost', 'service_account'],
      [1004, 'Bistro West', 'connected_application']
    ])
    expect(library(libraries, 1004).clientId).toBe(partner.clientId)
    expect(new Set(libraries.map((l) => l.clientId)).size).toBe(4)
    expect(user).toMatchObject({ id: 501, name: 'Pat Partner', activeLibraryId: 1001 })
    expect(user.token).toMatchObject({ tokenType: 'personal', clientId: partner.clientId })
    for (const l of libraries) {
      expect(l.accessToken).toMatch(/^[A-Za-z0-9]{30}$/)
      expect(l.refreshToken).toMatch(/^[A-Za-z0-9]{30}$/)
      expect(l.scopes).toEqual(['accounts', 'library'])
    }
  })
})
