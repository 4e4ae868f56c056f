// What the audit trail records: who did what to which library, and how it went. There is deliberately no
// field for a token or a secret, and unknown fields are refused, so none can be slipped in.
import { InputError } from '../errors.ts'

import { AUDIT_ACTIONS, AUDIT_OUTCOMES, TOKEN_TYPES, type AuditAction, type AuditOutcome, type TokenType } from '../../../shared/contract.ts'

export { AUDIT_ACTIONS, AUDIT_OUTCOMES, type AuditAction, type AuditOutcome }

export interface AuditInput {
  readonly action: AuditAction
  /** Null for events about the vault as a whole (a restored backup, an export of every library). */
  readonly libraryId: string | null
  readonly libraryName: string | null
  readonly outcome: AuditOutcome
  /** A sentence for people, e.g. "trigger: timer" or a failure message. Never a secret. */
  readonly detail?: string
  /**
   * Which library it was, in words that outlive it (added in issue 19; older entries have none): the Apicbase library
   * (absent for a personal token's own record, which follows its user's active library), the token type, and for a
   * library reached through a personal token, that token's name.
   */
  readonly apicbaseLibraryId?: string
  readonly tokenType?: TokenType
  readonly via?: string
}

export interface AuditEntry extends AuditInput {
  /** 1, 2, 3… in the order entries were appended; continues across restarts. */
  readonly seq: number
  readonly at: number
}

export const MAX_DETAIL_LENGTH = 1000
export const MAX_PAGE_SIZE = 500

const INPUT_KEYS = ['action', 'libraryId', 'libraryName', 'outcome', 'detail', 'apicbaseLibraryId', 'tokenType', 'via']
 
const CONTROL_EXCEPT_NEWLINE_TAB = /[\u0000-\u0008\u000b-\u001f\u007f]/

export function checkInput(value: unknown): AuditInput {
  const raw = object('entry', value)
  for (const key of Object.keys(raw)) {
    if (!INPUT_KEYS.includes(key)) throw new InputError(`entry.${key}`, `entry.${key} is not something the audit trail records`)
  }
  const input: { -readonly [K in keyof AuditInput]: AuditInput[K] } = {
    action: oneOf('entry.action', raw['action'], AUDIT_ACTIONS),
    libraryId: nullableLine('entry.libraryId', raw['libraryId'], 128),
    libraryName: nullableLine('entry.libraryName', raw['libraryName'], 200),
    outcome: oneOf('entry.outcome', raw['outcome'], AUDIT_OUTCOMES)
  }
  if (raw['detail'] !== undefined) input.detail = detail(raw['detail'])
  if (raw['apicbaseLibraryId'] !== undefined) input.apicbaseLibraryId = line('entry.apicbaseLibraryId', raw['apicbaseLibraryId'], 200)
  if (raw['tokenType'] !== undefined) input.tokenType = oneOf('entry.tokenType', raw['tokenType'], TOKEN_TYPES)
  if (raw['via'] !== undefined) input.via = line('entry.via', raw['via'], 200)
  return input
}

/** An entry as read back from the file; null for anything that is not one (a torn or edited line). */
export function readEntry(value: unknown): AuditEntry | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const raw = value as Record<string, unknown>
  const { seq, at, ...rest } = raw
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return null
  if (typeof at !== 'number' || !Number.isFinite(at)) return null
  try {
    return { seq, at, ...checkInput(rest) }
  } catch {
    return null
  }
}

export interface AuditQuery {
  /** Only entries older than this seq (the `nextBefore` of the previous page). */
  readonly before?: number
  /** 1 to 500. */
  readonly limit: number
  readonly libraryId?: string
  readonly action?: AuditAction
  /** Only entries at or after this time (ms). */
  readonly since?: number
  /** Only entries at or before this time (ms). */
  readonly until?: number
  /** A team's trail only (issue 16): the entries of this member. A local trail refuses it. */
  readonly memberId?: string
}

export function checkQuery(value: unknown): AuditQuery {
  const raw = object('query', value)
  for (const key of Object.keys(raw)) {
    if (key === 'memberId') throw new InputError('query.memberId', 'query.memberId filters a team’s trail; this vault is in no team')
    if (!['before', 'limit', 'libraryId', 'action', 'since', 'until'].includes(key)) {
      throw new InputError(`query.${key}`, `query.${key} is not a filter the audit trail knows`)
    }
  }
  const limit = raw['limit']
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new InputError('query.limit', `query.limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
  }
  const query: { -readonly [K in keyof AuditQuery]: AuditQuery[K] } = { limit }
  if (raw['before'] !== undefined) {
    const before = raw['before']
    if (typeof before !== 'number' || !Number.isSafeInteger(before) || before < 1) throw new InputError('query.before', 'query.before must be a seq (a whole number ≥ 1)')
    query.before = before
  }
  if (raw['libraryId'] !== undefined) query.libraryId = nullableLine('query.libraryId', raw['libraryId'], 128) ?? undefined
  if (raw['action'] !== undefined) query.action = oneOf('query.action', raw['action'], AUDIT_ACTIONS)
  if (raw['since'] !== undefined) query.since = time('query.since', raw['since'])
  if (raw['until'] !== undefined) query.until = time('query.until', raw['until'])
  if (query.since !== undefined && query.until !== undefined && query.since > query.until) {
    throw new InputError('query.until', 'query.until must not be before query.since')
  }
  return query
}

export function matches(entry: AuditEntry, query: AuditQuery): boolean {
  return (
    (query.before === undefined || entry.seq < query.before) &&
    (query.libraryId === undefined || entry.libraryId === query.libraryId) &&
    (query.action === undefined || entry.action === query.action) &&
    (query.since === undefined || entry.at >= query.since) &&
    (query.until === undefined || entry.at <= query.until)
  )
}

function object(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(field, `${field} must be an object`)
  return value as Record<string, unknown>
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InputError(field, `${field} must be one of ${allowed.join(', ')}`)
  }
  return value as T
}

function nullableLine(field: string, value: unknown, maxLength: number): string | null {
  if (value === null) return null
  if (typeof value !== 'string') throw new InputError(field, `${field} must be text or null`)
  if (value.trim() === '') throw new InputError(field, `${field} is empty`)
  if (value.length > maxLength) throw new InputError(field, `${field} is too long (at most ${maxLength} characters)`)
  if (/[\r\n]/.test(value) || CONTROL_EXCEPT_NEWLINE_TAB.test(value)) throw new InputError(field, `${field} must be a single line without control characters`)
  return value
}

function line(field: string, value: unknown, maxLength: number): string {
  const checked = nullableLine(field, value, maxLength)
  if (checked === null) throw new InputError(field, `${field} must be text; leave it out instead`)
  return checked
}

function detail(value: unknown): string {
  if (typeof value !== 'string') throw new InputError('entry.detail', 'entry.detail must be text')
  if (value.trim() === '') throw new InputError('entry.detail', 'entry.detail is empty; leave it out instead')
  if (value.length > MAX_DETAIL_LENGTH) throw new InputError('entry.detail', `entry.detail is too long (at most ${MAX_DETAIL_LENGTH} characters)`)
  if (CONTROL_EXCEPT_NEWLINE_TAB.test(value)) throw new InputError('entry.detail', 'entry.detail contains control characters')
  return value
}

function time(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError(field, `${field} must be a time in milliseconds`)
  return value
}
