import { afterEach, describe, expect, it } from 'vitest'
import type { SafetyCultureFake, SafetyCultureFakeOptions } from '../../../src/main/sandbox/providers/index.ts'
import { SandboxError, startSafetyCultureFake } from '../../../src/main/sandbox/providers/index.ts'
import { bearer, DAY, get, rawRequest, START } from './helpers.ts'

let sc: SafetyCultureFake
afterEach(async () => {
  await sc.close()
})

async function start(options: SafetyCultureFakeOptions = {}): Promise<{ orgId: string; userId: string; serviceUserId: string }> {
  sc = await startSafetyCultureFake({ startTime: START, frozen: true, ...options })
  const org = sc.addOrganisation({ name: 'Brasserie Group' })
  const user = sc.addUser({ organisationId: org.id, firstname: 'Ana', lastname: 'Silva' })
  const service = sc.addServiceUser({ organisationId: org.id, name: 'Larder sync' })
  return { orgId: org.id, userId: user.id, serviceUserId: service.id }
}

const whoAmI = (token?: string) => get(sc.whoAmIUrl, token === undefined ? {} : bearer(token))
const UNAUTHENTICATED = { code: 16, message: 'Unauthenticated', details: [] }

describe('SafetyCulture WhoAmI: who a token acts as', () => {
  it('a user token answers 200 {user_id, organisation_id, firstname, lastname}', async () => {
    const { orgId, userId } = await start()
    const token = sc.issueUserToken(userId)
    const a = await whoAmI(token.value)
    expect(a.status).toBe(200)
    expect(a.headers.get('content-type')).toMatch(/^application\/json/)
    expect(a.body).toEqual({ user_id: userId, organisation_id: orgId, firstname: 'Ana', lastname: 'Silva' })
    expect(sc.whoAmIUrl).toBe(`${sc.url}/accounts/user/v1/user:WhoAmI`)
  })

  it('a service-user token answers as the service user (its name as firstname)', async () => {
    const { orgId, serviceUserId } = await start()
    const a = await whoAmI(sc.issueServiceUserToken(serviceUserId).value)
    expect(a.body).toEqual({ user_id: serviceUserId, organisation_id: orgId, firstname: 'Larder sync', lastname: '' })
  })

  it('tokens are random opaque strings, different each time', async () => {
    const { userId } = await start()
    const a = sc.issueUserToken(userId).value
    const b = sc.issueUserToken(userId).value
    expect(a).toMatch(/^[A-Za-z0-9]{64}$/)
    expect(a).not.toBe(b)
  })

  it('a missing, non-Bearer or unknown token answers 401 in gRPC-gateway shape', async () => {
    const { userId } = await start()
    const token = sc.issueUserToken(userId).value
    for (const a of [await whoAmI(), await get(sc.whoAmIUrl, { Authorization: `Basic ${token}` }), await whoAmI(`${token}x`)]) {
      expect(a.status).toBe(401)
      expect(a.body).toEqual(UNAUTHENTICATED)
    }
  })

  it('a revoked token answers 401 at once', async () => {
    const { userId } = await start()
    const token = sc.issueUserToken(userId)
    expect((await whoAmI(token.value)).status).toBe(200)
    sc.revokeToken(token.id)
    const a = await whoAmI(token.value)
    expect(a.status).toBe(401)
    expect(a.body).toEqual(UNAUTHENTICATED)
    expect(sc.tokenInfo(token.id).status).toBe('revoked')
  })

  it("deactivating a user kills the user's tokens, not the service user's; a deactivated user gets no new token", async () => {
    const { orgId, userId, serviceUserId } = await start()
    const user = sc.issueUserToken(userId)
    const service = sc.issueServiceUserToken(serviceUserId)
    sc.deactivateUser(userId)
    expect((await whoAmI(user.value)).status).toBe(401)
    expect(sc.tokenInfo(user.id).status).toBe('owner_deactivated')
    expect((await whoAmI(service.value)).status).toBe(200)
    expect(() => sc.issueUserToken(userId)).toThrow(SandboxError)
    const inactive = sc.addUser({ organisationId: orgId, firstname: 'Left', active: false })
    expect(() => sc.issueUserToken(inactive.id)).toThrow(/deactivated/)
    expect(() => sc.deactivateUser(serviceUserId)).toThrow(SandboxError)
  })
})

describe('SafetyCulture token limits', () => {
  it('at most 10 active tokens per user; a revoked one frees a place', async () => {
    const { orgId, userId } = await start()
    const issued = Array.from({ length: 10 }, () => sc.issueUserToken(userId))
    expect(() => sc.issueUserToken(userId)).toThrow(/at most 10 active/)
    const other = sc.addUser({ organisationId: orgId, firstname: 'Ben' })
    expect(() => sc.issueUserToken(other.id)).not.toThrow()
    sc.revokeToken(issued[0]?.id ?? '')
    expect(() => sc.issueUserToken(userId)).not.toThrow()
    expect(() => sc.issueUserToken(userId)).toThrow(SandboxError)
  })

  it('at most 20 active service-user tokens per organisation, across its service users', async () => {
    const { serviceUserId, orgId } = await start()
    const second = sc.addServiceUser({ organisationId: orgId, name: 'Reports' })
    for (let i = 0; i < 12; i++) sc.issueServiceUserToken(serviceUserId)
    for (let i = 0; i < 8; i++) sc.issueServiceUserToken(second.id)
    expect(() => sc.issueServiceUserToken(serviceUserId)).toThrow(/at most 20 active service user/)
    expect(() => sc.issueServiceUserToken(second.id)).toThrow(SandboxError)
    const otherOrg = sc.addOrganisation({ name: 'Other group' })
    const theirs = sc.addServiceUser({ organisationId: otherOrg.id, name: 'Sync' })
    expect(() => sc.issueServiceUserToken(theirs.id)).not.toThrow()
  })

  it('a token issued to the wrong kind of owner is refused', async () => {
    const { userId, serviceUserId } = await start()
    expect(() => sc.issueServiceUserToken(userId)).toThrow(SandboxError)
    expect(() => sc.issueUserToken(serviceUserId)).toThrow(SandboxError)
    expect(() => sc.issueUserToken('user_nobody')).toThrow(/unknown user/)
  })
})

