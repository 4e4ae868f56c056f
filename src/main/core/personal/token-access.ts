// How this layer uses a personal token: finds its connection, runs each use in the token's queue, and makes every
// request within the token's per-minute budget. A request refused with 401 right after a refresh raced it is
// retried once with the new token.
import type { ApiTarget, ApicbaseClient, ApicbaseLibrary } from '../apicbase/index.ts'
import { ignoreAuditFailure, type AuditInput } from '../audit/index.ts'
import { PerMinuteBudget } from '../engine/limits.ts'
import { ApiError, InputError } from '../errors.ts'
import { isConnection, type LibraryMeta } from '../model.ts'
import type { Clock } from '../time/clock.ts'
import type { Vault } from '../vault/index.ts'
import type { ActiveTracker, TokenRuntime } from './active-tracker.ts'

/** Refresh the token first when it has less than this left, unless the caller says otherwise. */
export const DEFAULT_MARGIN_MS = 60_000

export interface TokenSource {
  /** The connection's access token, refreshed first when it has less than `marginMs` left (shared single flight). */
  freshAccessToken(id: string, marginMs: number): Promise<string>
}

export interface PersonalAudit {
  append(entry: AuditInput): Promise<unknown>
}

/** The token one queued step uses; replaced when a 401 shows it was refreshed meanwhile. */
export interface Session {
  token: string
  readonly marginMs: number
}

export interface TokenAccessOptions {
  readonly vault: Vault
  readonly client: ApicbaseClient
  readonly tokens: TokenSource
  readonly clock: Clock
  readonly tracker: ActiveTracker
  readonly audit: PersonalAudit
  /** Requests per token per minute made through here. */
  readonly perTokenPerMinute: number
}

export class TokenAccess {
  readonly vault: Vault
  readonly client: ApicbaseClient
  readonly tokens: TokenSource
  readonly clock: Clock
  readonly tracker: ActiveTracker
  readonly #audit: PersonalAudit
  readonly #budget: PerMinuteBudget

  constructor(options: TokenAccessOptions) {
    this.vault = options.vault
    this.client = options.client
    this.tokens = options.tokens
    this.clock = options.clock
    this.tracker = options.tracker
    this.#audit = options.audit
    this.#budget = new PerMinuteBudget(options.clock, options.perTokenPerMinute)
  }

  /** The connection for a connection's id or one of its entries' ids. */
  connectionOf(id: string): LibraryMeta {
    const key = checkId(id)
    const entry = this.vault.entry(key)
    return this.requireConnection(entry ? entry.connectionId : key)
  }

  requireConnection(id: string): LibraryMeta {
    const meta = this.vault.get(id)
    if (!meta) throw new InputError('id', `No library with id "${id}"`)
    if (!isConnection(meta)) throw new InputError('id', `${meta.name} holds a ${meta.tokenType.replace('_', ' ')} token, which is bound to its library: it has no active library to switch`)
    return meta
  }

  /** Runs `step` in the token's queue, with the connection's record read again once its turn comes. */
  queued<T>(connection: LibraryMeta, step: (meta: LibraryMeta, runtime: TokenRuntime) => Promise<T>): Promise<T> {
    const runtime = this.tracker.runtime(connection)
    return runtime.queue.run(connection.name, async () => step(this.requireConnection(connection.id), runtime))
  }

  async session(meta: LibraryMeta, marginMs: number): Promise<Session> {
    return { token: await this.tokens.freshAccessToken(meta.id, marginMs), marginMs }
  }

  /** One request with the token: takes a budget slot first; a 401 after a refresh raced it is retried once. */
  async call<T>(meta: LibraryMeta, session: Session, request: (token: string) => Promise<T>): Promise<T> {
    await this.spend(meta.id)
    try {
      return await request(session.token)
    } catch (error) {
      if (!(error instanceof ApiError) || error.kind !== 'unauthorized') throw error
      const fresh = await this.tokens.freshAccessToken(meta.id, session.marginMs)
      if (fresh === session.token) throw error
      session.token = fresh
      await this.spend(meta.id)
      return request(fresh)
    }
  }

  /** GETs the active library (one request), records it and announces any change. */
  async look(meta: LibraryMeta, runtime: TokenRuntime, session: Session, target: ApiTarget): Promise<ApicbaseLibrary> {
    let active: ApicbaseLibrary
    try {
      active = await this.call(meta, session, (token) => this.client.getActiveLibrary(target, token))
    } catch (error) {
      this.tracker.noteProblem(meta, runtime, error)
      throw error
    }
    return this.tracker.seen(meta, runtime, active)
  }

  /** Takes one slot of the token's budget (waiting for one when the minute is full). */
  spend(id: string): Promise<void> {
    return this.#budget.take(id)
  }

  forget(id: string): void {
    this.#budget.forget(id)
  }

  /** Where to send the token's requests: its base URL, named after `libraryName`, rate-keyed by the token. */
  target(meta: LibraryMeta, libraryName: string): ApiTarget {
    return { baseUrl: meta.apiBaseUrl, libraryName, rateKey: meta.id }
  }

  /** The audit trail is a record, not a gate: a failed append does not fail the operation. */
  record(entry: AuditInput): void {
    this.#audit.append(entry).catch(ignoreAuditFailure)
  }
}

export function checkId(id: unknown): string {
  if (typeof id !== 'string' || id === '' || id.length > 200) throw new InputError('id', 'Library id must be a non-empty string')
  return id
}
