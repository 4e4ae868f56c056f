// The add-key form as data: one draft for the three systems (each reads the fields it has), the checks that need no
// network, what is sent to 'keys.add', and which field an answer from Larder is about. Pure.
import { classifyApiBaseUrl, type ApiHost } from '../../../../shared/api-host.ts'
import type { AddKeyInput, BridgeErrorShape } from '../../../../shared/contract.ts'

export const KEY_SYSTEMS = ['safetyculture', 'airtable', 'service_token'] as const
export type KeySystem = (typeof KEY_SYSTEMS)[number]

export const KEY_FIELDS = [
  'name',
  'customer',
  'organisation',
  'owner',
  'serviceUser',
  'environment',
  'expiresAt',
  'token',
  'scopes',
  'bases',
  'carryName',
  'checkUrl',
  'envName',
  'apiBaseUrl',
  'notes'
] as const
export type KeyField = (typeof KEY_FIELDS)[number]

export interface KeyDraft {
  readonly system: KeySystem
  readonly name: string
  readonly customer: string
  readonly notes: string
  readonly token: string
  /** SafetyCulture */
  readonly kind: 'user' | 'service_user'
  readonly organisation: string
  readonly owner: string
  readonly keepAlive: boolean
  /** SafetyCulture and Airtable: empty for the system's own address. */
  readonly apiBaseUrl: string
  /** Airtable: as noted, separated by commas, spaces or lines. */
  readonly scopes: string
  readonly bases: string
  /** Service token */
  readonly serviceUser: string
  readonly environment: string
  /** yyyy-mm-dd from a date field; empty: it does not expire. */
  readonly expiresAt: string
  readonly carry: 'bearer' | 'header'
  readonly carryName: string
  readonly checkUrl: string
  readonly envName: string
}

export const DEFAULT_ENV_NAME = 'SERVICE_TOKEN'

export const emptyKeyDraft = (system: KeySystem = 'safetyculture'): KeyDraft => ({
  system,
  name: '',
  customer: '',
  notes: '',
  token: '',
  kind: 'user',
  organisation: '',
  owner: '',
  keepAlive: false,
  apiBaseUrl: '',
  scopes: '',
  bases: '',
  serviceUser: '',
  environment: '',
  expiresAt: '',
  carry: 'bearer',
  carryName: '',
  checkUrl: '',
  envName: DEFAULT_ENV_NAME
})

/** Each system's own API address, used when the form leaves it empty (as the core's details schema does). */
export const DEFAULT_API: Partial<Record<KeySystem, string>> = { safetyculture: 'https://api.safetyculture.io', airtable: 'https://api.airtable.com' }

/**
 * The host the draft would send its token to (its API address, or a service token's check URL), read by the parser the
 * core uses; null when nothing is sent or the address is none Larder could use (the core says why). For the confirm
 * step only: whether the host needs confirming is the core's answer.
 */
export function keyTarget(draft: KeyDraft): ApiHost | null {
  const address = draft.system === 'service_token' ? draft.checkUrl.trim() : draft.apiBaseUrl.trim() || (DEFAULT_API[draft.system] ?? '')
  return address === '' ? null : classifyApiBaseUrl(address)
}

/** The fields each system's form shows (the rest of the draft is not sent for it). */
export const SYSTEM_FIELDS: Readonly<Record<KeySystem, ReadonlySet<KeyField>>> = {
  safetyculture: new Set<KeyField>(['name', 'customer', 'notes', 'token', 'organisation', 'owner', 'apiBaseUrl']),
  airtable: new Set<KeyField>(['name', 'customer', 'notes', 'token', 'scopes', 'bases', 'apiBaseUrl']),
  service_token: new Set<KeyField>(['name', 'customer', 'notes', 'token', 'serviceUser', 'environment', 'expiresAt', 'carryName', 'checkUrl', 'envName'])
}

/** A typed list: "data.records:read, schema.bases:read" or one a line. */
export function listOf(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/** A list of bases: one a line or separated by commas (a base's name may hold spaces). */
export function basesOf(text: string): string[] {
  return text
    .split(/[\n,;]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/** The start of the chosen day here, as the key's pane reads an admin's date. */
export function dayStart(value: string): number | null {
  if (value === '') return null
  const at = new Date(`${value}T00:00:00`).getTime()
  return Number.isFinite(at) ? at : null
}

/** Checks that need no network: what each system's form must have. Larder checks the rest. */
export function missingKeyFields(draft: KeyDraft): Partial<Record<KeyField, string>> {
  const errors: Partial<Record<KeyField, string>> = {}
  if (draft.name.trim() === '') errors.name = 'Give the key a name you will recognise, such as the customer and what it is for.'
  if (draft.token.trim() === '') errors.token = 'Paste the token.'
  if (draft.system === 'service_token') {
    if (draft.serviceUser.trim() === '') errors.serviceUser = 'Name the service user the admin made this token for.'
    if (draft.carry === 'header' && draft.carryName.trim() === '') errors.carryName = 'Name the header the service reads the token from.'
    if (draft.expiresAt !== '' && dayStart(draft.expiresAt) === null) errors.expiresAt = 'Choose a date, or leave it empty if it does not expire.'
  }
  return errors
}

const optional = (text: string): string | undefined => (text.trim() === '' ? undefined : text.trim())

/** What is sent for the draft's system: only that system's details, empty optional fields left out. */
export function toKeyInput(draft: KeyDraft, confirmedHost?: string): AddKeyInput {
  const customer = optional(draft.customer)
  const notes = optional(draft.notes)
  const apiBaseUrl = optional(draft.apiBaseUrl)
  const base = {
    system: draft.system,
    name: draft.name.trim(),
    token: draft.token,
    ...(customer === undefined ? {} : { customer }),
    ...(notes === undefined ? {} : { notes }),
    ...(confirmedHost === undefined ? {} : { confirmedHost })
  }
  switch (draft.system) {
    case 'safetyculture':
      return {
        ...base,
        details: { kind: draft.kind, organisation: draft.organisation.trim(), owner: draft.owner.trim(), keepAlive: draft.keepAlive, ...(apiBaseUrl === undefined ? {} : { apiBaseUrl }) }
      }
    case 'airtable':
      return { ...base, details: { scopes: listOf(draft.scopes), bases: basesOf(draft.bases), ...(apiBaseUrl === undefined ? {} : { apiBaseUrl }) } }
    case 'service_token':
      return {
        ...base,
        details: {
          serviceUser: draft.serviceUser.trim(),
          environment: draft.environment.trim(),
          expiresAt: dayStart(draft.expiresAt),
          carry: draft.carry === 'bearer' ? { kind: 'bearer' } : { kind: 'header', name: draft.carryName.trim() },
          checkUrl: optional(draft.checkUrl) ?? null,
          envName: optional(draft.envName) ?? DEFAULT_ENV_NAME
        }
      }
  }
}

/** How an answer names a field ("details.carry.name", "details.checkUrl", "token") to the form's own field. */
const ANSWER_FIELD: Readonly<Record<string, KeyField>> = {
  carry: 'carryName',
  'carry.name': 'carryName'
}

/** The field of this system's form an error from 'keys.add' is about, or null when it concerns the whole form. */
export function keyFieldOfError(error: BridgeErrorShape, system: KeySystem): KeyField | null {
  if (error.field === undefined) return null
  const path = error.field.replace(/^details\./, '')
  const field = ANSWER_FIELD[path] ?? path.split('.')[0]
  const known = (KEY_FIELDS as readonly string[]).includes(field ?? '') ? (field as KeyField) : null
  return known !== null && SYSTEM_FIELDS[system].has(known) ? known : null
}
