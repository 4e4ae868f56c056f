// Keys of other systems for the vault tests: one record of each system, with recognisable values.
import type { KeyMeta } from '../../../src/main/core/keys/key-model.ts'
import type { KeySystemId } from '../../../src/main/core/systems/registry.ts'

const DETAILS: { readonly [Id in KeySystemId]: Extract<KeyMeta, { system: Id }>['details'] } = {
  safetyculture: { kind: 'user', organisation: 'Brasserie Group', owner: 'Sam Inspector', keepAlive: false, apiBaseUrl: 'https://api.safetyculture.io' },
  airtable: { scopes: ['data.records:read'], bases: ['appTracking'], apiBaseUrl: 'https://api.airtable.com' },
  service_token: {
    serviceUser: 'automation-bot',
    environment: 'production',
    expiresAt: null,
    carry: { kind: 'header', name: 'X-Api-Key' },
    checkUrl: 'https://automation.example.com/api/me',
    envName: 'SERVICE_TOKEN'
  }
}

export function makeKey(id: string, system: KeySystemId, overrides: Partial<Omit<KeyMeta, 'system' | 'details'>> = {}): KeyMeta {
  return {
    id,
    system,
    name: `Key ${id}`,
    customer: 'Brasserie Group',
    notes: 'made for the tests',
    details: DETAILS[system],
    state: 'active',
    addedAt: 1_760_000_000_000,
    lastUsedAt: null,
    lastCheck: null,
    history: [{ at: 1_760_000_000_000, event: 'added' }],
    tokenPreview: '…',
    ...overrides
  } as KeyMeta
}
