// Each system's check against its loopback fake (src/main/sandbox/providers): what a working key says of itself, how
// a dead one is refused with its likely causes, a missing scope, a 429 and its wait, a server that cannot answer, and
// that nothing the server sent and no token ends up in what the check reports.
import { Agent } from 'undici'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { listBases } from '../../../src/main/core/systems/airtable/bases.ts'
import { KEY_SYSTEMS, type KeyDetailsBySystem, type KeySystemId } from '../../../src/main/core/systems/registry.ts'
import type { CheckOutcome } from '../../../src/main/core/systems/system.ts'
import { startProviderSandbox, type ProviderSandbox } from '../../../src/main/sandbox/providers/index.ts'

const DAY = 86_400_000
let fakes: ProviderSandbox
const dispatcher = new Agent({ connections: 4 })

beforeAll(async () => {
  fakes = await startProviderSandbox({ startTime: Date.UTC(2026, 11, 1), frozen: true })
})
afterAll(async () => {
  await fakes.close()
  await dispatcher.close()
})
beforeEach(() => {
  for (const fake of [fakes.safetyCulture, fakes.airtable, fakes.checkUrl]) fake.faults.clear()
})

async function check<Id extends KeySystemId>(id: Id, rawDetails: unknown, token: string): Promise<CheckOutcome> {
  const system = KEY_SYSTEMS[id] as (typeof KEY_SYSTEMS)[KeySystemId]
  const details = system.parseDetails(rawDetails) as KeyDetailsBySystem[Id]
  const run = (system.checkWith as (d: KeyDetailsBySystem[Id]) => ((c: never) => Promise<CheckOutcome>) | null)(details)
  if (run === null) throw new Error(`${id} has no check for these details`)
  const outcome = await run({ details, token, name: 'Test key', dispatcher, now: () => fakes.clock.now() } as never)
  expect(JSON.stringify(outcome)).not.toContain(token)
  return outcome
}

describe('SafetyCulture: WhoAmI', () => {
  it('names who and which organisation a working token acts as', async () => {
    const sc = fakes.safetyCulture
    const org = sc.addOrganisation({ name: 'Grill Haven Group' })
    const user = sc.addUser({ organisationId: org.id, firstname: 'Pat', lastname: 'Jansen' })
    const token = sc.issueUserToken(user.id)
    const details = { kind: 'user', organisation: 'Grill Haven Group', owner: 'Pat Jansen', apiBaseUrl: sc.url }
    expect(await check('safetyculture', details, token.value)).toEqual({ outcome: 'ok', identity: { id: user.id, who: 'Pat Jansen', organisation: org.id } })
  })

  it('a user deactivated, a token revoked, or 30 days unused: refused, with the likely causes', async () => {
    const sc = fakes.safetyCulture
    const org = sc.addOrganisation({ name: 'Bistro Group' })
    const leaving = sc.addUser({ organisationId: org.id, firstname: 'Sam' })
    const details = { kind: 'user', organisation: 'Bistro Group', owner: 'Sam', apiBaseUrl: sc.url }
    const a = sc.issueUserToken(leaving.id)
    sc.deactivateUser(leaving.id)
    const refused = await check('safetyculture', details, a.value)
    expect(refused).toMatchObject({ outcome: 'refused', status: 401, causes: expect.stringMatching(/deactivated or left.*revoked.*30 days unused/) })

    const staying = sc.addUser({ organisationId: org.id, firstname: 'Kim' })
    const b = sc.issueUserToken(staying.id)
    sc.revokeToken(b.id)
    expect(await check('safetyculture', details, b.value)).toMatchObject({ outcome: 'refused', status: 401 })

    const c = sc.issueUserToken(staying.id)
    expect((await check('safetyculture', details, c.value)).outcome).toBe('ok') // a use, at day 0
    fakes.clock.advance(29 * DAY)
    expect((await check('safetyculture', details, c.value)).outcome).toBe('ok') // day 29: a use, so the 30 days start again
    fakes.clock.advance(30 * DAY)
    expect(await check('safetyculture', details, c.value)).toMatchObject({ outcome: 'refused' })
  })

  it('a service-user token names its other causes', async () => {
    const sc = fakes.safetyCulture
    const org = sc.addOrganisation({ name: 'Service Org' })
    const robot = sc.addServiceUser({ organisationId: org.id, name: 'sync-bot' })
    const token = sc.issueServiceUserToken(robot.id)
    sc.revokeToken(token.id)
    const details = { kind: 'service_user', organisation: 'Service Org', owner: 'sync-bot', apiBaseUrl: sc.url }
    expect(await check('safetyculture', details, token.value)).toMatchObject({ outcome: 'refused', causes: expect.stringMatching(/service user was removed/) })
  })

  it('a 503, an HTML page or a reset says nothing about the token: unreachable', async () => {
    const sc = fakes.safetyCulture
    const org = sc.addOrganisation({ name: 'Faulty Org' })
    const user = sc.addUser({ organisationId: org.id, firstname: 'Lee' })
    const token = sc.issueUserToken(user.id)
    const details = { kind: 'user', organisation: 'Faulty Org', owner: 'Lee', apiBaseUrl: sc.url }
    for (const fault of [{ kind: 'status', status: 503 }, { kind: 'html' }, { kind: 'reset' }] as const) {
      sc.faults.inject({ route: '*', times: 1, ...fault })
      expect((await check('safetyculture', details, token.value)).outcome).toBe('unreachable')
    }
    expect((await check('safetyculture', details, token.value)).outcome).toBe('ok')
  })
})

