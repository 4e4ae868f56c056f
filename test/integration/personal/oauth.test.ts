// Connecting a personal token through OAuth's authorization-code flow, against the sandbox's authorize page and token
// endpoint over loopback (no mocked HTTP): the pasted code, the loopback redirect, an expired code, a reused code, a
// wrong state, a timeout, and bad input. A browser is stood in for by fetch, which is all the page needs.
import fs from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { OAuthConnectedView, OAuthStartedView } from '../../../src/shared/contract.ts'
import { ApiError, InputError } from '../../../src/main/core/errors.ts'
import { authorizeOrigin, buildAuthorizeUrl } from '../../../src/main/core/oauth/authorize-url.ts'
import { CODE_EXPIRED_MESSAGE } from '../../../src/main/core/oauth/oauth-service.ts'
import { readPastedCode } from '../../../src/main/core/oauth/pasted-code.ts'
import { newCodeVerifier, s256Challenge } from '../../../src/main/core/oauth/pkce.ts'
import { sameState } from '../../../src/main/core/oauth/state.ts'
import { LIBRARY_IDS, PERSONAL_USER_ID } from '../../sandbox/index.ts'
import { readTree } from '../../support/core-harness.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

let h: LarderHarness
afterEach(async () => {
  await h?.close()
})

function partner(): { clientId: string; clientSecret: string } {
  const { clientId, clientSecret } = h.sandbox.fixtures.partner
  return { clientId, clientSecret }
}

async function start(redirect: 'paste' | 'loopback', extra: Record<string, unknown> = {}): Promise<OAuthStartedView> {
  const result = await h.handlers['oauth.start']({ ...partner(), scopes: ['accounts', 'library'], apiBaseUrl: h.sandbox.url, redirect, name: 'Pat via OAuth', ...extra })
  if (!result.ok) throw new Error(result.error.message)
  return result.value
}

/** What a person sees on Apicbase's page when the application has no redirect URL: the code to copy. */
async function codeShownBy(authorizeUrl: string): Promise<string> {
  const page = await (await fetch(authorizeUrl)).text()
  const code = /<code id="authorization-code">([^<]+)<\/code>/.exec(page)?.[1]
  if (!code) throw new Error(`no code on the page: ${page.slice(0, 200)}`)
  return code
}

describe('the authorization page address', () => {
  it('is on the web app host for the real API, on the sandbox itself for a loopback sandbox', () => {
    expect(authorizeOrigin('https://api.apicbase.com')).toBe('https://app.apicbase.com')
    expect(authorizeOrigin('https://api.apicbase.com/')).toBe('https://app.apicbase.com')
    expect(authorizeOrigin('http://127.0.0.1:4010')).toBe('http://127.0.0.1:4010')
    expect(authorizeOrigin('https://apicbase.example')).toBe('https://apicbase.example')
    const url = new URL(buildAuthorizeUrl({ apiBaseUrl: 'https://api.apicbase.com', clientId: 'abc', scopes: ['accounts', 'library'], state: 'st', codeChallenge: 'ch', redirectUri: null }))
    expect(`${url.origin}${url.pathname}`).toBe('https://app.apicbase.com/oauth/authorize/')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'abc',
      scope: 'accounts library',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256'
    })
    const withRedirect = new URL(
      buildAuthorizeUrl({ apiBaseUrl: 'https://api.apicbase.com', clientId: 'abc', scopes: ['accounts'], state: 'st', codeChallenge: 'ch', redirectUri: 'http://127.0.0.1:5000/oauth/callback/' })
    )
    expect(withRedirect.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:5000/oauth/callback/')
  })

  it('makes a fresh PKCE verifier per authorization (43 unreserved characters) and its S256 challenge (RFC 7636 appendix B)', () => {
    const verifiers = new Set(Array.from({ length: 20 }, () => newCodeVerifier()))
    expect(verifiers.size).toBe(20)
    for (const verifier of verifiers) expect(verifier).toMatch(/^[A-Za-z0-9._~-]{43,128}$/)
    expect(s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')
  })

  it('compares states in constant time and reads pasted codes and addresses', () => {
    expect(sameState('abc', 'abc')).toBe(true)
    expect(sameState('abd', 'abc')).toBe(false)
    expect(sameState('', 'abc')).toBe(false)
    expect(sameState(null, 'abc')).toBe(false)
    expect(readPastedCode('  "Xy-12_z"\n', 's')).toBe('Xy-12_z')
    expect(readPastedCode('http://127.0.0.1:9/oauth/callback/?code=Abc&state=s', 's')).toBe('Abc')
    expect(readPastedCode('?code=Abc&state=s', 's')).toBe('Abc')
    const cases: [string, RegExp][] = [
      ['', /Paste the authorization code/],
      ['   ', /Paste the authorization code/],
      ['ab cd', /space or line break/],
      ['http://127.0.0.1:9/oauth/callback/?code=Abc&state=other', /belongs to another authorization/],
      ['http://127.0.0.1:9/oauth/callback/?code=Abc', /carries no state/],
      ['http://127.0.0.1:9/oauth/callback/?code=Abc&state=', /carries no state/],
      ['?code=Abc', /carries no state/],
      ['code=Abc', /carries no state/],
      ['http://127.0.0.1:9/oauth/callback/?error=access_denied&state=s', /declined \(access_denied\)/],
      ['http://127.0.0.1:9/oauth/callback/?state=s', /holds no authorization code/],
      ['código', /characters a code never has/],
      ['x'.repeat(9000), /far too long/]
    ]
    for (const [pasted, message] of cases) {
      const error = (() => {
        try {
          readPastedCode(pasted, 's')
        } catch (e) {
          return e
        }
        return null
      })()
      expect(error, pasted.slice(0, 40)).toBeInstanceOf(InputError)
      expect((error as InputError).field).toBe('code')
      expect((error as Error).message).toMatch(message)
    }
  })
})

