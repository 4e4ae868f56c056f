// The API calls: libraries, the active library and switching it, the health check and its 403
// fallback, and the 401/403 answers, against the sandbox (and a tiny server for list shapes).
import type { ServerResponse } from 'node:http'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApicbaseClient } from '../../../src/main/core/apicbase/index.ts'
import type { ApicbaseClient } from '../../../src/main/core/apicbase/index.ts'
import { LIBRARY_IDS, PERSONAL_USER_ID } from '../../sandbox/index.ts'
import type { Sandbox } from '../../sandbox/index.ts'
import { apiError, assertNoSecretInAnyError, remember, sandbox, seeded, sendJson, targetOf, tinyServer } from './helpers.ts'

let sb: Sandbox
let client: ApicbaseClient

beforeEach(async () => {
  sb = await sandbox()
  client = createApicbaseClient()
})
afterEach(async () => {
  await client.close()
  await sb.close()
})
afterAll(() => {
  expect(assertNoSecretInAnyError()).toBeGreaterThan(0)
})

const PAT = (): ReturnType<typeof targetOf> => targetOf(sb.url, 'Pat (personal)', 'fam-pat')

describe('libraries and the active library', () => {
  it("lists a personal token's libraries with string ids", async () => {
    const libraries = await client.listLibraries(PAT(), sb.fixtures.user.token.accessToken)
    expect(libraries).toEqual([
      { id: '1001', name: 'Brasserie Nord', status: 'active' },
      { id: '1002', name: 'Café Zuid', status: 'active' },
      { id: '1003', name: 'Trattoria Oost', status: 'active' }
    ])
  })

  it("a service account sees only its own library, and it is the active one", async () => {
    const oost = seeded(sb, LIBRARY_IDS.trattoriaOost)
    const target = targetOf(sb.url, 'Trattoria Oost', 'fam-oost')
    expect(await client.listLibraries(target, oost.accessToken)).toEqual([{ id: '1003', name: 'Trattoria Oost', status: 'active' }])
    expect(await client.getActiveLibrary(target, oost.accessToken)).toEqual({ id: '1003', name: 'Trattoria Oost', status: 'active' })
  })

  it('switches the active library of a personal token and confirms it with the GET', async () => {
    const token = sb.fixtures.user.token.accessToken
    expect((await client.getActiveLibrary(PAT(), token)).id).toBe('1001')
    expect(await client.setActiveLibrary(PAT(), token, '1002')).toEqual({ id: '1002', name: 'Café Zuid', status: 'active' })
    expect((await client.getActiveLibrary(PAT(), token)).id).toBe('1002')
    // A switch made in the web UI redirects the token silently; the GET shows it.
    sb.setActiveLibrary(PERSONAL_USER_ID, LIBRARY_IDS.trattoriaOost)
    expect((await client.getActiveLibrary(PAT(), token)).id).toBe('1003')
  })

  it('switching to a library the user cannot reach is invalid_request with the server detail', async () => {
    const error = await apiError(client.setActiveLibrary(PAT(), sb.fixtures.user.token.accessToken, '1004'), 'invalid_request')
    expect(error.status).toBe(400)
    expect(error.message).toContain('switching the active library for Pat (personal)')
    expect(error.message).toContain('Library 1004 does not exist or is not accessible to this user.')
  })

  it('a service-account token cannot switch (400 invalid_request)', async () => {
    const nord = seeded(sb, LIBRARY_IDS.brasserieNord)
    await apiError(client.setActiveLibrary(targetOf(sb.url), nord.accessToken, '1002'), 'invalid_request')
  })
})

