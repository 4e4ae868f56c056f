// Where Larder may send a library's client secret and tokens without asking: Apicbase's own hosts (https on
// apicbase.com and its subdomains) and the sandbox on this computer. Any other host needs a person's confirmation
// naming it, given when the library is added or re-authorized, a personal token is connected, or the default URL
// is changed. Checked before anything is sent or stored.
import { classifyApiBaseUrl, type ApiHost } from '../../../shared/api-host.ts'
import { InputError } from '../errors.ts'
import { normalizeApiBaseUrl } from './base-url.ts'

export { API_HOST_KINDS, classifyApiBaseUrl, type ApiHost, type ApiHostKind } from '../../../shared/api-host.ts'

// Views ask for the host of every library; most share a handful of base URLs.
const known = new Map<string, ApiHost>()

/** The host of a base URL Larder already accepted (normalizeApiBaseUrl): for views and messages. */
export function apiHostOf(apiBaseUrl: string): ApiHost {
  const cached = known.get(apiBaseUrl)
  if (cached) return cached
  const host = classifyApiBaseUrl(apiBaseUrl)
  if (host === null) throw new InputError('apiBaseUrl', 'The API base URL is not one Larder can use.')
  if (known.size < 1000) known.set(apiBaseUrl, host)
  return host
}

/**
 * Answers the host of `apiBaseUrl` (already normalised) when Larder may send there, or throws InputError(field)
 * naming the host: an 'other' host needs `confirmed` to be exactly that host (with its port, if any).
 */
export function requireTrustedApiHost(apiBaseUrl: string, confirmed: unknown, field = 'confirmedHost'): ApiHost {
  const host = apiHostOf(apiBaseUrl)
  if (host.kind !== 'other' || confirmed === host.host) return host
  const mismatch = typeof confirmed === 'string' && confirmed !== '' ? ' (the confirmation names another host)' : ''
  throw new InputError(
    field,
    `${host.host} is not an Apicbase address (apicbase.com or *.apicbase.com)${mismatch}. Larder sends a client secret or token there ` +
      `only once you confirm that you trust ${host.host} with them. Nothing was saved.`
  )
}

/**
 * Settings: a new default on a host that is not Apicbase's needs `confirmed` naming it; keeping the default it has,
 * or moving to Apicbase or the sandbox, does not. A URL that is no base URL at all is left to the settings check.
 */
export function checkDefaultApiBaseUrlChange(current: string, next: unknown, confirmed: unknown): void {
  let origin: string
  try {
    origin = normalizeApiBaseUrl(next)
  } catch {
    return
  }
  if (origin === current) return
  const host = apiHostOf(origin)
  if (host.kind !== 'other' || confirmed === host.host) return
  throw new InputError(
    'confirmedDefaultApiHost',
    `${host.host} is not an Apicbase address (apicbase.com or *.apicbase.com). Confirm that you trust ${host.host} with the client ` +
      'secret and tokens of the libraries added with this default before making it the default. The settings were not changed.'
  )
}
