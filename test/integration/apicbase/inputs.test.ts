// Bad input is refused before anything is sent (invariant 8): the base URL table, and bad arguments
// to every call, checked against the sandbox's request log staying empty.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiBaseUrlProblem, createApicbaseClient, normalizeApiBaseUrl } from '../../../src/main/core/apicbase/index.ts'
import type { ApiTarget, ApicbaseClient, ClientCredentials } from '../../../src/main/core/apicbase/index.ts'
import { InputError } from '../../../src/main/core/errors.ts'
import { LIBRARY_IDS } from '../../sandbox/index.ts'
import type { LibraryCredentials, Sandbox } from '../../sandbox/index.ts'
import { assertNoSecretInAnyError, credsOf, inputError, sandbox, seeded, targetOf } from './helpers.ts'

describe('API base URL', () => {
  it.each([
    ['https://api.apicbase.com', 'https://api.apicbase.com'],
    ['https://api.apicbase.com/', 'https://api.apicbase.com'],
    ['  https://api.apicbase.com/  ', 'https://api.apicbase.com'],
    ['HTTPS://API.Apicbase.COM', 'https://api.apicbase.com'],
    ['https://api.apicbase.com:443/', 'https://api.apicbase.com'],
    ['https://staging.example.com:8443', 'https://staging.example.com:8443'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://[::1]:3000/', 'http://[::1]:3000']
  ])('accepts %s as %s', (input, expected) => {
    expect(normalizeApiBaseUrl(input)).toBe(expected)
    expect(apiBaseUrlProblem(input)).toBeNull()
  })

  it.each([
    ['', /is empty/],
    ['   ', /is empty/],
    ['api.apicbase.com', /not a valid URL/],
    ['https://api .apicbase.com', /spaces/],
    ['http://api.apicbase.com', /must use https:\/\/ \(plain http:\/\/ is only allowed for 127\.0\.0\.1, localhost, \[::1\]\)/],
    ['http://127.0.0.2:8080', /must use https:\/\//],
    ['http://localhost.evil.example', /must use https:\/\//],
    ['ftp://api.apicbase.com', /must use https:\/\/, not ftp:/],
    ['javascript:alert(1)', /must use https:\/\//],
    ['https://larder:hunter2hunter2@api.apicbase.com', /must not contain a user name or password/],
    ['https://api.apicbase.com/?next=1', /must not contain a query/],
    ['https://api.apicbase.com?', /must not contain a query/],
    ['https://api.apicbase.com/#top', /must not contain a fragment/],
    ['https://api.apicbase.com/api/v2/', /without the path \/api\/v2\//],
    [42, /must be text/],
    [null, /must be text/]
  ])('refuses %j', (input, message) => {
    let caught: unknown
    try {
      normalizeApiBaseUrl(input)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(InputError)
    if (!(caught instanceof InputError)) return
    expect(caught.field).toBe('apiBaseUrl')
    expect(caught.message).toMatch(message)
    expect(caught.message).not.toContain('hunter2')
    expect(apiBaseUrlProblem(input)).toBe(caught.message)
  })
})

describe('bad arguments never reach the server', () => {
  let sb: Sandbox
  let client: ApicbaseClient
  let nord: LibraryCredentials
  beforeEach(async () => {
    sb = await sandbox()
    client = createApicbaseClient()
    nord = seeded(sb, LIBRARY_IDS.brasserieNord)
  })
  afterEach(async () => {
    expect(sb.counters.hits).toHaveLength(0)
    await client.close()
    await sb.close()
  })
  afterAll(() => {
    expect(assertNoSecretInAnyError()).toBeGreaterThan(0)
  })

  const asString = (value: unknown): string => value as string

  it.each([
    ['an empty refresh token', () => ({ token: '' }), 'refreshToken'],
    ['a refresh token with a trailing newline', (n: LibraryCredentials) => ({ token: `${n.refreshToken}\n` }), 'refreshToken'],
    ['a refresh token with a space inside', (n: LibraryCredentials) => ({ token: `${n.refreshToken.slice(0, 10)} ${n.refreshToken.slice(10)}` }), 'refreshToken'],
    ['a non-string refresh token', () => ({ token: asString(12345) }), 'refreshToken'],
    ['an empty client secret', (n: LibraryCredentials) => ({ creds: { clientId: n.clientId, clientSecret: '' } }), 'clientSecret'],
    ['a client secret with a tab', (n: LibraryCredentials) => ({ creds: { clientId: n.clientId, clientSecret: `${n.clientSecret}\t` } }), 'clientSecret'],
    ['a missing client ID', (n: LibraryCredentials) => ({ creds: { clientId: asString(undefined), clientSecret: n.clientSecret } }), 'clientId'],
    ['an http base URL', () => ({ target: { baseUrl: 'http://api.apicbase.com' } }), 'apiBaseUrl'],
    ['an empty library name', () => ({ target: { libraryName: '' } }), 'libraryName'],
    ['an empty rate key', () => ({ target: { rateKey: ' ' } }), 'rateKey']
  ])('refresh with %s → InputError naming the field', async (_label, make, field) => {
    const bad: { token?: string; creds?: ClientCredentials; target?: Partial<ApiTarget> } = make(nord)
    const target: ApiTarget = { ...targetOf(sb.url), ...bad.target }
    const error = await inputError(client.refresh(target, bad.creds ?? credsOf(nord), bad.token ?? nord.refreshToken), field)
    expect(error.message).not.toContain(nord.refreshToken)
  })

  it('every other call checks its arguments too', async () => {
    const t = targetOf(sb.url)
    const c = credsOf(nord)
    await inputError(client.exchangeCode(t, c, 'code with space', null, null), 'code')
    await inputError(client.exchangeCode(t, c, 'abc123', 'not a url', null), 'redirectUri')
    await inputError(client.exchangeCode(t, c, 'abc123', null, 'verifier with space'), 'codeVerifier')
    await inputError(client.revoke(t, c, ''), 'token')
    await inputError(client.introspect(t, c, ' x'), 'token')
    await inputError(client.listLibraries(t, ''), 'accessToken')
    await inputError(client.getActiveLibrary(t, `${nord.accessToken}\r\n`), 'accessToken')
    await inputError(client.healthCheck(t, asString(null)), 'accessToken')
    await inputError(client.setActiveLibrary(t, nord.accessToken, ''), 'libraryId')
    await inputError(client.setActiveLibrary(t, nord.accessToken, '10 02'), 'libraryId')
    await inputError(client.setActiveLibrary({ ...t, baseUrl: 'https://x.example/?q=1' }, nord.accessToken, '1002'), 'apiBaseUrl')
  })
})
