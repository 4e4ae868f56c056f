import { afterEach, describe, expect, it } from 'vitest'
import type { AirtableFake, AirtableFakeOptions, AirtableUser } from '../../../src/main/sandbox/providers/index.ts'
import { AIRTABLE_BASES_PATH, AIRTABLE_WHOAMI_PATH, SandboxError, startAirtableFake } from '../../../src/main/sandbox/providers/index.ts'
import type { Answer } from './helpers.ts'
import { airtableError, bearer, get, rawRequest, START } from './helpers.ts'

let at: AirtableFake
afterEach(async () => {
  await at.close()
})

async function start(options: AirtableFakeOptions = {}, baseCount = 3): Promise<AirtableUser> {
  at = await startAirtableFake({ startTime: START, frozen: true, ...options })
  return at.addUser({ email: 'ana@example.test', bases: Array.from({ length: baseCount }, (_, i) => ({ name: `Base ${i + 1}` })) })
}

const whoami = (token?: string) => get(`${at.url}${AIRTABLE_WHOAMI_PATH}`, token === undefined ? {} : bearer(token))
const bases = (token: string, offset?: string) =>
  get(`${at.url}${AIRTABLE_BASES_PATH}${offset === undefined ? '' : `?offset=${encodeURIComponent(offset)}`}`, bearer(token))

function listed(a: Answer): { id: string; name: string; permissionLevel: string }[] {
  const list = a.body['bases']
  if (!Array.isArray(list)) throw new Error(`no bases in ${a.text}`)
  return list as { id: string; name: string; permissionLevel: string }[]
}

function expectAuthenticationRequired(a: Answer): void {
  expect(a.status).toBe(401)
  expect(a.body).toEqual({ error: { type: 'AUTHENTICATION_REQUIRED', message: 'Authentication required' } })
}

