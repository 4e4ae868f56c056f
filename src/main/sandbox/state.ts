// The sandbox's data: libraries, applications, users, token families and authorization codes.
// Every mutation is synchronous, so "committed" has a precise meaning for the reset faults.

import type { SandboxClock } from './clock.ts'
import type { ApplicationInfo, ApplicationKind, CodeChallengeMethod, LibraryInfo, Scope, TokenKind, TokenPair } from './model.ts'
import { SandboxError } from './model.ts'
import type { TokenSource } from './rng.ts'

export const TOKEN_LENGTH = 30
export const CODE_LIFETIME_MS = 60_000

export interface Library extends LibraryInfo {
  recipeCount: number
  outletCount: number
}

export interface User {
  id: number
  name: string
  active: boolean
  activeLibraryId: number
  permissions: Map<number, Set<Scope>>
}

/** One issued grant; rotation replaces its tokens but keeps the family (and its rate budget). */
export interface TokenFamily {
  id: string
  kind: TokenKind
  clientId: string
  scopes: Scope[]
  libraryId: number | null
  userId: number | null
  accessToken: string
  refreshToken: string
  revoked: boolean
}

export interface AccessRecord {
  familyId: string
  expiresAt: number
  revoked: boolean
}

/** 'rotated' = replaced by a newer one (presenting it again is reuse); 'revoked' = family killed. */
export interface RefreshRecord {
  familyId: string
  state: 'current' | 'rotated' | 'revoked'
}

/** RFC 7636: what the authorize request committed to; the exchange must bring the matching verifier. */
export interface CodeChallenge {
  challenge: string
  method: CodeChallengeMethod
}

export interface AuthCode {
  clientId: string
  userId: number
  scopes: Scope[]
  redirectUri: string | null
  challenge: CodeChallenge | null
  expiresAt: number
  used: boolean
}

export interface IssueSpec {
  clientId: string
  kind: TokenKind
  libraryId: number | null
  userId: number | null
  scopes: Scope[]
}

export class SandboxState {
  readonly libraries = new Map<number, Library>()
  readonly applications = new Map<string, ApplicationInfo>()
  readonly users = new Map<number, User>()
  readonly families = new Map<string, TokenFamily>()
  private readonly accessTokens = new Map<string, AccessRecord>()
  private readonly refreshTokens = new Map<string, RefreshRecord>()
  private readonly codes = new Map<string, AuthCode>()
  private familyCounter = 0
  private highestLibraryId = 0
  private readonly clock: SandboxClock
  private readonly ttlSeconds: number
  private readonly runtimeTokens: TokenSource

  constructor(clock: SandboxClock, ttlSeconds: number, runtimeTokens: TokenSource) {
    this.clock = clock
    this.ttlSeconds = ttlSeconds
    this.runtimeTokens = runtimeTokens
  }

  get accessTokenTtlSeconds(): number {
    return this.ttlSeconds
  }

  /** Libraries added at run time are numbered from 2001, clear of the seeded 100x ids. */
  nextLibraryId(): number {
    return Math.max(2000, this.highestLibraryId) + 1
  }

  addLibrary(id: number, name: string, recipeCount: number, outletCount: number): Library {
    if (this.libraries.has(id)) throw new SandboxError(`library ${id} already exists`)
    const library: Library = { id, name, status: 'active', recipeCount, outletCount }
    this.libraries.set(id, library)
    this.highestLibraryId = Math.max(this.highestLibraryId, id)
    return library
  }

  addApplication(name: string, kind: ApplicationKind, libraryId: number | null, gen?: TokenSource): ApplicationInfo {
    const app: ApplicationInfo = {
      clientId: this.unique(gen, 40, (s) => this.applications.has(s)),
      clientSecret: (gen ?? this.runtimeTokens)(60),
      name,
      kind,
      libraryId
    }
    this.applications.set(app.clientId, app)
    return app
  }

