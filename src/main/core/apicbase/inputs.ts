// Argument checks run before any request is sent, so bad input never reaches Apicbase (invariant 8).
// Messages name the field and never echo the value: it may be a secret.
import { InputError } from '../errors.ts'
import { normalizeApiBaseUrl } from './base-url.ts'
import type { ApiTarget, ClientCredentials } from './types.ts'

const MAX_TOKEN_LENGTH = 4096

/** The target with its base URL normalized (scheme://host[:port], no trailing slash). */
export interface CheckedTarget {
  readonly origin: string
  readonly libraryName: string
  readonly rateKey: string
}

/** Base URLs already checked: a partner has a handful, and every request names one. Only valid ones are kept. */
const checkedOrigins = new Map<string, string>()
const MAX_CHECKED_ORIGINS = 64

function originOf(baseUrl: unknown): string {
  const known = typeof baseUrl === 'string' ? checkedOrigins.get(baseUrl) : undefined
  if (known !== undefined) return known
  const origin = normalizeApiBaseUrl(baseUrl)
  if (checkedOrigins.size >= MAX_CHECKED_ORIGINS) checkedOrigins.clear()
  checkedOrigins.set(baseUrl as string, origin)
  return origin
}

export function checkTarget(target: ApiTarget): CheckedTarget {
  if (typeof target !== 'object' || target === null) throw new InputError('target', 'The API target is missing.')
  return {
    origin: originOf(target.baseUrl),
    libraryName: checkLabel(target.libraryName, 'libraryName'),
    rateKey: checkLabel(target.rateKey, 'rateKey')
  }
}

export function checkCredentials(credentials: ClientCredentials): ClientCredentials {
  if (typeof credentials !== 'object' || credentials === null) {
    throw new InputError('clientId', 'The client ID and client secret are missing.')
  }
  return {
    clientId: checkToken(credentials.clientId, 'clientId', 'client ID'),
    clientSecret: checkToken(credentials.clientSecret, 'clientSecret', 'client secret')
  }
}

/**
 * A token-like value: non-empty text without whitespace or control characters. Pasted tokens with a
 * stray space or line break are refused rather than silently trimmed, so what is stored is what was sent.
 */
export function checkToken(value: unknown, field: string, what: string): string {
  if (typeof value !== 'string') throw new InputError(field, `The ${what} must be text.`)
  if (value === '') throw new InputError(field, `The ${what} is empty.`)
  if (/[\s\p{Cc}]/u.test(value)) throw new InputError(field, `The ${what} contains spaces, line breaks or control characters.`)
  if (value.length > MAX_TOKEN_LENGTH) throw new InputError(field, `The ${what} is longer than ${MAX_TOKEN_LENGTH} characters.`)
  return value
}

/** A URL the code was issued for, or null when none was registered (the code was copied by hand). */
export function checkRedirectUri(value: unknown): string | null {
  if (value === null) return null
  if (typeof value !== 'string' || value === '' || /\s/.test(value)) {
    throw new InputError('redirectUri', 'The redirect URI must be a URL without spaces (or null when none was registered).')
  }
  try {
    new URL(value)
  } catch {
    throw new InputError('redirectUri', 'The redirect URI is not a valid URL.')
  }
  return value
}

export function checkLibraryId(value: unknown): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value
  if (typeof text !== 'string' || text === '' || /[\s\p{Cc}]/u.test(text) || text.length > 200) {
    throw new InputError('libraryId', 'The Apicbase library ID must be a non-empty ID without spaces.')
  }
  return text
}

function checkLabel(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new InputError(field, `The ${field} must be non-empty text.`)
  return value
}