describe('connect through OAuth, pasting the code', () => {
  it('opens the page without a redirect, exchanges the pasted code and stores a personal token as a connection', async () => {
    h = await startLarder()
    const started = await start('paste')
    expect(started.redirectUri).toBeNull()
    expect(started.codeLifetimeMs).toBe(60_000)
    expect(started.expiresAt).toBe(h.clock.now() + 10 * 60_000)
    const url = new URL(started.authorizeUrl)
    expect(`${url.origin}${url.pathname}`).toBe(`${h.sandbox.url}/oauth/authorize/`)
    expect(url.searchParams.get('response_type')).toBe('code')
    expect(url.searchParams.get('client_id')).toBe(partner().clientId)
    expect(url.searchParams.get('scope')).toBe('accounts library')
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(url.searchParams.has('redirect_uri')).toBe(false)
    // PKCE: the challenge is S256 of a verifier that never leaves the main process until the exchange.
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    // The client secret never leaves the main process: not in the address, not in the answer.
    expect(JSON.stringify(started)).not.toContain(partner().clientSecret)

    const code = await codeShownBy(started.authorizeUrl)
    const completed = await h.handlers['oauth.complete']({ flowId: started.flowId, code: `  ${code}\n` })
    expect(completed.ok).toBe(true)
    const value = (completed as { ok: true; value: OAuthConnectedView }).value
    expect(value.connection).toMatchObject({
      name: 'Pat via OAuth',
      tokenType: 'personal',
      status: 'healthy',
      scopes: ['accounts', 'library'],
      apicbaseLibraryId: String(LIBRARY_IDS.brasserieNord),
      personal: { role: 'connection', activeLibraryId: String(LIBRARY_IDS.brasserieNord), drifted: false, libraryCount: 0 }
    })
    expect(value.activeLibrary).toEqual({ id: String(LIBRARY_IDS.brasserieNord), name: 'Brasserie Nord' })
    expect(value.notes).toEqual([])
    const id = value.connection.id
    const secrets = await h.vault.secrets(id)
    expect(secrets.clientSecret).toBe(partner().clientSecret)
    expect(JSON.stringify(completed)).not.toContain(secrets.accessToken)
    await h.vault.flush()
    const disk = readTree(h.dir)
    for (const secret of [secrets.accessToken, secrets.refreshToken, secrets.clientSecret, code]) expect(disk).not.toContain(secret)
    const audit = await h.core.audit.page({ limit: 5, action: 'added' })
    expect(audit.entries[0]?.detail).toBe('personal token through OAuth (pasted code), scopes: accounts library')

    // Its libraries come next, sharing the token; it refreshes like any other.
    const added = await h.actions.addPersonalLibraries(id, [String(LIBRARY_IDS.cafeZuid)])
    expect(added[0]?.personal?.connectionId).toBe(id)
    await expect(h.actions.refresh(added[0]!.id)).resolves.toMatchObject({ status: 'healthy' })
    // A finished flow is finished.
    expect(await h.handlers['oauth.complete']({ flowId: started.flowId, code })).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'flowId' } })
  })

  it('an expired code (codes live one minute) gets a clear message and saves nothing', async () => {
    h = await startLarder()
    const started = await start('paste')
    const code = await codeShownBy(started.authorizeUrl)
    await h.advance(61_000)
    const result = await h.handlers['oauth.complete']({ flowId: started.flowId, code })
    expect(result).toEqual({ ok: false, error: { kind: 'api', apiKind: 'invalid_grant', message: CODE_EXPIRED_MESSAGE } })
    expect(CODE_EXPIRED_MESSAGE).toMatch(/expired \(codes live one minute\) or was already used.*start again/)
    expect(h.vault.list()).toEqual([])
    // The flow is over: start again.
    expect(await h.handlers['oauth.complete']({ flowId: started.flowId, code })).toMatchObject({ ok: false, error: { field: 'flowId', message: expect.stringMatching(/finished; start again/) } })
  })

  it('a code that was already used gets the same clear message and adds nothing', async () => {
    h = await startLarder()
    const first = await start('paste')
    const code = await codeShownBy(first.authorizeUrl)
    await h.core.oauth.complete(first.flowId, code)
    const second = await start('paste')
    const error = await h.core.oauth.complete(second.flowId, code).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ kind: 'invalid_grant', message: CODE_EXPIRED_MESSAGE })
    expect(h.vault.list()).toHaveLength(1)
  })

  it('accepts the whole redirect address pasted, checking its state', async () => {
    h = await startLarder()
    const started = await start('paste')
    const state = new URL(started.authorizeUrl).searchParams.get('state')!
    const code = h.sandbox.createAuthorizationCode({ clientId: partner().clientId, userId: PERSONAL_USER_ID, scopes: 'accounts library' })
    // Another flow's address is refused and changes nothing: the flow still takes the right one.
    const wrong = await h.handlers['oauth.complete']({ flowId: started.flowId, code: `http://127.0.0.1:1/oauth/callback/?code=${code}&state=not-${state}` })
    expect(wrong).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'code', message: expect.stringMatching(/state does not match/) } })
    expect(h.vault.list()).toEqual([])
    const right = await h.handlers['oauth.complete']({ flowId: started.flowId, code: `http://127.0.0.1:1/oauth/callback/?code=${code}&state=${state}` })
    expect(right).toMatchObject({ ok: true, value: { connection: { tokenType: 'personal' } } })
  })

  it('sends the PKCE verifier its challenge commits to: the sandbox checks it, and a code made for another challenge is refused', async () => {
    h = await startLarder()
    // A code Apicbase issued for another authorization (another challenge): its verifier is not Larder's.
    const stranger = await start('paste')
    const foreign = h.sandbox.createAuthorizationCode({
      clientId: partner().clientId,
      userId: PERSONAL_USER_ID,
      scopes: 'accounts library',
      codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
    })
    const refused = await h.handlers['oauth.complete']({ flowId: stranger.flowId, code: foreign })
    expect(refused).toEqual({ ok: false, error: { kind: 'api', apiKind: 'invalid_grant', message: CODE_EXPIRED_MESSAGE } })
    expect(h.vault.list()).toEqual([])
    // Larder's own: a code the page issued for Larder's challenge is redeemed with Larder's verifier.
    const own = await start('paste')
    const challenge = new URL(own.authorizeUrl).searchParams.get('code_challenge')
    expect(challenge).not.toBe(new URL(stranger.authorizeUrl).searchParams.get('code_challenge'))
    const code = await codeShownBy(own.authorizeUrl)
    const connected = await h.handlers['oauth.complete']({ flowId: own.flowId, code })
    expect(connected).toMatchObject({ ok: true, value: { connection: { tokenType: 'personal' } } })
    const tokenHits = () => h.sandbox.counters.hits.filter((hit) => hit.route === 'token').map((hit) => hit.status)
    for (let i = 0; i < 100 && tokenHits().length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10))
    expect(tokenHits()).toEqual([400, 200])
  })

  it('refuses a pasted address without state and exchanges nothing; the bare code still works', async () => {
    h = await startLarder()
    const started = await start('paste')
    const code = await codeShownBy(started.authorizeUrl)
    for (const address of [`http://127.0.0.1:1/oauth/callback/?code=${code}`, `https://partner.example/callback?code=${code}&state=`, `?code=${code}`]) {
      const refused = await h.handlers['oauth.complete']({ flowId: started.flowId, code: address })
      expect(refused, address).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'code', message: expect.stringMatching(/carries no state.*not used/) } })
    }
    expect(h.sandbox.counters.hits.filter((hit) => hit.route === 'token')).toEqual([])
    expect(h.vault.list()).toEqual([])
    // The flow is still waiting: the code Apicbase showed, pasted alone, connects.
    const connected = await h.handlers['oauth.complete']({ flowId: started.flowId, code })
    expect(connected).toMatchObject({ ok: true, value: { connection: { tokenType: 'personal' } } })
  })

  it('names the token after its application when no name is given, and says when the accounts scope is missing', async () => {
    h = await startLarder()
    const started = await h.core.oauth.start({ ...partner(), scopes: ['library'], apiBaseUrl: h.sandbox.url, redirect: 'paste' })
    const code = await codeShownBy(started.authorizeUrl)
    const connected = await h.core.oauth.complete(started.flowId, code)
    expect(connected.connection.name).toBe('Personal token')
    expect(connected.notes).toEqual([expect.stringMatching(/lacks the 'accounts' scope/)])
    expect(connected.activeLibrary).toBeNull()
  })
})

