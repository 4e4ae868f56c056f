// Every token system Larder knows. Adding one: a folder beside these with its definition (system.ts: a KeySystem for
// keys kept as given, with its details schema in shared/contract/key-details.ts), its line in KeyDetailsBySystem and
// KEY_SYSTEMS below, and its fake in src/main/sandbox/providers for the tests. ARCHITECTURE.md ("Token systems")
// says the rest.
import type { AirtableDetails, SafetyCultureDetails, ServiceTokenDetails } from '../../../shared/contract/key-details.ts'
import { airtable } from './airtable/system.ts'
import { apicbase } from './apicbase/system.ts'
import { safetyCulture } from './safetyculture/system.ts'
import { serviceToken } from './service-token/system.ts'
import type { KeySystem, SystemId, TokenSystem } from './system.ts'

export type KeySystemId = Exclude<SystemId, 'apicbase'>

/** What a key of each system holds besides its secret. */
export interface KeyDetailsBySystem {
  readonly safetyculture: SafetyCultureDetails
  readonly airtable: AirtableDetails
  readonly service_token: ServiceTokenDetails
}

/** The systems whose keys Larder keeps as given, by id. */
export const KEY_SYSTEMS: { readonly [Id in KeySystemId]: KeySystem<KeyDetailsBySystem[Id]> } = {
  safetyculture: safetyCulture,
  airtable,
  service_token: serviceToken
}

/** Every system, for what they all say (label, actions, environment names). */
export const SYSTEMS: { readonly [Id in SystemId]: TokenSystem<Id extends KeySystemId ? KeyDetailsBySystem[Id] : Parameters<typeof apicbase.carry>[0]> } = {
  apicbase,
  ...KEY_SYSTEMS
}

export function isKeySystem(id: string): id is KeySystemId {
  return Object.hasOwn(KEY_SYSTEMS, id)
}

/** Any system's details. */
export type KeyDetails = KeyDetailsBySystem[KeySystemId]

/**
 * The system of `id`, over any system's details: sound because a key's details only ever come from its own system's
 * parseDetails (on add, and again when the vault reads the record), so each system only ever sees its own.
 */
export function keySystemOf(id: KeySystemId): KeySystem<KeyDetails> {
  return KEY_SYSTEMS[id] as unknown as KeySystem<KeyDetails>
}
