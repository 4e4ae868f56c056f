import { afterEach, describe, expect, it } from 'vitest'
import type { CheckUrlFake, CheckUrlFakeOptions, TokenCarrier } from '../../../src/main/sandbox/providers/index.ts'
import { SandboxError, startCheckUrlFake } from '../../../src/main/sandbox/providers/index.ts'
import { bearer, get, rawRequest, START } from './helpers.ts'

let cu: CheckUrlFake
afterEach(async () => {
  await cu.close()
})

async function start(options: CheckUrlFakeOptions = {}): Promise<string> {
  cu = await startCheckUrlFake({ startTime: START, frozen: true, ...options })
  return cu.createServiceUser({ name: 'deploy-bot' }).id
}

const HEADER: TokenCarrier = { kind: 'header', name: 'X-Service-Token' }
const carry = (carrier: TokenCarrier, value: string): Record<string, string> =>
  carrier.kind === 'bearer' ? bearer(value) : { [carrier.name]: value }
const check = (carrier: TokenCarrier, value: string) => get(cu.checkUrl, carry(carrier, value))

describe('check URL: both ways of carrying a token', () => {
  for (const carrier of [{ kind: 'bearer' } as const, HEADER]) {
    it(`a working token carried as ${carrier.kind === 'bearer' ? 'Authorization: Bearer' : carrier.name} answers 200`, async () => {
      const serviceUserId = await start()
      const token = cu.createToken({ serviceUserId, name: 'production', carrier, environment: 'production' })
      const a = await check(carrier, token.value)
      expect(a.status).toBe(200)
      expect(a.body).toEqual({ ok: true, service_user: { id: serviceUserId, name: 'deploy-bot' } })
      expect(token.checkUrl).toBe(`${cu.url}/check`)
      expect(cu.tokenInfo(token.id)).toMatchObject({ status: 'active', environment: 'production', lastUsedAt: START, carrier })
    })
  }

  it('a named header matches whatever its case; the value must come the way it was registered', async () => {
    const serviceUserId = await start()
    const inHeader = cu.createToken({ serviceUserId, name: 'staging', carrier: HEADER })
    const asBearer = cu.createToken({ serviceUserId, name: 'production' })
    expect((await get(cu.checkUrl, { 'x-service-token': inHeader.value })).status).toBe(200)
    const wrongWay = [await check({ kind: 'bearer' }, inHeader.value), await check(HEADER, asBearer.value)]
    for (const a of wrongWay) expect(a.body).toEqual({ error: 'unauthorized', message: 'Invalid token.' })
    expect(wrongWay.map((a) => a.status)).toEqual([401, 401])
  })

  it('no token, an unknown one, or a header name nobody uses answers 401', async () => {
    const serviceUserId = await start()
    const token = cu.createToken({ serviceUserId, name: 'p' })
    const none = await get(cu.checkUrl)
    expect(none.status).toBe(401)
    expect(none.body).toEqual({ error: 'unauthorized', message: 'No token was sent.' })
    expect((await check({ kind: 'bearer' }, `${token.value}x`)).status).toBe(401)
    expect((await get(cu.checkUrl, { 'X-Api-Key': token.value })).status).toBe(401)
    expect(cu.tokenInfo(token.id).lastUsedAt).toBeNull()
  })

  it('a carrier must be Bearer or a valid header name other than Authorization', async () => {
    const serviceUserId = await start()
    expect(() => cu.createToken({ serviceUserId, name: 'x', carrier: { kind: 'header', name: 'Authorization' } })).toThrow(SandboxError)
    expect(() => cu.createToken({ serviceUserId, name: 'x', carrier: { kind: 'header', name: 'Bad Header' } })).toThrow(SandboxError)
    expect(() => cu.createToken({ serviceUserId: 'svc_nobody', name: 'x' })).toThrow(/unknown service user/)
  })
})