describe('connect through OAuth, with a loopback redirect', () => {
  it('catches the redirect on 127.0.0.1, checks the state, answers a small page and closes', async () => {
    h = await startLarder()
    const started = await start('loopback')
    expect(started.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback\/$/)
    const url = new URL(started.authorizeUrl)
    expect(url.searchParams.get('redirect_uri')).toBe(started.redirectUri)
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    const state = url.searchParams.get('state')!
    const waiting = h.handlers['oauth.wait']({ flowId: started.flowId })

    // A redirect with the wrong state (another tab, a forged link) is refused and the listener keeps waiting.
    const forged = await fetch(`${started.redirectUri}?code=forged&state=${state.slice(1)}x`)
    expect(forged.status).toBe(400)
    expect(await forged.text()).toMatch(/does not belong to the authorization Larder is waiting for/)
    const noState = await fetch(`${started.redirectUri}?code=forged`)
    expect(noState.status).toBe(400)
    expect((await fetch(started.redirectUri!.replace('/oauth/callback/', '/favicon.ico'))).status).toBe(404)
    expect(h.core.oauth.pending()).toBe(1)

    // The browser: Apicbase's page redirects to the loopback address with the code and the state.
    const authorized = await fetch(started.authorizeUrl, { redirect: 'manual' })
    expect(authorized.status).toBe(302)
    const location = authorized.headers.get('location')!
    expect(location.startsWith(started.redirectUri!)).toBe(true)
    const landing = await fetch(location)
    expect(landing.status).toBe(200)
    expect(landing.headers.get('referrer-policy')).toBe('no-referrer')
    expect(landing.headers.get('cache-control')).toBe('no-store')
    expect(await landing.text()).toMatch(/You can close this tab/)

    const result = await waiting
    expect(result).toMatchObject({ ok: true, value: { connection: { tokenType: 'personal', personal: { role: 'connection' } }, activeLibrary: { id: '1001' } } })
    // One code, then the listener is gone.
    const after = await fetch(location).catch((e: unknown) => e)
    expect(after).toBeInstanceOf(Error)
    const audit = await h.core.audit.page({ limit: 1, action: 'added' })
    expect(audit.entries[0]?.detail).toMatch(/through OAuth \(loopback redirect\)/)
  })

  it('an expired code reaching the listener fails the flow with the clear message', async () => {
    h = await startLarder()
    const started = await start('loopback')
    const state = new URL(started.authorizeUrl).searchParams.get('state')!
    const code = h.sandbox.createAuthorizationCode({ clientId: partner().clientId, userId: PERSONAL_USER_ID, scopes: 'accounts library', redirectUri: started.redirectUri! })
    await h.advance(60_000)
    const landing = await fetch(`${started.redirectUri}?code=${code}&state=${state}`)
    expect(landing.status).toBe(200)
    await expect(h.core.oauth.wait(started.flowId)).rejects.toMatchObject({ kind: 'invalid_grant', message: CODE_EXPIRED_MESSAGE })
    expect(h.vault.list()).toEqual([])
  })

  it('a declined authorization, a timeout and a cancel each end the flow and close the listener', async () => {
    h = await startLarder()
    const declined = await start('loopback')
    const state = new URL(declined.authorizeUrl).searchParams.get('state')!
    await fetch(`${declined.redirectUri}?error=access_denied&state=${state}`)
    await expect(h.core.oauth.wait(declined.flowId)).rejects.toThrow(/declined in Apicbase \(access_denied\)/)

    const slow = await start('loopback')
    const slowWait = h.core.oauth.wait(slow.flowId).catch((e: unknown) => e)
    await h.advance(10 * 60_000)
    expect(await slowWait).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/No answer came back from Apicbase within 10 minutes/) })
    expect(await fetch(slow.redirectUri!).catch((e: unknown) => e)).toBeInstanceOf(Error)

    const dropped = await start('loopback')
    expect(await h.handlers['oauth.cancel']({ flowId: dropped.flowId })).toEqual({ ok: true, value: { cancelled: true } })
    await expect(h.core.oauth.wait(dropped.flowId)).rejects.toThrow(/cancelled/)
    expect(await h.handlers['oauth.cancel']({ flowId: dropped.flowId })).toEqual({ ok: true, value: { cancelled: false } })
    expect(h.core.oauth.pending()).toBe(0)
    expect(h.vault.list()).toEqual([])
  })

  it('a code may still be pasted when the browser cannot reach the listener', async () => {
    h = await startLarder()
    const started = await start('loopback')
    const authorized = await fetch(started.authorizeUrl, { redirect: 'manual' })
    const location = authorized.headers.get('location')!
    const connected = await h.core.oauth.complete(started.flowId, location)
    expect(connected.connection.tokenType).toBe('personal')
  })
})

