// Adding, listing, revoking and removing libraries. Every change goes through here, so the checks that keep
// the vault honest (trimmed pasted values, a verified token, a durable save before anything else) live in one place.
import { randomUUID } from 'node:crypto'
import { normalizeApiBaseUrl, type ApicbaseClient, type ApicbaseLibrary, type TokenResponse } from '../apicbase/index.ts'
import type { RefreshEngine } from '../engine/refresh-engine.ts'
import { ignoreAuditFailure, type AuditInput } from '../audit/index.ts'
import { ApiError, InputError } from '../errors.ts'
import {
  deriveStatus,
  isConnection,
  tokenPreview,
  TOKEN_TYPES,
  type LibraryMeta,
  type LibraryStatus,
  type PersonalEntryMeta,
  type TokenType
} from '../model.ts'
import type { PersonalLink, PersonalState } from '../personal/personal-types.ts'
import type { Clock } from '../time/clock.ts'
import type { Vault } from '../vault/index.ts'
import { displayName, pastedOpaque, stripBearer } from './pasted.ts'

/**
 * A library as the rest of the app sees it. For a library reached through a personal token (an entry), the token
 * fields (expiry, preview, state, last error) and the status are its connection's: the pair is stored once.
 */
export type LibraryWithStatus = LibraryMeta & {
  readonly status: LibraryStatus
  /** Set for a personal token's record (role 'connection') and the libraries that use it (role 'library'). */
  readonly personal?: PersonalLink
}

