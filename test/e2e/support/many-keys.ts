// Keys of the other token systems at scale, for renderer-only checks with the stand-in bridge (fake-bridge.ts; the
// dashboard benchmark's mixed list): SafetyCulture tokens, Airtable personal access tokens and admin-managed service
// tokens, each made as Larder makes it — a key record turned into its view by the main side's own code (toKeyView),
// so every status comes from its system's rule and the clock — then checked against the bridge's schema.
// Deterministic: the same arguments give the same keys.
import { toKeyView } from '../../../src/main/app/key-views.ts'
import type { KeyCheck, KeyHistoryItem, KeyMeta, KeyState } from '../../../src/main/core/keys/key-model.ts'
import type { KeySystemId } from '../../../src/main/core/systems/registry.ts'
import { keyViewSchema, type KeyView } from '../../../src/shared/contract.ts'

const DAY = 86_400_000

/** How many keys of each system in every run of the pattern (weights: { safetyculture: 2, airtable: 1, … }). */
export type KeyMix = Readonly<Record<KeySystemId, number>>

export interface ManyKeysOptions {
  /** The share of each system (default: as many of each). */
  readonly mix?: KeyMix
  /** The number the first key's name ends in (default 1): a mixed list can carry on from its libraries' numbers. */
  readonly firstNumber?: number
}

/** Restaurant groups a partner's customers might be; with a place, one customer label (288 in all). */
const GROUPS = ['Grill Haven', 'Bistro Nord', 'De Gouden Lepel', 'Pasta Piazza', 'Noodle Bar', 'Het Wapen', 'Brasserie Blanc', 'Café Centraal', 'Stadsbakkerij', 'Sushi Sun', 'Taverna Olympia', 'Burger Barn', 'Vegan Garden', 'Hotel Zeezicht', 'Kantine Plus', 'La Tapa', 'Pizza Forno', 'Rijsttafel Indah', 'Smokehouse', 'Soep & Zo', 'Wok Palace', 'Eethuis Oma', 'Fish Market', 'Koffiehuis']
const PLACES = ['Nord', 'Zuid', 'Oost', 'West', 'Centrum', 'Haven', 'Markt', 'Station', 'Park', 'Dijk', 'Brug', 'Plein']
const PEOPLE = ['Pat Jansen', 'Sam de Vries', 'Noor Bakker', 'Lars Visser', 'Eva Smit', 'Daan Mulder', 'Lotte de Boer', 'Finn Bos']
const AIRTABLE_BASES = ['Inspections tracker', 'Suppliers', 'HACCP log', 'Menu planning', 'Staff rota']
const SCOPES = [['data.records:read'], ['data.records:read', 'data.records:write'], ['data.records:read', 'schema.bases:read']] as const

/** The restaurant group of credential number n (288 in all). */
function customerGroup(n: number): string {
  const groupIndex = (n * 7) % (GROUPS.length * PLACES.length)
  return `${GROUPS[groupIndex % GROUPS.length] as string} ${PLACES[Math.floor(groupIndex / GROUPS.length)] as string}`
}

/** The customer label of credential number n; one in eight has none (a partner's own, or not sorted yet). */
export function customerLabelOf(n: number): string | null {
  return n % 8 === 7 ? null : customerGroup(n)
}

/** The systems in the order of `mix`, each repeated by its weight, interleaved (2:1:1 → sc, at, st, sc). */
function pattern(mix: KeyMix): KeySystemId[] {
  const systems = (Object.keys(mix) as KeySystemId[]).filter((system) => mix[system] > 0)
  const order: KeySystemId[] = []
  for (let round = 0; round < Math.max(...systems.map((system) => mix[system])); round++) {
    for (const system of systems) if (round < mix[system]) order.push(system)
  }
  if (order.length === 0) throw new RangeError('the key mix holds no system')
  return order
}

const preview = (n: number): string => `…${((n + 1) * 40_503).toString(16).slice(-4).padStart(4, '0')}`
const id = (n: number): string => `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`

/**
 * What happens to the key in its 12-step cycle, like the libraries' spread (manyLibraries): half plainly fine, the
 * rest spread over each system's ways of needing attention.
 */
interface Fate {
  readonly state: KeyState
  /** For SafetyCulture: days since the last use (day 23 warns, day 30 ends it). */
  readonly unusedDays: number
  /** For a service token: days until its expiry date (negative: past it); null: no date. */
  readonly expiresInDays: number | null
  readonly check: KeyCheck['outcome'] | null
}

const FATES: readonly Fate[] = [
  { state: 'active', unusedDays: 1, expiresInDays: 90, check: 'ok' },
  { state: 'active', unusedDays: 3, expiresInDays: null, check: 'ok' },
  { state: 'active', unusedDays: 0, expiresInDays: 200, check: null },
  { state: 'active', unusedDays: 8, expiresInDays: 45, check: 'ok' },
  { state: 'active', unusedDays: 14, expiresInDays: null, check: 'ok' },
  { state: 'active', unusedDays: 2, expiresInDays: 30, check: 'ok' },
  { state: 'active', unusedDays: 25, expiresInDays: 4, check: 'ok' },
  { state: 'active', unusedDays: 34, expiresInDays: -3, check: 'ok' },
  { state: 'active', unusedDays: 5, expiresInDays: 60, check: 'refused' },
  { state: 'active', unusedDays: 6, expiresInDays: 120, check: 'unreachable' },
  { state: 'revoked', unusedDays: 12, expiresInDays: 20, check: 'ok' },
  { state: 'active', unusedDays: 27, expiresInDays: 2, check: 'forbidden' }
]

