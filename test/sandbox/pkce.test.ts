// PKCE (RFC 7636) as django-oauth-toolkit checks it through oauthlib: a code issued with a code_challenge is
// redeemed only with the matching code_verifier; a missing verifier is invalid_request, a wrong one invalid_grant,
// and neither consumes the code.
import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { Sandbox } from './index.ts'
import { startSandbox } from './index.ts'
import { postForm, tokenBody } from './test-helpers.ts'

let sb: Sandbox

const REDIRECT = 'http://127.0.0.1:4567/callback'
// RFC 7636, appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'

function exchange(code: string, extra: Record<string, string> = {}) {
  return postForm(`${sb.url}/oauth/token/`, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
    client_id: sb.fixtures.partner.clientId,
    client_secret: sb.fixtures.partner.clientSecret,
    ...extra
  })
}

async function authorize(params: Record<string, string>): Promise<URL> {
  const query = new URLSearchParams({ response_type: 'code', client_id: sb.fixtures.partner.clientId, redirect_uri: REDIRECT, state: 's', ...params })
  const res = await fetch(`${sb.url}/oauth/authorize/?${query}`, { redirect: 'manual' })
  expect(res.status).toBe(302)
  return new URL(res.headers.get('location') ?? '')
}

it('the RFC 7636 example pair is what S256 means here', () => {
  expect(createHash('sha256').update(VERIFIER).digest('base64url')).toBe(CHALLENGE)
})

describe('PKCE', () => {
  afterEach(async () => {
    await sb.close()
  })

  it('an S256 challenge: no verifier is invalid_request, a wrong one invalid_grant, neither consumes the code', async () => {
    sb = await startSandbox()
    const code = (await authorize({ code_challenge: CHALLENGE, code_challenge_method: 'S256' })).searchParams.get('code') ?? ''
    const missing = await exchange(code)
    expect(missing.status).toBe(400)
    expect(missing.body).toMatchObject({ error: 'invalid_request', error_description: 'Code verifier required.' })
    const wrong = await exchange(code, { code_verifier: `${VERIFIER.slice(0, -1)}x` })
    expect(wrong.status).toBe(400)
    expect(wrong.body['error']).toBe('invalid_grant')
    const plainAsVerifier = await exchange(code, { code_verifier: CHALLENGE })
    expect(plainAsVerifier.body['error']).toBe('invalid_grant')
    expect(tokenBody(await exchange(code, { code_verifier: VERIFIER })).scope).toBe('accounts library')
  })

  it("a challenge without a method is 'plain' (oauthlib's default); an unknown method is refused at authorize", async () => {
    sb = await startSandbox()
    const plain = (await authorize({ code_challenge: 'the-plain-challenge-value-is-its-own-verifier-43' })).searchParams.get('code') ?? ''
    expect((await exchange(plain, { code_verifier: 'something-else-entirely-that-is-also-long-enough' })).body['error']).toBe('invalid_grant')
    expect((await exchange(plain, { code_verifier: 'the-plain-challenge-value-is-its-own-verifier-43' })).status).toBe(200)
    const unknown = await authorize({ code_challenge: CHALLENGE, code_challenge_method: 'S512' })
    expect(unknown.searchParams.get('error')).toBe('invalid_request')
    expect(unknown.searchParams.get('state')).toBe('s')
    expect(unknown.searchParams.has('code')).toBe(false)
  })

  it('a code issued without a challenge ignores a verifier (PKCE is not required of this client)', async () => {
    sb = await startSandbox()
    const code = (await authorize({})).searchParams.get('code') ?? ''
    expect((await exchange(code, { code_verifier: VERIFIER })).status).toBe(200)
  })

  it('codes minted by the control API can carry a challenge too', async () => {
    sb = await startSandbox()
    const spec = { clientId: sb.fixtures.partner.clientId, userId: 501, scopes: 'accounts library', redirectUri: REDIRECT, codeChallenge: CHALLENGE }
    const code = sb.createAuthorizationCode(spec)
    expect((await exchange(code)).body['error']).toBe('invalid_request')
    expect((await exchange(code, { code_verifier: VERIFIER })).status).toBe(200)
  })
})
