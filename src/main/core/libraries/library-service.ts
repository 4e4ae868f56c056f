// Adding, listing, revoking and removing libraries. Every change goes through here, so the checks that keep
// the vault honest (trimmed pasted values, a verified token, a durable save before anything else) live in one place.
import { randomUUID } from 'node:crypto'
import { normalizeApiBaseUrl, type ApicbaseClient, type ApicbaseLibrary, type TokenResponse } from '../apicbase/index.ts'
import type { RefreshEngine } from '../engine/refresh-engine.ts'
import { ignoreAuditFailure, type AuditInput } from '../audit/index.ts'
import { ApiError, InputError } from '../errors.ts'
import { deriveStatus, tokenPreview, TOKEN_TYPES, type LibraryMeta, type LibraryStatus, type TokenType } from '../model.ts'
import type { Clock } from '../time/clock.ts'
import type { Vault } from '../vault/index.ts'
import { displayName, pastedOpaque, stripBearer } from './pasted.ts'

export type LibraryWithStatus = LibraryMeta & { readonly status: LibraryStatus }

export interface AddedLibrary {
  readonly library: LibraryWithStatus
  /** The library Apicbase says the token acts on, when it could tell. */
  readonly found: ApicbaseLibrary | null
}

export interface LibraryAudit {
  append(entry: AuditInput): Promise<unknown>
}

export interface LibraryServiceOptions {
  readonly vault: Vault
  readonly client: ApicbaseClient
  readonly engine: RefreshEngine
  readonly clock: Clock
  readonly audit?: LibraryAudit
  readonly newId?: () => string
}

/** Access tokens live 7 days; used when the server's expires_in is missing or absurd. */
const DOCUMENTED_LIFETIME_S = 604_800

export class LibraryService {
  readonly #vault: Vault
  readonly #client: ApicbaseClient
  readonly #engine: RefreshEngine
  readonly #clock: Clock
  readonly #audit: LibraryAudit | undefined
  readonly #newId: () => string

  constructor(options: LibraryServiceOptions) {
    this.#vault = options.vault
    this.#client = options.client
    this.#engine = options.engine
    this.#clock = options.clock
    this.#audit = options.audit
    this.#newId = options.newId ?? randomUUID
  }

  list(): LibraryWithStatus[] {
    return this.#vault.list().map((meta) => this.#withStatus(meta))
  }

  get(id: string): LibraryWithStatus {
    return this.#withStatus(this.#require(id))
  }

