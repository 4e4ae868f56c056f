// Key views as Larder sends them to the window (never a token), one builder per system, and a fake bridge whose
// Larder holds keys and answers the key calls as the main side does (the whole view back).
import type { CallInput, CallResult, KeyView } from '../../../src/shared/contract.ts'
import { keyViewSchema } from '../../../src/shared/contract.ts'
import { DAY, NOW } from './fixtures.ts'
import { FakeBridge } from './fake-bridge.ts'

let next = 0
const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`

function common(overrides: Partial<KeyView>) {
  next += 1
  return {
    id: uuid(900 + next),
    name: `Key ${next}`,
    customer: null,
    notes: '',
    state: 'active' as const,
    status: 'healthy' as const,
    addedAt: NOW - 3 * DAY,
    lastUsedAt: NOW - DAY,
    lastCheck: { at: NOW - DAY, outcome: 'ok' as const, identity: { id: 'user-1', who: 'Pat Jansen', organisation: 'Grill Haven Group' }, message: null },
    history: [{ at: NOW - 3 * DAY, event: 'added' as const }],
    tokenPreview: '…k3y9',
    expiresAt: null,
    warnFrom: null,
    byInactivity: false,
    tampered: false,
    actions: ['copy', 'check'] as KeyView['actions'],
    ...overrides
  }
}

export function safetyCultureKey(overrides: Partial<Extract<KeyView, { system: 'safetyculture' }>> = {}): KeyView {
  return keyViewSchema.parse({
    ...common(overrides),
    system: 'safetyculture',
    expiresAt: NOW + 29 * DAY,
    warnFrom: NOW + 22 * DAY,
    byInactivity: true,
    actions: ['copy', 'check', 'keep_alive', 'mark_used'],
    details: { kind: 'user', organisation: 'Grill Haven Group', owner: 'Pat Jansen', keepAlive: false, apiBaseUrl: 'https://api.safetyculture.io' },
    ...overrides
  })
}

export function airtableKey(overrides: Partial<Extract<KeyView, { system: 'airtable' }>> = {}): KeyView {
  return keyViewSchema.parse({
    ...common(overrides),
    system: 'airtable',
    actions: ['copy', 'check', 'regenerate', 'mark_used'],
    details: { scopes: ['data.records:read'], bases: [], apiBaseUrl: 'https://api.airtable.com' },
    ...overrides
  })
}

export function serviceTokenKey(overrides: Partial<Extract<KeyView, { system: 'service_token' }>> = {}): KeyView {
  return keyViewSchema.parse({
    ...common(overrides),
    system: 'service_token',
    expiresAt: NOW + 5 * DAY,
    actions: ['copy', 'check', 'revoke', 'mark_used', 'set_expiry'],
    details: { serviceUser: 'svc-sync', environment: 'production', expiresAt: NOW + 5 * DAY, carry: { kind: 'bearer' }, checkUrl: 'https://svc.example/check', envName: 'PLATFORM_TOKEN' },
    ...overrides
  })
}

const ok = <T>(value: T) => ({ ok: true, value }) as CallResult<never>

/** A fake Larder holding `keys`: 'keys.list' lists them, each key call answers the key's view (changed as Larder would). */
export function bridgeWithKeys(keys: KeyView[], bridge = new FakeBridge()): FakeBridge {
  const find = (id: string): KeyView => {
    const key = keys.find((known) => known.id === id)
    if (key === undefined) throw new Error(`no key ${id}`)
    return key
  }
  const replace = (view: KeyView): KeyView => {
    keys.splice(keys.findIndex((known) => known.id === view.id), 1, view)
    return view
  }
  bridge.answers['keys.list'] = () => ok({ keys: [...keys] })
  bridge.answers['keys.check'] = (input) => ok(replace({ ...find((input as CallInput<'keys.check'>).id), lastCheck: { at: Date.now(), outcome: 'ok', identity: { id: 'user-1', who: 'Pat Jansen', organisation: 'Grill Haven Group' }, message: null } }))
  bridge.answers['keys.markUsed'] = (input) => ok(replace({ ...find((input as CallInput<'keys.markUsed'>).id), lastUsedAt: Date.now() }))
  bridge.answers['keys.update'] = (input) => {
    const { id, details } = input as CallInput<'keys.update'>
    const key = find(id)
    return ok(replace(keyViewSchema.parse({ ...key, details: { ...key.details, ...details } })))
  }
  bridge.answers['keys.regenerate'] = (input) => ok(replace({ ...find((input as CallInput<'keys.regenerate'>).id), status: 'healthy', tokenPreview: '…n3w1' }))
  bridge.answers['keys.lifecycle'] = (input) => {
    const { id, event } = input as CallInput<'keys.lifecycle'>
    const state = event === 'restored' ? 'active' : event
    return ok(replace({ ...find(id), state, status: state === 'active' ? 'healthy' : state === 'deleted' ? 'revoked' : state, actions: state === 'revoked' ? ['restore', 'delete'] : [] }))
  }
  bridge.answers['keys.copy'] = (input) => {
    const { id, format } = input as CallInput<'keys.copy'>
    return ok({ keyId: id, format, preview: find(id).tokenPreview, clearsAt: Date.now() + 30_000 })
  }
  bridge.answers['keys.remove'] = (input) => {
    const { id, confirmName } = input as CallInput<'keys.remove'>
    if (confirmName !== find(id).name) return { ok: false, error: { kind: 'invalid_input', field: 'confirmName', message: 'Type the name to confirm.' } } as CallResult<never>
    keys.splice(keys.findIndex((known) => known.id === id), 1)
    return ok({ removed: id })
  }
  return bridge
}
