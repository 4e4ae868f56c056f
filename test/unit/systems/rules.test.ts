// The token systems' own rules, without a network: what a key's details may be (bad input names its field), when it
// warns and ends, how a request and a script carry it. Their checks run against the fakes in test/integration/systems.
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/main/core/errors.ts'
import { KEY_SYSTEMS, SYSTEMS, isKeySystem } from '../../../src/main/core/systems/registry.ts'
import { INACTIVE_AFTER_MS, keepAliveAt, WARN_AFTER_MS } from '../../../src/main/core/systems/safetyculture/system.ts'
import { WARN_BEFORE_MS } from '../../../src/main/core/systems/service-token/system.ts'
import { exportLines } from '../../../src/shared/copy-formats.ts'
import { carryHeaders, SYSTEM_IDS } from '../../../src/main/core/systems/system.ts'

const DAY = 86_400_000
const ADDED = Date.UTC(2026, 11, 1)

function inputError(run: () => unknown): InputError {
  try {
    run()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('no InputError')
}

describe('the registry', () => {
  it('names every system once, and says which keep their keys as given', () => {
    expect(Object.keys(SYSTEMS).sort()).toEqual([...SYSTEM_IDS].sort())
    expect(SYSTEM_IDS.filter(isKeySystem)).toEqual(['safetyculture', 'airtable', 'service_token'])
    expect(isKeySystem('apicbase')).toBe(false)
    expect(isKeySystem('toString')).toBe(false)
    for (const id of SYSTEM_IDS) expect(SYSTEMS[id].id).toBe(id)
  })
})

describe('SafetyCulture', () => {
  const system = KEY_SYSTEMS.safetyculture
  const details = system.parseDetails({ kind: 'user', organisation: 'Grill Haven Group', owner: 'Pat Jansen' })

  it('fills the defaults: keep-alive off, the public API', () => {
    expect(details).toEqual({ kind: 'user', organisation: 'Grill Haven Group', owner: 'Pat Jansen', keepAlive: false, apiBaseUrl: 'https://api.safetyculture.io' })
  })

  it('refuses a kind it does not know, naming the field', () => {
    expect(inputError(() => system.parseDetails({ kind: 'admin', organisation: 'x', owner: 'y' })).field).toBe('details.kind')
    expect(inputError(() => system.parseDetails({ kind: 'user', organisation: 'x', owner: 'y', apiBaseUrl: 'http://api.example.com' })).field).toBe('details.apiBaseUrl')
  })

  it('ends 30 days after the last use Larder knows of, warning from day 23; a use moves both', () => {
    expect(system.timeline({ details, addedAt: ADDED, lastUsedAt: null })).toEqual({ expiresAt: ADDED + 30 * DAY, warnFrom: ADDED + 23 * DAY, byInactivity: true })
    const used = ADDED + 10 * DAY
    expect(system.timeline({ details, addedAt: ADDED, lastUsedAt: used })).toEqual({ expiresAt: used + INACTIVE_AFTER_MS, warnFrom: used + WARN_AFTER_MS, byInactivity: true })
  })

  it('keep-alive is off unless turned on, and then goes before the warning', () => {
    expect(keepAliveAt({ details, addedAt: ADDED, lastUsedAt: null })).toBeNull()
    const kept = keepAliveAt({ details: { ...details, keepAlive: true }, addedAt: ADDED, lastUsedAt: ADDED + DAY })
    expect(kept).toBe(ADDED + 22 * DAY)
    expect(kept).toBeLessThan(ADDED + DAY + WARN_AFTER_MS)
  })

  it("goes to scripts as SAFETYCULTURE_API_TOKEN, in an Authorization: Bearer header", () => {
    expect(system.environment(details, 'tok')).toEqual({ SAFETYCULTURE_API_TOKEN: 'tok', SAFETYCULTURE_API_URL: 'https://api.safetyculture.io' })
    expect(carryHeaders(system.carry(details), 'tok')).toEqual({ authorization: 'Bearer tok' })
  })
})

describe('Airtable', () => {
  const system = KEY_SYSTEMS.airtable

  it('keeps noted scopes and bases; never expires on its own', () => {
    const details = system.parseDetails({ scopes: ['data.records:read', 'schema.bases:read'], bases: ['appAbc123'] })
    expect(details).toEqual({ scopes: ['data.records:read', 'schema.bases:read'], bases: ['appAbc123'], apiBaseUrl: 'https://api.airtable.com' })
    expect(system.timeline({ details, addedAt: ADDED, lastUsedAt: null })).toEqual({ expiresAt: null, warnFrom: null, byInactivity: false })
    expect(system.environment(details, 'pat1.x')).toEqual({ AIRTABLE_API_KEY: 'pat1.x', AIRTABLE_API_URL: 'https://api.airtable.com' })
    expect(system.actions).toContain('regenerate')
  })

  it('refuses an empty scope, naming its place', () => {
    expect(inputError(() => system.parseDetails({ scopes: ['data.records:read', ''] })).field).toBe('details.scopes.1')
  })
})

describe('admin-managed service tokens', () => {
  const system = KEY_SYSTEMS.service_token

  it('warns a week before the date the admin set, and never ends without one', () => {
    const expiresAt = ADDED + 90 * DAY
    const details = system.parseDetails({ serviceUser: 'svc-sync', environment: 'production', expiresAt })
    expect(details).toMatchObject({ carry: { kind: 'bearer' }, checkUrl: null, envName: 'SERVICE_TOKEN' })
    expect(system.timeline({ details, addedAt: ADDED, lastUsedAt: null })).toEqual({ expiresAt, warnFrom: expiresAt - WARN_BEFORE_MS, byInactivity: false })
    const open = system.parseDetails({ serviceUser: 'svc-sync', environment: 'staging', expiresAt: null })
    expect(system.timeline({ details: open, addedAt: ADDED, lastUsedAt: null })).toEqual({ expiresAt: null, warnFrom: null, byInactivity: false })
    expect(system.checkWith(open)).toBeNull()
  })

  it('carries the token in a named header and the variable the person chose', () => {
    const details = system.parseDetails({
      serviceUser: 'svc-sync',
      environment: 'production',
      expiresAt: null,
      carry: { kind: 'header', name: 'X-Service-Token' },
      checkUrl: 'https://platform.example.com/api/v1/ping',
      envName: 'PLATFORM_TOKEN'
    })
    expect(carryHeaders(system.carry(details), 'tok')).toEqual({ 'x-service-token': 'tok' })
    expect(system.environment(details, 'tok')).toEqual({ PLATFORM_TOKEN: 'tok' })
    expect(system.checkWith(details)).not.toBeNull()
  })

  it('refuses a header HTTP uses itself, a variable a shell cannot name, and a check address that is not https', () => {
    const base = { serviceUser: 'svc', environment: 'production', expiresAt: null }
    expect(inputError(() => system.parseDetails({ ...base, carry: { kind: 'header', name: 'Host' } })).field).toBe('details.carry.name')
    expect(inputError(() => system.parseDetails({ ...base, carry: { kind: 'header', name: 'X Token' } })).field).toBe('details.carry.name')
    expect(inputError(() => system.parseDetails({ ...base, envName: '1TOKEN' })).field).toBe('details.envName')
    expect(inputError(() => system.parseDetails({ ...base, checkUrl: 'http://platform.example.com/ping' })).field).toBe('details.checkUrl')
    expect(inputError(() => system.parseDetails({ ...base, serviceUser: '' })).field).toBe('details.serviceUser')
    expect(inputError(() => system.parseDetails({ ...base, surprise: 1 })).message).toMatch(/^details: /)
  })
})

describe('Apicbase, described as a system', () => {
  it('names its variables as before: the library id only when there is one', () => {
    const apicbase = SYSTEMS.apicbase
    expect(apicbase.environment({ apiBaseUrl: 'https://api.apicbase.com', apicbaseLibraryId: '1003' }, 'tok')).toEqual({
      APICBASE_ACCESS_TOKEN: 'tok',
      APICBASE_API_URL: 'https://api.apicbase.com',
      APICBASE_LIBRARY_ID: '1003'
    })
    expect(exportLines(apicbase.environment({ apiBaseUrl: 'https://api.apicbase.com', apicbaseLibraryId: null }, "it's"))).toBe(
      "export APICBASE_ACCESS_TOKEN='it'\\''s'\nexport APICBASE_API_URL=https://api.apicbase.com"
    )
  })
})
