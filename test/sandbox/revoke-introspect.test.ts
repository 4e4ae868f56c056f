import { afterEach, describe, expect, it } from 'vitest'
import type { LibraryCredentials, Sandbox } from './index.ts'
import { startSandbox } from './index.ts'
import { apiGet, library, postForm, refresh, tokenBody } from './test-helpers.ts'

let sb: Sandbox
afterEach(async () => {
  await sb.close()
})

function revoke(token: string, client: LibraryCredentials) {
  return postForm(`${sb.url}/oauth/revoke_token/`, { token, client_id: client.clientId, client_secret: client.clientSecret })
}

function introspect(token: string, client: LibraryCredentials) {
  return postForm(`${sb.url}/oauth/introspect/`, { token, client_id: client.clientId, client_secret: client.clientSecret })
}

describe('introspection', () => {
  it('describes an active access token, by form or Basic client credentials', async () => {
    sb = await startSandbox({ startTime: Date.UTC(2025, 0, 1) })
    const nord = library(sb.fixtures.libraries, 1001)
    const a = await introspect(nord.accessToken, nord)
    expect(a.status).toBe(200)
    expect(a.body).toMatchObject({ active: true, scope: 'accounts library', client_id: nord.clientId, token_type: 'Bearer' })
    const exp = Number(a.body['exp'])
    expect(Math.abs(exp - (Date.UTC(2025, 0, 1) / 1000 + 604800))).toBeLessThan(5)

    const basic = Buffer.from(`${nord.clientId}:${nord.clientSecret}`).toString('base64')
    const b = await postForm(`${sb.url}/oauth/introspect/`, { token: nord.accessToken }, { Authorization: `Basic ${basic}` })
    expect(b.body['active']).toBe(true)
  })

  it('says inactive for expired, unknown and refresh tokens; demands client credentials', async () => {
    sb = await startSandbox()
    const nord = library(sb.fixtures.libraries, 1001)
    expect((await introspect('nope', nord)).body).toEqual({ active: false })
    expect((await introspect(nord.refreshToken, nord)).body).toEqual({ active: false })
    sb.clock.advance(604_800_000)
    expect((await introspect(nord.accessToken, nord)).body).toEqual({ active: false })
    const anonymous = await postForm(`${sb.url}/oauth/introspect/`, { token: nord.accessToken })
    expect(anonymous.status).toBe(401)
    expect(anonymous.body['error']).toBe('invalid_client')
  })
})

describe('revocation', () => {
  it('revoking an access token kills just that token; the refresh token still works', async () => {
    sb = await startSandbox()
    const nord = library(sb.fixtures.libraries, 1001)
    const r = await revoke(nord.accessToken, nord)
    expect(r.status).toBe(200)
    expect((await apiGet(sb.url, '/api/v2/products/recipes/', nord.accessToken)).status).toBe(401)
    expect((await introspect(nord.accessToken, nord)).body['active']).toBe(false)
    const fresh = tokenBody(await refresh(sb.url, nord))
    expect((await apiGet(sb.url, '/api/v2/products/recipes/', fresh.access_token)).status).toBe(200)
  })

  it('revoking a refresh token kills its family', async () => {
    sb = await startSandbox()
    const nord = library(sb.fixtures.libraries, 1001)
    expect((await revoke(nord.refreshToken, nord)).status).toBe(200)
    expect((await apiGet(sb.url, '/api/v2/products/recipes/', nord.accessToken)).status).toBe(401)
    expect((await refresh(sb.url, nord)).body['error']).toBe('invalid_grant')
  })

  it('unknown tokens answer 200; bad clients 401; other clients cannot revoke', async () => {
    sb = await startSandbox()
    const nord = library(sb.fixtures.libraries, 1001)
    const zuid = library(sb.fixtures.libraries, 1002)
    expect((await revoke('unknown-token', nord)).status).toBe(200)
    const bad = await revoke(nord.accessToken, { ...nord, clientSecret: 'wrong' })
    expect(bad.status).toBe(401)
    expect(bad.body['error']).toBe('invalid_client')
    expect((await revoke(nord.refreshToken, zuid)).status).toBe(200) // silently ignored
    expect((await apiGet(sb.url, '/api/v2/products/recipes/', nord.accessToken)).status).toBe(200)
    expect((await refresh(sb.url, nord)).status).toBe(200)
  })
})
