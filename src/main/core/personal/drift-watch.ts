// Drift detection: each personal token's active library is read on a timer when nothing else read it lately, so a
// switch made in Apicbase's web UI shows in Larder before anyone acts on the wrong library.
import { isConnection } from '../model.ts'
import { DeadlineQueue } from '../time/deadline-queue.ts'
import type { PersonalState } from './personal-types.ts'
import { DEFAULT_MARGIN_MS, type TokenAccess } from './token-access.ts'
import type { TokenRuntime } from './active-tracker.ts'

/** After a failed look, the timer waits at least this long before trying again. */
const FAILED_CHECK_PAUSE_MS = 5 * 60_000

export class DriftWatch {
  readonly #access: TokenAccess
  readonly #checkEveryMs: number
  readonly #timers: DeadlineQueue<string>
  #started = false
  #stopped = false

  constructor(access: TokenAccess, checkEveryMs: number) {
    if (!Number.isInteger(checkEveryMs) || checkEveryMs < 1000) throw new RangeError('checkEveryMs must be a whole number of milliseconds ≥ 1000')
    this.#access = access
    this.#checkEveryMs = checkEveryMs
    this.#timers = new DeadlineQueue(access.clock, (id) => this.#onDue(id))
  }

  /** Looks at every personal token's active library now, and then on the timer. */
  start(): void {
    if (this.#started) return
    this.#started = true
    for (const meta of this.#access.vault.list()) if (isConnection(meta)) this.track(meta.id)
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
    const meta = this.#access.vault.get(connectionId)
    if (!meta || !isConnection(meta) || this.#stopped) return
    this.#access.tracker.runtime(meta)
    if (this.#started) this.#timers.schedule(connectionId, this.#access.clock.now())
  }

  forget(connectionId: string): void {
    this.#timers.cancel(connectionId)
    this.#access.tracker.forget(connectionId)
    this.#access.forget(connectionId)
  }

  /** The vault file was re-read: follow added and removed personal tokens. */
  reloaded(): void {
    const { vault, tracker } = this.#access
    for (const id of tracker.connectionIds()) if (!vault.get(id)) this.forget(id)
    for (const meta of vault.list()) if (isConnection(meta) && !tracker.has(meta.id)) this.track(meta.id)
  }

  /** Reads the token's active library now (through its queue) and answers where it stands. */
  async check(id: string): Promise<PersonalState> {
    const access = this.#access
    return access.queued(access.connectionOf(id), async (meta, runtime) => {
      try {
        const session = await access.session(meta, DEFAULT_MARGIN_MS)
        await access.look(meta, runtime, session, access.target(meta, meta.name))
      } catch (error) {
        access.tracker.noteProblem(meta, runtime, error)
        throw error
      } finally {
        this.#reschedule(meta.id, runtime)
      }
      return access.tracker.stateOf(meta, runtime)
    })
  }

  #onDue(id: string): void {
    const { vault, tracker, clock } = this.#access
    const meta = vault.get(id)
    const runtime = tracker.existing(id)
    if (!meta || !runtime || !isConnection(meta) || this.#stopped) return
    if (meta.tokenState !== 'active') return // nothing to look with; added again once re-authorized
    runtime.queue
      .run(meta.name, async () => {
        const current = vault.get(id)
        if (!current || this.#stopped) return
        // An operation that ran meanwhile has just looked: no need to ask again.
        if (runtime.checkedAt !== null && runtime.problem === null && clock.now() - runtime.checkedAt < this.#checkEveryMs) return
        try {
          const session = await this.#access.session(current, DEFAULT_MARGIN_MS)
          await this.#access.look(current, runtime, session, this.#access.target(current, current.name))
        } catch {
          // Recorded as the token's problem and announced; the timer tries again later.
        }
      })
      .catch(() => undefined)
      .finally(() => this.#reschedule(id, runtime))
  }

  #reschedule(id: string, runtime: TokenRuntime): void {
    if (this.#stopped || !this.#started || !this.#access.tracker.has(id)) return
    const pause = runtime.problem === null ? this.#checkEveryMs : Math.max(this.#checkEveryMs, FAILED_CHECK_PAUSE_MS)
    this.#timers.schedule(id, (runtime.checkedAt ?? this.#access.clock.now()) + pause)
  }
}