/** Key `n` of the list, the `nth`-of-its-system (which picks its fate, so each system gets every one). */
function keyMeta(system: KeySystemId, n: number, nth: number, number: number, now: number): KeyMeta {
  const fate = FATES[nth % FATES.length] as Fate
  // Only a service token's admin revokes it in Larder's terms; another system's key in that slot is still active.
  const state = fate.state === 'revoked' && system !== 'service_token' ? 'active' : fate.state
  const place = PLACES[Math.floor(n / 3) % PLACES.length] as string
  const group = customerGroup(n)
  const customer = customerLabelOf(n)
  const person = PEOPLE[n % PEOPLE.length] as string
  const lastUsedAt = now - fate.unusedDays * DAY - (n % 97) * 60_000
  const addedAt = Math.min(lastUsedAt, now - (40 + (n % 300)) * DAY)
  const history: KeyHistoryItem[] = [{ at: addedAt, event: 'added' }]
  if (state === 'revoked') history.push({ at: now - 2 * DAY, event: 'revoked' })
  const checkAt = now - ((n % 48) + 1) * 3_600_000
  const message = fate.check === 'ok' || fate.check === null ? null : fate.check === 'refused' ? 'The token was refused (401).' : fate.check === 'forbidden' ? 'The token lacks a scope this check needs (403).' : 'Could not reach the service.'
  const who = system === 'airtable' ? `${person.split(' ')[0]?.toLowerCase() ?? 'ops'}@example.com` : person
  const lastCheck: KeyCheck | null = fate.check === null ? null : { at: checkAt, outcome: fate.check, identity: fate.check === 'ok' ? { id: `usr-${n}`, who, organisation: system === 'safetyculture' ? `${group} Group` : null } : null, message }
  const common = { id: id(n), customer, notes: n % 5 === 0 ? 'Handed over by the customer’s IT.' : '', state, addedAt, lastUsedAt, lastCheck, history, tokenPreview: preview(n) }
  switch (system) {
    case 'safetyculture':
      return {
        ...common,
        system,
        name: `Inspections ${place} ${number}`,
        details: { kind: n % 3 === 0 ? 'service_user' : 'user', organisation: `${group} Group`, owner: person, keepAlive: n % 5 === 0, apiBaseUrl: 'https://api.safetyculture.io' }
      }
    case 'airtable':
      return {
        ...common,
        system,
        name: `${AIRTABLE_BASES[n % AIRTABLE_BASES.length] as string} ${place} ${number}`,
        details: { scopes: [...(SCOPES[n % SCOPES.length] ?? SCOPES[0])], bases: n % 2 === 0 ? [`app${(n * 2_654_435).toString(36).slice(0, 14)}`] : [], apiBaseUrl: 'https://api.airtable.com' }
      }
    case 'service_token': {
      const environment = n % 3 === 0 ? 'staging' : 'production'
      const expiresAt = fate.expiresInDays === null ? null : now + fate.expiresInDays * DAY
      return {
        ...common,
        system,
        name: `Sync ${environment} ${place} ${number}`,
        details: {
          serviceUser: `svc-sync-${n % 40}`,
          environment,
          expiresAt,
          carry: n % 4 === 0 ? { kind: 'header', name: 'X-Api-Key' } : { kind: 'bearer' },
          checkUrl: n % 6 === 5 ? null : 'https://automation.example/api/v1/me',
          envName: 'PLATFORM_TOKEN'
        }
      }
    }
  }
}

/**
 * `count` key views of SafetyCulture, Airtable and service tokens in the proportions of `mix`, with a spread of
 * statuses (healthy, expiring soon, inactive, expired, needs re-authorization, error, revoked), customers (one in
 * eight without) and details. Each is Larder's own view of its record at `now`, parsed with the contract's schema.
 */
export function manyKeys(count: number, now: number, options: ManyKeysOptions = {}): KeyView[] {
  const order = pattern(options.mix ?? { safetyculture: 1, airtable: 1, service_token: 1 })
  const firstNumber = options.firstNumber ?? 1
  const untouched = { keyRefusal: (): undefined => undefined }
  const keys: KeyView[] = []
  const made: Record<KeySystemId, number> = { safetyculture: 0, airtable: 0, service_token: 0 }
  for (let n = 0; n < count; n++) {
    const system = order[n % order.length] as KeySystemId
    const meta = keyMeta(system, n, made[system]++, firstNumber + n, now)
    keys.push(keyViewSchema.parse(toKeyView(meta, now, untouched)))
  }
  return keys
}