describe('SafetyCulture: 30 days of inactivity', () => {
  it('a token used at day 29 lives on; unused for 30 days it answers 401 and stays dead', async () => {
    const { userId } = await start()
    const token = sc.issueUserToken(userId)
    sc.clock.advance(29 * DAY)
    expect((await whoAmI(token.value)).status).toBe(200) // day 29: alive, and this call is a use
    sc.clock.advance(29 * DAY)
    expect((await whoAmI(token.value)).status).toBe(200) // 29 days after that use
    expect(sc.tokenInfo(token.id).lastUsedAt).toBe(START + 58 * DAY)
    sc.clock.advance(30 * DAY)
    const dead = await whoAmI(token.value)
    expect(dead.status).toBe(401)
    expect(dead.body).toEqual(UNAUTHENTICATED)
    expect(sc.tokenInfo(token.id).status).toBe('expired_inactive')
    sc.clock.set(START + 60 * DAY) // even with the clock set back, it stays dead
    expect((await whoAmI(token.value)).status).toBe(401)
  })

  it('never used: alive 1 ms before day 30, dead at day 30', async () => {
    const { userId } = await start()
    const early = sc.issueUserToken(userId)
    const late = sc.issueUserToken(userId)
    sc.clock.advance(30 * DAY - 1)
    expect((await whoAmI(early.value)).status).toBe(200)
    sc.clock.advance(1)
    expect((await whoAmI(late.value)).status).toBe(401)
  })

  it('only an answered call is a use: a refused or faulted one does not restart the 30 days', async () => {
    const { userId } = await start()
    const token = sc.issueUserToken(userId)
    sc.clock.advance(20 * DAY)
    sc.faults.inject({ route: 'whoami', kind: 'status', status: 503, times: 1 })
    expect((await whoAmI(token.value)).status).toBe(503)
    sc.clock.advance(10 * DAY)
    expect((await whoAmI(token.value)).status).toBe(401)
  })

  it('expired tokens no longer count toward the 10 per user', async () => {
    const { userId } = await start()
    for (let i = 0; i < 10; i++) sc.issueUserToken(userId)
    sc.clock.advance(30 * DAY)
    expect(() => sc.issueUserToken(userId)).not.toThrow()
  })

  it('service-user tokens expire the same way by default; an option exempts them', async () => {
    const { serviceUserId } = await start()
    const token = sc.issueServiceUserToken(serviceUserId)
    sc.clock.advance(30 * DAY)
    expect((await whoAmI(token.value)).status).toBe(401)
    await sc.close()
    const again = await start({ serviceTokensExpireWhenInactive: false })
    const kept = sc.issueServiceUserToken(again.serviceUserId)
    sc.clock.advance(90 * DAY)
    expect((await whoAmI(kept.value)).status).toBe(200)
  })
})

describe('SafetyCulture: the rest of the HTTP surface', () => {
  it('unknown paths 404, other methods 405 (Allow: GET), big bodies 413, all in gRPC shape', async () => {
    const { userId } = await start()
    const token = sc.issueUserToken(userId).value
    const missing = await get(`${sc.url}/accounts/user/v1/user:WhoAreYou`, bearer(token))
    expect(missing.status).toBe(404)
    expect(missing.body).toEqual({ code: 5, message: 'Not Found', details: [] })
    const post = await fetch(sc.whoAmIUrl, { method: 'POST', headers: bearer(token) })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET')
    expect(await post.json()).toEqual({ code: 12, message: 'Method Not Allowed', details: [] })
    const big = await rawRequest(sc.whoAmIUrl, 'GET', Buffer.alloc(20 * 1024, 'a'))
    expect(big.status).toBe(413)
    expect(JSON.parse(big.text)).toEqual({ code: 3, message: 'Request body too large', details: [] })
  })

  it('an optional per-organisation rate limit answers 429 code 8 (off by default)', async () => {
    const { userId } = await start({ rateLimitPerMinute: 2 })
    const token = sc.issueUserToken(userId).value
    expect((await whoAmI(token)).status).toBe(200)
    expect((await whoAmI(token)).status).toBe(200)
    const throttled = await whoAmI(token)
    expect(throttled.status).toBe(429)
    expect(throttled.body).toEqual({ code: 8, message: 'Too Many Requests', details: [] })
    sc.clock.advance(60_000)
    expect((await whoAmI(token)).status).toBe(200)
  })
})
