// Sending the ready rows of a checked import: each one added exactly as a hand-added library or key (the caller hands
// in those adds), a few at a time, each row on its own (a failure is that row's, never the others'; nothing is rolled
// back). A one-time secret (a refresh token, a key's token) is claimed before it is sent, so it goes out at most once
// however often it appears, even across imports running side by side. A cancel stops rows from starting; rows in
// flight finish. A 429 pauses every row bound for that host until the time the API named, then the row is tried again:
// a rate-limited token request is refused before the token is used, so nothing is lost by it.
import { ApiError, InputError } from '../../errors.ts'
import type { Clock, TimerHandle } from '../../time/clock.ts'
import type { CheckedRequest, ImportPlan, PlannedRow } from './check-rows.ts'
import { redact } from './check-rows.ts'
import type { ImportProblem } from './read-row.ts'

export type RowOutcomeStatus = 'imported' | 'failed' | 'problem' | 'duplicate' | 'spent' | 'cancelled'

export interface RowOutcome {
  readonly planned: PlannedRow
  readonly status: RowOutcomeStatus
  readonly message: string | null
  readonly problems: readonly ImportProblem[]
  /** The library's or key's Larder id, once imported. */
  readonly id: string | null
}

export interface ImportProgress {
  readonly total: number
  readonly done: number
  readonly ok: number
  readonly failed: number
  readonly cancelling: boolean
}

/** Adds one row as the add dialog would (the app's use cases); resolves with what was added. */
export type RowSender = (request: CheckedRequest) => Promise<{ readonly id: string; readonly name: string }>

export interface RunRowsOptions {
  readonly send: RowSender
  readonly clock: Clock
  /** Fingerprints of one-time secrets already sent or being sent (shared by every import of one app). */
  readonly claims: Set<string>
  /** Rows in flight at once (default 4). */
  readonly concurrency?: number
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: ImportProgress) => void
  /** Each row as it ends (imported, failed, cancelled). */
  readonly onRow?: (outcome: RowOutcome) => void
  /** The longest a 429 may pause a host before its rows fail instead (default 5 minutes). */
  readonly maxPauseMs?: number
}

export const DEFAULT_CONCURRENCY = 4
const RATE_LIMIT_RETRIES = 3

/** Every row's outcome, in the file's order: the plan's non-ready rows as checked, the ready ones as sent. */
export async function runRows(plan: ImportPlan, options: RunRowsOptions): Promise<RowOutcome[]> {
  const outcomes: (RowOutcome | undefined)[] = plan.rows.map((planned) => (planned.status === 'ready' ? undefined : asChecked(planned)))
  const queue = plan.rows.flatMap((planned, index) => (planned.status === 'ready' ? [index] : []))
  const progress = { total: queue.length, done: 0, ok: 0, failed: 0 }
  const report = (): void => options.onProgress?.({ ...progress, cancelling: options.signal?.aborted === true })
  const pauses = new HostPauses(options.clock, options.signal)
  const finish = (index: number, outcome: RowOutcome): void => {
    outcomes[index] = outcome
    progress.done++
    if (outcome.status === 'imported') progress.ok++
    else if (outcome.status === 'failed') progress.failed++
    options.onRow?.(outcome)
    report()
  }
  report()
  options.signal?.addEventListener('abort', report, { once: true })
  const worker = async (): Promise<void> => {
    for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
      const planned = plan.rows[index] as PlannedRow
      finish(index, await sendRow(planned, options, pauses))
    }
  }
  const concurrency = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, 16))
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker))
  options.signal?.removeEventListener('abort', report)
  return outcomes.map((outcome, index) => outcome ?? asChecked(plan.rows[index] as PlannedRow))
}

