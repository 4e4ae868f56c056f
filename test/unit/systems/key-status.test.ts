// A key's status from its record, its system's rule and the clock: the list's words plus "inactive".
import { describe, expect, it } from 'vitest'
import type { KeyCheck, KeyMeta } from '../../../src/main/core/keys/key-model.ts'
import { deriveKeyStatus, keyUsable, nextKeyBoundary } from '../../../src/main/core/keys/key-status.ts'

const DAY = 86_400_000
const ADDED = Date.UTC(2026, 11, 1)

function safetyCultureKey(overrides: Partial<Extract<KeyMeta, { system: 'safetyculture' }>> = {}): KeyMeta {
  return {
    id: 'sc-1',
    system: 'safetyculture',
    name: 'Grill Haven inspections',
    customer: 'Grill Haven',
    notes: '',
    details: { kind: 'user', organisation: 'Grill Haven Group', owner: 'Pat', keepAlive: false, apiBaseUrl: 'https://api.safetyculture.io' },
    state: 'active',
    addedAt: ADDED,
    lastUsedAt: null,
    lastCheck: null,
    history: [{ at: ADDED, event: 'added' }],
    tokenPreview: '…a91f',
    ...overrides
  }
}

function serviceKey(expiresAt: number | null, state: KeyMeta['state'] = 'active'): KeyMeta {
  return {
    id: 'svc-1',
    system: 'service_token',
    name: 'Platform sync',
    customer: null,
    notes: '',
    details: { serviceUser: 'svc-sync', environment: 'production', expiresAt, carry: { kind: 'bearer' }, checkUrl: null, envName: 'SERVICE_TOKEN' },
    state,
    addedAt: ADDED,
    lastUsedAt: null,
    lastCheck: null,
    history: [],
    tokenPreview: '…b22c'
  }
}

const check = (outcome: KeyCheck['outcome']): KeyCheck => ({ at: ADDED, outcome, identity: null, message: outcome === 'ok' ? null : 'why' })

describe('SafetyCulture: 30 days without use', () => {
  it('healthy until day 23, then expiring soon, then inactive at day 30; a use starts the count again', () => {
    const key = safetyCultureKey()
    expect(deriveKeyStatus(key, ADDED + 22 * DAY)).toBe('healthy')
    expect(deriveKeyStatus(key, ADDED + 23 * DAY)).toBe('expiring_soon')
    expect(deriveKeyStatus(key, ADDED + 30 * DAY - 1)).toBe('expiring_soon')
    expect(deriveKeyStatus(key, ADDED + 30 * DAY)).toBe('inactive')
    expect(keyUsable('inactive')).toBe(false)
    const used = safetyCultureKey({ lastUsedAt: ADDED + 29 * DAY })
    expect(deriveKeyStatus(used, ADDED + 30 * DAY)).toBe('healthy')
    expect(nextKeyBoundary(used, ADDED + 30 * DAY)).toBe(ADDED + 52 * DAY)
  })

  it('a refused check means a new token is needed; one that could not be made is an error that still allows copying', () => {
    expect(deriveKeyStatus(safetyCultureKey({ lastCheck: check('refused') }), ADDED + DAY)).toBe('needs_reauth')
    expect(keyUsable('needs_reauth')).toBe(false)
    expect(deriveKeyStatus(safetyCultureKey({ lastCheck: check('unreachable') }), ADDED + DAY)).toBe('error')
    expect(keyUsable('error')).toBe(true)
    expect(deriveKeyStatus(safetyCultureKey({ lastCheck: check('ok') }), ADDED + DAY)).toBe('healthy')
  })
})

describe('service tokens: the date and the admin', () => {
  it('a week of warning before the expiry date, expired after; none without a date', () => {
    const expiresAt = ADDED + 30 * DAY
    expect(deriveKeyStatus(serviceKey(expiresAt), expiresAt - 7 * DAY - 1)).toBe('healthy')
    expect(deriveKeyStatus(serviceKey(expiresAt), expiresAt - 7 * DAY)).toBe('expiring_soon')
    expect(deriveKeyStatus(serviceKey(expiresAt), expiresAt)).toBe('expired')
    expect(nextKeyBoundary(serviceKey(expiresAt), ADDED)).toBe(expiresAt - 7 * DAY)
    expect(deriveKeyStatus(serviceKey(null), ADDED + 3_650 * DAY)).toBe('healthy')
    expect(nextKeyBoundary(serviceKey(null), ADDED)).toBeNull()
  })

  it('revoked or deleted by the admin: revoked; marked expired: expired; neither is ever usable', () => {
    expect(deriveKeyStatus(serviceKey(null, 'revoked'), ADDED)).toBe('revoked')
    expect(deriveKeyStatus(serviceKey(null, 'deleted'), ADDED)).toBe('revoked')
    expect(deriveKeyStatus(serviceKey(null, 'expired'), ADDED)).toBe('expired')
    for (const status of ['revoked', 'expired'] as const) expect(keyUsable(status)).toBe(false)
  })
})
