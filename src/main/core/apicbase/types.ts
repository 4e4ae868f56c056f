// The vocabulary of the Apicbase client: what a call needs and what it returns. Plain data only.

/** Where a call goes and whom it concerns. */
export interface ApiTarget {
  /** e.g. https://api.apicbase.com (checked by base-url.ts on every call). */
  readonly baseUrl: string
  /** The library's name as the person knows it; used in error messages. */
  readonly libraryName: string
  /** Identifies the token family for rate-limit bookkeeping (access tokens change on rotation). */
  readonly rateKey: string
}

/** The library's own OAuth application. The client ID is an identifier; the secret is a secret. */
export interface ClientCredentials {
  readonly clientId: string
  readonly clientSecret: string
}

export interface TokenResponse {
  readonly accessToken: string
  readonly refreshToken: string
  readonly tokenType: string
  /** Null when the server's expires_in was missing or absurd; the pair is still good and must be kept. */
  readonly expiresInSeconds: number | null
  readonly scopes: string[]
}

export interface Introspection {
  readonly active: boolean
  /** Epoch ms, when the server said. */
  readonly expiresAt?: number
  readonly scopes?: string[]
  readonly clientId?: string
}

/** A library as the accounts endpoints describe it; ids are normalized to strings. */
export interface ApicbaseLibrary {
  readonly id: string
  readonly name: string | null
  readonly status: string | null
}

export interface HealthReport {
  readonly checkedAt: number
  /** The path that answered 200. */
  readonly endpoint: string
  /** The library the token acts on, when the accounts endpoint said; null after the recipes fallback. */
  readonly activeLibrary: ApicbaseLibrary | null
  /** True when the accounts endpoint answered 403 and the recipe list stood in for it. */
  readonly accountsDenied: boolean
}

/** The scope a health check reads under: recipes need 'library', outlets 'accounts'. */
export type ReadScope = 'library' | 'accounts'

export interface ReadCheckReport {
  readonly checkedAt: number
  /** The path that answered 200. */
  readonly endpoint: string
}

/** The last rate-limit headers seen for one token family; a field is null when the server did not say. */
export interface RateLimitSnapshot {
  readonly limit: number | null
  readonly remaining: number | null
  /** Epoch ms when the window resets. */
  readonly resetAt: number | null
  readonly observedAt: number
}
