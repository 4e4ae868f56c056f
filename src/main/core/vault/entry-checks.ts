// Runtime validation of personal entries (libraries reached through a personal token), for what callers hand the
// vault and for what the file holds. An entry has no secrets: it names its connection and its Apicbase library.
import { InputError } from '../errors.ts'
import type { PersonalEntryMeta } from '../model.ts'
import { nullableText, nullableTime, onlyKeys, record, text, time } from './checks.ts'
import { customerLabel, libraryId } from './library-checks.ts'

export const ENTRY_KEYS = [
  'id',
  'name',
  'connectionId',
  'apicbaseLibraryId',
  'apicbaseLibraryName',
  'addedAt',
  'lastUsedAt'
] as const satisfies readonly (keyof PersonalEntryMeta)[]
/** With the fields an entry may leave out (added later): absent means none. */
const KNOWN_ENTRY_KEYS: readonly string[] = [...ENTRY_KEYS, 'customer' satisfies keyof PersonalEntryMeta]

/** What a caller may change on an entry; its connection and its library are what it is, and never change. */
export interface EntryPatch {
  readonly name?: string
  /** A customer label; null takes it away. */
  readonly customer?: string | null
  readonly apicbaseLibraryName?: string | null
  readonly lastUsedAt?: number | null
}

export function checkEntry(field: string, value: unknown): PersonalEntryMeta {
  const raw = record(field, value)
  onlyKeys(field, raw, KNOWN_ENTRY_KEYS)
  for (const key of ENTRY_KEYS) {
    if (!(key in raw)) throw new InputError(`${field}.${key}`, `${field}.${key} is missing`)
  }
  const entry: PersonalEntryMeta = {
    id: libraryId(`${field}.id`, raw['id']),
    name: text(`${field}.name`, raw['name'], 100),
    connectionId: libraryId(`${field}.connectionId`, raw['connectionId']),
    apicbaseLibraryId: text(`${field}.apicbaseLibraryId`, raw['apicbaseLibraryId'], 200),
    apicbaseLibraryName: nullableText(`${field}.apicbaseLibraryName`, raw['apicbaseLibraryName'], 200),
    addedAt: time(`${field}.addedAt`, raw['addedAt']),
    lastUsedAt: nullableTime(`${field}.lastUsedAt`, raw['lastUsedAt'])
  }
  // Last, and only when there is one: an entry without a label is written as it was before labels existed.
  if (raw['customer'] !== undefined) return Object.freeze({ ...entry, customer: customerLabel(`${field}.customer`, raw['customer']) })
  return Object.freeze(entry)
}

export function checkEntryPatch(field: string, value: unknown): EntryPatch {
  const raw = record(field, value)
  onlyKeys(field, raw, ['name', 'customer', 'apicbaseLibraryName', 'lastUsedAt'])
  const patch: { -readonly [K in keyof EntryPatch]: EntryPatch[K] } = {}
  if ('name' in raw) patch.name = text(`${field}.name`, raw['name'], 100)
  if ('customer' in raw) patch.customer = raw['customer'] === null ? null : customerLabel(`${field}.customer`, raw['customer'])
  if ('apicbaseLibraryName' in raw) patch.apicbaseLibraryName = nullableText(`${field}.apicbaseLibraryName`, raw['apicbaseLibraryName'], 200)
  if ('lastUsedAt' in raw) patch.lastUsedAt = nullableTime(`${field}.lastUsedAt`, raw['lastUsedAt'])
  return patch
}
