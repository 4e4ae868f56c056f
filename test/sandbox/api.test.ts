import { afterEach, describe, expect, it } from 'vitest'
import type { Sandbox } from './index.ts'
import { startSandbox } from './index.ts'
import { answer, apiGet, library, postForm, postJson, resultNames } from './test-helpers.ts'

let sb: Sandbox
afterEach(async () => {
  await sb.close()
})

const ACTIVE = '/api/v2/accounts/libraries/active/'
const RECIPES = '/api/v2/products/recipes/'
const LIBRARY_RECIPES = '/api/v2/library/recipes/'

function switchTo(token: string, libraryId: unknown) {
  return postJson(`${sb.url}${ACTIVE}`, { library: libraryId }, { Authorization: `Bearer ${token}` })
}

describe('accounts endpoints', () => {
  it('list the libraries a token can reach', async () => {
    sb = await startSandbox()
    const zuid = library(sb.fixtures.libraries, 1002)
    const own = await apiGet(sb.url, '/api/v2/accounts/libraries/', zuid.accessToken)
    expect(own.body).toEqual({ count: 1, next: null, previous: null, results: [{ id: 1002, name: 'Café Zuid', status: 'active' }] })
    const pat = await apiGet(sb.url, '/api/v2/accounts/libraries/', sb.fixtures.user.token.accessToken)
    expect(pat.body['count']).toBe(3)
    expect(resultNames(pat)).toEqual(['Brasserie Nord', 'Café Zuid', 'Trattoria Oost'])
  })

  it('report the active library; a personal token switches it (JSON or form) and recipes follow', async () => {
    sb = await startSandbox()
    const pat = sb.fixtures.user.token
    expect((await apiGet(sb.url, ACTIVE, pat.accessToken)).body).toEqual({ id: 1001, name: 'Brasserie Nord', status: 'active' })
    const switched = await switchTo(pat.accessToken, 1002)
    expect(switched.status).toBe(200)
    expect(switched.body).toEqual({ id: 1002, name: 'Café Zuid', status: 'active' })
    expect(resultNames(await apiGet(sb.url, RECIPES, pat.accessToken))[0]).toContain('Café Zuid')
    const byForm = await postForm(`${sb.url}${ACTIVE}`, { library: '1001' }, { Authorization: `Bearer ${pat.accessToken}` })
    expect(byForm.body['id']).toBe(1001)
    expect((await apiGet(sb.url, ACTIVE, pat.accessToken)).body['id']).toBe(1001)
  })

  it('refuse to switch to unknown or unreachable libraries, and for bound tokens', async () => {
    sb = await startSandbox()
    const pat = sb.fixtures.user.token
    for (const target of [9999, 1004, 'abc']) {
      const a = await switchTo(pat.accessToken, target)
      expect(a.status).toBe(400)
      expect(typeof a.body['detail']).toBe('string')
    }
    const service = await switchTo(library(sb.fixtures.libraries, 1001).accessToken, 1002)
    expect(service.status).toBe(400)
    expect(String(service.body['detail'])).toMatch(/bound to library 1001/)
    const connected = await switchTo(library(sb.fixtures.libraries, 1004).accessToken, 1001)
    expect(connected.status).toBe(400)
  })

  it('a switch made behind the back (web UI) redirects personal tokens, not service tokens', async () => {
    sb = await startSandbox()
    const pat = sb.fixtures.user.token
    const nord = library(sb.fixtures.libraries, 1001)
    expect(resultNames(await apiGet(sb.url, RECIPES, pat.accessToken))[0]).toContain('Brasserie Nord')
    sb.setActiveLibrary(501, 1002)
    expect(resultNames(await apiGet(sb.url, RECIPES, pat.accessToken))[0]).toContain('Café Zuid')
    expect(resultNames(await apiGet(sb.url, RECIPES, nord.accessToken))[0]).toContain('Brasserie Nord')
    expect(() => sb.setActiveLibrary(501, 1004)).toThrow(/not accessible/)
  })

  it('outlets have string ids and carry the library name', async () => {
    sb = await startSandbox()
    const a = await apiGet(sb.url, '/api/v2/accounts/outlets/', library(sb.fixtures.libraries, 1003).accessToken)
    expect(a.status).toBe(200)
    expect(a.body['count']).toBe(2)
    const first = (a.body['results'] as unknown[])[0]
    expect(first).toMatchObject({ id: expect.any(String), name: expect.stringContaining('Trattoria Oost'), custom_fields: expect.any(Object) })
  })
})

