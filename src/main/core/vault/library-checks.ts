// Runtime validation of library records, used both for what callers hand the vault and for what the file
// holds. Returns fresh frozen objects so a caller keeping its own reference cannot change the vault's.
import { CUSTOMER_LABEL_MAX } from '../../../shared/customer-label.ts'
import { InputError } from '../errors.ts'
import {
  FAILURE_KINDS,
  TOKEN_TYPES,
  tokenPreview,
  type IssuedPair,
  type LibraryFailure,
  type LibraryMeta,
  type LibrarySecrets,
  type TokenState
} from '../model.ts'
import {
  baseUrl,
  bool,
  nullableText,
  nullableTime,
  oneOf,
  onlyKeys,
  opaque,
  record,
  scopeList,
  text,
  time
} from './checks.ts'

export const TOKEN_STATES: readonly TokenState[] = ['active', 'needs_reauth', 'revoked', 'moved', 'paused']

const META_KEYS = [
  'id',
  'name',
  'apicbaseLibraryId',
  'apicbaseLibraryName',
  'tokenType',
  'scopes',
  'apiBaseUrl',
  'clientId',
  'addedAt',
  'issuedAt',
  'expiresAt',
  'lastRefreshedAt',
  'lastUsedAt',
  'lastError',
  'tokenState',
  'tokenPreview'
] as const satisfies readonly (keyof LibraryMeta)[]

/** Fields a record may leave out (added after records were first written): absent means none. */
const OPTIONAL_META_KEYS = ['customer', 'hold'] as const satisfies readonly (keyof LibraryMeta)[]
const KNOWN_META_KEYS: readonly string[] = [...META_KEYS, ...OPTIONAL_META_KEYS]

export const SECRET_FIELDS = ['clientSecret', 'accessToken', 'refreshToken'] as const satisfies readonly (keyof LibrarySecrets)[]
export type SecretField = (typeof SECRET_FIELDS)[number]

/** A list of secret fields to decrypt: known names, at least one. */
export function secretFields<F extends SecretField>(field: string, value: readonly F[]): readonly F[] {
  if (!Array.isArray(value) || value.length === 0) throw new InputError(field, `${field} must list at least one of ${SECRET_FIELDS.join(', ')}`)
  for (const [index, name] of value.entries()) {
    if (!(SECRET_FIELDS as readonly unknown[]).includes(name)) throw new InputError(`${field}[${index}]`, `${field}[${index}] is not one of ${SECRET_FIELDS.join(', ')}`)
  }
  return value
}

/** The fields a caller may change with `patch`; tokens, scopes and credentials have their own calls. */
export interface LibraryPatch {
  readonly name?: string
  /** A customer label; null takes it away. */
  readonly customer?: string | null
  readonly apicbaseLibraryId?: string | null
  readonly apicbaseLibraryName?: string | null
  readonly apiBaseUrl?: string
  readonly lastUsedAt?: number | null
  readonly lastError?: LibraryFailure | null
  readonly tokenState?: TokenState
}

export interface ClientCredentials {
  readonly clientId: string
  readonly clientSecret: string
}

export function libraryId(field: string, value: unknown): string {
  return opaque(field, value, 128)
}