  addUser(id: number, name: string, permissions: [number, Scope[]][], activeLibraryId: number): User {
    const user: User = {
      id,
      name,
      active: true,
      activeLibraryId,
      permissions: new Map(permissions.map(([lib, scopes]) => [lib, new Set(scopes)]))
    }
    this.users.set(id, user)
    return user
  }

  authenticateClient(clientId: string, clientSecret: string): ApplicationInfo | null {
    const app = this.applications.get(clientId)
    return app !== undefined && app.clientSecret === clientSecret ? app : null
  }

  /** The first of the offered credentials that authenticates (HTTP Basic, then the form, as django-oauth-toolkit). */
  authenticateOffered(offered: readonly { id: string; secret: string }[]): ApplicationInfo | null {
    for (const { id, secret } of offered) {
      const app = this.authenticateClient(id, secret)
      if (app !== null) return app
    }
    return null
  }

  /**
   * Whose rate budget a family spends: Apicbase limits per user. A personal token is its person; a service-account
   * or connected-application token acts as the API user of its application in its library.
   */
  rateUser(family: TokenFamily): string {
    return family.userId !== null ? `user:${family.userId}` : `app:${family.clientId}:library:${family.libraryId ?? 'none'}`
  }

  /** Creates a new token family; the rules mirror how each kind is obtainable in Apicbase. */
  issue(spec: IssueSpec, gen?: TokenSource): TokenFamily {
    const app = this.applications.get(spec.clientId)
    if (app === undefined) throw new SandboxError(`unknown client ${spec.clientId}`)
    if (spec.scopes.length === 0) throw new SandboxError('a token needs at least one scope')
    if (spec.kind === 'personal') {
      if (spec.userId === null || !this.users.has(spec.userId)) throw new SandboxError('personal tokens need a known userId')
    } else {
      if (spec.libraryId === null || !this.libraries.has(spec.libraryId)) {
        throw new SandboxError(`${spec.kind} tokens need a known libraryId`)
      }
      if (spec.kind === 'service_account' && (app.kind !== 'library' || app.libraryId !== spec.libraryId)) {
        throw new SandboxError("service-account tokens are issued by the library's own application")
      }
      if (spec.kind === 'connected_application' && app.kind !== 'partner') {
        throw new SandboxError('connected-application tokens are issued through a partner application')
      }
    }
    this.familyCounter += 1
    const family: TokenFamily = {
      id: `fam-${this.familyCounter}`,
      kind: spec.kind,
      clientId: spec.clientId,
      scopes: [...spec.scopes],
      libraryId: spec.kind === 'personal' ? null : spec.libraryId,
      userId: spec.kind === 'personal' ? spec.userId : null,
      accessToken: '',
      refreshToken: '',
      revoked: false
    }
    this.families.set(family.id, family)
    this.mintPair(family, gen)
    return family
  }

  /**
   * Refresh: the old access token is revoked in the same step; with rotation on (django-oauth-toolkit's default)
   * the old refresh token dies too, with it off the refresh token stays the live one.
   */
  rotate(family: TokenFamily, rotateRefreshToken = true): void {
    const oldAccess = this.accessTokens.get(family.accessToken)
    if (oldAccess !== undefined) oldAccess.revoked = true
    if (!rotateRefreshToken) {
      this.mintAccess(family)
      return
    }
    const oldRefresh = this.refreshTokens.get(family.refreshToken)
    if (oldRefresh !== undefined) oldRefresh.state = 'rotated'
    this.mintPair(family)
  }

  revokeFamily(family: TokenFamily): void {
    family.revoked = true
    const refresh = this.refreshTokens.get(family.refreshToken)
    if (refresh !== undefined) refresh.state = 'revoked'
    const access = this.accessTokens.get(family.accessToken)
    if (access !== undefined) access.revoked = true
  }

  lookupAccess(token: string): { record: AccessRecord; family: TokenFamily } | null {
    const record = this.accessTokens.get(token)
    const family = record === undefined ? undefined : this.families.get(record.familyId)
    return record === undefined || family === undefined ? null : { record, family }
  }

