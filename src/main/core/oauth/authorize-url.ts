// The address of Apicbase's authorization page for the authorization-code flow. The page lives on the web app's
// host (app.apicbase.com), not the API's (api.apicbase.com); a sandbox on the loopback interface serves it itself.
import { LOOPBACK_HOSTS, normalizeApiBaseUrl } from '../apicbase/index.ts'

const AUTHORIZE_PATH = '/oauth/authorize/'

export interface AuthorizeRequest {
  readonly apiBaseUrl: string
  readonly clientId: string
  readonly scopes: readonly string[]
  readonly state: string
  /** PKCE: S256 of the flow's code verifier. */
  readonly codeChallenge: string
  /** The loopback address that catches the answer; null when the person copies the code from the page. */
  readonly redirectUri: string | null
}

/** https://api.apicbase.com → https://app.apicbase.com; api.<x> → app.<x>; a loopback sandbox → itself. */
export function authorizeOrigin(apiBaseUrl: string): string {
  const url = new URL(normalizeApiBaseUrl(apiBaseUrl))
  if (LOOPBACK_HOSTS.includes(url.hostname)) return url.origin
  if (url.hostname.startsWith('api.')) url.hostname = `app.${url.hostname.slice('api.'.length)}`
  return url.origin
}

export function buildAuthorizeUrl(request: AuthorizeRequest): string {
  const url = new URL(AUTHORIZE_PATH, `${authorizeOrigin(request.apiBaseUrl)}/`)
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('client_id', request.clientId)
  url.searchParams.set('scope', request.scopes.join(' '))
  url.searchParams.set('state', request.state)
  url.searchParams.set('code_challenge', request.codeChallenge)
  url.searchParams.set('code_challenge_method', 'S256')
  if (request.redirectUri !== null) url.searchParams.set('redirect_uri', request.redirectUri)
  return url.toString()
}