describe('check URL: the lifecycle of a service token', () => {
  it('revoke (403 at once), restore (200 again)', async () => {
    const serviceUserId = await start()
    const token = cu.createToken({ serviceUserId, name: 'production', carrier: HEADER })
    cu.revokeToken(token.id)
    const revoked = await check(HEADER, token.value)
    expect(revoked.status).toBe(403)
    expect(revoked.body).toEqual({ error: 'forbidden', message: 'Token revoked.' })
    expect(cu.tokenInfo(token.id).status).toBe('revoked')
    cu.restoreToken(token.id)
    expect((await check(HEADER, token.value)).status).toBe(200)
    expect(cu.tokenInfo(token.id).status).toBe('active')
    expect(() => cu.restoreToken(token.id)).toThrow(/only a revoked token/)
  })

  it('expiry: works until its time, then 403 "Token expired."; the date can be moved or removed', async () => {
    const serviceUserId = await start()
    const token = cu.createToken({ serviceUserId, name: 'staging', expiresAt: START + 60_000 })
    cu.clock.advance(59_999)
    expect((await check({ kind: 'bearer' }, token.value)).status).toBe(200)
    cu.clock.advance(1)
    const expired = await check({ kind: 'bearer' }, token.value)
    expect(expired.status).toBe(403)
    expect(expired.body).toEqual({ error: 'forbidden', message: 'Token expired.' })
    expect(cu.tokenInfo(token.id)).toMatchObject({ status: 'expired', expiresAt: START + 60_000, lastUsedAt: START + 59_999 })
    cu.setTokenExpiry(token.id, null)
    expect((await check({ kind: 'bearer' }, token.value)).status).toBe(200)
    cu.setTokenExpiry(token.id, START)
    expect(cu.tokenInfo(token.id).status).toBe('expired')
  })

  it('delete: only a revoked or expired token; then 401 for good', async () => {
    const serviceUserId = await start()
    const active = cu.createToken({ serviceUserId, name: 'a' })
    const expiring = cu.createToken({ serviceUserId, name: 'b', expiresAt: START + 1 })
    expect(() => cu.deleteToken(active.id)).toThrow(/only a revoked or expired token/)
    cu.revokeToken(active.id)
    cu.deleteToken(active.id)
    cu.clock.advance(1)
    cu.deleteToken(expiring.id)
    for (const token of [active, expiring]) {
      const a = await check({ kind: 'bearer' }, token.value)
      expect(a.status).toBe(401)
      expect(a.body).toEqual({ error: 'unauthorized', message: 'Invalid token.' })
      expect(cu.tokenInfo(token.id).status).toBe('deleted')
      expect(() => cu.restoreToken(token.id)).toThrow(/was deleted/)
    }
  })

  it('one service user may hold several tokens, each with its own state', async () => {
    const serviceUserId = await start()
    const production = cu.createToken({ serviceUserId, name: 'production', environment: 'production' })
    const staging = cu.createToken({ serviceUserId, name: 'staging', environment: 'staging', carrier: HEADER })
    cu.revokeToken(staging.id)
    expect((await check({ kind: 'bearer' }, production.value)).status).toBe(200)
    expect((await check(HEADER, staging.value)).status).toBe(403)
  })
})

describe('check URL: options and the rest of the HTTP surface', () => {
  it('refusedStatus 401 answers revoked and expired tokens 401; checkPath moves the check', async () => {
    const serviceUserId = await start({ refusedStatus: 401, checkPath: '/api/v1/me' })
    const token = cu.createToken({ serviceUserId, name: 'p' })
    expect(token.checkUrl).toBe(`${cu.url}/api/v1/me`)
    expect((await check({ kind: 'bearer' }, token.value)).status).toBe(200)
    cu.revokeToken(token.id)
    const a = await check({ kind: 'bearer' }, token.value)
    expect(a.status).toBe(401)
    expect(a.body).toEqual({ error: 'unauthorized', message: 'Token revoked.' })
    expect((await get(`${cu.url}/check`, bearer(token.value))).status).toBe(404)
  })

  it('unknown paths 404, other methods 405, big bodies 413', async () => {
    const serviceUserId = await start()
    const token = cu.createToken({ serviceUserId, name: 'p' })
    expect((await get(`${cu.url}/checks`, bearer(token.value))).body).toEqual({ error: 'not_found', message: 'Not found.' })
    const put = await fetch(cu.checkUrl, { method: 'PUT', headers: bearer(token.value) })
    expect(put.status).toBe(405)
    expect(put.headers.get('allow')).toBe('GET')
    expect((await rawRequest(cu.checkUrl, 'GET', Buffer.alloc(17 * 1024, 'a'))).status).toBe(413)
  })
})