describe('Airtable whoami', () => {
  it('answers {id} without user.email:read, {id, email} with it', async () => {
    const user = await start()
    const plain = at.createToken({ userId: user.id, name: 'checks', scopes: ['data.records:read'] })
    const withEmail = at.createToken({ userId: user.id, name: 'email', scopes: ['user.email:read'] })
    const a = await whoami(plain.value)
    expect(a.status).toBe(200)
    expect(a.body).toEqual({ id: user.id })
    expect((await whoami(withEmail.value)).body).toEqual({ id: user.id, email: 'ana@example.test' })
    expect(user.id).toMatch(/^usr[A-Za-z0-9]{14}$/)
  })

  it('a missing, unknown or deleted token answers 401 AUTHENTICATION_REQUIRED', async () => {
    const user = await start()
    const token = at.createToken({ userId: user.id, name: 'doomed', scopes: ['data.records:read'] })
    expectAuthenticationRequired(await whoami())
    expectAuthenticationRequired(await whoami(`${token.value}0`))
    expect((await whoami(token.value)).status).toBe(200)
    at.deleteToken(token.id)
    expectAuthenticationRequired(await whoami(token.value))
    expect(at.tokenInfo(token.id).status).toBe('deleted')
    expect(() => at.regenerateToken(token.id)).toThrow(SandboxError)
  })

  it('values are `pat…` id, a dot, and a random part of variable length', async () => {
    const user = await start()
    const issued = Array.from({ length: 20 }, (_, i) => at.createToken({ userId: user.id, name: `t${i}`, scopes: ['data.records:read'] }))
    for (const t of issued) {
      expect(t.id).toMatch(/^pat[A-Za-z0-9]{14}$/)
      expect(t.value.startsWith(`${t.id}.`)).toBe(true)
      expect(t.value).not.toMatch(/\s/)
    }
    expect(new Set(issued.map((t) => t.value.length)).size).toBeGreaterThan(1)
  })

  it('regenerating keeps id, name and permissions; the old value dies at once', async () => {
    const user = await start()
    const token = at.createToken({ userId: user.id, name: 'Tracking base', scopes: ['schema.bases:read', 'user.email:read'] })
    const before = at.tokenInfo(token.id)
    expect((await whoami(token.value)).status).toBe(200)
    const renewed = at.regenerateToken(token.id)
    expect(renewed.id).toBe(token.id)
    expect(renewed.value).not.toBe(token.value)
    expectAuthenticationRequired(await whoami(token.value))
    expect((await whoami(renewed.value)).body).toEqual({ id: user.id, email: 'ana@example.test' })
    expect(listed(await bases(renewed.value))).toHaveLength(3)
    expect(at.tokenInfo(token.id)).toEqual({ ...before, regenerations: 1 })
  })

  it('scopes and bases change without a new value; unknown scopes and foreign bases are refused', async () => {
    const user = await start()
    const token = at.createToken({ userId: user.id, name: 't', scopes: ['schema.bases:read'] })
    expect((await bases(token.value)).status).toBe(200)
    at.setTokenScopes(token.id, ['data.records:read'])
    expect((await bases(token.value)).status).toBe(403)
    expect(() => at.setTokenScopes(token.id, ['data.everything'])).toThrow(/unknown Airtable scope/)
    expect(() => at.setTokenScopes(token.id, [])).toThrow(SandboxError)
    const other = at.addUser({ bases: [{ name: 'Not yours' }] })
    expect(() => at.setTokenBases(token.id, [other.bases[0]?.id ?? ''])).toThrow(/not one of the user's bases/)
  })
})

describe('Airtable bases listing', () => {
  it('needs schema.bases:read: 403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND without it', async () => {
    const user = await start()
    const token = at.createToken({ userId: user.id, name: 'no schema', scopes: ['data.records:read', 'user.email:read'] })
    const a = await bases(token.value)
    expect(a.status).toBe(403)
    expect(airtableError(a).type).toBe('INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND')
    expect(airtableError(a).message).toMatch(/Invalid permissions/)
    expectAuthenticationRequired(await get(`${at.url}${AIRTABLE_BASES_PATH}`))
  })

  it('lists only the granted bases, with their permission level; "all" includes bases added later', async () => {
    const user = await start()
    const [first, , third] = user.bases
    const some = at.createToken({ userId: user.id, name: 'some', scopes: ['schema.bases:read'], bases: [first?.id ?? '', third?.id ?? ''] })
    const all = at.createToken({ userId: user.id, name: 'all', scopes: ['schema.bases:read'] })
    const a = await bases(some.value)
    expect(a.body).toEqual({ bases: [first, third] })
    expect(first).toEqual({ id: expect.stringMatching(/^app[A-Za-z0-9]{14}$/) as unknown, name: 'Base 1', permissionLevel: 'create' })
    const [added] = at.addBases(user.id, [{ name: 'Later', permissionLevel: 'read' }])
    expect(listed(await bases(all.value)).map((b) => b.name)).toEqual(['Base 1', 'Base 2', 'Base 3', 'Later'])
    expect(listed(await bases(some.value))).toHaveLength(2)
    at.setTokenBases(some.id, [added?.id ?? ''])
    expect(listed(await bases(some.value))).toEqual([{ id: added?.id, name: 'Later', permissionLevel: 'read' }])
  })

  it('pages 100 at a time with an offset; the last page has none', async () => {
    const user = await start({}, 250)
    const token = at.createToken({ userId: user.id, name: 'list', scopes: ['schema.bases:read'] })
    const seen: string[] = []
    let offset: string | undefined
    const pageSizes: number[] = []
    do {
      const a = await bases(token.value, offset)
      expect(a.status).toBe(200)
      const page = listed(a)
      pageSizes.push(page.length)
      seen.push(...page.map((b) => b.id))
      const next = a.body['offset']
      offset = typeof next === 'string' ? next : undefined
      if (page.length < 100) expect('offset' in a.body).toBe(false)
    } while (offset !== undefined)
    expect(pageSizes).toEqual([100, 100, 50])
    expect(seen).toEqual(user.bases.map((b) => b.id))
  })

  it('a smaller page size can be set; an offset it did not hand out answers 422', async () => {
    const user = await start({ basesPageSize: 2 })
    const token = at.createToken({ userId: user.id, name: 'list', scopes: ['schema.bases:read'] })
    const first = await bases(token.value)
    expect(listed(first)).toHaveLength(2)
    expect(first.body['offset']).toBe(user.bases[2]?.id)
    const bad = await bases(token.value, 'itrNotAnOffset')
    expect(bad.status).toBe(422)
    expect(airtableError(bad).type).toBe('INVALID_OFFSET_VALUE')
  })
})

describe('Airtable rate limit: 50 requests per second per user, then 30 s of 429', () => {
  it('the 51st request in a second answers 429 for every token of that user, for 30 seconds', async () => {
    const user = await start()
    const one = at.createToken({ userId: user.id, name: 'one', scopes: ['schema.bases:read'] })
    const two = at.createToken({ userId: user.id, name: 'two', scopes: ['data.records:read'] })
    const someoneElse = at.addUser()
    const theirs = at.createToken({ userId: someoneElse.id, name: 'theirs', scopes: ['data.records:read'] })
    const burst = await Promise.all(Array.from({ length: 50 }, (_, i) => whoami(i % 2 === 0 ? one.value : two.value)))
    expect(burst.map((a) => a.status)).toEqual(Array<number>(50).fill(200))

    const over = await whoami(two.value)
    expect(over.status).toBe(429)
    expect(over.body).toEqual({ error: { type: 'RATE_LIMIT_REACHED', message: 'Rate limit exceeded. Please try again later' } })
    expect((await whoami(theirs.value)).status).toBe(200) // another user's budget is untouched

    at.clock.advance(1_000) // the 1 s window has passed, but the 30 s wait has not
    expect((await whoami(one.value)).status).toBe(429)
    at.clock.advance(28_999)
    expect((await bases(one.value)).status).toBe(429)
    at.clock.advance(1)
    expect((await whoami(two.value)).status).toBe(200)
    expect(at.counters.count({ route: 'whoami', status: 429 })).toBe(2)
    expect(at.counters.count({ route: 'bases', status: 429 })).toBe(1)
  })

  it('a steady 50 a second never trips it; a 401 spends nobody\'s budget', async () => {
    const user = await start()
    const token = at.createToken({ userId: user.id, name: 'steady', scopes: ['data.records:read'] })
    for (let second = 0; second < 3; second++) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => whoami(token.value)))
      expect(answers.every((a) => a.status === 200)).toBe(true)
      at.clock.advance(1_000)
    }
    const refused = await Promise.all(Array.from({ length: 60 }, () => whoami('patNobody.x')))
    expect(refused.every((a) => a.status === 401)).toBe(true)
  })
})

describe('Airtable: the rest of the HTTP surface', () => {
  it('unknown paths 404, other methods 405, big bodies 413, in the {error:{type,message}} shape', async () => {
    const user = await start()
    const token = at.createToken({ userId: user.id, name: 't', scopes: ['data.records:read'] })
    const missing = await get(`${at.url}/v0/meta/whoareyou`, bearer(token.value))
    expect(missing.status).toBe(404)
    expect(airtableError(missing).type).toBe('NOT_FOUND')
    const del = await fetch(`${at.url}${AIRTABLE_WHOAMI_PATH}`, { method: 'DELETE', headers: bearer(token.value) })
    expect(del.status).toBe(405)
    expect(del.headers.get('allow')).toBe('GET')
    const big = await rawRequest(`${at.url}${AIRTABLE_BASES_PATH}`, 'GET', Buffer.alloc(20 * 1024, 'a'))
    expect(big.status).toBe(413)
    expect(JSON.parse(big.text)).toEqual({ error: { type: 'REQUEST_TOO_LARGE', message: 'Request body is too large' } })
  })
})
