// Which host an API base URL sends a library's client secret and tokens to, and whether that host is Apicbase's.
// Pure and shared, so the add form's warning and the core's refusal read a URL the same way; the core decides
// (src/main/core/apicbase/api-host.ts), the page only shows it.

export const API_HOST_KINDS = ['apicbase', 'loopback', 'other'] as const
/** 'apicbase': https on apicbase.com or a subdomain; 'loopback': this computer (the sandbox); 'other': anything else. */
export type ApiHostKind = (typeof API_HOST_KINDS)[number]

/** Plain http is allowed only to these hosts, so the local sandbox works and nothing else can sniff tokens. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]']

export const APICBASE_DOMAIN = 'apicbase.com'

export interface ApiHost {
  readonly kind: ApiHostKind
  /** The host as the URL parser reads it (lower case, punycode), with the port when it is not the scheme's own. */
  readonly host: string
  /** scheme://host[:port] */
  readonly origin: string
}

// Letters, digits and inner hyphens: the only labels Apicbase's own names are made of.
const PLAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/

/**
 * Reads `text` with the WHATWG URL parser (which lower-cases, maps full-width characters and turns Unicode names
 * into punycode) and says whose host it is. Null when it is not an http(s) URL Larder could use at all (the base
 * URL check says why). User info is ignored here, so `https://api.apicbase.com@evil.example` reads as evil.example.
 */
export function classifyApiBaseUrl(text: string): ApiHost | null {
  let url: URL
  try {
    url = new URL(text.trim())
  } catch {
    return null
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null
  const hostname = url.hostname.toLowerCase()
  if (hostname === '') return null
  const host = url.host.toLowerCase()
  const origin = `${url.protocol}//${host}`
  if (LOOPBACK_HOSTS.includes(hostname)) return { kind: 'loopback', host, origin }
  if (url.protocol !== 'https:') return null
  return { kind: url.port === '' && isApicbaseName(hostname) ? 'apicbase' : 'other', host, origin }
}

/**
 * apicbase.com itself or a name under it, spelled in plain labels. A trailing dot, an empty label or a punycode
 * label (xn--…, which can imitate any name) does not count, even under apicbase.com: those get a person's look.
 */
function isApicbaseName(hostname: string): boolean {
  if (hostname !== APICBASE_DOMAIN && !hostname.endsWith(`.${APICBASE_DOMAIN}`)) return false
  return hostname.split('.').every((label) => PLAIN_LABEL.test(label) && !label.startsWith('xn--'))
}