describe('scopes and permissions', () => {
  it('403 names the missing scope', async () => {
    sb = await startSandbox()
    const accountsOnly = sb.issueTokenPair({ clientId: library(sb.fixtures.libraries, 1001).clientId, kind: 'service_account', libraryId: 1001, scopes: ['accounts'] })
    const recipes = await apiGet(sb.url, RECIPES, accountsOnly.accessToken)
    expect(recipes.status).toBe(403)
    expect(String(recipes.body['detail'])).toMatch(/'library' scope/)
    expect((await apiGet(sb.url, '/api/v2/accounts/outlets/', accountsOnly.accessToken)).status).toBe(200)

    const libraryOnly = sb.issueTokenPair({ clientId: sb.fixtures.partner.clientId, kind: 'personal', userId: 501, scopes: 'library' })
    const libs = await apiGet(sb.url, '/api/v2/accounts/libraries/', libraryOnly.accessToken)
    expect(libs.status).toBe(403)
    expect(String(libs.body['detail'])).toMatch(/'accounts' scope/)
    expect((await switchTo(libraryOnly.accessToken, 1002)).status).toBe(403)
  })

  it("a personal token also needs the user's permission in the active library", async () => {
    sb = await startSandbox()
    const pat = sb.fixtures.user.token
    expect((await switchTo(pat.accessToken, 1003)).status).toBe(200)
    const recipes = await apiGet(sb.url, RECIPES, pat.accessToken)
    expect(recipes.status).toBe(403)
    expect(String(recipes.body['detail'])).toMatch(/Pat Partner.*'library' permission.*Trattoria Oost/)
    expect((await apiGet(sb.url, '/api/v2/accounts/outlets/', pat.accessToken)).status).toBe(200)
    // A service token of the same library is admin within its scopes.
    expect((await apiGet(sb.url, RECIPES, library(sb.fixtures.libraries, 1003).accessToken)).status).toBe(200)
  })
})

