// Checks that each library's token still works at Apicbase, not only when its refresh fails (up to six days later):
// one cheap read a day per library, spread out, inside the library's request budget, and one before a copy when the
// last check is more than an hour old. Results are kept in memory: a check after a restart costs one request, while
// what matters most outlives it anyway (a refused token is recorded on the library as needing re-authorization).
import { EventEmitter } from 'node:events'
import type { EngineAudit } from '../engine/ports.ts'
import type { Clock } from '../time/clock.ts'
import { DeadlineQueue } from '../time/deadline-queue.ts'
import { runHealthCheck } from './health-check.ts'
import { isCheckable, type HealthClient, type HealthEngine, type HealthResult, type HealthVault, type LibraryHealth } from './health-types.ts'

export interface HealthTiming {
  /** Between two planned checks of one library, at least (default 24 h). */
  readonly everyMs: number
  /** Added at random to each planned check, so checks stay spread over the day (default 1 h). */
  readonly jitterMs: number
  /** The first check after start (or after a long sleep) falls at random within this (default 6 h): never all at once. */
  readonly firstWithinMs: number
  /** A copy checks first when the last check is older than this (default 1 h). */
  readonly beforeCopyMaxAgeMs: number
  /** Checks wait while Apicbase says fewer than this share of the limit is left: the partner's scripts need it more. */
  readonly reserveShare: number
}

export const DEFAULT_HEALTH_TIMING: HealthTiming = {
  everyMs: 24 * 3_600_000,
  jitterMs: 3_600_000,
  firstWithinMs: 6 * 3_600_000,
  beforeCopyMaxAgeMs: 3_600_000,
  reserveShare: 0.1
}

export interface HealthMonitorOptions {
  readonly vault: HealthVault
  readonly client: HealthClient
  readonly engine: HealthEngine
  readonly clock: Clock
  readonly audit: EngineAudit
  readonly timing?: Partial<HealthTiming>
  readonly random?: () => number
  /** False: no planned checks (a copy still checks first). Default true. */
  readonly scheduled?: boolean
}

export interface HealthEvents {
  /** A check ended with a result to show (the library's view changes). */
  checked: [{ readonly id: string; readonly result: HealthResult }]
}

/** The first check never falls in the first minute after start: the app has other things to do then. */
const FIRST_AFTER_MS = 60_000

export class HealthMonitor extends EventEmitter<HealthEvents> {
  readonly #options: HealthMonitorOptions
  readonly #timing: HealthTiming
  readonly #random: () => number
  readonly #queue: DeadlineQueue<string>
  readonly #results = new Map<string, HealthResult>()
  /** The last result that was not 'unreachable', per library. */
  readonly #verdicts = new Map<string, HealthResult>()
  readonly #inflight = new Map<string, Promise<HealthResult | null>>()
  #started = false

  constructor(options: HealthMonitorOptions) {
    super()
    this.#options = options
    this.#timing = { ...DEFAULT_HEALTH_TIMING, ...options.timing }
    this.#random = options.random ?? Math.random
    this.#queue = new DeadlineQueue(options.clock, (id) => void this.#planned(id))
  }