async function sendRow(planned: PlannedRow, options: RunRowsOptions, pauses: HostPauses): Promise<RowOutcome> {
  const request = planned.request
  if (request === null) return asChecked(planned)
  if (options.signal?.aborted === true) return cancelled(planned)
  if (planned.once !== null) {
    if (options.claims.has(planned.once)) return ended(planned, 'duplicate', 'The same token was sent for another row (or another import) already; it is sent once.')
    options.claims.add(planned.once)
  }
  let sent = false
  try {
    const host = hostOf(request)
    for (let attempt = 0; ; attempt++) {
      if (!(await pauses.until(host))) return cancelled(planned)
      try {
        sent = true
        const added = await options.send(request)
        return { planned, status: 'imported', message: `Added as "${added.name}".`, problems: [], id: added.id }
      } catch (error) {
        // Refused by a check before anything went out (the row became a duplicate since the dry run): not spent.
        if (error instanceof InputError) sent = false
        const retryAt = error instanceof ApiError && error.kind === 'rate_limited' ? error.retryAt : undefined
        const wait = retryAt === undefined ? Infinity : retryAt - options.clock.now()
        if (attempt >= RATE_LIMIT_RETRIES || retryAt === undefined || wait > (options.maxPauseMs ?? 300_000)) throw error
        // Nothing of this token was used: the API refused the request before reading it.
        sent = false
        pauses.pause(host, retryAt)
      }
    }
  } catch (error) {
    return ended(planned, 'failed', redact(failureMessage(error), planned.secrets))
  } finally {
    // A token never sent (cancelled while paused) may be sent by a later import; one sent stays claimed for good.
    if (!sent && planned.once !== null) options.claims.delete(planned.once)
  }
}

function failureMessage(error: unknown): string {
  if (error instanceof Error && (error.name === 'ApiError' || error.name === 'InputError')) return error.message
  return 'Larder hit an unexpected problem adding this row; nothing was saved. The details are in its log.'
}

function hostOf(request: CheckedRequest): string {
  const input = request.input
  const details = input['details'] as Record<string, unknown> | undefined
  const base = input['apiBaseUrl'] ?? details?.['apiBaseUrl'] ?? details?.['checkUrl']
  try {
    return typeof base === 'string' ? new URL(base.trim()).host : request.system
  } catch {
    return request.system
  }
}

function asChecked(planned: PlannedRow): RowOutcome {
  const status = planned.status === 'ready' ? 'cancelled' : planned.status
  return { planned, status, message: planned.problems[0]?.message ?? null, problems: planned.problems, id: null }
}

function cancelled(planned: PlannedRow): RowOutcome {
  return ended(planned, 'cancelled', 'Not started: the import was cancelled.')
}

function ended(planned: PlannedRow, status: RowOutcomeStatus, message: string): RowOutcome {
  return { planned, status, message, problems: status === 'failed' || status === 'duplicate' ? [{ field: 'row', message }] : [], id: null }
}

/** When each host may be sent to again after a 429; a wait ends early (false) when the import is cancelled. */
class HostPauses {
  readonly #clock: Clock
  readonly #signal: AbortSignal | undefined
  readonly #until = new Map<string, number>()

  constructor(clock: Clock, signal: AbortSignal | undefined) {
    this.#clock = clock
    this.#signal = signal
  }

  pause(host: string, until: number): void {
    this.#until.set(host, Math.max(this.#until.get(host) ?? 0, until))
  }

  async until(host: string): Promise<boolean> {
    for (;;) {
      if (this.#signal?.aborted === true) return false
      const wait = (this.#until.get(host) ?? 0) - this.#clock.now()
      if (wait <= 0) return true
      await new Promise<void>((resolve) => {
        let timer: TimerHandle | null = null
        const done = (): void => {
          if (timer !== null) this.#clock.clearTimeout(timer)
          this.#signal?.removeEventListener('abort', done)
          resolve()
        }
        timer = this.#clock.setTimeout(done, wait)
        this.#signal?.addEventListener('abort', done, { once: true })
      })
    }
  }
}
