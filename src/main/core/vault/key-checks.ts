// Runtime validation of key records (a SafetyCulture, Airtable or service token kept as given: keys/key-model.ts), for
// what callers hand the vault and for what the file and its journal hold. Every field is checked, the details through
// their system's own schema, and a field Larder does not know is refused. Returns fresh frozen objects.
import { InputError } from '../errors.ts'
import { KEY_EVENTS, KEY_HISTORY_LIMIT, KEY_STATES, type KeyCheck, type KeyHistoryItem, type KeyMeta, type KeySecrets } from '../keys/key-model.ts'
import { tokenPreview } from '../model.ts'
import { KEY_SYSTEMS, type KeySystemId } from '../systems/registry.ts'
import type { CheckOutcome, KeyIdentity } from '../systems/system.ts'
import { nullableText, nullableTime, oneOf, onlyKeys, opaque, record, text, time } from './checks.ts'
import { libraryId } from './library-checks.ts'

export const KEY_SYSTEM_IDS = Object.keys(KEY_SYSTEMS) as KeySystemId[]
export const CHECK_OUTCOMES = ['ok', 'refused', 'forbidden', 'rate_limited', 'unreachable'] as const satisfies readonly CheckOutcome['outcome'][]

const KEY_META_KEYS = [
  'id',
  'system',
  'name',
  'customer',
  'notes',
  'details',
  'state',
  'addedAt',
  'lastUsedAt',
  'lastCheck',
  'history',
  'tokenPreview'
] as const satisfies readonly (keyof KeyMeta)[]

/** What a caller may change with `patchKey`. Its id and system are what it is; its token has `replaceKeyToken`. */
export interface KeyPatch {
  readonly name?: string
  readonly customer?: string | null
  readonly notes?: string
  /** The whole details, checked by the key's system (fields it leaves out take their defaults). */
  readonly details?: unknown
  readonly state?: KeyMeta['state']
  readonly lastUsedAt?: number | null
  readonly lastCheck?: KeyCheck | null
  readonly history?: readonly KeyHistoryItem[]
}

const PATCH_KEYS = ['name', 'customer', 'notes', 'details', 'state', 'lastUsedAt', 'lastCheck', 'history'] as const satisfies readonly (keyof KeyPatch)[]
// Notes may run over lines; nothing else that is a control character.
const NOTE_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/
const NOTES_MAX = 4000
const CONTROL = /[\u0000-\u001f\u007f]/

export function checkKeyMeta(field: string, value: unknown): KeyMeta {
  const raw = record(field, value)
  onlyKeys(field, raw, KEY_META_KEYS)
  for (const key of KEY_META_KEYS) {
    if (!(key in raw)) throw new InputError(`${field}.${key}`, `${field}.${key} is missing`)
  }
  const system = oneOf(`${field}.system`, raw['system'], KEY_SYSTEM_IDS)
  if (typeof raw['tokenPreview'] !== 'string' || raw['tokenPreview'].length > 16) {
    throw new InputError(`${field}.tokenPreview`, `${field}.tokenPreview must be a short text`)
  }
  return Object.freeze({
    id: libraryId(`${field}.id`, raw['id']),
    system,
    name: text(`${field}.name`, raw['name'], 200),
    customer: nullableText(`${field}.customer`, raw['customer'], 200),
    notes: notes(`${field}.notes`, raw['notes']),
    details: checkDetails(`${field}.details`, system, raw['details']),
    state: oneOf(`${field}.state`, raw['state'], KEY_STATES),
    addedAt: time(`${field}.addedAt`, raw['addedAt']),
    lastUsedAt: nullableTime(`${field}.lastUsedAt`, raw['lastUsedAt']),
    lastCheck: raw['lastCheck'] === null ? null : checkKeyCheck(`${field}.lastCheck`, raw['lastCheck']),
    history: checkHistory(`${field}.history`, raw['history']),
    tokenPreview: raw['tokenPreview']
  } as KeyMeta)
}

export function checkKeyPatch(field: string, value: unknown): KeyPatch {
  const raw = record(field, value)
  onlyKeys(field, raw, PATCH_KEYS)
  const patch: { -readonly [K in keyof KeyPatch]: KeyPatch[K] } = {}
  if ('name' in raw) patch.name = text(`${field}.name`, raw['name'], 200)
  if ('customer' in raw) patch.customer = nullableText(`${field}.customer`, raw['customer'], 200)
  if ('notes' in raw) patch.notes = notes(`${field}.notes`, raw['notes'])
  if ('details' in raw) patch.details = raw['details'] // checked against the key's system once the key is known
  if ('state' in raw) patch.state = oneOf(`${field}.state`, raw['state'], KEY_STATES)
  if ('lastUsedAt' in raw) patch.lastUsedAt = nullableTime(`${field}.lastUsedAt`, raw['lastUsedAt'])
  if ('lastCheck' in raw) patch.lastCheck = raw['lastCheck'] === null ? null : checkKeyCheck(`${field}.lastCheck`, raw['lastCheck'])
  if ('history' in raw) patch.history = checkHistory(`${field}.history`, raw['history'])
  return patch
}