describe('bad input changes nothing', () => {
  it('refuses bad credentials, scopes, URLs and flows before anything is sent', async () => {
    h = await startLarder()
    const hits = h.sandbox.counters.hits.length
    const base = { ...partner(), scopes: ['accounts'], apiBaseUrl: h.sandbox.url, redirect: 'paste' as const }
    const refusals: [Record<string, unknown>, string, RegExp][] = [
      [{ clientId: 'has space' }, 'clientId', /space or line break/],
      [{ clientSecret: '' }, 'clientSecret', /empty/],
      [{ scopes: ['accounts library'] }, 'scopes[0]', /one word/],
      [{ apiBaseUrl: 'http://evil.example' }, 'apiBaseUrl', /https/],
      [{ apiBaseUrl: 'https://api.apicbase.com/api/v2' }, 'apiBaseUrl', /without the path/],
      [{ name: '\u0000' }, 'name', /control characters/]
    ]
    for (const [change, field, message] of refusals) {
      const result = await h.handlers['oauth.start']({ ...base, ...change } as never)
      expect(result, field).toMatchObject({ ok: false, error: { kind: 'invalid_input', field, message: expect.stringMatching(message) } })
    }
    expect(await h.handlers['oauth.start']({ ...base, scopes: [] })).toMatchObject({ ok: false, error: { field: 'scopes' } })
    expect(await h.handlers['oauth.start']({ ...base, redirect: 'email' as never })).toMatchObject({ ok: false, error: { field: 'redirect' } })
    expect(await h.handlers['oauth.complete']({ flowId: 'nope', code: 'x' })).toMatchObject({ ok: false, error: { field: 'flowId', message: expect.stringMatching(/no such authorization/) } })
    expect(await h.handlers['oauth.wait']({ flowId: 'nope' })).toMatchObject({ ok: false, error: { field: 'flowId' } })
    const started = await start('paste')
    expect(await h.handlers['oauth.complete']({ flowId: started.flowId, code: '' })).toMatchObject({ ok: false, error: { field: 'code' } })
    expect(await h.handlers['oauth.complete']({ flowId: started.flowId, code: 'two words' })).toMatchObject({ ok: false, error: { field: 'code' } })
    // A wrong client secret is Apicbase's to refuse: named, nothing saved.
    const wrongSecret = await start('paste', { clientSecret: 'not-the-secret' })
    const code = await codeShownBy(wrongSecret.authorizeUrl)
    expect(await h.handlers['oauth.complete']({ flowId: wrongSecret.flowId, code })).toMatchObject({ ok: false, error: { kind: 'api', apiKind: 'invalid_client' } })
    expect(h.sandbox.counters.hits.filter((hit) => hit.route === 'token')).toHaveLength(1)
    expect(h.sandbox.counters.hits.length).toBe(hits + 2) // the authorize page and that one exchange
    expect(h.vault.list()).toEqual([])
    expect(fs.existsSync(h.vaultPath)).toBe(true)
  })

  it('a flow older than ten minutes is forgotten, and whoever waited for it is told', async () => {
    h = await startLarder()
    const started = await start('paste')
    const code = await codeShownBy(started.authorizeUrl)
    const waited = h.core.oauth.wait(started.flowId).catch((e: unknown) => e)
    await h.advance(10 * 60_000)
    expect(await waited).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/within 10 minutes of starting it/) })
    expect(await h.handlers['oauth.complete']({ flowId: started.flowId, code })).toMatchObject({ ok: false, error: { field: 'flowId' } })
    expect(h.core.oauth.pending()).toBe(0)
  })
})
