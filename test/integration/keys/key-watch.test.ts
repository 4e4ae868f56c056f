// The timers of keys of other systems, through the real app (vault, core, key watch) on a manual clock that moves with
// the loopback fakes' one day at a time: statuses announced when the clock alone changes them, planned checks about
// once a day, and SafetyCulture's keep-alive (off by default: then nothing is sent on a plan, so inactivity shows).
import { describe, expect, it } from 'vitest'
import type { ProviderSandbox } from '../../../src/main/sandbox/providers/index.ts'
import { keysWorlds } from '../../support/keys-world.ts'
import type { LarderHarness } from '../../support/larder-harness.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR

const startWorld = keysWorlds()

async function started(): Promise<{ h: LarderHarness; fakes: ProviderSandbox; advance: (ms: number, step?: number) => Promise<void>; changed: string[] }> {
  const { h, fakes, advance } = await startWorld()
  const changed: string[] = []
  h.core.on('key.changed', (id) => changed.push(id))
  return { h, fakes, advance, changed }
}

async function safetyCultureKey(h: LarderHarness, fakes: ProviderSandbox, keepAlive: boolean): Promise<{ id: string; tokenId: string }> {
  const org = fakes.safetyCulture.addOrganisation({ name: 'Grill Haven Group' })
  const user = fakes.safetyCulture.addUser({ organisationId: org.id, firstname: 'Pat' })
  const token = fakes.safetyCulture.issueUserToken(user.id)
  const key = await h.core.keys.add({
    system: 'safetyculture',
    name: `Inspections ${keepAlive ? 'kept' : 'left'}`,
    token: token.value,
    details: { kind: 'user', organisation: 'Grill Haven Group', owner: 'Pat', keepAlive, apiBaseUrl: fakes.safetyCulture.url }
  })
  return { id: key.id, tokenId: token.id }
}

const whoAmIs = (fakes: ProviderSandbox): number => fakes.safetyCulture.counters.hits.length

describe('the key watch', () => {
  it('SafetyCulture without keep-alive: nothing is sent on a plan; day 23 and day 30 are announced as they come', async () => {
    const { h, fakes, advance, changed } = await started()
    const { id } = await safetyCultureKey(h, fakes, false)
    const sent = whoAmIs(fakes) // the check when it was added
    changed.length = 0
    await advance(22 * DAY)
    expect(changed).toEqual([])
    await advance(DAY)
    expect(changed).toEqual([id])
    expect(h.core.keys.status(h.core.vault.key(id)!)).toBe('expiring_soon')
    await advance(7 * DAY)
    expect(changed).toEqual([id, id])
    expect(h.core.keys.status(h.core.vault.key(id)!)).toBe('inactive')
    expect(whoAmIs(fakes)).toBe(sent)
  })

  it('SafetyCulture with keep-alive: a WhoAmI three weeks after each use keeps it alive for months, at Apicbase and in Larder', async () => {
    const { h, fakes, advance } = await started()
    const { id, tokenId } = await safetyCultureKey(h, fakes, true)
    const sent = whoAmIs(fakes)
    await advance(90 * DAY)
    expect(whoAmIs(fakes) - sent).toBe(4) // days 21, 42, 63, 84
    expect(h.core.keys.status(h.core.vault.key(id)!)).toBe('healthy')
    expect(fakes.safetyCulture.tokenInfo(tokenId)?.status).toBe('active')
    expect(h.core.keyWatch.nextCheckAt(id)).toBe(h.core.vault.key(id)!.lastUsedAt! + 21 * DAY)
  })

  it('an Airtable key checked when added is checked again about once a day; a revoked service token never on a plan', async () => {
    const { h, fakes, advance } = await started()
    const user = fakes.airtable.addUser({})
    const token = fakes.airtable.createToken({ userId: user.id, name: 'larder', scopes: ['data.records:read'] })
    const key = await h.core.keys.add({ system: 'airtable', name: 'Tracking base', token: token.value, details: { apiBaseUrl: fakes.airtable.url } })
    const robot = fakes.checkUrl.createServiceUser({ name: 'svc' })
    const svcToken = fakes.checkUrl.createToken({ serviceUserId: robot.id, name: 'prod' })
    const svc = await h.core.keys.add({ system: 'service_token', name: 'Platform', token: svcToken.value, details: { serviceUser: 'svc', environment: 'production', expiresAt: null, checkUrl: svcToken.checkUrl } })
    await h.core.keys.recordLifecycle(svc.id, 'revoked')
    const airtableHits = fakes.airtable.counters.hits.length
    const checkHits = fakes.checkUrl.counters.hits.length
    await advance(23 * HOUR, HOUR)
    expect(fakes.airtable.counters.hits.length - airtableHits).toBe(0)
    await advance(2 * HOUR + 1, HOUR) // 24 h and up to an hour of spread after the check made when it was added
    expect(fakes.airtable.counters.hits.length - airtableHits).toBe(1)
    await advance(9 * DAY, 2 * HOUR)
    expect(fakes.airtable.counters.hits.length - airtableHits).toBeGreaterThanOrEqual(9)
    expect(fakes.airtable.counters.hits.length - airtableHits).toBeLessThanOrEqual(10)
    expect(fakes.checkUrl.counters.hits.length).toBe(checkHits)
    expect(h.core.vault.key(key.id)?.lastCheck?.outcome).toBe('ok')
  })

  it('a system that cannot answer is asked again an hour later, not in a loop', async () => {
    const { h, fakes, advance } = await started()
    const user = fakes.airtable.addUser({})
    const token = fakes.airtable.createToken({ userId: user.id, name: 'larder', scopes: ['data.records:read'] })
    const key = await h.core.keys.add({ system: 'airtable', name: 'Tracking base', token: token.value, details: { apiBaseUrl: fakes.airtable.url } })
    fakes.airtable.faults.inject({ route: '*', kind: 'status', status: 503, times: 1_000 })
    const before = fakes.airtable.counters.hits.length
    // The planned check about a day after the one made when it was added fails; then one try an hour.
    await advance(37 * HOUR, 15 * 60_000)
    const tries = fakes.airtable.counters.hits.length - before
    expect(tries).toBeGreaterThanOrEqual(11)
    expect(tries).toBeLessThanOrEqual(14)
    expect(h.core.keys.status(h.core.vault.key(key.id)!)).toBe('error')
  })

  it('a vault re-read after a change outside Larder announces every key again and plans it afresh', async () => {
    const { h, fakes, changed } = await started()
    const { id } = await safetyCultureKey(h, fakes, true)
    changed.length = 0
    h.core.reloaded()
    expect(changed).toEqual([id])
    expect(h.core.keyWatch.nextCheckAt(id)).toBe(h.core.vault.key(id)!.lastUsedAt! + 21 * DAY)
  })
})
