// Small runtime checks shared by the vault's input validation and its reading of the file. Each throws an
// InputError naming the field; none trims or repairs (callers normalise pasted text before it gets here).
import { normalizeApiBaseUrl } from '../apicbase/base-url.ts'
import { InputError } from '../errors.ts'

// Printable ASCII without spaces: what OAuth client IDs, secrets and tokens are made of.
const OPAQUE = /^[\x21-\x7e]+$/
 
const CONTROL = /[\u0000-\u001f\u007f]/

export type Fields = Record<string, unknown>

export function record(field: string, value: unknown): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(field, `${field} must be an object`)
  return value as Fields
}

/** Refuses keys the caller did not mean to send, so nothing unexpected (a stray token) is stored. */
export function onlyKeys(field: string, value: Fields, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new InputError(`${field}.${key}`, `${field}.${key} is not a field Larder knows`)
  }
}

/** A single-line, non-empty text without whitespace around it. */
export function text(field: string, value: unknown, maxLength: number): string {
  if (typeof value !== 'string') throw new InputError(field, `${field} must be text, got ${describe(value)}`)
  const trimmed = value.trim()
  if (trimmed === '') throw new InputError(field, `${field} is empty`)
  if (value !== trimmed) throw new InputError(field, `${field} has spaces or line breaks around it`)
  if (value.length > maxLength) throw new InputError(field, `${field} is too long (${value.length} characters; at most ${maxLength})`)
  if (CONTROL.test(value)) throw new InputError(field, `${field} contains control characters`)
  return value
}

export function nullableText(field: string, value: unknown, maxLength: number): string | null {
  return value === null ? null : text(field, value, maxLength)
}

/** A token, secret or identifier: printable ASCII, no spaces. The message never quotes the value. */
export function opaque(field: string, value: unknown, maxLength = 16_384): string {
  if (typeof value !== 'string') throw new InputError(field, `${field} must be text, got ${describe(value)}`)
  if (value === '' || value.trim() === '') throw new InputError(field, `${field} is empty`)
  if (value.length > maxLength) throw new InputError(field, `${field} is too long (${value.length} characters; at most ${maxLength})`)
  if (/\s/.test(value)) throw new InputError(field, `${field} contains a space or line break`)
  if (!OPAQUE.test(value)) throw new InputError(field, `${field} contains characters a token never has`)
  return value
}

/** A time in milliseconds since the epoch. */
export function time(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InputError(field, `${field} must be a time in milliseconds (a finite number ≥ 0), got ${describe(value)}`)
  }
  return value
}

export function nullableTime(field: string, value: unknown): number | null {
  return value === null ? null : time(field, value)
}

/** A whole number of milliseconds within [min, max]. */
export function duration(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(field, `${field} must be a whole number of milliseconds from ${min} to ${max}, got ${describe(value)}`)
  }
  return value
}

export function bool(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new InputError(field, `${field} must be true or false, got ${describe(value)}`)
  return value
}

/** One of `allowed`, returned as the list's own string: thousands of records then share one copy of each word. */
export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  const index = typeof value === 'string' ? (allowed as readonly string[]).indexOf(value) : -1
  if (index < 0) throw new InputError(field, `${field} must be one of ${allowed.join(', ')}, got ${describe(value)}`)
  return allowed[index]!
}

// Most libraries share a handful of scope lists and base URLs: each is checked once and then shared by every record
// that has it (a 10,000-library vault otherwise holds 10,000 copies of each; bench/heap.ts).
const SHARED_LIMIT = 1000
const sharedScopeLists = new Map<string, readonly string[]>()

export function scopeList(field: string, value: unknown): readonly string[] {
  if (!Array.isArray(value)) throw new InputError(field, `${field} must be a list of scopes`)
  if (value.length > 200) throw new InputError(field, `${field} has too many scopes (${value.length}; at most 200)`)
  // Scopes hold no space (opaque), so the joined list names it exactly.
  const key = value.every((scope) => typeof scope === 'string') ? value.join(' ') : null
  const shared = key === null ? undefined : sharedScopeLists.get(key)
  if (shared !== undefined && shared.length === value.length) return shared
  const checked = Object.freeze(value.map((scope, index) => opaque(`${field}[${index}]`, scope, 200)))
  if (key !== null && sharedScopeLists.size < SHARED_LIMIT) sharedScopeLists.set(key, checked)
  return checked
}

const acceptedUrls = new Map<string, string>()

/** An API base URL, by the one rule every part of Larder uses (https, or http on loopback; no path, query or login). */
export function baseUrl(field: string, value: unknown): string {
  const accepted = typeof value === 'string' ? acceptedUrls.get(value) : undefined
  if (accepted !== undefined) return accepted
  const raw = text(field, value, 2048)
  let origin: string
  try {
    origin = normalizeApiBaseUrl(raw)
  } catch (error) {
    if (error instanceof InputError) throw new InputError(field, error.message.replace('The API base URL', field))
    throw error
  }
  if (acceptedUrls.size < SHARED_LIMIT) acceptedUrls.set(origin, origin)
  return origin
}

export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : `${value}`
  if (typeof value === 'string') return 'text'
  return typeof value
}
