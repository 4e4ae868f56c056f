// The refresh engine: keeps every library's access token fresh, never sends a refresh token twice at once,
// and never hands out a new access token before the rotated pair is durably on disk.
import { EventEmitter } from 'node:events'
import { ApiError, InputError } from '../errors.ts'
import { deriveStatus, type LibraryFailure, type LibraryMeta, type LibraryStatus, type RefreshOutlook } from '../model.ts'
import type { Clock } from '../time/clock.ts'
import { DeadlineQueue } from '../time/deadline-queue.ts'
import { classifyFailure, DEFAULT_BACKOFF, heldRefusal, spentTokenFailure, type BackoffPolicy } from './failures.ts'
import { PerMinuteBudget, Semaphore } from './limits.ts'
import { issuedPair } from './issued-pair.ts'
import { DEFAULT_TIMING, nextStatusBoundary, plannedRefreshAt, refusalOf, type EngineTiming } from './refresh-plan.ts'
import type { EngineAudit, EngineClient, EngineVault, RefreshTurn } from './ports.ts'
import {
  askTurn,
  expiredWhileOffline,
  newerPair,
  notFinishedElsewhere,
  otherMembersFailure,
  otherTurnEnded,
  refreshOffsetOf,
  release,
  sendingOrLost,
  stillValid,
  TeamTurnError,
  teamOfflineError,
  turnUnknown,
  type MyTurn
} from './refresh-turn.ts'

export type RefreshTrigger = 'timer' | 'manual' | 'copy' | 'wake' | 'added' | 'health'

export type { EngineTiming } from './refresh-plan.ts'

export interface EngineEvents {
  status: [{ readonly id: string; readonly status: LibraryStatus; readonly previous: LibraryStatus | null }]
  refreshed: [{ readonly id: string; readonly expiresAt: number; readonly trigger: RefreshTrigger }]
  failed: [{ readonly id: string; readonly failure: LibraryFailure }]
  needsReauth: [{ readonly id: string; readonly failure: LibraryFailure }]
  expiringSoon: [{ readonly id: string; readonly expiresAt: number }]
}

export interface RefreshEngineOptions {
  readonly vault: EngineVault
  readonly client: EngineClient
  readonly clock: Clock
  readonly audit: EngineAudit
  readonly timing?: () => EngineTiming
  /** Token requests in flight at once, all libraries together. */
  readonly concurrency?: number
  /** Larder's own requests per library per minute, refreshes and health checks (the API allows 100 for everything). */
  readonly perTokenPerMinute?: number
  readonly backoff?: BackoffPolicy
  readonly random?: () => number
}

type DeadlineKey = `refresh:${string}` | `status:${string}`

export class RefreshEngine extends EventEmitter<EngineEvents> {
  readonly #vault: EngineVault
  readonly #client: EngineClient
  readonly #clock: Clock
  readonly #audit: EngineAudit
  readonly #timing: () => EngineTiming
  readonly #backoff: BackoffPolicy
  readonly #random: () => number
  readonly #semaphore: Semaphore
  readonly #budget: PerMinuteBudget
  readonly #queue: DeadlineQueue<DeadlineKey>
  readonly #inflight = new Map<string, Promise<string>>()
  readonly #published = new Map<string, LibraryStatus>()
  readonly #transientAttempts = new Map<string, number>()
  /** A team store said no (refresh-turn.ts): no automatic refresh before this time; Infinity until it is back. */
  readonly #teamWait = new Map<string, number>()
  #started = false
  #stopped = false

  constructor(options: RefreshEngineOptions) {
    super()
    this.#vault = options.vault
    this.#client = options.client
    this.#clock = options.clock
    this.#audit = options.audit
    this.#timing = options.timing ?? (() => DEFAULT_TIMING)
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF
    this.#random = options.random ?? Math.random
    this.#semaphore = new Semaphore(options.concurrency ?? 8)
    this.#budget = new PerMinuteBudget(options.clock, options.perTokenPerMinute ?? 30)
    this.#queue = new DeadlineQueue(options.clock, (key) => this.#onDue(key))
  }

