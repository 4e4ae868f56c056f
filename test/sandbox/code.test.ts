import { afterEach, describe, expect, it } from 'vitest'
import type { Sandbox } from './index.ts'
import { startSandbox } from './index.ts'
import { answer, apiGet, postForm, resultNames, tokenBody } from './test-helpers.ts'

let sb: Sandbox
afterEach(async () => {
  await sb.close()
})

const REDIRECT = 'http://127.0.0.1:4567/callback'

function exchange(code: string, redirectUri?: string, client = sb.fixtures.partner) {
  return postForm(`${sb.url}/oauth/token/`, {
    grant_type: 'authorization_code',
    code,
    client_id: client.clientId,
    client_secret: client.clientSecret,
    ...(redirectUri === undefined ? {} : { redirect_uri: redirectUri })
  })
}

function authorizeUrl(params: Record<string, string>): string {
  return `${sb.url}/oauth/authorize/?${new URLSearchParams({ response_type: 'code', client_id: sb.fixtures.partner.clientId, ...params })}`
}

describe('authorization code flow', () => {
  it('authorize redirects with code and state; the exchange issues a personal pair on the active library', async () => {
    sb = await startSandbox()
    const res = await fetch(authorizeUrl({ scope: 'accounts library', redirect_uri: REDIRECT, state: 'xyz' }), { redirect: 'manual' })
    expect(res.status).toBe(302)
    const location = new URL(res.headers.get('location') ?? '')
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT)
    expect(location.searchParams.get('state')).toBe('xyz')
    const code = location.searchParams.get('code') ?? ''
    const pair = tokenBody(await exchange(code, REDIRECT))
    expect(pair.scope).toBe('accounts library')
    const active = await apiGet(sb.url, '/api/v2/accounts/libraries/active/', pair.access_token)
    expect(active.body).toEqual({ id: 1001, name: 'Brasserie Nord', status: 'active' })
    const fam = sb.counters.hits.find((h) => h.route === 'token')?.familyId ?? ''
    expect(sb.counters.tokenRequestsByFamily(fam)).toBe(1)
  })

  it('without redirect_uri shows the code on a page to copy', async () => {
    sb = await startSandbox()
    const page = await answer(await fetch(authorizeUrl({ scope: 'accounts' })))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/text\/html/)
    const code = /<code id="authorization-code">([A-Za-z0-9]+)<\/code>/.exec(page.text)?.[1] ?? ''
    expect(code).toMatch(/^[A-Za-z0-9]{30}$/)
    const pair = tokenBody(await exchange(code))
    expect(pair.scope).toBe('accounts')
  })

  it('codes expire 60 s after creation (sandbox clock)', async () => {
    sb = await startSandbox()
    const spec = { clientId: sb.fixtures.partner.clientId, userId: 501, scopes: 'accounts library' }
    const late = sb.createAuthorizationCode(spec)
    const inTime = sb.createAuthorizationCode(spec)
    sb.clock.advance(59_000)
    expect((await exchange(inTime)).status).toBe(200)
    sb.clock.advance(2_000)
    const expired = await exchange(late)
    expect(expired.status).toBe(400)
    expect(expired.body['error']).toBe('invalid_grant')
  })

  it('codes are single-use', async () => {
    sb = await startSandbox()
    const code = sb.createAuthorizationCode({ clientId: sb.fixtures.partner.clientId, userId: 501, scopes: ['accounts'] })
    expect((await exchange(code)).status).toBe(200)
    const second = await exchange(code)
    expect(second.status).toBe(400)
    expect(second.body['error']).toBe('invalid_grant')
  })

  it('redirect_uri must match the one given at authorize time', async () => {
    sb = await startSandbox()
    const code = sb.createAuthorizationCode({
      clientId: sb.fixtures.partner.clientId,
      userId: 501,
      scopes: ['accounts'],
      redirectUri: REDIRECT
    })
    const mismatch = await exchange(code, 'http://127.0.0.1:4567/elsewhere')
    expect(mismatch.status).toBe(400)
    expect(mismatch.body['error']).toBe('invalid_grant')
    const missing = await exchange(code)
    expect(missing.body['error']).toBe('invalid_request')
    // A failed attempt does not consume the code (as in oauthlib).
    expect((await exchange(code, REDIRECT)).status).toBe(200)
  })

  it("another client cannot redeem the code; a wrong secret is invalid_client", async () => {
    sb = await startSandbox()
    const code = sb.createAuthorizationCode({ clientId: sb.fixtures.partner.clientId, userId: 501, scopes: ['accounts'] })
    const nordApp = sb.fixtures.libraries[0]
    if (nordApp === undefined) throw new Error('fixtures')
    const other = await exchange(code, undefined, { ...sb.fixtures.partner, clientId: nordApp.clientId, clientSecret: nordApp.clientSecret })
    expect(other.body['error']).toBe('invalid_grant')
    const wrong = await exchange(code, undefined, { ...sb.fixtures.partner, clientSecret: 'nope' })
    expect(wrong.status).toBe(401)
    expect(wrong.body['error']).toBe('invalid_client')
  })

  it('authorize: user_id picks the user, errors are shown or redirected', async () => {
    sb = await startSandbox()
    const unknownClient = await fetch(`${sb.url}/oauth/authorize/?response_type=code&client_id=nope&redirect_uri=${encodeURIComponent(REDIRECT)}`, {
      redirect: 'manual'
    })
    expect(unknownClient.status).toBe(400) // never redirect for an unknown client
    const badType = await fetch(authorizeUrl({ response_type: 'token', redirect_uri: REDIRECT, state: 's' }), { redirect: 'manual' })
    const location = new URL(badType.headers.get('location') ?? '')
    expect(location.searchParams.get('error')).toBe('unsupported_response_type')
    expect(location.searchParams.get('state')).toBe('s')
    const badScope = await fetch(authorizeUrl({ scope: 'stock', redirect_uri: REDIRECT }), { redirect: 'manual' })
    expect(new URL(badScope.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_scope')

    sb.setActiveLibrary(501, 1002)
    const res = await fetch(authorizeUrl({ scope: 'library', redirect_uri: REDIRECT, user_id: '501' }), { redirect: 'manual' })
    const code = new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? ''
    const pair = tokenBody(await exchange(code, REDIRECT))
    expect(resultNames(await apiGet(sb.url, '/api/v2/products/recipes/', pair.access_token))[0]).toContain('Café Zuid')
  })
})