describe('pagination', () => {
  it('pages by 10 by default with absolute next/previous links; recipe ids are strings', async () => {
    sb = await startSandbox()
    const token = library(sb.fixtures.libraries, 1001).accessToken
    const p1 = await apiGet(sb.url, RECIPES, token)
    expect(p1.body).toMatchObject({ count: 57, previous: null, next: `${sb.url}${RECIPES}?page=2` })
    expect(resultNames(p1)).toHaveLength(10)
    const p2 = await apiGet(sb.url, `${RECIPES}?page=2`, token)
    expect(p2.body).toMatchObject({ previous: `${sb.url}${RECIPES}`, next: `${sb.url}${RECIPES}?page=3` })
    const p6 = await apiGet(sb.url, `${RECIPES}?page=6`, token)
    expect(p6.body['next']).toBeNull()
    expect(resultNames(p6)).toHaveLength(7)
    const first = (p1.body['results'] as unknown[])[0]
    expect(first).toMatchObject({ id: '1001001', uid: expect.any(String), category: expect.any(String), sell_price: expect.any(Number), created_date: expect.any(String) })
    const pages = [p1]
    for (let page = 2; page <= 6; page++) pages.push(await apiGet(sb.url, `${RECIPES}?page=${page}`, token))
    const ids = pages.flatMap((p) => (p.body['results'] as { id: unknown }[]).map((r) => r.id))
    expect(ids.every((id) => typeof id === 'string')).toBe(true)
    expect(new Set(ids).size).toBe(57)
    for (const bad of ['7', '0', 'abc']) {
      const a = await apiGet(sb.url, `${RECIPES}?page=${bad}`, token)
      expect(a.status).toBe(404)
      expect(a.body['detail']).toBe('Invalid page.')
    }
  })

  it('honours page_size up to 200 (larger is capped, unreadable falls back to 10) and keeps it in the links', async () => {
    sb = await startSandbox()
    const big = sb.addLibraryWithApplication({ name: 'Big Kitchen', recipeCount: 450 })
    const one = await apiGet(sb.url, `${RECIPES}?page_size=1`, big.accessToken)
    expect(resultNames(one)).toHaveLength(1)
    expect(one.body).toMatchObject({ count: 450, previous: null, next: `${sb.url}${RECIPES}?page=2&page_size=1` })
    const second = await apiGet(sb.url, `${RECIPES}?page=2&page_size=1`, big.accessToken)
    expect(second.body['previous']).toBe(`${sb.url}${RECIPES}?page_size=1`)
    expect(resultNames(await apiGet(sb.url, `${RECIPES}?page_size=200`, big.accessToken))).toHaveLength(200)
    expect(resultNames(await apiGet(sb.url, `${RECIPES}?page_size=500`, big.accessToken))).toHaveLength(200)
    const last = await apiGet(sb.url, `${RECIPES}?page_size=500&page=3`, big.accessToken)
    expect(resultNames(last)).toHaveLength(50)
    expect(last.body['next']).toBeNull()
    for (const unreadable of ['0', '-3', 'abc', '']) {
      expect(resultNames(await apiGet(sb.url, `${RECIPES}?page_size=${unreadable}`, big.accessToken)), unreadable).toHaveLength(10)
    }
    // Every list pages the same way.
    const outlets = await apiGet(sb.url, '/api/v2/accounts/outlets/?page_size=1', library(sb.fixtures.libraries, 1001).accessToken)
    expect(outlets.body).toMatchObject({ count: 3, next: `${sb.url}/api/v2/accounts/outlets/?page=2&page_size=1` })
  })

  it("serves recipes at Apicbase's own path (/api/v2/library/recipes/) and at the older /api/v2/products/recipes/", async () => {
    sb = await startSandbox()
    const token = library(sb.fixtures.libraries, 1002).accessToken
    const library_ = await apiGet(sb.url, `${LIBRARY_RECIPES}?page_size=1`, token)
    const products = await apiGet(sb.url, `${RECIPES}?page_size=1`, token)
    expect(library_.status).toBe(200)
    expect(library_.body['results']).toEqual(products.body['results'])
    expect(library_.body).toMatchObject({ count: 26, next: `${sb.url}${LIBRARY_RECIPES}?page=2&page_size=1` })
    for (let i = 0; i < 100 && sb.counters.hits.length < 2; i++) await new Promise((r) => setTimeout(r, 10))
    expect(sb.counters.hits.map((hit) => hit.route)).toEqual(['recipes', 'recipes'])
    const accountsOnly = sb.issueTokenPair({ clientId: library(sb.fixtures.libraries, 1002).clientId, kind: 'service_account', libraryId: 1002, scopes: ['accounts'] })
    expect((await apiGet(sb.url, LIBRARY_RECIPES, accountsOnly.accessToken)).status).toBe(403)
    expect((await apiGet(sb.url, '/api/v2/library/recipes', token)).status).toBe(404)
  })
})

describe('authentication and routing', () => {
  it('401 for missing, unknown and expired tokens, with a Bearer challenge', async () => {
    sb = await startSandbox()
    const missing = await apiGet(sb.url, RECIPES)
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/)
    expect(typeof missing.body['detail']).toBe('string')
    expect((await apiGet(sb.url, RECIPES, 'not-a-token')).status).toBe(401)
    const token = library(sb.fixtures.libraries, 1001).accessToken
    sb.clock.advance(604_800_000 - 1000)
    expect((await apiGet(sb.url, RECIPES, token)).status).toBe(200)
    sb.clock.advance(1000)
    expect((await apiGet(sb.url, RECIPES, token)).status).toBe(401)
  })

  it('404 for unknown paths (including a missing trailing slash), 405 for wrong methods', async () => {
    sb = await startSandbox()
    const token = library(sb.fixtures.libraries, 1001).accessToken
    for (const path of ['/api/v2/nope/', '/api/v2/products/recipes', '/']) {
      const a = await apiGet(sb.url, path, token)
      expect(a.status).toBe(404)
      expect(a.body).toEqual({ detail: 'Not found.' })
    }
    const del = await answer(await fetch(`${sb.url}${RECIPES}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } }))
    expect(del.status).toBe(405)
    expect(del.headers.get('allow')).toBe('GET')
  })

  it('413 for bodies over 64 KiB', async () => {
    sb = await startSandbox()
    const big = await postForm(`${sb.url}/oauth/token/`, { grant_type: 'refresh_token', pad: 'x'.repeat(70 * 1024) })
    expect(big.status).toBe(413)
    expect(typeof big.body['detail']).toBe('string')
    const justUnder = await postForm(`${sb.url}/oauth/token/`, { grant_type: 'refresh_token', pad: 'x'.repeat(60 * 1024) })
    expect(justUnder.status).toBe(400)
  })
})
