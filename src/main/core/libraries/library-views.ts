// Libraries as the rest of the app sees them: each record with its status, and each library reached through a
// personal token shown with its own name and library but its connection's token fields, status and state.
import type { RefreshEngine } from '../engine/refresh-engine.ts'
import { InputError } from '../errors.ts'
import type { LibraryHealth, RateLimitState } from '../health/health-types.ts'
import { isConnection, type LibraryMeta, type LibraryStatus, type PersonalEntryMeta } from '../model.ts'
import type { PersonalLink, PersonalState } from '../personal/personal-types.ts'
import type { Vault } from '../vault/index.ts'

/**
 * A library as the rest of the app sees it. For a library reached through a personal token (an entry), the token
 * fields (expiry, preview, state, last error) and the status are its connection's: the pair is stored once.
 */
export type LibraryWithStatus = LibraryMeta & {
  readonly status: LibraryStatus
  /** Set for a personal token's record (role 'connection') and the libraries that use it (role 'library'). */
  readonly personal?: PersonalLink
  /** The last health check and the next (records Larder checks itself: not personal tokens). */
  readonly health?: LibraryHealth | null
  /** What Apicbase last said of the token's rate limit, and until when a 429 holds Larder back. */
  readonly rateLimit?: RateLimitState | null
}

/** What Larder has learned about a token by using it, beside its record: health checks and rate limits. */
export interface LibraryReadings {
  health(id: string): LibraryHealth | null
  rateLimit(meta: LibraryMeta): RateLimitState | null
}

export interface LibraryViewsOptions {
  readonly vault: Vault
  readonly engine: RefreshEngine
  /** Where personal tokens stand (active library, drift), for their rows. */
  readonly personal: { state(connectionId: string): PersonalState }
  readonly readings?: LibraryReadings
}

export class LibraryViews {
  readonly #vault: Vault
  readonly #engine: RefreshEngine
  readonly #personal: { state(connectionId: string): PersonalState }
  readonly #readings: LibraryReadings | undefined

  constructor(options: LibraryViewsOptions) {
    this.#vault = options.vault
    this.#engine = options.engine
    this.#personal = options.personal
    this.#readings = options.readings
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
    const entry = this.entryOf(id)
    if (entry) return this.#entryView(entry, this.require(entry.connectionId))
    return this.#withStatus(this.require(id))
  }

  /** The entries that use this record's personal token (none for other records). */
  entriesOf(connectionId: string): PersonalEntryMeta[] {
    return this.#vault.entries().filter((entry) => entry.connectionId === connectionId)
  }

  /** The id of the record holding the token a library uses: its own, or its connection's. */
  tokenHolderOf(id: string): string {
    return this.entryOf(id)?.connectionId ?? this.require(id).id
  }

  /** The entry with this id, if it is one (any other value, even one the vault could not hold, is not). */
  entryOf(id: string): PersonalEntryMeta | undefined {
    if (typeof id !== 'string' || id === '' || id.length > 128) return undefined
    try {
      return this.#vault.entry(id)
    } catch {
      return undefined // not an id the vault could hold: require says why
    }
  }

  /** The record with this id, or an InputError a person can read. */
  require(id: string): LibraryMeta {
    if (typeof id !== 'string' || id === '') throw new InputError('id', 'Library id must be a non-empty string')
    const meta = this.#vault.get(id)
    if (!meta) throw new InputError('id', `No library with id "${id}"`)
    return meta
  }

  #withStatus(meta: LibraryMeta): LibraryWithStatus {
    const rateLimit = this.#readings?.rateLimit(meta) ?? null
    if (!isConnection(meta)) return this.#withHealth({ ...meta, status: this.#statusOf(meta), rateLimit })
    const status = this.#statusOf(meta)
    const state = this.#personalState(meta.id)
    const personal: PersonalLink = { ...state, role: 'connection', connectionName: meta.name, isActive: false, libraryCount: this.entriesOf(meta.id).length }
    return { ...meta, status, personal, rateLimit }
  }

  /**
   * A health check that found a scope or permission missing (403) shows as an error with that failure, though the
   * record keeps no lastError: refreshes go on (the token itself is fine), and the next good check clears it.
   */
  #withHealth(library: LibraryWithStatus): LibraryWithStatus {
    const health = this.#readings?.health(library.id) ?? null
    const verdict = health?.verdict
    const forbidden = verdict?.outcome === 'forbidden' && library.lastError === null && (library.status === 'healthy' || library.status === 'expiring_soon')
    if (!forbidden) return { ...library, health }
    const lastError = { kind: 'forbidden' as const, message: verdict.message ?? `Apicbase refused a health check of ${library.name} (HTTP 403).`, at: verdict.at }
    return { ...library, health, status: 'error', lastError }
  }

  /** A library reached through a personal token: its own name and library, its connection's token and status. */
  #entryView(entry: PersonalEntryMeta, { customer: _connections, ...connection }: LibraryMeta): LibraryWithStatus {
    const status = this.#statusOf(connection)
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
      // Its own label: one personal token often reaches several customers' libraries.
      ...(entry.customer === undefined ? {} : { customer: entry.customer }),
      addedAt: entry.addedAt,
      lastUsedAt: entry.lastUsedAt,
      status,
      personal,
      rateLimit: this.#readings?.rateLimit(connection) ?? null
    }
  }

  /** The engine's word: it alone knows whether the token's refresh is in flight, planned, overdue or impossible. */
  #statusOf(meta: LibraryMeta): LibraryStatus {
    return this.#engine.statusOf(meta)
  }

  #personalState(connectionId: string): PersonalState {
    return this.#personal.state(connectionId)
  }
}
