// Public vocabulary of the sandbox: the shapes tests, benchmarks and the CLI exchange with it.

export type Scope = 'accounts' | 'library'
export const ALL_SCOPES: readonly Scope[] = ['accounts', 'library']

export type TokenKind = 'service_account' | 'connected_application' | 'personal'
export type ApplicationKind = 'library' | 'partner'

/** The API routes faults and counters are keyed by; 'unknown' is any other non-admin path. */
export type RouteName =
  | 'token'
  | 'revoke'
  | 'introspect'
  | 'authorize'
  | 'libraries'
  | 'active'
  | 'recipes'
  | 'outlets'
export type HitRoute = RouteName | 'unknown'
export const ROUTE_NAMES: readonly RouteName[] = [
  'token',
  'revoke',
  'introspect',
  'authorize',
  'libraries',
  'active',
  'recipes',
  'outlets'
]

export interface LibraryInfo {
  id: number
  name: string
  status: 'active'
}

export interface ApplicationInfo {
  clientId: string
  clientSecret: string
  name: string
  kind: ApplicationKind
  /** The library a 'library' application belongs to; null for partner applications. */
  libraryId: number | null
}

/** A freshly issued access/refresh pair and the family it belongs to. */
export interface TokenPair {
  familyId: string
  tokenType: TokenKind
  clientId: string
  accessToken: string
  refreshToken: string
  expiresIn: number
  scopes: Scope[]
  libraryId: number | null
  userId: number | null
}

/** Everything a client needs to use and refresh one library's token. */
export interface LibraryCredentials {
  id: number
  name: string
  tokenType: TokenKind
  clientId: string
  clientSecret: string
  accessToken: string
  refreshToken: string
  familyId: string
  scopes: Scope[]
}

export interface UserFixture {
  id: number
  name: string
  activeLibraryId: number
  permissions: { libraryId: number; libraryName: string; scopes: Scope[] }[]
  /** The user's personal token, issued through the partner application. */
  token: Omit<LibraryCredentials, 'id' | 'name'>
}

export interface SandboxFixtures {
  seed: number
  partner: ApplicationInfo
  applications: ApplicationInfo[]
  /** Seeded libraries with the token a client would hold for each (service or connected). */
  libraries: LibraryCredentials[]
  user: UserFixture
}

export interface IssueTokenPairSpec {
  clientId: string
  kind: TokenKind
  libraryId?: number
  userId?: number
  /** Array or space-separated string. */
  scopes: readonly Scope[] | string
}

export interface AuthorizationCodeSpec {
  clientId: string
  userId: number
  scopes: readonly Scope[] | string
  redirectUri?: string
  /** PKCE: the exchange must then bring the matching code_verifier. */
  codeChallenge?: string
  /** Default 'S256' (the authorize page defaults to 'plain', as oauthlib). */
  codeChallengeMethod?: CodeChallengeMethod
}

/** The PKCE methods django-oauth-toolkit accepts. */
export type CodeChallengeMethod = 'S256' | 'plain'
export const CODE_CHALLENGE_METHODS: readonly CodeChallengeMethod[] = ['S256', 'plain']

/**
 * What a refresh does to the refresh token: 'rotate' (django-oauth-toolkit's default) issues a new one; with rotation
 * off the old one stays good and the answer either repeats it ('same') or leaves it out ('omitted').
 */
export type RefreshTokenRotation = 'rotate' | 'same' | 'omitted'

export interface AddLibraryOptions {
  name: string
  scopes?: readonly Scope[]
  recipeCount?: number
  outletCount?: number
}

/** Thrown by programmatic helpers on bad input; admin HTTP maps it to 400. */
export class SandboxError extends Error {
  override name = 'SandboxError'
}

export function parseScopes(input: readonly string[] | string): Scope[] {
  const words = typeof input === 'string' ? input.split(/\s+/).filter((w) => w !== '') : input
  const scopes: Scope[] = []
  for (const word of words) {
    const scope = ALL_SCOPES.find((s) => s === word)
    if (scope === undefined) throw new SandboxError(`unknown scope '${word}'`)
    if (!scopes.includes(scope)) scopes.push(scope)
  }
  return scopes
}