/** The key as `patch` makes it: the details checked by its system. */
export function patchedKey(current: KeyMeta, patch: KeyPatch, field = 'patch'): KeyMeta {
  const { details, ...rest } = patch
  const next = { ...current, ...rest } as KeyMeta
  if (details !== undefined) (next as { details: unknown }).details = checkDetails(`${field}.details`, current.system, details)
  return Object.freeze(next)
}

export function checkKeySecrets(field: string, value: unknown): KeySecrets {
  const raw = record(field, value)
  onlyKeys(field, raw, ['token'])
  return { token: checkKeyToken(`${field}.token`, raw['token']) }
}

/** A token as given: printable, no spaces or line breaks (the systems' tokens are opaque; nothing else is checked). */
export function checkKeyToken(field: string, value: unknown): string {
  return opaque(field, value)
}

/** The preview always follows the token it describes, whatever the caller passed. */
export function withKeyPreview(meta: KeyMeta, token: string): KeyMeta {
  return Object.freeze({ ...meta, tokenPreview: tokenPreview(token) })
}

function checkDetails(field: string, system: KeySystemId, value: unknown): KeyMeta['details'] {
  let details: KeyMeta['details']
  try {
    details = KEY_SYSTEMS[system].parseDetails(value)
  } catch (error) {
    // The system names the field "details.x"; say whose details they are.
    const owner = field.replace(/\.details$/, '')
    if (error instanceof InputError) throw new InputError(`${owner}.${error.field}`, `${owner}.${error.message}`)
    throw error
  }
  // Where the token is sent is sealed with it (key-sealing.ts), a field to a line: no control characters in it.
  for (const [key, address] of Object.entries(details)) {
    if ((key === 'apiBaseUrl' || key === 'checkUrl') && typeof address === 'string' && CONTROL.test(address)) {
      throw new InputError(`${field}.${key}`, `${field}.${key} contains control characters`)
    }
  }
  return Object.freeze(details)
}

function notes(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new InputError(field, `${field} must be text`)
  if (value.length > NOTES_MAX) throw new InputError(field, `${field} is too long (${value.length} characters; at most ${NOTES_MAX})`)
  if (NOTE_CONTROL.test(value)) throw new InputError(field, `${field} contains control characters`)
  return value
}

function checkKeyCheck(field: string, value: unknown): KeyCheck {
  const raw = record(field, value)
  onlyKeys(field, raw, ['at', 'outcome', 'identity', 'message'])
  for (const key of ['at', 'outcome', 'identity', 'message']) {
    if (!(key in raw)) throw new InputError(`${field}.${key}`, `${field}.${key} is missing`)
  }
  return Object.freeze({
    at: time(`${field}.at`, raw['at']),
    outcome: oneOf(`${field}.outcome`, raw['outcome'], CHECK_OUTCOMES),
    identity: raw['identity'] === null ? null : checkIdentity(`${field}.identity`, raw['identity']),
    message: nullableText(`${field}.message`, raw['message'], 2000)
  })
}

function checkIdentity(field: string, value: unknown): KeyIdentity {
  const raw = record(field, value)
  onlyKeys(field, raw, ['id', 'who', 'organisation'])
  for (const key of ['id', 'who', 'organisation']) {
    if (!(key in raw)) throw new InputError(`${field}.${key}`, `${field}.${key} is missing`)
  }
  return Object.freeze({
    id: text(`${field}.id`, raw['id'], 200),
    who: nullableText(`${field}.who`, raw['who'], 200),
    organisation: nullableText(`${field}.organisation`, raw['organisation'], 200)
  })
}

function checkHistory(field: string, value: unknown): readonly KeyHistoryItem[] {
  if (!Array.isArray(value)) throw new InputError(field, `${field} must be a list`)
  if (value.length > KEY_HISTORY_LIMIT) throw new InputError(field, `${field} has too many items (${value.length}; at most ${KEY_HISTORY_LIMIT})`)
  return Object.freeze(
    value.map((item: unknown, index) => {
      const where = `${field}[${index}]`
      const raw = record(where, item)
      onlyKeys(where, raw, ['at', 'event'])
      return Object.freeze({ at: time(`${where}.at`, raw['at']), event: oneOf(`${where}.event`, raw['event'], KEY_EVENTS) })
    })
  )
}