  /** Plans the first check of every library, each at its own random time within firstWithinMs. */
  start(): void {
    if (this.#started || this.#options.scheduled === false) return
    this.#started = true
    for (const meta of this.#options.vault.list()) this.track(meta.id)
  }

  stop(): void {
    this.#queue.stop()
  }

  /** A record may have changed: plan its first check if it has none, or drop its plan when Larder no longer uses it. */
  track(id: string): void {
    const meta = this.#options.vault.get(id)
    if (!isCheckable(meta)) {
      this.#queue.cancel(id)
      if (meta === undefined) this.#forget(id)
      return
    }
    // The token was refused, and now it is in use again: the owner issued a new one, so that verdict is history.
    if (this.#verdicts.get(id)?.outcome === 'unauthorized') this.#forget(id)
    if (this.#started && this.#queue.deadlineOf(id) === undefined && !this.#inflight.has(id)) this.#queue.schedule(id, this.#firstAt())
  }

  untrack(id: string): void {
    this.#queue.cancel(id)
    this.#forget(id)
  }

  /** After sleep or a clock change: checks that fell due meanwhile are spread over as long again, not sent at once. */
  reevaluate(): void {
    const now = this.#options.clock.now()
    for (const meta of this.#options.vault.list()) {
      const due = this.#queue.deadlineOf(meta.id)
      if (due === undefined || due >= now - FIRST_AFTER_MS) continue
      this.#queue.schedule(meta.id, Math.round(now + this.#random() * Math.min(this.#timing.firstWithinMs, now - due)))
    }
    this.#queue.reevaluate()
  }

  /** The last check and the next one, for the library's view; null for a record Larder does not check itself. */
  state(id: string): LibraryHealth | null {
    const last = this.#results.get(id)
    if (last === undefined && !isCheckable(this.#options.vault.get(id))) return null
    return {
      checkedAt: last?.at ?? null,
      outcome: last?.outcome ?? null,
      endpoint: last?.endpoint ?? null,
      message: last?.message ?? null,
      nextAt: this.#queue.deadlineOf(id) ?? null,
      verdict: this.#verdicts.get(id) ?? null
    }
  }

  /** Before a copy: one check first when the last is older than beforeCopyMaxAgeMs (never while Apicbase asks to wait). */
  async beforeCopy(id: string): Promise<void> {
    if (!isCheckable(this.#options.vault.get(id))) return
    const last = this.#results.get(id)
    if (last !== undefined && this.#options.clock.now() - last.at <= this.#timing.beforeCopyMaxAgeMs) return
    if (this.#holdUntil(id) !== null) return
    await this.check(id)
  }

  /** Checks now (joining a check already under way); resolves with its result, or null when there is none to show. */
  check(id: string): Promise<HealthResult | null> {
    const running = this.#inflight.get(id)
    if (running) return running
    const run = this.#run(id).finally(() => this.#inflight.delete(id))
    this.#inflight.set(id, run)
    return run
  }

  /** Resolves once no check is under way (closing waits for this). */
  async settled(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight.values()])
  }

  async #planned(id: string): Promise<void> {
    const hold = this.#holdUntil(id)
    if (hold !== null) {
      this.#queue.schedule(id, Math.round(hold + this.#random() * 60_000))
      return
    }
    await this.check(id)
  }

  async #run(id: string): Promise<HealthResult | null> {
    this.#queue.cancel(id)
    const outcome = await runHealthCheck(this.#options, id).catch(() => ({ kind: 'none' as const }))
    if (outcome.kind === 'later') {
      this.#queue.schedule(id, Math.round(outcome.at + this.#random() * 60_000))
      return null
    }
    if (outcome.kind === 'none') {
      this.track(id)
      return null
    }
    const meta = this.#options.vault.get(id)
    if (meta === undefined) return null // removed while the check was out
    const { result } = outcome
    this.#results.set(id, result)
    if (result.outcome !== 'unreachable') this.#verdicts.set(id, result)
    if (isCheckable(meta) && this.#started) this.#queue.schedule(id, Math.round(result.at + this.#timing.everyMs + this.#random() * this.#timing.jitterMs))
    if (result.outcome !== 'ok' && result.outcome !== 'unreachable') {
      const detail = `health check: ${result.outcome}: ${result.message ?? ''}`
      this.#options.audit.append({ action: 'failed', libraryId: id, libraryName: meta.name, outcome: 'error', detail }).catch(() => undefined)
    }
    this.emit('checked', { id, result })
    return result
  }

  /**
   * When Apicbase last said this token must wait (a 429), or that so little of its limit is left that the partner's
   * own scripts should have it: until then no check is sent. Null when a check may go now.
   */
  #holdUntil(id: string): number | null {
    const now = this.#options.clock.now()
    const client = this.#options.client
    const meta = this.#options.vault.get(id)
    const failure = meta?.lastError?.kind === 'rate_limited' ? (meta.lastError.retryAt ?? null) : null
    const seen = client.rateLimit(id)
    const reserve = seen?.limit == null ? 0 : Math.ceil(seen.limit * this.#timing.reserveShare)
    const spent = seen !== null && seen.remaining !== null && seen.remaining <= reserve && seen.resetAt !== null ? seen.resetAt : null
    const holds = [client.waitingUntil(id), failure, spent].filter((at): at is number => at !== null && at > now)
    return holds.length === 0 ? null : Math.max(...holds)
  }

  #forget(id: string): void {
    this.#results.delete(id)
    this.#verdicts.delete(id)
  }

  #firstAt(): number {
    return Math.round(this.#options.clock.now() + FIRST_AFTER_MS + this.#random() * this.#timing.firstWithinMs)
  }
}
