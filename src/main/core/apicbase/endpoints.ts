// Every path the client calls (each ends with a slash, as Apicbase requires), with the words used for
// it in messages and the OAuth scope a 403 there most likely lacks.

export interface Endpoint {
  readonly path: string
  /** "-ing" phrase for messages: "while <doing> for Brasserie Nord". */
  readonly doing: string
  /** The scope to name on a 403; null for the OAuth endpoints. */
  readonly scope: 'accounts' | 'library' | null
  /** OAuth endpoints answer `{"error": …}`; API endpoints answer `{"detail": …}`. */
  readonly oauth: boolean
}

export const ENDPOINTS = {
  refresh: { path: '/oauth/token/', doing: 'refreshing the token', scope: null, oauth: true },
  exchangeCode: { path: '/oauth/token/', doing: 'exchanging the authorization code', scope: null, oauth: true },
  revoke: { path: '/oauth/revoke_token/', doing: 'revoking a token', scope: null, oauth: true },
  introspect: { path: '/oauth/introspect/', doing: 'checking a token', scope: null, oauth: true },
  libraries: { path: '/api/v2/accounts/libraries/', doing: 'listing the libraries', scope: 'accounts', oauth: false },
  activeLibrary: { path: '/api/v2/accounts/libraries/active/', doing: 'reading the active library', scope: 'accounts', oauth: false },
  switchLibrary: { path: '/api/v2/accounts/libraries/active/', doing: 'switching the active library', scope: 'accounts', oauth: false },
  recipes: { path: '/api/v2/products/recipes/', doing: 'reading recipes', scope: 'library', oauth: false },
  // Apicbase's own page on several libraries (seed 001) names this path; the older one above is a published profile's.
  libraryRecipes: { path: '/api/v2/library/recipes/', doing: 'reading recipes', scope: 'library', oauth: false },
  outlets: { path: '/api/v2/accounts/outlets/', doing: 'reading outlets', scope: 'accounts', oauth: false }
} as const satisfies Record<string, Endpoint>

/** Pagination is followed at most this far; a longer chain is a loop or a server bug, not a real list. */
export const MAX_PAGES = 100
