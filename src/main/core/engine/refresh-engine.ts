// The refresh engine: keeps every library's access token fresh, never sends a refresh token twice at once,
// and never hands out a new access token before the rotated pair is durably on disk.
import { EventEmitter } from 'node:events'
import { ApiError, InputError } from '../errors.ts'
import {
  DEFAULT_THRESHOLDS,
  deriveStatus,
  REFRESH_GRACE_MS,
  type LibraryFailure,
  type LibraryMeta,
  type LibraryStatus,
  type RefreshOutlook,
  type StatusThresholds
} from '../model.ts'
import type { Clock } from '../time/clock.ts'
import { DeadlineQueue } from '../time/deadline-queue.ts'
import { classifyFailure, DEFAULT_BACKOFF, heldRefusal, spentTokenFailure, type BackoffPolicy } from './failures.ts'
import { PerMinuteBudget, Semaphore } from './limits.ts'
import { issuedPair } from './issued-pair.ts'
import type { EngineAudit, EngineClient, EngineVault } from './ports.ts'

export type RefreshTrigger = 'timer' | 'manual' | 'copy' | 'wake' | 'added' | 'health'

export interface EngineTiming extends StatusThresholds {
  /** Refresh this long before expiry (default 24 h), or at half the token's lifetime if that is shorter. */
  readonly refreshAheadMs: number
  /** Spread of automatic refreshes, so libraries added together do not refresh in the same second. */
  readonly jitterMs: number
}

const DEFAULT_TIMING: EngineTiming = {
  ...DEFAULT_THRESHOLDS,
  refreshAheadMs: 24 * 3600_000,
  jitterMs: 30 * 60_000
}

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

/** The engine never refreshes one library on its own more often than this. */
const MIN_AUTOMATIC_INTERVAL_MS = 60_000

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
    this.#plan(id)
    this.#publish(id)
  }

  untrack(id: string): void {
    this.#queue.cancel(`refresh:${id}`)
    this.#queue.cancel(`status:${id}`)
    this.#published.delete(id)
    this.#transientAttempts.delete(id)
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

  /** After sleep/resume or a clock change: fire what is due and publish every status once. Idempotent. */
  reevaluate(): void {
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
    if (running) return running
    const fresh = meta.tokenState === 'active' && meta.expiresAt !== null && meta.expiresAt - this.#clock.now() > marginMs
    if (!fresh) return this.refresh(id, trigger)
    return (await this.#vault.secrets(id, ['accessToken'])).accessToken
  }

  async #refreshOnce(meta: LibraryMeta, trigger: RefreshTrigger): Promise<string> {
    // Moved to another machine, or paused after a restore: nothing is sent, whoever asks (issue 17).
    if (meta.tokenState === 'moved' || meta.tokenState === 'paused') throw heldRefusal(meta)
    if (meta.tokenState !== 'active') {
      throw new ApiError('invalid_grant', meta.lastError?.message ?? `${meta.name} needs a new token from its owner before Larder can refresh it.`)
    }
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
    const boundary = this.#nextStatusBoundary(meta, now, timing, this.#started && !this.#stopped ? refreshAt : null)
    if (boundary === null) this.#queue.cancel(`status:${id}`)
    else this.#queue.schedule(`status:${id}`, boundary)
  }

  /** Whether a refresh is in flight, and when the next automatic one is due (null: none will happen on its own). */
  #outlook(meta: LibraryMeta, now: number, timing: EngineTiming): RefreshOutlook {
    const running = this.#started && !this.#stopped && meta.tokenState === 'active'
    return { refreshing: this.#inflight.has(meta.id), plannedAt: running ? this.#nextRefreshAt(meta, now, timing) : null }
  }

  #nextRefreshAt(meta: LibraryMeta, now: number, timing: EngineTiming): number | null {
    if (meta.lastError) {
      // Rate limits and transient failures say when to try again; the rest wait for a person.
      return meta.lastError.retryAt ?? null
    }
    if (meta.expiresAt === null) return now
    const { refreshAheadMs, jitterMs } = timing
    const lifetime = meta.issuedAt === null ? refreshAheadMs * 2 : meta.expiresAt - meta.issuedAt
    const lead = Math.min(refreshAheadMs, lifetime / 2)
    const planned = meta.expiresAt - lead - spread(meta.id, Math.min(jitterMs, lead / 2))
    const floor = (meta.lastRefreshedAt ?? 0) + MIN_AUTOMATIC_INTERVAL_MS
    return Math.max(planned, floor)
  }

  /** The next time the status may change with no event: the warning window opens, a refresh becomes overdue, expiry. */
  #nextStatusBoundary(meta: LibraryMeta, now: number, timing: EngineTiming, plannedAt: number | null): number | null {
    if (meta.expiresAt === null) return null
    const overdueAt = plannedAt === null ? null : plannedAt + REFRESH_GRACE_MS
    return earliestAfter(now, earliestAfter(now, meta.expiresAt - timing.expiringSoonMs, overdueAt), meta.expiresAt)
  }

  #onDue(key: DeadlineKey): void {
    const id = key.slice(key.indexOf(':') + 1)
    if (!this.#vault.get(id)) return
    if (key.startsWith('status:')) {
      this.#publish(id)
      this.#plan(id)
      return
    }
    // Failures are recorded on the library and announced as events; nobody awaits a timer's refresh.
    this.refresh(id, 'timer').catch(() => undefined)
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

/** The earlier of two times after `now` (null: neither is). */
function earliestAfter(now: number, a: number | null, b: number | null): number | null {
  const first = a !== null && a > now ? a : null
  if (b === null || b <= now) return first
  return first === null || b < first ? b : first
}

/** A stable offset in [0, range) per library, so its jitter does not move every time it is planned. */
function spread(id: string, range: number): number {
  if (range <= 0) return 0
  let hash = 2166136261
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 16777619)
  return ((hash >>> 0) / 2 ** 32) * range
}
