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
//
// This class is the layer's face; the work is done by ActiveTracker (where each token stands), TokenAccess (its
// queue, budget and requests), DriftWatch (the timer), and the functions of switching.ts and reachable.ts.
import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import type { ApicbaseClient, ApicbaseLibrary } from '../apicbase/index.ts'
import type { PersonalEntryMeta } from '../model.ts'
import type { Clock } from '../time/clock.ts'
import type { Vault } from '../vault/index.ts'
import { ActiveTracker } from './active-tracker.ts'
import { DriftWatch } from './drift-watch.ts'
import type { PersonalState, ReachableLibrary } from './personal-types.ts'
import { addReachable, reachableLibraries } from './reachable.ts'
import { onConnection, onLibrary, switchTo, type LibraryTaskContext, type OnLibraryOptions, type OnLibraryResult } from './switching.ts'
import { TokenAccess, type PersonalAudit, type TokenSource } from './token-access.ts'

export type { LibraryTaskContext, OnLibraryOptions, OnLibraryResult } from './switching.ts'
export type { PersonalAudit, TokenSource } from './token-access.ts'

export interface PersonalServiceOptions {
  readonly vault: Vault
  readonly client: ApicbaseClient
  readonly tokens: TokenSource
  readonly clock: Clock
  readonly audit: PersonalAudit
  /** Requests per token per minute made here (the refresh engine has its own budget). Default 60. */
  readonly perTokenPerMinute?: number
  /** How often the active library of each personal token is read when nothing else read it. Default one minute. */
  readonly checkEveryMs?: number
  /** Operations that may wait for one token at once. Default 500. */
  readonly maxQueued?: number
  readonly newId?: () => string
}

export interface PersonalEvents {
  active: [PersonalState]
}

export class PersonalService extends EventEmitter<PersonalEvents> {
  readonly #access: TokenAccess
  readonly #watch: DriftWatch
  readonly #newId: () => string
  /** Per personal token, the active library its drift was last recorded for: each drift is audited once. */
  readonly #drifts = new Map<string, string | null>()

  constructor(options: PersonalServiceOptions) {
    super()
    const { vault, client, tokens, clock, audit } = options
    const announce = (state: PersonalState): void => {
      this.#recordDrift(state)
      this.emit('active', state)
    }
    const tracker = new ActiveTracker({ vault, clock, maxQueued: options.maxQueued ?? 500, announce })
    this.#access = new TokenAccess({ vault, client, tokens, clock, tracker, audit, perTokenPerMinute: options.perTokenPerMinute ?? 60 })
    this.#watch = new DriftWatch(this.#access, options.checkEveryMs ?? 60_000)
    this.#newId = options.newId ?? randomUUID
  }

  #recordDrift(state: PersonalState): void {
    if (!state.drifted) {
      this.#drifts.delete(state.connectionId)
      return
    }
    if (this.#drifts.has(state.connectionId) && this.#drifts.get(state.connectionId) === state.activeLibraryId) return
    this.#drifts.set(state.connectionId, state.activeLibraryId)
    const name = this.#access.vault.get(state.connectionId)?.name ?? null
    const now = state.activeLibraryName ?? `library ${state.activeLibraryId ?? '?'}`
    const left = state.expectedLibraryName ?? `library ${state.expectedLibraryId ?? '?'}`
    this.#access.record({ action: 'drift_seen', libraryId: state.connectionId, libraryName: name, outcome: 'error', detail: `${now} was made active outside Larder (Larder had left it on ${left})` })
  }

  // ── lifecycle ──────────────────────────────────────────────────────────────────────────────────────

  /** Looks at every personal token's active library now, and then on the timer. */
  start(): void {
    this.#watch.start()
  }

  stop(): void {
    this.#watch.stop()
  }

  /** After sleep/resume or a clock change: looks that are due run now. */
  reevaluate(): void {
    this.#watch.reevaluate()
  }

  /** A personal token was added or its record changed: look at its active library soon. */
  track(connectionId: string): void {
    this.#watch.track(connectionId)
  }

  forget(connectionId: string): void {
    this.#watch.forget(connectionId)
  }

  /** The vault file was re-read: follow added and removed personal tokens. */
  reloaded(): void {
    this.#watch.reloaded()
  }

  /** Resolves once every operation queued so far has finished. */
  async settled(): Promise<void> {
    await this.#access.tracker.idle()
  }

  // ── reading ────────────────────────────────────────────────────────────────────────────────────────

  state(connectionId: string): PersonalState {
    return this.#access.tracker.state(connectionId)
  }

  /** Records what another part of Larder learned (the check made when the token was added). */
  observed(connectionId: string, library: ApicbaseLibrary): void {
    this.#access.tracker.observed(connectionId, library)
  }

  /** Reads the token's active library now (through its queue) and answers where it stands. */
  async check(id: string): Promise<PersonalState> {
    return this.#watch.check(id)
  }

  /** The libraries the token's user can reach, which one is active, and which are already in Larder. */
  async reachable(id: string): Promise<{ readonly state: PersonalState; readonly libraries: readonly ReachableLibrary[] }> {
    return reachableLibraries(this.#access, id)
  }

  /**
   * Adds libraries the token's user can reach as entries sharing the token (one stored pair, refreshed once).
   * Answers the entries in the order asked, reusing any already added.
   */
  async add(id: string, libraryIds: readonly string[]): Promise<readonly PersonalEntryMeta[]> {
    return addReachable(this.#access, id, libraryIds, this.#newId)
  }

  // ── acting ─────────────────────────────────────────────────────────────────────────────────────────

  /**
   * The primitive every later feature uses: "on library X, do Y". For a library reached through a personal token:
   * reads the active library (refusing if it drifted to another one), switches to X and confirms the switch when
   * needed, records the switch, then runs `task` with the token, all inside the token's queue. For a library that
   * holds its own token there is nothing to switch: the task runs with that token, within the same budget.
   */
  async onLibrary<T>(id: string, task: (context: LibraryTaskContext) => Promise<T>, options: OnLibraryOptions = {}): Promise<OnLibraryResult<T>> {
    return onLibrary(this.#access, id, task, options)
  }

  /**
   * Runs `task` with a personal token as it is, after reading (and announcing) which library it acts on now; `active`
   * is null when the token may not read it (no 'accounts' scope).
   */
  async onConnection<T>(id: string, task: (context: LibraryTaskContext, active: ApicbaseLibrary | null) => Promise<T>, options: OnLibraryOptions = {}): Promise<T> {
    return onConnection(this.#access, id, task, options)
  }

  /**
   * A person's explicit switch. For an entry: makes its library the active one (switch and confirm) and the one Larder
   * expects, which ends a drift. For a connection: keeps the library active now as the expected one (no switch).
   */
  async switchTo(id: string): Promise<PersonalState> {
    return switchTo(this.#access, id)
  }
}