  /** Plans every library and publishes its first status. */
  start(): void {
    if (this.#started) return
    this.#started = true
    for (const meta of this.#vault.list()) this.track(meta.id)
  }

  stop(): void {
    this.#stopped = true
    this.#queue.stop()
  }

  /** A library was added or its record changed outside the engine: plan it again. */
  track(id: string): void {
    // A team store that announces a changed record is reachable again: what waited for it is planned again.
    if (this.#teamWait.get(id) === Number.POSITIVE_INFINITY) this.#teamWait.delete(id)
    this.#plan(id)
    this.#publish(id)
  }

  untrack(id: string): void {
    this.#queue.cancel(`refresh:${id}`)
    this.#queue.cancel(`status:${id}`)
    this.#published.delete(id)
    this.#transientAttempts.delete(id)
    this.#teamWait.delete(id)
    this.#budget.forget(id)
  }

  status(id: string): LibraryStatus | undefined {
    const meta = this.#vault.get(id)
    return meta && this.statusOf(meta)
  }

  /** The status of this record now: its fields, the clock, and where Larder's refresh of it stands. */
  statusOf(meta: LibraryMeta): LibraryStatus {
    const now = this.#clock.now()
    const timing = this.#timing()
    return deriveStatus(meta, now, this.#outlook(meta, now, timing), timing)
  }

  /** Resolves once no refresh is in flight (quitting waits for this, so a rotation is never cut off mid-write). */
  async settled(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight.values()])
  }

  /**
   * Runs one other request for this library (a health check) inside the limits its refreshes keep: the library's
   * per-minute budget and the cap on requests in flight.
   */
  async throttled<T>(id: string, request: () => Promise<T>): Promise<T> {
    await this.#budget.take(id)
    return this.#semaphore.run(request)
  }

  isRefreshing(id: string): boolean {
    return this.#inflight.has(id)
  }

  /**
   * After sleep/resume or a clock change: fire what is due and publish every status once. Idempotent. A team store
   * calls it (through `core.wake()`) when it is reachable again: what waited for it is planned again.
   */
  reevaluate(): void {
    for (const [id, until] of this.#teamWait) {
      if (until !== Number.POSITIVE_INFINITY) continue
      this.#teamWait.delete(id)
      this.#plan(id)
    }
    this.#queue.reevaluate()
    for (const meta of this.#vault.list()) this.#publish(meta.id)
  }

  /**
   * Refreshes the library's token and resolves with the new access token once it is on disk.
   * Every caller while a refresh is in flight shares that one request.
   */
  refresh(id: string, trigger: RefreshTrigger = 'manual'): Promise<string> {
    const meta = this.#requireLibrary(id)
    const running = this.#inflight.get(id)
    if (running) return running
    // A check in the background waits out the backoff of the last failure, as the timer does; a person's click or a
    // copy asks now (the budget still caps them).
    const retryAt = meta.lastError?.retryAt
    if (trigger === 'health' && meta.tokenState === 'active' && retryAt !== undefined && retryAt > this.#clock.now()) {
      const { kind, message, status } = meta.lastError as LibraryFailure
      return Promise.reject(new ApiError(kind, message, { retryAt, ...(status === undefined ? {} : { status }) }))
    }
    const attempt = this.#refreshOnce(meta, trigger).finally(() => {
      this.#inflight.delete(id)
      this.#plan(id)
      this.#publish(id)
    })
    this.#inflight.set(id, attempt)
    this.#publish(id)
    return attempt
  }

  /** The current access token if it has more than `marginMs` left, else a freshly refreshed one. */
  async freshAccessToken(id: string, marginMs: number, trigger: RefreshTrigger = 'copy'): Promise<string> {
    if (!Number.isFinite(marginMs) || marginMs < 0) throw new InputError('marginMs', `marginMs must be a time ≥ 0, got ${marginMs}`)
    const meta = this.#requireLibrary(id)
    const running = this.#inflight.get(id)
    if (running) return this.#copyOf(id, running)
    const fresh = meta.tokenState === 'active' && meta.expiresAt !== null && meta.expiresAt - this.#clock.now() > marginMs
    if (!fresh) return this.#copyOf(id, this.refresh(id, trigger))
    return (await this.#vault.secrets(id, ['accessToken'])).accessToken
  }

  /** A copy when the team store gave this machine no turn: the access token saved here, while it is still valid. */
  #copyOf(id: string, attempt: Promise<string>): Promise<string> {
    if (!this.#vault.refreshTurn) return attempt
    return attempt.catch(async (error: unknown) => {
      if (!(error instanceof TeamTurnError)) throw error
      const meta = this.#vault.get(id)
      if (!stillValid(meta, this.#clock.now())) throw meta && error.offlineSince !== undefined ? expiredWhileOffline(meta, error.offlineSince) : error
      return (await this.#vault.secrets(id, ['accessToken'])).accessToken
    })
  }

  async #refreshOnce(meta: LibraryMeta, trigger: RefreshTrigger): Promise<string> {
    const refusal = refusalOf(meta)
    if (refusal) throw refusal
    const asking = askTurn(this.#vault, meta.id)
    if (asking === null) return this.#rotate(meta, trigger, null)
    try {
      return await this.#teamAttempt(meta, trigger, asking)
    } catch (error) {
      // Nothing was sent and nothing recorded: the timer waits as the error says, or until the store is back.
      if (error instanceof TeamTurnError) this.#teamWait.set(meta.id, error.retryAt ?? Number.POSITIVE_INFINITY)
      throw error
    }
  }

  /** A refresh of a team store's family: only with this machine's turn, taken before the secrets are read. */
  async #teamAttempt(meta: LibraryMeta, trigger: RefreshTrigger, asking: Promise<RefreshTurn>): Promise<string> {
    const turn = await asking.catch((cause: unknown) => {
      throw turnUnknown(meta, this.#clock.now(), cause)
    })
    if (turn.kind === 'offline') throw teamOfflineError(meta, turn.since)
    if (turn.kind === 'elsewhere') {
      // Another member is sending this family's refresh token: wait for its pair, never send one from here.
      await otherTurnEnded(turn.settled, this.#clock)
      const token = this.#newerToken(meta)
      if (token) return await token
      throw otherMembersFailure(meta, this.#requireLibrary(meta.id)) ?? notFinishedElsewhere(meta, turn, this.#clock.now())
    }
    try {
      // The store may have adopted a pair another member wrote just before this turn: no need to send again.
      return await (this.#newerToken(meta) ?? this.#rotate(meta, trigger, turn))
    } finally {
      await release(turn)
    }
  }

  /** The access token of a pair the team store adopted since `before` (another member's refresh), else null. */
  #newerToken(before: LibraryMeta): Promise<string> | null {
    const current = this.#requireLibrary(before.id)
    const refusal = refusalOf(current)
    if (refusal) throw refusal
    if (!newerPair(before, current)) return null
    this.#teamWait.delete(before.id)
    return this.#vault.secrets(before.id, ['accessToken']).then((secrets) => secrets.accessToken)
  }

  /** Sends the refresh token (with the team's turn, when there is one) and commits the new pair. */
  async #rotate(meta: LibraryMeta, trigger: RefreshTrigger, turn: MyTurn | null): Promise<string> {
    if (!this.#budget.tryTake(meta.id)) await this.#budget.take(meta.id)
    // The cap is on requests to the API: a slot is given back once the answer is in, not held while it is made durable.
    const { current, sent, response } = await this.#semaphore.run(async () => {
      const secrets = await this.#vault.secrets(meta.id, ['clientSecret', 'refreshToken'])
      // The vault may have reloaded the file: work from what it holds now.
      const current = this.#requireLibrary(meta.id)
      // Moved (or paused) while this refresh waited for its turn: it stops here, before anything is sent.
      if (current.tokenState === 'moved' || current.tokenState === 'paused') throw heldRefusal(current)
      if (this.#vault.isSpent(secrets.refreshToken)) {
        const failure = spentTokenFailure(current, this.#clock.now())
        await this.#vault.patch(current.id, { tokenState: 'needs_reauth', lastError: failure })
        this.#announceFailure(current, failure, true)
        throw new ApiError('invalid_grant', failure.message)
      }
      // Lost the team's turn meanwhile: nothing goes out, and it is not the library's failure.
      if (turn) await sendingOrLost(turn, current, () => this.#clock.now())
      try {
        const response = await this.#client.refresh(
          { baseUrl: current.apiBaseUrl, libraryName: current.name, rateKey: current.id },
          { clientId: current.clientId, clientSecret: secrets.clientSecret },
          secrets.refreshToken
        )
        return { current, sent: secrets.refreshToken, response }
      } catch (error) {
        await this.#recordFailure(current, error)
        throw error
      }
    })
    const pair = issuedPair(response, this.#clock.now())
    try {
      await this.#vault.commitRotation(current.id, { sentRefreshToken: sent, pair })
    } catch (error) {
      // The vault keeps the new pair in memory and writes it with its next batch; the token is not
      // handed out until it is durable.
      await this.#recordFailure(current, error)
      throw error
    }
    this.#transientAttempts.delete(current.id)
    this.#teamWait.delete(current.id)
    this.emit('refreshed', { id: current.id, expiresAt: pair.expiresAt, trigger })
    this.#record({ action: 'refreshed', libraryId: current.id, libraryName: current.name, outcome: 'ok', detail: `trigger: ${trigger}` })
    return pair.accessToken
  }

  async #recordFailure(meta: LibraryMeta, error: unknown): Promise<void> {
    const attempt = this.#transientAttempts.get(meta.id) ?? 0
    const outcome = classifyFailure(error, meta, this.#clock.now(), attempt, this.#random(), this.#backoff)
    if (outcome.failure.retryAt !== undefined && outcome.failure.kind !== 'rate_limited') {
      this.#transientAttempts.set(meta.id, attempt + 1)
    }
    try {
      await this.#vault.patch(meta.id, {
        lastError: outcome.failure,
        ...(outcome.needsReauth ? { tokenState: 'needs_reauth' as const } : {})
      })
    } finally {
      this.#announceFailure(meta, outcome.failure, outcome.needsReauth)
    }
  }

  #announceFailure(meta: LibraryMeta, failure: LibraryFailure, needsReauth: boolean): void {
    if (needsReauth) this.emit('needsReauth', { id: meta.id, failure })
    else this.emit('failed', { id: meta.id, failure })
    this.#record({ action: 'failed', libraryId: meta.id, libraryName: meta.name, outcome: 'error', detail: `${failure.kind}: ${failure.message}` })
  }

  /** The audit trail is a record, not a gate: a failed append must not fail (or crash) a refresh. */
  #record(entry: Parameters<EngineAudit['append']>[0]): void {
    this.#audit.append(entry).catch(() => undefined)
  }

  /** Sets the library's next automatic refresh and its next status change. */
  #plan(id: string): void {
    const meta = this.#vault.get(id)
    if (!meta || meta.tokenState !== 'active') {
      this.#queue.cancel(`refresh:${id}`)
      this.#queue.cancel(`status:${id}`)
      return
    }
    const now = this.#clock.now()
    const timing = this.#timing()
    const refreshAt = this.#nextRefreshAt(meta, now, timing)
    if (refreshAt === null || this.#inflight.has(id)) this.#queue.cancel(`refresh:${id}`)
    else this.#queue.schedule(`refresh:${id}`, refreshAt)
    // #outlook's planned time is this refreshAt whenever the engine runs: computed once here.
    const boundary = nextStatusBoundary(meta, now, timing, this.#started && !this.#stopped ? refreshAt : null)
    if (boundary === null) this.#queue.cancel(`status:${id}`)
    else this.#queue.schedule(`status:${id}`, boundary)
  }

  /** Whether a refresh is in flight, and when the next automatic one is due (null: none will happen on its own). */
  #outlook(meta: LibraryMeta, now: number, timing: EngineTiming): RefreshOutlook {
    const running = this.#started && !this.#stopped && meta.tokenState === 'active'
    return { refreshing: this.#inflight.has(meta.id), plannedAt: running ? this.#nextRefreshAt(meta, now, timing) : null }
  }

  #nextRefreshAt(meta: LibraryMeta, now: number, timing: EngineTiming): number | null {
    const teamWait = this.#teamWait.get(meta.id)
    if (teamWait === Number.POSITIVE_INFINITY) return null
    const planned = plannedRefreshAt(meta, now, timing, refreshOffsetOf(this.#vault, meta.id))
    return teamWait === undefined || planned === null ? planned : Math.max(planned, teamWait)
  }

  #onDue(key: DeadlineKey): void {
    const id = key.slice(key.indexOf(':') + 1)
    const meta = this.#vault.get(id)
    if (!meta) return
    if (key.startsWith('status:') || (this.#vault.refreshTurn && !this.#dueNow(meta))) {
      // A team store's record may have changed since this timer was set (another member's pair): plan it again.
      this.#publish(id)
      this.#plan(id)
      return
    }
    // Failures are recorded on the library and announced as events; nobody awaits a timer's refresh.
    this.refresh(id, 'timer').catch(() => undefined)
  }

  #dueNow(meta: LibraryMeta): boolean {
    const now = this.#clock.now()
    const due = this.#nextRefreshAt(meta, now, this.#timing())
    return due !== null && due <= now
  }

  #publish(id: string): void {
    const status = this.status(id)
    if (status === undefined) return
    const previous = this.#published.get(id) ?? null
    if (previous === status) return
    this.#published.set(id, status)
    this.emit('status', { id, status, previous })
    const expiresAt = this.#vault.get(id)?.expiresAt
    if (status === 'expiring_soon' && expiresAt != null) this.emit('expiringSoon', { id, expiresAt })
  }

  #requireLibrary(id: string): LibraryMeta {
    if (typeof id !== 'string' || id.trim() === '') throw new InputError('libraryId', 'libraryId must be a non-empty string')
    const meta = this.#vault.get(id)
    if (!meta) throw new InputError('libraryId', `no library with id "${id}"`)
    return meta
  }
}
