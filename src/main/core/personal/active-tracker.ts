// Where each personal token stands: the library its user has active as Larder last read it, the one Larder expects
// (where it left the token, kept on the connection's record so a restart remembers it), and why the last look
// failed. Every change is announced once, as a PersonalState. Nothing here makes a request.
import type { ApicbaseLibrary } from '../apicbase/index.ts'
import { isConnection, type LibraryMeta, type PersonalEntryMeta } from '../model.ts'
import type { Clock } from '../time/clock.ts'
import type { Vault } from '../vault/index.ts'
import { unseenState, type KnownLibrary, type PersonalState } from './personal-types.ts'
import { TokenQueue } from './token-queue.ts'

/** What Larder holds in memory for one personal token. */
export interface TokenRuntime {
  /** Every use of the token runs here, one after another. */
  readonly queue: TokenQueue
  active: ApicbaseLibrary | null
  expected: KnownLibrary | null
  checkedAt: number | null
  problem: string | null
  /** What the last announcement said, so only changes are announced. */
  announced: string | null
}

export interface ActiveTrackerOptions {
  readonly vault: Vault
  readonly clock: Clock
  /** Operations that may wait for one token at once. */
  readonly maxQueued: number
  readonly announce: (state: PersonalState) => void
}

export class ActiveTracker {
  readonly #vault: Vault
  readonly #clock: Clock
  readonly #maxQueued: number
  readonly #announce: (state: PersonalState) => void
  readonly #runtimes = new Map<string, TokenRuntime>()

  constructor(options: ActiveTrackerOptions) {
    this.#vault = options.vault
    this.#clock = options.clock
    this.#maxQueued = options.maxQueued
    this.#announce = options.announce
  }

  /** The token's runtime, made on first use with the expected library its record remembers. */
  runtime(meta: LibraryMeta): TokenRuntime {
    let runtime = this.#runtimes.get(meta.id)
    if (!runtime) {
      runtime = {
        queue: new TokenQueue(this.#maxQueued),
        active: null,
        expected: meta.apicbaseLibraryId === null ? null : { id: meta.apicbaseLibraryId, name: meta.apicbaseLibraryName },
        checkedAt: null,
        problem: null,
        announced: null
      }
      this.#runtimes.set(meta.id, runtime)
    }
    return runtime
  }

  existing(connectionId: string): TokenRuntime | undefined {
    return this.#runtimes.get(connectionId)
  }

  has(connectionId: string): boolean {
    return this.#runtimes.has(connectionId)
  }

  connectionIds(): string[] {
    return [...this.#runtimes.keys()]
  }

  forget(connectionId: string): void {
    this.#runtimes.delete(connectionId)
  }

  /** Resolves once every operation queued so far has finished. */
  async idle(): Promise<void> {
    await Promise.all([...this.#runtimes.values()].map((runtime) => runtime.queue.idle()))
  }

  state(connectionId: string): PersonalState {
    const meta = this.#vault.get(connectionId)
    if (!meta || !isConnection(meta)) return unseenState(connectionId)
    return this.stateOf(meta, this.runtime(meta))
  }

  /** Records what another part of Larder learned (the check made when the token was added). */
  observed(connectionId: string, library: ApicbaseLibrary): void {
    const meta = this.#vault.get(connectionId)
    if (!meta || !isConnection(meta)) return
    this.seen(meta, this.runtime(meta), library)
  }

  /** The token was just read as acting on `library`: records it (named when Larder knows the name) and announces it. */
  seen(meta: LibraryMeta, runtime: TokenRuntime, library: ApicbaseLibrary): ApicbaseLibrary {
    const named = library.name === null ? { ...library, name: this.#knownName(meta.id, library.id, runtime) } : library
    runtime.active = named
    runtime.checkedAt = this.#clock.now()
    runtime.problem = null
    if (runtime.expected === null) void this.expect(meta, runtime, named).catch(() => undefined)
    this.announce(meta, runtime)
    return named
  }

  /** Larder now expects this library to be active; kept on the connection's record so a restart remembers it. */
  async expect(meta: LibraryMeta, runtime: TokenRuntime, library: KnownLibrary): Promise<void> {
    runtime.expected = { id: library.id, name: library.name }
    const current = this.#vault.get(meta.id)
    if (!current || (current.apicbaseLibraryId === library.id && current.apicbaseLibraryName === library.name)) return
    try {
      await this.#vault.patch(meta.id, { apicbaseLibraryId: library.id, apicbaseLibraryName: library.name })
    } catch {
      // Kept in memory either way (a failed write is retried by the vault); drift detection does not depend on it.
    }
  }

  /** The look failed: says why on the token's state. */
  noteProblem(meta: LibraryMeta, runtime: TokenRuntime, error: unknown): void {
    runtime.problem = error instanceof Error ? error.message : String(error)
    runtime.checkedAt = this.#clock.now()
    this.announce(meta, runtime)
  }

  announce(meta: LibraryMeta, runtime: TokenRuntime): void {
    const state = this.stateOf(meta, runtime)
    const key = JSON.stringify([state.activeLibraryId, state.activeLibraryName, state.expectedLibraryId, state.drifted, state.problem])
    if (key === runtime.announced) return
    runtime.announced = key
    this.#announce(state)
  }

  stateOf(meta: LibraryMeta, runtime: TokenRuntime): PersonalState {
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

  #knownName(connectionId: string, libraryId: string, runtime: TokenRuntime): string | null {
    if (runtime.active?.id === libraryId && runtime.active.name !== null) return runtime.active.name
    if (runtime.expected?.id === libraryId && runtime.expected.name !== null) return runtime.expected.name
    const entry = entriesByLibrary(this.#vault, connectionId).get(libraryId)
    return entry ? (entry.apicbaseLibraryName ?? entry.name) : null
  }
}

/** The token acts on another library than the one Larder left it on. */
export function drifted(runtime: TokenRuntime): boolean {
  return runtime.expected !== null && runtime.active !== null && runtime.active.id !== runtime.expected.id
}

/** The connection's entries, by the Apicbase library each stands for. */
export function entriesByLibrary(vault: Vault, connectionId: string): Map<string, PersonalEntryMeta> {
  const map = new Map<string, PersonalEntryMeta>()
  for (const entry of vault.entries()) if (entry.connectionId === connectionId) map.set(entry.apicbaseLibraryId, entry)
  return map
}
