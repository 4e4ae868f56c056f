// Adding, listing, revoking and removing libraries. Every change goes through here, so the checks that keep
// the vault honest (trimmed pasted values, a verified token, a durable save before anything else) live in one place.
// This class is the face; the work is in library-views.ts (listing with status), adding.ts, editing.ts (name and
// customer label), reauthorizing.ts and retiring.ts (revoke, remove).
import { randomUUID } from 'node:crypto'
import type { ApicbaseClient } from '../apicbase/index.ts'
import { ignoreAuditFailure, type AuditInput } from '../audit/index.ts'
import type { RefreshEngine } from '../engine/refresh-engine.ts'
import type { PersonalEntryMeta } from '../model.ts'
import type { PersonalState } from '../personal/personal-types.ts'
import type { Clock } from '../time/clock.ts'
import type { Vault } from '../vault/index.ts'
import { addExchanged, addPasted, type AddedLibrary, type ExchangedToken } from './adding.ts'
import { update } from './editing.ts'
import type { LibraryContext } from './library-context.ts'
import { LibraryViews, type LibraryReadings, type LibraryWithStatus } from './library-views.ts'
import { reauthorize } from './reauthorizing.ts'
import { remove, revoke } from './retiring.ts'

export type { AddedLibrary, ExchangedToken } from './adding.ts'
export type { LibraryWithStatus } from './library-views.ts'

export interface LibraryAudit {
  append(entry: AuditInput): Promise<unknown>
}

export interface LibraryServiceOptions {
  readonly vault: Vault
  readonly client: ApicbaseClient
  readonly engine: RefreshEngine
  readonly clock: Clock
  readonly audit: LibraryAudit
  readonly newId?: () => string
  /** Where personal tokens stand (active library, drift), for their rows. */
  readonly personal: { state(connectionId: string): PersonalState }
  /** Health checks and rate limits, for the views (none: views without them). */
  readonly readings?: LibraryReadings
}

export class LibraryService {
  readonly #views: LibraryViews
  readonly #context: LibraryContext

  constructor(options: LibraryServiceOptions) {
    const { vault, client, engine, clock, audit } = options
    this.#views = new LibraryViews({ vault, engine, personal: options.personal, ...(options.readings ? { readings: options.readings } : {}) })
    this.#context = {
      vault,
      client,
      engine,
      clock,
      newId: options.newId ?? randomUUID,
      views: this.#views,
      record: (entry) => void audit.append(entry).catch(ignoreAuditFailure)
    }
  }

  /** Every library: records holding a token, then the libraries reached through a personal token. */
  list(): LibraryWithStatus[] {
    return this.#views.list()
  }

  get(id: string): LibraryWithStatus {
    return this.#views.get(id)
  }

  /** The entries that use this record's personal token (none for other records). */
  entriesOf(connectionId: string): PersonalEntryMeta[] {
    return this.#views.entriesOf(connectionId)
  }

  /** The id of the record holding the token a library uses: its own, or its connection's. */
  tokenHolderOf(id: string): string {
    return this.#views.tokenHolderOf(id)
  }

  /**
   * Checks the pasted credentials against Apicbase and saves the library. The check is a refresh: it is the
   * only call that proves both the client secret and the refresh token, and it starts the library with a full
   * 7 days. The refreshed pair is written to disk before anything else happens, because the pasted refresh
   * token is dead from that moment. If the check fails, nothing is saved.
   */
  async add(input: unknown): Promise<AddedLibrary> {
    return addPasted(this.#context, input)
  }

  /**
   * Stores a personal token just obtained through the authorization-code flow as a connection. The pair is durable
   * before anything else happens; then Larder asks Apicbase which library it acts on now.
   */
  async addExchanged(token: ExchangedToken): Promise<AddedLibrary> {
    return addExchanged(this.#context, token)
  }

  /**
   * The owner issued a new token pair for a library that needs re-authorization (or was revoked): check it with a
   * refresh using the library's own client credentials, and store the result in the same record, so its history
   * and settings stay. The pasted refresh token is recorded as spent in the same write. Nothing changes on failure.
   */
  async reauthorize(id: string, input: unknown): Promise<LibraryWithStatus> {
    return reauthorize(this.#context, id, input)
  }

  /**
   * Changes what a person calls a library: `{ name?, customer? }` (a customer label of '' takes it away). Every field
   * is checked first (an InputError names the one that is wrong, and nothing changes); one durable write; audited.
   */
  async update(id: string, change: unknown): Promise<LibraryWithStatus> {
    return update(this.#context, id, change)
  }

  /** Refreshes now (shared with any refresh already in flight) and answers the library as it stands after. */
  async refresh(id: string): Promise<LibraryWithStatus> {
    await this.#context.engine.refresh(this.tokenHolderOf(id), 'manual')
    return this.get(id)
  }

  /** Revokes the token at Apicbase (its whole family) and keeps the record, marked revoked. */
  async revoke(id: string): Promise<LibraryWithStatus> {
    return revoke(this.#context, id)
  }

  /**
   * Removes the library from Larder. The caller must repeat its name, so a slip cannot remove the wrong one. Removing a
   * personal token's record removes the libraries that use it too (they have no token without it); removing one of
   * those libraries leaves the token alone. Answers the ids removed.
   */
  async remove(id: string, confirmName: unknown): Promise<string[]> {
    return remove(this.#context, id, confirmName)
  }
}