describe('health check', () => {
  it('reads the active library when the token may', async () => {
    const nord = seeded(sb, LIBRARY_IDS.brasserieNord)
    const report = await client.healthCheck(targetOf(sb.url), nord.accessToken)
    expect(report).toMatchObject({
      endpoint: '/api/v2/accounts/libraries/active/',
      activeLibrary: { id: '1001', name: 'Brasserie Nord', status: 'active' },
      accountsDenied: false
    })
  })

  it("falls back to the first recipe page when the token lacks the 'accounts' scope", async () => {
    const app = sb.fixtures.applications.find((a) => a.libraryId === LIBRARY_IDS.cafeZuid)
    if (app === undefined) throw new Error('no Café Zuid app')
    const pair = sb.issueTokenPair({ clientId: app.clientId, kind: 'service_account', libraryId: LIBRARY_IDS.cafeZuid, scopes: ['library'] })
    remember(pair.accessToken, pair.refreshToken)
    const target = targetOf(sb.url, 'Café Zuid', pair.familyId)
    const report = await client.healthCheck(target, pair.accessToken)
    expect(report).toMatchObject({ endpoint: '/api/v2/library/recipes/', activeLibrary: null, accountsDenied: true })
    const hits = sb.counters.hits.filter((h) => h.familyId === pair.familyId).map((h) => [h.route, h.status])
    expect(hits).toEqual([
      ['active', 403],
      ['recipes', 200]
    ])
    // The same token listing libraries names the missing scope.
    const error = await apiError(client.listLibraries(target, pair.accessToken), 'forbidden')
    expect(error.message).toContain("lacks the 'accounts' scope")
    expect(error.message).toContain('Café Zuid')
  })

  it("names the 'library' scope or permission when the fallback is forbidden too", async () => {
    const pair = sb.issueTokenPair({ clientId: sb.fixtures.partner.clientId, kind: 'personal', userId: PERSONAL_USER_ID, scopes: ['library'] })
    remember(pair.accessToken, pair.refreshToken)
    sb.setActiveLibrary(PERSONAL_USER_ID, LIBRARY_IDS.trattoriaOost) // Pat may not read recipes there
    const error = await apiError(client.healthCheck(targetOf(sb.url, 'Pat (personal)', pair.familyId), pair.accessToken), 'forbidden')
    expect(error.message).toContain("'library' scope")
    expect(error.message).toContain("its user lacks the 'library' permission")
    expect(error.message).toContain("lacks the 'library' permission in library 'Trattoria Oost'")
  })

  it('an expired access token (sandbox clock + 8 days) is unauthorized, and refreshing fixes it', async () => {
    const nord = seeded(sb, LIBRARY_IDS.brasserieNord)
    sb.clock.advance(8 * 86_400_000)
    const error = await apiError(client.healthCheck(targetOf(sb.url), nord.accessToken), 'unauthorized')
    expect(error.status).toBe(401)
    expect(error.message).toContain('Apicbase refused the access token of Brasserie Nord (HTTP 401)')
    expect(error.message).toContain('The access token has expired.')
    const pair = await client.refresh(targetOf(sb.url), nord, nord.refreshToken)
    remember(pair.accessToken, pair.refreshToken)
    expect((await client.healthCheck(targetOf(sb.url), pair.accessToken)).activeLibrary?.id).toBe('1001')
  })

  it('an unknown access token is unauthorized', async () => {
    await apiError(client.healthCheck(targetOf(sb.url), 'no-such-token-000000'), 'unauthorized')
  })
})