export function checkMeta(field: string, value: unknown): LibraryMeta {
  const raw = record(field, value)
  onlyKeys(field, raw, KNOWN_META_KEYS)
  for (const key of META_KEYS) {
    if (!(key in raw)) throw new InputError(`${field}.${key}`, `${field}.${key} is missing`)
  }
  const issuedAt = nullableTime(`${field}.issuedAt`, raw['issuedAt'])
  const expiresAt = nullableTime(`${field}.expiresAt`, raw['expiresAt'])
  if (issuedAt !== null && expiresAt !== null && expiresAt <= issuedAt) {
    throw new InputError(`${field}.expiresAt`, `${field}.expiresAt must be after ${field}.issuedAt`)
  }
  if (typeof raw['tokenPreview'] !== 'string') throw new InputError(`${field}.tokenPreview`, `${field}.tokenPreview must be text`)
  const meta: LibraryMeta = {
    id: libraryId(`${field}.id`, raw['id']),
    name: text(`${field}.name`, raw['name'], 100),
    apicbaseLibraryId: nullableText(`${field}.apicbaseLibraryId`, raw['apicbaseLibraryId'], 200),
    apicbaseLibraryName: nullableText(`${field}.apicbaseLibraryName`, raw['apicbaseLibraryName'], 200),
    tokenType: oneOf(`${field}.tokenType`, raw['tokenType'], TOKEN_TYPES),
    scopes: scopeList(`${field}.scopes`, raw['scopes']),
    apiBaseUrl: baseUrl(`${field}.apiBaseUrl`, raw['apiBaseUrl']),
    clientId: opaque(`${field}.clientId`, raw['clientId'], 1024),
    addedAt: time(`${field}.addedAt`, raw['addedAt']),
    issuedAt,
    expiresAt,
    lastRefreshedAt: nullableTime(`${field}.lastRefreshedAt`, raw['lastRefreshedAt']),
    lastUsedAt: nullableTime(`${field}.lastUsedAt`, raw['lastUsedAt']),
    lastError: raw['lastError'] === null ? null : checkFailure(`${field}.lastError`, raw['lastError']),
    tokenState: oneOf(`${field}.tokenState`, raw['tokenState'], TOKEN_STATES),
    tokenPreview: raw['tokenPreview']
  }
  // Last, and only when there is one: a record without a label is written as it was before labels existed.
  const labelled = raw['customer'] === undefined ? meta : { ...meta, customer: customerLabel(`${field}.customer`, raw['customer']) }
  // The same for a hold (issue 17): only a moved or paused record has one.
  if (raw['hold'] !== undefined) return Object.freeze({ ...labelled, hold: checkHold(`${field}.hold`, raw['hold']) })
  return Object.freeze(labelled)
}

const HOLD_KINDS = ['moved', 'paused'] as const
const HELD_FROM = ['active', 'needs_reauth', 'revoked'] as const

/** Why a record's refreshes are held back (model.ts LibraryHold): every field, none unknown. */
export function checkHold(field: string, value: unknown): NonNullable<LibraryMeta['hold']> {
  const raw = record(field, value)
  onlyKeys(field, raw, ['kind', 'at', 'message', 'to', 'was'])
  return Object.freeze({
    kind: oneOf(`${field}.kind`, raw['kind'], HOLD_KINDS),
    at: time(`${field}.at`, raw['at']),
    message: text(`${field}.message`, raw['message'], 2000),
    to: nullableText(`${field}.to`, raw['to'], 4096),
    was: oneOf(`${field}.was`, raw['was'], HELD_FROM)
  })
}

/** A customer label as the vault keeps it: trimmed already, one line, 1–CUSTOMER_LABEL_MAX characters. */
export function customerLabel(field: string, value: unknown): string {
  return text(field, value, CUSTOMER_LABEL_MAX)
}

/**
 * The record (or entry) with `patch` applied. A customer label of null is taken away: the record is then what it was
 * before it had one, key for key.
 */
export function withPatch<M extends { readonly customer?: string }, P extends { readonly customer?: string | null }>(current: M, patch: P): M {
  const { customer, ...rest } = patch
  const next = { ...current, ...rest } as M & { customer?: string }
  if (customer === null) delete next.customer
  else if (customer !== undefined) next.customer = customer
  return Object.freeze(next)
}

export function checkFailure(field: string, value: unknown): LibraryFailure {
  const raw = record(field, value)
  onlyKeys(field, raw, ['kind', 'message', 'at', 'retryAt', 'unanswered', 'status'])
  const failure: { -readonly [K in keyof LibraryFailure]: LibraryFailure[K] } = {
    kind: oneOf(`${field}.kind`, raw['kind'], FAILURE_KINDS),
    message: text(`${field}.message`, raw['message'], 2000),
    at: time(`${field}.at`, raw['at'])
  }
  if (raw['retryAt'] !== undefined) failure.retryAt = time(`${field}.retryAt`, raw['retryAt'])
  if (raw['unanswered'] !== undefined) failure.unanswered = bool(`${field}.unanswered`, raw['unanswered'])
  if (raw['status'] !== undefined) failure.status = httpStatus(`${field}.status`, raw['status'])
  return Object.freeze(failure)
}