describe('Airtable: whoami and bases', () => {
  it('a working token says its id (and e-mail with user.email:read); regenerating kills the old value at once', async () => {
    const at = fakes.airtable
    const user = at.addUser({ email: 'ops@grillhaven.example', bases: [{ name: 'Inspections' }, { name: 'Suppliers' }] })
    const token = at.createToken({ userId: user.id, name: 'larder', scopes: ['data.records:read', 'user.email:read', 'schema.bases:read'] })
    const details = { scopes: ['data.records:read'], apiBaseUrl: at.url }
    expect(await check('airtable', details, token.value)).toEqual({ outcome: 'ok', identity: { id: user.id, who: 'ops@grillhaven.example', organisation: null } })
    const fresh = at.regenerateToken(token.id)
    expect(await check('airtable', details, token.value)).toMatchObject({ outcome: 'refused', status: 401, causes: expect.stringMatching(/regenerated/) })
    expect((await check('airtable', details, fresh.value)).outcome).toBe('ok')
  })

  it('lists the bases a token reaches, page by page; without schema.bases:read it says so', async () => {
    const at = fakes.airtable
    const bases = Array.from({ length: 130 }, (_, i) => ({ name: `Base ${i + 1}` }))
    const user = at.addUser({ bases })
    const token = at.createToken({ userId: user.id, name: 'bases', scopes: ['schema.bases:read'], bases: 'all' })
    const details = KEY_SYSTEMS.airtable.parseDetails({ apiBaseUrl: at.url })
    const context = { details, token: token.value, name: 'bases', dispatcher, now: () => fakes.clock.now() }
    const listed = await listBases(context)
    expect(listed.outcome).toBe('ok')
    if (listed.outcome === 'ok') {
      expect(listed.complete).toBe(true)
      expect(listed.bases.map((base) => base.name)).toEqual(bases.map((base) => base.name))
    }
    const narrow = at.createToken({ userId: user.id, name: 'narrow', scopes: ['data.records:read'], bases: 'all' })
    expect(await listBases({ ...context, token: narrow.value })).toMatchObject({ outcome: 'forbidden', message: expect.stringMatching(/schema\.bases:read/) })
  })

  it('a 429 means wait 30 seconds', async () => {
    const at = fakes.airtable
    const user = at.addUser({})
    const token = at.createToken({ userId: user.id, name: 'busy', scopes: ['data.records:read'] })
    at.faults.inject({ route: '*', kind: 'status', status: 429, times: 1 })
    const now = fakes.clock.now()
    expect(await check('airtable', { apiBaseUrl: at.url }, token.value)).toEqual({ outcome: 'rate_limited', retryAt: now + 30_000 })
  })
})

describe('service tokens: the check URL', () => {
  it('carried as Bearer or in a named header; revoked, expired or deleted: refused', async () => {
    const cu = fakes.checkUrl
    const user = cu.createServiceUser({ name: 'svc-sync' })
    const bearer = cu.createToken({ serviceUserId: user.id, name: 'prod', environment: 'production' })
    const base = { serviceUser: 'svc-sync', environment: 'production', expiresAt: null }
    expect(await check('service_token', { ...base, checkUrl: bearer.checkUrl }, bearer.value)).toEqual({ outcome: 'ok', identity: null })

    const named = cu.createToken({ serviceUserId: user.id, name: 'staging', carrier: { kind: 'header', name: 'X-Service-Token' }, environment: 'staging' })
    const inHeader = { ...base, checkUrl: named.checkUrl, carry: { kind: 'header', name: 'X-Service-Token' } }
    expect((await check('service_token', inHeader, named.value)).outcome).toBe('ok')
    // Carried the wrong way, the same token is refused: the key's details must say how.
    expect((await check('service_token', { ...base, checkUrl: named.checkUrl }, named.value)).outcome).toBe('refused')

    cu.revokeToken(bearer.id)
    expect(await check('service_token', { ...base, checkUrl: bearer.checkUrl }, bearer.value)).toMatchObject({ outcome: 'refused', causes: expect.stringMatching(/revoked or deleted/) })
    cu.restoreToken(bearer.id)
    expect((await check('service_token', { ...base, checkUrl: bearer.checkUrl }, bearer.value)).outcome).toBe('ok')
    cu.setTokenExpiry(bearer.id, fakes.clock.now() + DAY)
    fakes.clock.advance(DAY + 1)
    expect((await check('service_token', { ...base, checkUrl: bearer.checkUrl }, bearer.value)).outcome).toBe('refused')
  })
})
