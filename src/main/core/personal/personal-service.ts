// Personal tokens across several libraries. A personal token acts on whichever library its user has active, and
// that user may change it in Apicbase's web UI at any moment. Here every use of such a token goes through one queue
// per token, and the primitive `onLibrary(entry, task)` switches the user's active library (POST), confirms it (GET),
// runs the task and records the switch, so two operations aimed at different libraries never interleave.
//
// Drift: Larder remembers which library it left the token on (`expected`, kept on the connection's record so it
// survives a restart) and reads the active one before every operation and on a timer. When they differ, someone
// switched outside Larder: Larder shows it and refuses to act for (or hand out the token for) any other library
// until a person switches through Larder, or keeps the library now active.
//
// Budget: every request of a token made here (reads, switches, confirmations, tasks) first takes a slot of a
// per-token per-minute budget (default 60). The refresh engine keeps its own (default 30 token requests a minute),
// so one token's requests from Larder stay under the API's 100 a minute by construction.
import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import type { ApiTarget, ApicbaseClient, ApicbaseLibrary } from '../apicbase/index.ts'
import { ignoreAuditFailure, type AuditInput } from '../audit/index.ts'
import { PerMinuteBudget } from '../engine/limits.ts'
import { ApiError, InputError } from '../errors.ts'
import { isConnection, type LibraryMeta, type PersonalEntryMeta } from '../model.ts'
import type { Clock } from '../time/clock.ts'
import { DeadlineQueue } from '../time/deadline-queue.ts'
import type { Vault } from '../vault/index.ts'
import { LibraryDriftError } from './errors.ts'
import type { PersonalState, ReachableLibrary } from './personal-types.ts'
import { TokenQueue } from './token-queue.ts'

export interface TokenSource {
  /** The connection's access token, refreshed first when it has less than `marginMs` left (shared single flight). */
  freshAccessToken(id: string, marginMs: number): Promise<string>
}

export interface PersonalAudit {
  append(entry: AuditInput): Promise<unknown>
}

export interface PersonalServiceOptions {
  readonly vault: Vault
  readonly client: ApicbaseClient
  readonly tokens: TokenSource
  readonly clock: Clock
  readonly audit?: PersonalAudit
  /** Requests per token per minute made here (the refresh engine has its own budget). Default 60. */
  readonly perTokenPerMinute?: number
  /** How often the active library of each personal token is read when nothing else read it. Default one minute. */
  readonly checkEveryMs?: number
  /** Operations that may wait for one token at once. Default 500. */
  readonly maxQueued?: number
  readonly newId?: () => string
}

/** What a task run on a library gets. The access token is the connection's, now acting on that library. */
export interface LibraryTaskContext {
  readonly accessToken: string
  /** Where to send requests: the connection's base URL, named after the library, rate-keyed by the token. */
  readonly target: ApiTarget
  /** The entry acted for; null for a library that holds its own token (nothing to switch). */
  readonly entry: PersonalEntryMeta | null
  /** Takes one more slot of the token's budget: call it before each request beyond the task's first. */
  spend(): Promise<void>
}

export interface OnLibraryOptions {
  /** Words for the audit trail: what the switch was for. */
  readonly purpose?: string
  /** Requests the task makes: 0 (it only hands the token out) or 1 (default); more through `spend`. */
  readonly apiCalls?: 0 | 1
  /** Refresh the token first when it has less than this left. Default one minute. */
  readonly marginMs?: number
}

export interface OnLibraryResult<T> {
  readonly value: T
  /** Larder switched the active library for this task. */
  readonly switched: boolean
  /** The active library before (null for a library holding its own token). */
  readonly previous: ApicbaseLibrary | null
  /** The active library the task ran on (null for a library holding its own token). */
  readonly active: ApicbaseLibrary | null
}

export interface PersonalEvents {
  active: [PersonalState]
}

const DEFAULT_MARGIN_MS = 60_000
/** After a failed look, the timer waits at least this long before trying again. */
const FAILED_CHECK_PAUSE_MS = 5 * 60_000