/** The HTTP status an answer came with: a whole number from 100 to 599. */
function httpStatus(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 100 || value > 599) {
    throw new InputError(field, `${field} must be an HTTP status from 100 to 599`)
  }
  return value
}

export function checkSecrets(field: string, value: unknown): LibrarySecrets {
  const raw = record(field, value)
  onlyKeys(field, raw, SECRET_FIELDS)
  return {
    clientSecret: opaque(`${field}.clientSecret`, raw['clientSecret']),
    accessToken: opaque(`${field}.accessToken`, raw['accessToken']),
    refreshToken: opaque(`${field}.refreshToken`, raw['refreshToken'])
  }
}

export function checkPair(field: string, value: unknown): IssuedPair {
  const raw = record(field, value)
  onlyKeys(field, raw, ['accessToken', 'refreshToken', 'issuedAt', 'expiresAt', 'scopes'])
  const issuedAt = time(`${field}.issuedAt`, raw['issuedAt'])
  const expiresAt = time(`${field}.expiresAt`, raw['expiresAt'])
  if (expiresAt <= issuedAt) throw new InputError(`${field}.expiresAt`, `${field}.expiresAt must be after ${field}.issuedAt`)
  return {
    accessToken: opaque(`${field}.accessToken`, raw['accessToken']),
    refreshToken: opaque(`${field}.refreshToken`, raw['refreshToken']),
    issuedAt,
    expiresAt,
    scopes: scopeList(`${field}.scopes`, raw['scopes'])
  }
}

export function checkCredentials(field: string, value: unknown): ClientCredentials {
  const raw = record(field, value)
  onlyKeys(field, raw, ['clientId', 'clientSecret'])
  return {
    clientId: opaque(`${field}.clientId`, raw['clientId'], 1024),
    clientSecret: opaque(`${field}.clientSecret`, raw['clientSecret'])
  }
}

export function checkPatch(field: string, value: unknown): LibraryPatch {
  const raw = record(field, value)
  onlyKeys(field, raw, ['name', 'customer', 'apicbaseLibraryId', 'apicbaseLibraryName', 'apiBaseUrl', 'lastUsedAt', 'lastError', 'tokenState'])
  const patch: { -readonly [K in keyof LibraryPatch]: LibraryPatch[K] } = {}
  if ('name' in raw) patch.name = text(`${field}.name`, raw['name'], 100)
  if ('customer' in raw) patch.customer = raw['customer'] === null ? null : customerLabel(`${field}.customer`, raw['customer'])
  if ('apicbaseLibraryId' in raw) patch.apicbaseLibraryId = nullableText(`${field}.apicbaseLibraryId`, raw['apicbaseLibraryId'], 200)
  if ('apicbaseLibraryName' in raw) patch.apicbaseLibraryName = nullableText(`${field}.apicbaseLibraryName`, raw['apicbaseLibraryName'], 200)
  if ('apiBaseUrl' in raw) patch.apiBaseUrl = baseUrl(`${field}.apiBaseUrl`, raw['apiBaseUrl'])
  if ('lastUsedAt' in raw) patch.lastUsedAt = nullableTime(`${field}.lastUsedAt`, raw['lastUsedAt'])
  if ('lastError' in raw) patch.lastError = raw['lastError'] === null ? null : checkFailure(`${field}.lastError`, raw['lastError'])
  if ('tokenState' in raw) patch.tokenState = oneOf(`${field}.tokenState`, raw['tokenState'], TOKEN_STATES)
  return patch
}

/** The preview always follows the access token it describes, whatever the caller passed. */
export function withPreview(meta: LibraryMeta, accessToken: string): LibraryMeta {
  return Object.freeze({ ...meta, tokenPreview: tokenPreview(accessToken) })
}