describe('pagination and tolerant list shapes (tiny server)', () => {
  function page(res: ServerResponse, results: unknown[], next: string | null): void {
    sendJson(res, 200, { count: 99, next, previous: null, results })
  }

  it('follows next links across pages, normalizing ids and tolerating missing fields', async () => {
    const tiny = await tinyServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x')
      const n = url.searchParams.get('page') ?? '1'
      if (n === '1') page(res, [{ id: 1, name: 'One', status: 'active' }, { id: '2', name: 'Two' }], `http://127.0.0.1:${req.socket.localPort}${url.pathname}?page=2`)
      else if (n === '2') page(res, [{ id: 3 }, { nonsense: true }, { id: 2, name: 'Two again' }], '/api/v2/accounts/libraries/?page=3')
      else page(res, [{ id: 'lib-4', name: 'Four', status: 'archived' }], null)
    })
    try {
      const libraries = await client.listLibraries(targetOf(tiny.url), 'access-token-0001')
      expect(libraries).toEqual([
        { id: '1', name: 'One', status: 'active' },
        { id: '2', name: 'Two', status: null },
        { id: '3', name: null, status: null },
        { id: 'lib-4', name: 'Four', status: 'archived' }
      ])
      expect(tiny.requests.map((r) => r.url)).toEqual([
        '/api/v2/accounts/libraries/',
        '/api/v2/accounts/libraries/?page=2',
        '/api/v2/accounts/libraries/?page=3'
      ])
    } finally {
      await tiny.close()
    }
  })

  it('accepts a bare array', async () => {
    const tiny = await tinyServer((_req, res) => sendJson(res, 200, [{ id: 7, name: 'Seven', status: 'active' }]))
    try {
      expect(await client.listLibraries(targetOf(tiny.url), 'access-token-0001')).toEqual([{ id: '7', name: 'Seven', status: 'active' }])
    } finally {
      await tiny.close()
    }
  })

  it.each([
    ['a next link to another host', 'https://evil.example/api/v2/accounts/libraries/?page=2'],
    ['a next link that loops back', '/api/v2/accounts/libraries/']
  ])('refuses %s (malformed_response), sending the token nowhere else', async (what, next) => {
    const tiny = await tinyServer((_req, res) => page(res, [{ id: 1, name: 'One' }], next))
    try {
      const error = await apiError(client.listLibraries(targetOf(tiny.url), 'access-token-0001'), 'malformed_response')
      expect(error.message).toContain(what)
      expect(tiny.requests).toHaveLength(1)
    } finally {
      await tiny.close()
    }
  })

  it('stops after 100 pages', async () => {
    const tiny = await tinyServer((req, res) => {
      const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? '1')
      page(res, [{ id: n }], `/api/v2/accounts/libraries/?page=${n + 1}`)
    })
    try {
      const error = await apiError(client.listLibraries(targetOf(tiny.url), 'access-token-0001'), 'malformed_response')
      expect(error.message).toContain('more than 100 pages')
      expect(tiny.requests).toHaveLength(100)
    } finally {
      await tiny.close()
    }
  })

  it.each([
    ['an object without results', { count: 0 }],
    ['results that are not libraries', { results: [{ name: 'no id' }] }]
  ])('%s is malformed_response', async (_label, body) => {
    const tiny = await tinyServer((_req, res) => sendJson(res, 200, body))
    try {
      await apiError(client.listLibraries(targetOf(tiny.url), 'access-token-0001'), 'malformed_response')
    } finally {
      await tiny.close()
    }
  })

  it('sends the switch as JSON {"library": <number>} with the bearer token, and tolerates an empty answer', async () => {
    const seen: { auth: string | undefined; type: string | undefined }[] = []
    const tiny = await tinyServer((req, res) => {
      seen.push({ auth: req.headers.authorization, type: req.headers['content-type'] })
      res.writeHead(204)
      res.end()
    })
    try {
      expect(await client.setActiveLibrary(targetOf(tiny.url), 'access-token-0001', '1002')).toBeNull()
      expect(tiny.requests[0]).toEqual({ method: 'POST', url: '/api/v2/accounts/libraries/active/', body: '{"library":1002}' })
      expect(seen[0]).toEqual({ auth: 'Bearer access-token-0001', type: 'application/json' })
    } finally {
      await tiny.close()
    }
  })

  it('reads an active library wrapped as {"library": id}', async () => {
    const tiny = await tinyServer((_req, res) => sendJson(res, 200, { library: 42 }))
    try {
      expect(await client.getActiveLibrary(targetOf(tiny.url), 'access-token-0001')).toEqual({ id: '42', name: null, status: null })
    } finally {
      await tiny.close()
    }
  })
})
