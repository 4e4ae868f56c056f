// The API base URL check, shared by the client (on every call) and the add-library form.
import { LOOPBACK_HOSTS } from '../../../shared/api-host.ts'
import { InputError } from '../errors.ts'

export { LOOPBACK_HOSTS }

const FIELD = 'apiBaseUrl'

/**
 * Returns the base URL as `scheme://host[:port]` with no trailing slash, or throws
 * InputError('apiBaseUrl', …) saying what was wrong.
 */
export function normalizeApiBaseUrl(input: unknown): string {
  if (typeof input !== 'string') throw new InputError(FIELD, 'The API base URL must be text, like https://api.apicbase.com.')
  const text = input.trim()
  if (text === '') throw new InputError(FIELD, 'The API base URL is empty; use https://api.apicbase.com.')
  if (/\s/.test(text)) throw new InputError(FIELD, 'The API base URL contains spaces or line breaks.')
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new InputError(FIELD, 'The API base URL is not a valid URL; it should look like https://api.apicbase.com.')
  }
  const host = url.hostname.toLowerCase()
  if (url.protocol === 'http:') {
    if (!LOOPBACK_HOSTS.includes(host)) {
      throw new InputError(FIELD, `The API base URL must use https:// (plain http:// is only allowed for ${LOOPBACK_HOSTS.join(', ')}).`)
    }
  } else if (url.protocol !== 'https:') {
    throw new InputError(FIELD, `The API base URL must use https://, not ${url.protocol}//.`)
  }
  if (host === '') throw new InputError(FIELD, 'The API base URL has no host name.')
  // The URL parser keeps credentials it finds; never echo them back in the message.
  if (url.username !== '' || url.password !== '') {
    throw new InputError(FIELD, 'The API base URL must not contain a user name or password.')
  }
  if (url.search !== '' || text.includes('?')) throw new InputError(FIELD, 'The API base URL must not contain a query (?…).')
  if (url.hash !== '' || text.includes('#')) throw new InputError(FIELD, 'The API base URL must not contain a fragment (#…).')
  // Every endpoint path is absolute (/oauth/…, /api/v2/…); a pasted path would double them up.
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new InputError(FIELD, `The API base URL must be just the server address, like https://api.apicbase.com, without the path ${url.pathname}.`)
  }
  return url.origin
}

/** For forms: null when valid, else the message. */
export function apiBaseUrlProblem(input: unknown): string | null {
  try {
    normalizeApiBaseUrl(input)
    return null
  } catch (error) {
    if (error instanceof InputError) return error.message
    throw error
  }
}