interface Runtime {
  readonly queue: TokenQueue
  active: ApicbaseLibrary | null
  expected: { readonly id: string; readonly name: string | null } | null
  checkedAt: number | null
  problem: string | null
  /** What the last 'active' event said, so only changes are announced. */
  announced: string | null
}

interface Session {
  token: string
  readonly marginMs: number
}

export class PersonalService extends EventEmitter<PersonalEvents> {
  readonly #vault: Vault
  readonly #client: ApicbaseClient
  readonly #tokens: TokenSource
  readonly #clock: Clock
  readonly #audit: PersonalAudit | undefined
  readonly #budget: PerMinuteBudget
  readonly #checkEveryMs: number
  readonly #maxQueued: number
  readonly #newId: () => string
  readonly #runtimes = new Map<string, Runtime>()
  readonly #timers: DeadlineQueue<string>
  #started = false
  #stopped = false

  constructor(options: PersonalServiceOptions) {
    super()
    this.#vault = options.vault
    this.#client = options.client
    this.#tokens = options.tokens
    this.#clock = options.clock
    this.#audit = options.audit
    this.#budget = new PerMinuteBudget(options.clock, options.perTokenPerMinute ?? 60)
    this.#checkEveryMs = options.checkEveryMs ?? 60_000
    if (!Number.isInteger(this.#checkEveryMs) || this.#checkEveryMs < 1000) throw new RangeError('checkEveryMs must be a whole number of milliseconds ≥ 1000')
    this.#maxQueued = options.maxQueued ?? 500
    this.#newId = options.newId ?? randomUUID
    this.#timers = new DeadlineQueue(options.clock, (id) => this.#onDue(id))
  }

  // ── lifecycle ──────────────────────────────────────────────────────────────────────────────────────

  /** Looks at every personal token's active library now, and then on the timer. */
  start(): void {
    if (this.#started) return
    this.#started = true
    for (const meta of this.#vault.list()) if (isConnection(meta)) this.track(meta.id)
  }

  stop(): void {
    this.#stopped = true
    this.#timers.stop()
  }

  /** After sleep/resume or a clock change: looks that are due run now. */
  reevaluate(): void {
    this.#timers.reevaluate()
  }

  /** A personal token was added or its record changed: look at its active library soon. */
  track(connectionId: string): void {
    const meta = this.#vault.get(connectionId)
    if (!meta || !isConnection(meta) || this.#stopped) return
    this.#runtime(meta)
    if (this.#started) this.#timers.schedule(connectionId, this.#clock.now())
  }

  forget(connectionId: string): void {
    this.#timers.cancel(connectionId)
    this.#runtimes.delete(connectionId)
    this.#budget.forget(connectionId)
  }

  /** The vault file was re-read: follow added and removed personal tokens. */
  reloaded(): void {
    for (const id of [...this.#runtimes.keys()]) if (!this.#vault.get(id)) this.forget(id)
    for (const meta of this.#vault.list()) if (isConnection(meta) && !this.#runtimes.has(meta.id)) this.track(meta.id)
  }

  /** Resolves once every operation queued so far has finished. */
  async settled(): Promise<void> {
    await Promise.all([...this.#runtimes.values()].map((runtime) => runtime.queue.idle()))
  }

  // ── reading ────────────────────────────────────────────────────────────────────────────────────────

  state(connectionId: string): PersonalState {
    const meta = this.#vault.get(connectionId)
    if (!meta || !isConnection(meta)) {
      return { connectionId, activeLibraryId: null, activeLibraryName: null, expectedLibraryId: null, expectedLibraryName: null, drifted: false, checkedAt: null, problem: null }
    }
    return this.#stateOf(meta, this.#runtime(meta))
  }

  /** Records what another part of Larder learned (the check made when the token was added). */
  observed(connectionId: string, library: ApicbaseLibrary): void {
    const meta = this.#vault.get(connectionId)
    if (!meta || !isConnection(meta)) return
    const runtime = this.#runtime(meta)
    this.#seen(meta, runtime, library)
  }

  /** Reads the token's active library now (through its queue) and answers where it stands. */
  async check(id: string): Promise<PersonalState> {
    const connection = this.#connectionOf(id)
    const runtime = this.#runtime(connection)
    return runtime.queue.run(connection.name, async () => {
      const meta = this.#requireConnection(connection.id)
      try {
        const session = await this.#session(meta, DEFAULT_MARGIN_MS)
        await this.#look(meta, runtime, session, this.#target(meta, meta.name))
      } catch (error) {
        this.#noteProblem(meta, runtime, error)
        throw error
      } finally {
        this.#reschedule(meta.id, runtime)
      }
      return this.#stateOf(meta, runtime)
    })
  }

  /** The libraries the token's user can reach, which one is active, and which are already in Larder. */
  async reachable(id: string): Promise<{ readonly state: PersonalState; readonly libraries: readonly ReachableLibrary[] }> {
    const connection = this.#connectionOf(id)
    const runtime = this.#runtime(connection)
    return runtime.queue.run(connection.name, async () => {
      const meta = this.#requireConnection(connection.id)
      const session = await this.#session(meta, DEFAULT_MARGIN_MS)
      const target = this.#target(meta, meta.name)
      const libraries = await this.#call(meta, session, (token) => this.#client.listLibraries(target, token))
      const active = await this.#look(meta, runtime, session, target)
      const added = this.#entriesByLibrary(meta.id)
      return {
        state: this.#stateOf(meta, runtime),
        libraries: libraries.map((library) => ({
          apicbaseLibraryId: library.id,
          name: library.name,
          status: library.status,
          active: library.id === active.id,
          entryId: added.get(library.id)?.id ?? null
        }))
      }
    })
  }

  /**
   * Adds libraries the token's user can reach as entries sharing the token (one stored pair, refreshed once).
   * Answers the entries in the order asked, reusing any already added.
   */
  async add(id: string, libraryIds: readonly string[]): Promise<readonly PersonalEntryMeta[]> {
    const connection = this.#connectionOf(id)
    const wanted = checkLibraryIds(libraryIds)
    const runtime = this.#runtime(connection)
    const added = await runtime.queue.run(connection.name, async () => {
      const meta = this.#requireConnection(connection.id)
      const session = await this.#session(meta, DEFAULT_MARGIN_MS)
      const reachable = await this.#call(meta, session, (token) => this.#client.listLibraries(this.#target(meta, meta.name), token))
      const byId = new Map(reachable.map((library) => [library.id, library]))
      const existing = this.#entriesByLibrary(meta.id)
      const now = this.#clock.now()
      const fresh: PersonalEntryMeta[] = []
      const answer = wanted.map((libraryId, index) => {
        const already = existing.get(libraryId)
        if (already) return already
        const library = byId.get(libraryId)
        if (!library) {
          throw new InputError(
            `libraryIds[${index}]`,
            `The user of ${meta.name} cannot reach an Apicbase library with id ${libraryId}; list its libraries again and pick one of them`
          )
        }
        const entry: PersonalEntryMeta = {
          id: this.#newId(),
          name: entryName(library),
          connectionId: meta.id,
          apicbaseLibraryId: library.id,
          apicbaseLibraryName: library.name,
          addedAt: now,
          lastUsedAt: null
        }
        fresh.push(entry)
        existing.set(libraryId, entry)
        return entry
      })
      if (fresh.length > 0) await this.#vault.addEntries(fresh)
      for (const entry of fresh) {
        this.#record({ action: 'added', libraryId: entry.id, libraryName: entry.name, outcome: 'ok', detail: `Apicbase library ${entry.apicbaseLibraryId}, through the personal token of ${meta.name}` })
      }
      return answer
    })
    return added
  }

  // ── acting ─────────────────────────────────────────────────────────────────────────────────────────

  /**
   * The primitive every later feature uses: "on library X, do Y". For a library reached through a personal token:
   * reads the active library (refusing if it drifted to another one), switches to X and confirms the switch when
   * needed, records the switch, then runs `task` with the token, all inside the token's queue. For a library that
   * holds its own token there is nothing to switch: the task runs with that token, within the same budget.
   */
  async onLibrary<T>(id: string, task: (context: LibraryTaskContext) => Promise<T>, options: OnLibraryOptions = {}): Promise<OnLibraryResult<T>> {
    if (typeof task !== 'function') throw new InputError('task', 'task must be a function')
    const marginMs = options.marginMs ?? DEFAULT_MARGIN_MS
    const entry = this.#vault.entry(checkId(id))
    if (!entry) {
      const meta = this.#vault.get(id)
      if (!meta) throw new InputError('id', `No library with id "${id}"`)
      if (isConnection(meta)) {
        throw new InputError('id', `${meta.name} is a personal token, not a library: choose one of the libraries that use it, so Larder knows which one to switch to`)
      }
      return this.#onOwnToken(meta, task, options, marginMs)
    }
    const connection = this.#requireConnection(entry.connectionId)
    const runtime = this.#runtime(connection)
    return runtime.queue.run(connection.name, () => this.#onEntry(entry.id, runtime, task, options, marginMs))
  }

  /**
   * Runs `task` with a personal token as it is, after reading (and announcing) which library it acts on now; `active`
   * is null when the token may not read it (no 'accounts' scope).
   */
  async onConnection<T>(id: string, task: (context: LibraryTaskContext, active: ApicbaseLibrary | null) => Promise<T>, options: OnLibraryOptions = {}): Promise<T> {
    const connection = this.#connectionOf(id)
    const runtime = this.#runtime(connection)
    return runtime.queue.run(connection.name, async () => {
      const meta = this.#requireConnection(connection.id)
      const session = await this.#session(meta, options.marginMs ?? DEFAULT_MARGIN_MS)
      const target = this.#target(meta, meta.name)
      let active: ApicbaseLibrary | null
      try {
        active = await this.#look(meta, runtime, session, target)
      } catch (error) {
        if (!(error instanceof ApiError) || error.kind !== 'forbidden') throw error
        active = null
      }
      if (options.apiCalls !== 0) await this.#budget.take(meta.id)
      return task({ accessToken: session.token, target, entry: null, spend: () => this.#budget.take(meta.id) }, active)
    })
  }

  /**
   * A person's explicit switch. For an entry: makes its library the active one (switch and confirm) and the one Larder
   * expects, which ends a drift. For a connection: keeps the library active now as the expected one (no switch).
   */
  async switchTo(id: string): Promise<PersonalState> {
    const entry = this.#vault.entry(checkId(id))
    const connection = entry ? this.#requireConnection(entry.connectionId) : this.#connectionOf(id)
    const runtime = this.#runtime(connection)
    return runtime.queue.run(connection.name, async () => {
      const meta = this.#requireConnection(connection.id)
      const session = await this.#session(meta, DEFAULT_MARGIN_MS)
      if (!entry) {
        const active = await this.#look(meta, runtime, session, this.#target(meta, meta.name))
        const was = runtime.expected
        await this.#expect(meta, runtime, active)
        if (was !== null && was.id !== active.id) {
          this.#record({ action: 'switched', libraryId: meta.id, libraryName: meta.name, outcome: 'ok', detail: `kept ${describe(active)}, made active outside Larder (Larder had left it on ${describeId(was)})` })
        }
        this.#announce(meta, runtime)
        return this.#stateOf(meta, runtime)
      }
      const current = this.#vault.entry(entry.id)
      if (!current) throw new InputError('id', `No library with id "${entry.id}" (it was removed)`)
      const target = this.#target(meta, current.name)
      const seen = await this.#look(meta, runtime, session, target)
      if (seen.id !== current.apicbaseLibraryId) {
        await this.#switch(meta, runtime, session, target, current, seen, 'switched in Larder by request')
      } else {
        await this.#expect(meta, runtime, seen)
      }
      this.#announce(meta, runtime)
      return this.#stateOf(meta, runtime)
    })
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────────────

  async #onEntry<T>(
    entryId: string,
    runtime: Runtime,
    task: (context: LibraryTaskContext) => Promise<T>,
    options: OnLibraryOptions,
    marginMs: number
  ): Promise<OnLibraryResult<T>> {
    // Read again inside the queue: the entry or its token may have changed while this waited.
    const entry = this.#vault.entry(entryId)
    if (!entry) throw new InputError('id', `No library with id "${entryId}" (it was removed)`)
    const meta = this.#requireConnection(entry.connectionId)
    const session = await this.#session(meta, marginMs)
    const target = this.#target(meta, entry.name)
    const previous = await this.#look(meta, runtime, session, target)
    let switched = false
    if (previous.id !== entry.apicbaseLibraryId) {
      if (drifted(runtime)) throw this.#driftError(meta, runtime, entry, previous)
      await this.#switch(meta, runtime, session, target, entry, previous, options.purpose ?? 'an operation')
      switched = true
    }
    const active = runtime.active ?? previous
    if (options.apiCalls !== 0) await this.#budget.take(meta.id)
    const value = await task({ accessToken: session.token, target, entry, spend: () => this.#budget.take(meta.id) })
    return { value, switched, previous, active }
  }

  async #onOwnToken<T>(meta: LibraryMeta, task: (context: LibraryTaskContext) => Promise<T>, options: OnLibraryOptions, marginMs: number): Promise<OnLibraryResult<T>> {
    const token = await this.#tokens.freshAccessToken(meta.id, marginMs)
    if (options.apiCalls !== 0) await this.#budget.take(meta.id)
    const value = await task({ accessToken: token, target: this.#target(meta, meta.name), entry: null, spend: () => this.#budget.take(meta.id) })
    return { value, switched: false, previous: null, active: null }
  }

  /** POST the switch, confirm it with the GET, remember it as expected, and record it. */
  async #switch(
    meta: LibraryMeta,
    runtime: Runtime,
    session: Session,
    target: ApiTarget,
    entry: PersonalEntryMeta,
    from: ApicbaseLibrary,
    purpose: string
  ): Promise<void> {
    await this.#call(meta, session, (token) => this.#client.setActiveLibrary(target, token, entry.apicbaseLibraryId))
    const confirmed = await this.#call(meta, session, (token) => this.#client.getActiveLibrary(target, token))
    if (confirmed.id !== entry.apicbaseLibraryId) {
      // Someone switched again between our switch and its confirmation: that is theirs, not ours.
      this.#seen(meta, runtime, confirmed)
      this.#record({ action: 'switched', libraryId: entry.id, libraryName: entry.name, outcome: 'error', detail: `switch to ${entry.apicbaseLibraryId} not confirmed: ${describe(confirmed)} is active` })
      throw new LibraryDriftError(
        meta.id,
        confirmed.id,
        entry.apicbaseLibraryId,
        `Larder switched the personal token of ${meta.name} to ${entry.name}, but Apicbase then reported ${describe(confirmed)} as its active library: it was changed again outside Larder. Nothing was handed out; switch again in Larder when nobody is using that account in Apicbase.`
      )
    }
    runtime.active = { ...confirmed, name: confirmed.name ?? entry.apicbaseLibraryName ?? entry.name }
    runtime.checkedAt = this.#clock.now()
    await this.#expect(meta, runtime, runtime.active)
    this.#record({ action: 'switched', libraryId: entry.id, libraryName: entry.name, outcome: 'ok', detail: `from ${describe(from)} to ${describe(runtime.active)}, for ${purpose}` })
    this.#announce(meta, runtime)
  }

  /** GETs the active library (one request), records it and announces any change. */
  async #look(meta: LibraryMeta, runtime: Runtime, session: Session, target: ApiTarget): Promise<ApicbaseLibrary> {
    let active: ApicbaseLibrary
    try {
      active = await this.#call(meta, session, (token) => this.#client.getActiveLibrary(target, token))
    } catch (error) {
      this.#noteProblem(meta, runtime, error)
      throw error
    }
    return this.#seen(meta, runtime, active)
  }

  #seen(meta: LibraryMeta, runtime: Runtime, library: ApicbaseLibrary): ApicbaseLibrary {
    const named = library.name === null ? { ...library, name: this.#knownName(meta.id, library.id, runtime) } : library
    runtime.active = named
    runtime.checkedAt = this.#clock.now()
    runtime.problem = null
    if (runtime.expected === null) void this.#expect(meta, runtime, named).catch(() => undefined)
    this.#announce(meta, runtime)
    return named
  }

  /** Larder now expects this library to be active; kept on the connection's record so a restart remembers it. */
  async #expect(meta: LibraryMeta, runtime: Runtime, library: ApicbaseLibrary): Promise<void> {
    runtime.expected = { id: library.id, name: library.name }
    const current = this.#vault.get(meta.id)
    if (!current || (current.apicbaseLibraryId === library.id && current.apicbaseLibraryName === library.name)) return
    try {
      await this.#vault.patch(meta.id, { apicbaseLibraryId: library.id, apicbaseLibraryName: library.name })
    } catch {
      // Kept in memory either way (a failed write is retried by the vault); drift detection does not depend on it.
    }
  }

  /** One request with the token: takes a budget slot first; a 401 after a refresh raced it is retried once. */
  async #call<T>(meta: LibraryMeta, session: Session, request: (token: string) => Promise<T>): Promise<T> {
    await this.#budget.take(meta.id)
    try {
      return await request(session.token)
    } catch (error) {
      if (!(error instanceof ApiError) || error.kind !== 'unauthorized') throw error
      const fresh = await this.#tokens.freshAccessToken(meta.id, session.marginMs)
      if (fresh === session.token) throw error
      session.token = fresh
      await this.#budget.take(meta.id)
      return request(fresh)
    }
  }

  async #session(meta: LibraryMeta, marginMs: number): Promise<Session> {
    return { token: await this.#tokens.freshAccessToken(meta.id, marginMs), marginMs }
  }

  #target(meta: LibraryMeta, name: string): ApiTarget {
    return { baseUrl: meta.apiBaseUrl, libraryName: name, rateKey: meta.id }
  }

  #driftError(meta: LibraryMeta, runtime: Runtime, entry: PersonalEntryMeta, active: ApicbaseLibrary): LibraryDriftError {
    const expected = runtime.expected
    return new LibraryDriftError(
      meta.id,
      active.id,
      expected?.id ?? null,
      `The active library of the personal token of ${meta.name} was changed outside Larder: it is now ${describe(active)}` +
        `${expected ? `, where Larder had left it on ${describeId(expected)}` : ''}. ` +
        `Larder will not switch it to ${entry.name} or hand out its token for ${entry.name} while someone may be working in ${describe(active)}. ` +
        `Switch to ${entry.name} in Larder to take it back, or keep ${describe(active)}.`
    )
  }

  #noteProblem(meta: LibraryMeta, runtime: Runtime, error: unknown): void {
    runtime.problem = error instanceof Error ? error.message : String(error)
    runtime.checkedAt = this.#clock.now()
    this.#announce(meta, runtime)
  }

  #onDue(id: string): void {
    const meta = this.#vault.get(id)
    const runtime = this.#runtimes.get(id)
    if (!meta || !runtime || !isConnection(meta) || this.#stopped) return
    if (meta.tokenState !== 'active') return // nothing to look with; added again once re-authorized
    runtime.queue
      .run(meta.name, async () => {
        const current = this.#vault.get(id)
        if (!current || this.#stopped) return
        // An operation that ran meanwhile has just looked: no need to ask again.
        if (runtime.checkedAt !== null && runtime.problem === null && this.#clock.now() - runtime.checkedAt < this.#checkEveryMs) return
        try {
          const session = await this.#session(current, DEFAULT_MARGIN_MS)
          await this.#look(current, runtime, session, this.#target(current, current.name))
        } catch {
          // Recorded as the token's problem and announced; the timer tries again later.
        }
      })
      .catch(() => undefined)
      .finally(() => this.#reschedule(id, runtime))
  }

  #reschedule(id: string, runtime: Runtime): void {
    if (this.#stopped || !this.#started || !this.#runtimes.has(id)) return
    const pause = runtime.problem === null ? this.#checkEveryMs : Math.max(this.#checkEveryMs, FAILED_CHECK_PAUSE_MS)
    this.#timers.schedule(id, (runtime.checkedAt ?? this.#clock.now()) + pause)
  }

  #announce(meta: LibraryMeta, runtime: Runtime): void {
    const state = this.#stateOf(meta, runtime)
    const key = JSON.stringify([state.activeLibraryId, state.activeLibraryName, state.expectedLibraryId, state.drifted, state.problem])
    if (key === runtime.announced) return
    runtime.announced = key
    this.emit('active', state)
  }

  #stateOf(meta: LibraryMeta, runtime: Runtime): PersonalState {
    return {
      connectionId: meta.id,
      activeLibraryId: runtime.active?.id ?? null,
      activeLibraryName: runtime.active?.name ?? null,
      expectedLibraryId: runtime.expected?.id ?? null,
      expectedLibraryName: runtime.expected?.name ?? null,
      drifted: drifted(runtime),
      checkedAt: runtime.checkedAt,
      problem: runtime.problem
    }
  }

  #runtime(meta: LibraryMeta): Runtime {
    let runtime = this.#runtimes.get(meta.id)
    if (!runtime) {
      runtime = {
        queue: new TokenQueue(this.#maxQueued),
        active: null,
        // What Larder last left the token on, remembered across restarts on the connection's record.
        expected: meta.apicbaseLibraryId === null ? null : { id: meta.apicbaseLibraryId, name: meta.apicbaseLibraryName },
        checkedAt: null,
        problem: null,
        announced: null
      }
      this.#runtimes.set(meta.id, runtime)
    }
    return runtime
  }

  #entriesByLibrary(connectionId: string): Map<string, PersonalEntryMeta> {
    const map = new Map<string, PersonalEntryMeta>()
    for (const entry of this.#vault.entries()) if (entry.connectionId === connectionId) map.set(entry.apicbaseLibraryId, entry)
    return map
  }

  #knownName(connectionId: string, libraryId: string, runtime: Runtime): string | null {
    if (runtime.active?.id === libraryId && runtime.active.name !== null) return runtime.active.name
    if (runtime.expected?.id === libraryId && runtime.expected.name !== null) return runtime.expected.name
    const entry = this.#entriesByLibrary(connectionId).get(libraryId)
    return entry ? (entry.apicbaseLibraryName ?? entry.name) : null
  }

  /** The connection for a connection's id or one of its entries' ids. */
  #connectionOf(id: string): LibraryMeta {
    const key = checkId(id)
    const entry = this.#vault.entry(key)
    return this.#requireConnection(entry ? entry.connectionId : key)
  }

  #requireConnection(id: string): LibraryMeta {
    const meta = this.#vault.get(id)
    if (!meta) throw new InputError('id', `No library with id "${id}"`)
    if (!isConnection(meta)) throw new InputError('id', `${meta.name} holds a ${meta.tokenType.replace('_', ' ')} token, which is bound to its library: it has no active library to switch`)
    return meta
  }

  #record(entry: AuditInput): void {
    this.#audit?.append(entry).catch(ignoreAuditFailure)
  }
}

function drifted(runtime: Runtime): boolean {
  return runtime.expected !== null && runtime.active !== null && runtime.active.id !== runtime.expected.id
}

function describe(library: ApicbaseLibrary): string {
  return library.name === null ? `library ${library.id}` : `${library.name} (${library.id})`
}

function describeId(library: { readonly id: string; readonly name: string | null }): string {
  return library.name === null ? `library ${library.id}` : `${library.name} (${library.id})`
}

function checkId(id: unknown): string {
  if (typeof id !== 'string' || id === '' || id.length > 200) throw new InputError('id', 'Library id must be a non-empty string')
  return id
}

function checkLibraryIds(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new InputError('libraryIds', 'Choose at least one library')
  if (value.length > 200) throw new InputError('libraryIds', `Too many libraries at once (${value.length}; at most 200)`)
  const ids: string[] = []
  value.forEach((raw: unknown, index) => {
    const id = typeof raw === 'string' ? raw.trim() : raw
    if (typeof id !== 'string' || id === '' || id.length > 200 || /[\s\p{Cc}]/u.test(id)) {
      throw new InputError(`libraryIds[${index}]`, 'An Apicbase library id is a non-empty id without spaces')
    }
    if (!ids.includes(id)) ids.push(id)
  })
  return ids
}

/** An entry's name: the Apicbase library's, on one line and at most 100 characters. */
function entryName(library: ApicbaseLibrary): string {
  // eslint-disable-next-line no-control-regex
  const name = (library.name ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 100).trim()
  return name === '' ? `Apicbase library ${library.id}`.slice(0, 100) : name
}