/** A token pair just issued by the token endpoint for a personal token (the authorization-code flow). */
export interface ExchangedToken {
  readonly name: string
  readonly apiBaseUrl: string
  readonly clientId: string
  readonly clientSecret: string
  readonly response: TokenResponse
  /** How it was obtained, for the audit trail. */
  readonly via: string
}

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
  /** Where personal tokens stand (active library, drift); without it their rows carry no such information. */
  readonly personal?: { state(connectionId: string): PersonalState }
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
  readonly #personal: { state(connectionId: string): PersonalState } | undefined

  constructor(options: LibraryServiceOptions) {
    this.#vault = options.vault
    this.#client = options.client
    this.#engine = options.engine
    this.#clock = options.clock
    this.#audit = options.audit
    this.#newId = options.newId ?? randomUUID
    this.#personal = options.personal
  }

  /** Every library: records holding a token, then the libraries reached through a personal token. */
  list(): LibraryWithStatus[] {
    const records = this.#vault.list().map((meta) => this.#withStatus(meta))
    const entries: LibraryWithStatus[] = []
    for (const entry of this.#vault.entries()) {
      const connection = this.#vault.get(entry.connectionId)
      if (connection) entries.push(this.#entryView(entry, connection))
    }
    return entries.length === 0 ? records : [...records, ...entries]
  }

  get(id: string): LibraryWithStatus {
    const entry = this.#entryOf(id)
    if (entry) return this.#entryView(entry, this.#require(entry.connectionId))
    return this.#withStatus(this.#require(id))
  }

  /** The entries that use this record's personal token (none for other records). */
  entriesOf(connectionId: string): PersonalEntryMeta[] {
    return this.#vault.entries().filter((entry) => entry.connectionId === connectionId)
  }

  /** The id of the record holding the token a library uses: its own, or its connection's. */
  tokenHolderOf(id: string): string {
    return this.#entryOf(id)?.connectionId ?? this.#require(id).id
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

  /**
   * Stores a personal token just obtained through the authorization-code flow as a connection. The pair is durable
   * before anything else happens; then Larder asks Apicbase which library it acts on now.
   */
  async addExchanged(token: ExchangedToken): Promise<AddedLibrary> {
    const { response } = token
    const now = this.#clock.now()
    const id = this.#newId()
    const meta: LibraryMeta = {
      id,
      name: token.name,
      apicbaseLibraryId: null,
      apicbaseLibraryName: null,
      tokenType: 'personal',
      scopes: response.scopes,
      apiBaseUrl: token.apiBaseUrl,
      clientId: token.clientId,
      addedAt: now,
      issuedAt: now,
      expiresAt: now + (response.expiresInSeconds ?? DOCUMENTED_LIFETIME_S) * 1000,
      lastRefreshedAt: null,
      lastUsedAt: null,
      lastError: null,
      tokenState: 'active',
      tokenPreview: tokenPreview(response.accessToken)
    }
    await this.#vault.add(meta, { clientSecret: token.clientSecret, accessToken: response.accessToken, refreshToken: response.refreshToken })
    this.#engine.track(id)
    this.#audit?.append({ action: 'added', libraryId: id, libraryName: meta.name, outcome: 'ok', detail: `personal token ${token.via}, scopes: ${meta.scopes.join(' ') || 'none'}` }).catch(ignoreAuditFailure)
    const found = await this.#identify(id, response.accessToken)
    return { library: this.get(id), found }
  }

  /**
   * The owner issued a new token pair for a library that needs re-authorization (or was revoked): check it with a
   * refresh using the library's own client credentials, and store the result in the same record, so its history
   * and settings stay. The pasted refresh token is recorded as spent in the same write. Nothing changes on failure.
   */
  async reauthorize(id: string, input: unknown): Promise<LibraryWithStatus> {
    const holder = this.tokenHolderOf(id)
    const meta = this.#require(holder)
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new InputError('input', 'The new token pair must be an object')
    const raw = input as Record<string, unknown>
    const accessToken = pastedOpaque('accessToken', 'Access token', typeof raw['accessToken'] === 'string' ? stripBearer(raw['accessToken']) : raw['accessToken'])
    const refreshToken = pastedOpaque('refreshToken', 'Refresh token', raw['refreshToken'])
    if (accessToken === refreshToken) {
      throw new InputError('refreshToken', 'The access token and the refresh token are the same; paste each into its own field')
    }
    if (this.#vault.isSpent(refreshToken)) {
      throw new InputError('refreshToken', 'This refresh token was already used by Larder and no longer works; ask the library owner for a new token')
    }
    const secrets = await this.#vault.secrets(holder)
    let response: TokenResponse
    try {
      response = await this.#client.refresh(
        { baseUrl: meta.apiBaseUrl, libraryName: meta.name, rateKey: holder },
        { clientId: meta.clientId, clientSecret: secrets.clientSecret },
        refreshToken
      )
    } catch (error) {
      throw explainAddFailure(error, meta.name)
    }
    const now = this.#clock.now()
    await this.#vault.reauthorize(
      holder,
      {
        accessToken: response.accessToken,
        refreshToken: response.refreshToken,
        issuedAt: now,
        expiresAt: now + (response.expiresInSeconds ?? DOCUMENTED_LIFETIME_S) * 1000,
        scopes: response.scopes
      },
      { consumedRefreshToken: refreshToken }
    )
    this.#engine.track(holder)
    this.#audit?.append({ action: 'restored', libraryId: holder, libraryName: meta.name, outcome: 'ok', detail: 'new token pair from the owner' }).catch(ignoreAuditFailure)
    return this.get(id)
  }

  /** Refreshes now (shared with any refresh already in flight) and answers the library as it stands after. */
  async refresh(id: string): Promise<LibraryWithStatus> {
    await this.#engine.refresh(this.tokenHolderOf(id), 'manual')
    return this.get(id)
  }

  /** Revokes the token at Apicbase (its whole family) and keeps the record, marked revoked. */
  async revoke(id: string): Promise<LibraryWithStatus> {
    const entry = this.#entryOf(id)
    if (entry) {
      const connection = this.#require(entry.connectionId)
      throw new InputError(
        'id',
        `${entry.name} uses the personal token of ${connection.name}, which ${this.entriesOf(connection.id).length === 1 ? 'no other library shares' : 'other libraries share too'}: revoke ${connection.name} itself to revoke it`
      )
    }
    const meta = this.#require(id)
    const secrets = await this.#vault.secrets(id)
    const target = { baseUrl: meta.apiBaseUrl, libraryName: meta.name, rateKey: id }
    await this.#client.revoke(target, { clientId: meta.clientId, clientSecret: secrets.clientSecret }, secrets.refreshToken)
    await this.#vault.patch(id, { tokenState: 'revoked', lastError: null })
    this.#engine.track(id)
    this.#audit?.append({ action: 'revoked', libraryId: id, libraryName: meta.name, outcome: 'ok' }).catch(ignoreAuditFailure)
    return this.get(id)
  }

  /**
   * Removes the library from Larder. The caller must repeat its name, so a slip cannot remove the wrong one. Removing a
   * personal token's record removes the libraries that use it too (they have no token without it); removing one of
   * those libraries leaves the token alone. Answers the ids removed.
   */
  async remove(id: string, confirmName: unknown): Promise<string[]> {
    const entry = this.#entryOf(id)
    const meta = entry ? null : this.#require(id)
    const name = entry?.name ?? meta?.name ?? ''
    if (typeof confirmName !== 'string' || confirmName.trim() !== name) {
      throw new InputError('confirmName', `Type the library's name, "${name}", to confirm removing it`)
    }
    if (entry) {
      await this.#vault.remove(entry.id)
      this.#audit?.append({ action: 'removed', libraryId: entry.id, libraryName: entry.name, outcome: 'ok', detail: 'the personal token it used is kept' }).catch(ignoreAuditFailure)
      return [entry.id]
    }
    const sharing = this.entriesOf(id)
    this.#engine.untrack(id)
    await this.#vault.remove(id)
    const detail = sharing.length === 0 ? undefined : `with the ${sharing.length === 1 ? 'library' : `${sharing.length} libraries`} that used its token`
    this.#audit?.append({ action: 'removed', libraryId: id, libraryName: name, outcome: 'ok', ...(detail ? { detail } : {}) }).catch(ignoreAuditFailure)
    return [id, ...sharing.map((shared) => shared.id)]
  }

  #withStatus(meta: LibraryMeta): LibraryWithStatus {
    const settings = this.#vault.settings()
    const status = deriveStatus(meta, this.#clock.now(), this.#engine.isRefreshing(meta.id), settings)
    if (!isConnection(meta)) return { ...meta, status }
    const state = this.#personalState(meta.id)
    const personal: PersonalLink = { ...state, role: 'connection', connectionName: meta.name, isActive: false, libraryCount: this.entriesOf(meta.id).length }
    return { ...meta, status, personal }
  }

  /** A library reached through a personal token: its own name and library, its connection's token and status. */
  #entryView(entry: PersonalEntryMeta, connection: LibraryMeta): LibraryWithStatus {
    const settings = this.#vault.settings()
    const status = deriveStatus(connection, this.#clock.now(), this.#engine.isRefreshing(connection.id), settings)
    const state = this.#personalState(connection.id)
    const personal: PersonalLink = {
      ...state,
      role: 'library',
      connectionName: connection.name,
      isActive: state.activeLibraryId === entry.apicbaseLibraryId,
      libraryCount: this.entriesOf(connection.id).length
    }
    return {
      ...connection,
      id: entry.id,
      name: entry.name,
      apicbaseLibraryId: entry.apicbaseLibraryId,
      apicbaseLibraryName: entry.apicbaseLibraryName,
      addedAt: entry.addedAt,
      lastUsedAt: entry.lastUsedAt,
      status,
      personal
    }
  }

  #personalState(connectionId: string): PersonalState {
    return (
      this.#personal?.state(connectionId) ?? {
        connectionId,
        activeLibraryId: null,
        activeLibraryName: null,
        expectedLibraryId: null,
        expectedLibraryName: null,
        drifted: false,
        checkedAt: null,
        problem: null
      }
    )
  }

  #entryOf(id: string): PersonalEntryMeta | undefined {
    if (typeof id !== 'string' || id === '' || id.length > 128) return undefined
    try {
      return this.#vault.entry(id)
    } catch {
      return undefined // not an id the vault could hold: #require says why
    }
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