  /**
   * Checks the pasted credentials against Apicbase and saves the library. The check is a refresh: it is the
   * only call that proves both the client secret and the refresh token, and it starts the library with a full
   * 7 days. The refreshed pair is written to disk before anything else happens, because the pasted refresh
   * token is dead from that moment. If the check fails, nothing is saved.
   */
  async add(input: unknown): Promise<AddedLibrary> {
    const checked = this.#checkNew(input)
    const target = { baseUrl: checked.apiBaseUrl, libraryName: checked.name, rateKey: `new:${checked.clientId}` }
    const credentials = { clientId: checked.clientId, clientSecret: checked.clientSecret }
    let response: TokenResponse
    try {
      response = await this.#client.refresh(target, credentials, checked.refreshToken)
    } catch (error) {
      throw explainAddFailure(error, checked.name)
    }
    const now = this.#clock.now()
    const expiresAt = now + (response.expiresInSeconds ?? DOCUMENTED_LIFETIME_S) * 1000
    const id = this.#newId()
    const meta: LibraryMeta = {
      id,
      name: checked.name,
      apicbaseLibraryId: null,
      apicbaseLibraryName: null,
      tokenType: checked.tokenType,
      scopes: response.scopes,
      apiBaseUrl: checked.apiBaseUrl,
      clientId: checked.clientId,
      addedAt: now,
      issuedAt: now,
      expiresAt,
      lastRefreshedAt: now,
      lastUsedAt: null,
      lastError: null,
      tokenState: 'active',
      tokenPreview: tokenPreview(response.accessToken)
    }
    await this.#vault.add(
      meta,
      { clientSecret: checked.clientSecret, accessToken: response.accessToken, refreshToken: response.refreshToken },
      { consumedRefreshToken: checked.refreshToken }
    )
    this.#engine.track(id)
    this.#audit?.append({ action: 'added', libraryId: id, libraryName: meta.name, outcome: 'ok', detail: `${meta.tokenType}, scopes: ${meta.scopes.join(' ') || 'none'}` }).catch(ignoreAuditFailure)
    const found = await this.#identify(id, response.accessToken)
    return { library: this.get(id), found }
  }

  /** Refreshes now (shared with any refresh already in flight) and answers the library as it stands after. */
  async refresh(id: string): Promise<LibraryWithStatus> {
    await this.#engine.refresh(id, 'manual')
    return this.get(id)
  }

  /** Revokes the token at Apicbase (its whole family) and keeps the record, marked revoked. */
  async revoke(id: string): Promise<LibraryWithStatus> {
    const meta = this.#require(id)
    const secrets = await this.#vault.secrets(id)
    const target = { baseUrl: meta.apiBaseUrl, libraryName: meta.name, rateKey: id }
    await this.#client.revoke(target, { clientId: meta.clientId, clientSecret: secrets.clientSecret }, secrets.refreshToken)
    await this.#vault.patch(id, { tokenState: 'revoked', lastError: null })
    this.#engine.track(id)
    this.#audit?.append({ action: 'revoked', libraryId: id, libraryName: meta.name, outcome: 'ok' }).catch(ignoreAuditFailure)
    return this.get(id)
  }

  /** Removes the library from Larder. The caller must repeat its name, so a slip cannot remove the wrong one. */
  async remove(id: string, confirmName: unknown): Promise<void> {
    const meta = this.#require(id)
    if (typeof confirmName !== 'string' || confirmName.trim() !== meta.name) {
      throw new InputError('confirmName', `Type the library's name, "${meta.name}", to confirm removing it`)
    }
    this.#engine.untrack(id)
    await this.#vault.remove(id)
    this.#audit?.append({ action: 'removed', libraryId: id, libraryName: meta.name, outcome: 'ok' }).catch(ignoreAuditFailure)
  }

  #withStatus(meta: LibraryMeta): LibraryWithStatus {
    const settings = this.#vault.settings()
    return { ...meta, status: deriveStatus(meta, this.#clock.now(), this.#engine.isRefreshing(meta.id), settings) }
  }

  #require(id: string): LibraryMeta {
    if (typeof id !== 'string' || id === '') throw new InputError('id', 'Library id must be a non-empty string')
    const meta = this.#vault.get(id)
    if (!meta) throw new InputError('id', `No library with id "${id}"`)
    return meta
  }

  /** Best effort: asks Apicbase which library the token acts on and records it. A failure here is not fatal. */
  async #identify(id: string, accessToken: string): Promise<ApicbaseLibrary | null> {
    const meta = this.#require(id)
    try {
      const report = await this.#client.healthCheck({ baseUrl: meta.apiBaseUrl, libraryName: meta.name, rateKey: id }, accessToken)
      const found = report.activeLibrary
      if (found) await this.#vault.patch(id, { apicbaseLibraryId: found.id, apicbaseLibraryName: found.name })
      return found
    } catch {
      return null
    }
  }

  #checkNew(input: unknown) {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new InputError('input', 'Library details must be an object')
    const raw = input as Record<string, unknown>
    const tokenType = raw['tokenType']
    if (typeof tokenType !== 'string' || !(TOKEN_TYPES as readonly string[]).includes(tokenType)) {
      throw new InputError('tokenType', `Token type must be one of ${TOKEN_TYPES.join(', ')}`)
    }
    const accessToken = pastedOpaque('accessToken', 'Access token', typeof raw['accessToken'] === 'string' ? stripBearer(raw['accessToken']) : raw['accessToken'])
    const refreshToken = pastedOpaque('refreshToken', 'Refresh token', raw['refreshToken'])
    if (accessToken === refreshToken) {
      throw new InputError('refreshToken', 'The access token and the refresh token are the same; paste each into its own field')
    }
    if (this.#vault.isSpent(refreshToken)) {
      throw new InputError('refreshToken', 'This refresh token was already used by Larder and no longer works; ask the library owner for a new token')
    }
    const base = raw['apiBaseUrl']
    const apiBaseUrl = normalizeApiBaseUrl(typeof base === 'string' && base.trim() !== '' ? base.trim() : this.#vault.settings().defaultApiBaseUrl)
    return {
      tokenType: tokenType as TokenType,
      name: displayName('name', raw['name']),
      clientId: pastedOpaque('clientId', 'Client ID', raw['clientId'], 256),
      clientSecret: pastedOpaque('clientSecret', 'Client secret', raw['clientSecret'], 512),
      accessToken,
      refreshToken,
      apiBaseUrl
    }
  }
}

/** Says what went wrong with the check in words that fit adding a library. */
function explainAddFailure(error: unknown, name: string): unknown {
  if (!(error instanceof ApiError)) return error
  switch (error.kind) {
    case 'invalid_client':
      return new ApiError('invalid_client', `Apicbase rejected the client ID or client secret for ${name}. Check both against the library's API settings. Nothing was saved.`, { status: error.status })
    case 'invalid_grant':
      return new ApiError('invalid_grant', `Apicbase does not accept this refresh token: it was already used or has been revoked. Ask the owner of ${name} for a new token. Nothing was saved.`, { status: error.status })
    case 'network':
    case 'timeout':
      return new ApiError(error.kind, `${error.message} Nothing was saved.${error.maybeCommitted ? ' The request may have reached Apicbase: if trying again says the token was already used, ask the owner for a new one.' : ''}`, { status: error.status, maybeCommitted: error.maybeCommitted })
    default:
      return new ApiError(error.kind, `${error.message} Nothing was saved.`, { status: error.status, ...(error.retryAt === undefined ? {} : { retryAt: error.retryAt }) })
  }
}