  lookupRefresh(token: string): { record: RefreshRecord; family: TokenFamily } | null {
    const record = this.refreshTokens.get(token)
    const family = record === undefined ? undefined : this.families.get(record.familyId)
    return record === undefined || family === undefined ? null : { record, family }
  }

  isAccessUsable(record: AccessRecord, family: TokenFamily): boolean {
    return !record.revoked && !family.revoked && this.clock.now() < record.expiresAt && this.userActive(family)
  }

  userActive(family: TokenFamily): boolean {
    return family.userId === null || this.users.get(family.userId)?.active === true
  }

  /** The library a request made with this family really acts on (personal: the active one). */
  actingLibrary(family: TokenFamily): Library | null {
    const id = family.userId === null ? family.libraryId : (this.users.get(family.userId)?.activeLibraryId ?? null)
    return id === null ? null : (this.libraries.get(id) ?? null)
  }

  reachableLibraries(family: TokenFamily): Library[] {
    if (family.userId === null) {
      const own = this.actingLibrary(family)
      return own === null ? [] : [own]
    }
    const user = this.users.get(family.userId)
    if (user === undefined) return []
    return [...user.permissions.keys()]
      .sort((a, b) => a - b)
      .map((id) => this.libraries.get(id))
      .filter((lib): lib is Library => lib !== undefined)
  }

  setActiveLibrary(userId: number, libraryId: number): Library {
    const user = this.users.get(userId)
    if (user === undefined) throw new SandboxError(`unknown user ${userId}`)
    const library = this.libraries.get(libraryId)
    if (library === undefined || !user.permissions.has(libraryId)) {
      throw new SandboxError(`library ${libraryId} is not accessible to user ${userId}`)
    }
    user.activeLibraryId = libraryId
    return library
  }

  deactivateUser(userId: number): void {
    const user = this.users.get(userId)
    if (user === undefined) throw new SandboxError(`unknown user ${userId}`)
    user.active = false
  }

  createCode(clientId: string, userId: number, scopes: Scope[], redirectUri: string | null, challenge: CodeChallenge | null = null): string {
    if (!this.applications.has(clientId)) throw new SandboxError(`unknown client ${clientId}`)
    if (!this.users.has(userId)) throw new SandboxError(`unknown user ${userId}`)
    if (scopes.length === 0) throw new SandboxError('an authorization code needs at least one scope')
    const code = this.unique(undefined, TOKEN_LENGTH, (s) => this.codes.has(s))
    const expiresAt = this.clock.now() + CODE_LIFETIME_MS
    this.codes.set(code, { clientId, userId, scopes, redirectUri, challenge, expiresAt, used: false })
    return code
  }

  findCode(code: string): AuthCode | null {
    return this.codes.get(code) ?? null
  }

  pairOf(family: TokenFamily): TokenPair {
    return {
      familyId: family.id,
      tokenType: family.kind,
      clientId: family.clientId,
      accessToken: family.accessToken,
      refreshToken: family.refreshToken,
      expiresIn: this.ttlSeconds,
      scopes: [...family.scopes],
      libraryId: family.libraryId,
      userId: family.userId
    }
  }

  private mintPair(family: TokenFamily, gen?: TokenSource): void {
    this.mintAccess(family, gen)
    family.refreshToken = this.unique(gen, TOKEN_LENGTH, (s) => this.taken(s))
    this.refreshTokens.set(family.refreshToken, { familyId: family.id, state: 'current' })
  }

  private mintAccess(family: TokenFamily, gen?: TokenSource): void {
    family.accessToken = this.unique(gen, TOKEN_LENGTH, (s) => this.taken(s))
    this.accessTokens.set(family.accessToken, {
      familyId: family.id,
      expiresAt: this.clock.now() + this.ttlSeconds * 1000,
      revoked: false
    })
  }

  private taken(token: string): boolean {
    return this.accessTokens.has(token) || this.refreshTokens.has(token)
  }

  private unique(gen: TokenSource | undefined, length: number, taken: (s: string) => boolean): string {
    const source = gen ?? this.runtimeTokens
    for (;;) {
      const candidate = source(length)
      if (!taken(candidate)) return candidate
    }
  }
}
