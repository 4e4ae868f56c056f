// What the chaos run knows about each library, kept from the Larder process's lines: which refresh tokens the
// vault may hold, whether a rotation is in flight, whether the server committed a rotation whose answer never
// became durable (a dead token) and whether that was marked, and when the next attempt may go out. Every surprise
// is a problem; a refresh token the vault lost, or a mark with no reason, is counted as lost.
import { DEFAULT_BACKOFF } from '../../src/main/core/engine/failures.ts'
import { SecretIndex } from './secret-scan.ts'
import type { DeadToken, LedgerCounts, NewLibrary, Tracked } from './tracked.ts'

const TRANSIENT = new Set(['network', 'timeout', 'server_error', 'malformed_response', 'storage'])
/** Problems kept word for word; the rest are only counted. */
const PROBLEMS_KEPT = 50

export class Ledger {
  readonly tracked = new Map<string, Tracked>()
  readonly secrets = new SecretIndex()
  readonly counts: LedgerCounts = {
    committedAnswerLost: 0,
    committedKilled: 0,
    marks: 0,
    mostAttempts: 0,
    mostPresentations: 0,
    reauthorized: 0,
    lost: 0,
    retriesTooEarly: 0,
    shortest429: null,
    pokesShared: 0,
    storeLoads: 0,
    storeLoadFailures: 0
  }
  /** Set for the final round: a send then counts as the library's attempt in it. */
  finalRound = false
  readonly #problems: string[] = []
  #problemCount = 0
  /** Per family: the number of processes in which it was known dead (each may present the dead token once). */
  readonly #deadLifetimes = new Map<string, number>()

  problem(text: string): void {
    this.#problemCount++
    if (this.#problems.length < PROBLEMS_KEPT) this.#problems.push(text)
  }

  /** A refresh token lost: counted, and said how. */
  lost(text: string): void {
    this.counts.lost++
    this.problem(text)
  }

  get problems(): readonly string[] {
    return [...this.#problems]
  }

  get problemCount(): number {
    return this.#problemCount
  }

  track(library: NewLibrary): void {
    const { refreshTokenFingerprint, ...known } = library
    this.tracked.set(library.id, {
      ...known,
      acceptable: new Set([refreshTokenFingerprint]),
      lastReceived: null,
      reauthFingerprint: null,
      open: false,
      openAtKill: false,
      dead: null,
      marked: false,
      reauthFamily: null,
      earliestNext: null,
      earliestWhy: '',
      attemptedInFinalRound: false
    })
  }

  /** Libraries whose refresh token is known dead at the server and not marked. */
  pendingDead(): Tracked[] {
    return [...this.tracked.values()].filter((l) => l.dead !== null)
  }

  // ── the process's life ───────────────────────────────────────────────────────────────────────────────

  /** A new process: no refresh of the old one is in flight, and the backoff it kept in memory is gone. */
  processStarting(): void {
    for (const library of this.tracked.values()) {
      library.earliestNext = null
      if (library.dead !== null) {
        library.dead.sends = 0
        library.dead.verdicts = 0
        this.#addDeadLifetime(library.dead.family)
      }
    }
  }

  processReady(): void {
    for (const library of this.tracked.values()) library.openAtKill = false
  }

  processDied(): void {
    for (const library of this.tracked.values()) {
      library.openAtKill = library.open
      library.open = false
    }
  }

  /** Families whose dead refresh token the server rejected more often than once per process that knew no better. */
  overPresentedDeadTokens(tokenHits: readonly { familyId: string | null; status: number }[]): Map<string, { rejected: number; allowed: number }> {
    const rejected = new Map<string, number>()
    for (const hit of tokenHits) {
      if (hit.status === 400 && hit.familyId !== null) rejected.set(hit.familyId, (rejected.get(hit.familyId) ?? 0) + 1)
    }
    const over = new Map<string, { rejected: number; allowed: number }>()
    for (const [family, count] of rejected) {
      const allowed = this.#deadLifetimes.get(family) ?? 0
      if (count > allowed) over.set(family, { rejected: count, allowed })
    }
    return over
  }

  // ── what the process says about one library ──────────────────────────────────────────────────────────

  onSend(library: Tracked, at: number | null): void {
    library.open = true
    if (this.finalRound) library.attemptedInFinalRound = true
    if (library.marked) this.problem(`${library.id}: its refresh token was sent after it was marked needs re-authorization`)
    if (at !== null && library.earliestNext !== null && at < library.earliestNext) {
      this.counts.retriesTooEarly++
      this.problem(`${library.id}: retried at ${new Date(at).toISOString()}, before ${new Date(library.earliestNext).toISOString()} (${library.earliestWhy})`)
    }
    library.earliestNext = null
    if (library.dead !== null) {
      library.dead.sends++
      this.counts.mostPresentations = Math.max(this.counts.mostPresentations, library.dead.sends)
    }
  }

  onPoke(library: Tracked, foundInFlight: string | undefined): void {
    if (foundInFlight === '1') this.counts.pokesShared++
    else this.problem(`${library.id}: an extra trigger did not find the refresh in flight`)
  }

  onReceived(library: Tracked, fingerprint: string | undefined): void {
    if (fingerprint === undefined) return
    library.lastReceived = fingerprint
    library.acceptable.add(fingerprint)
  }

  onError(library: Tracked, kind: string, at: number | null, retryAt: number | null): void {
    if (library.dead !== null && kind !== 'rate_limited' && !TRANSIENT.has(kind)) library.dead.verdicts++
    if (at === null) return
    if (kind === 'rate_limited') {
      const waitUntil = Math.max(retryAt ?? at + 60_000, at + 1_000)
      this.counts.shortest429 = Math.min(this.counts.shortest429 ?? Number.POSITIVE_INFINITY, waitUntil - at)
      library.earliestNext = waitUntil
      library.earliestWhy = `Retry-After of a 429 at ${new Date(at).toISOString()}`
    } else if (TRANSIENT.has(kind)) {
      library.earliestNext = at + DEFAULT_BACKOFF.baseMs / 2
      library.earliestWhy = `backoff after ${kind} at ${new Date(at).toISOString()}`
    }
  }

  /** After an answer that may have been lost: does the server still accept the stored access token? */
  onProbe(library: Tracked, accepted: string | undefined): void {
    if (accepted === '0') this.markDead(library, 'answer lost')
    else if (accepted !== '1') this.problem(`${library.id}: could not tell whether the server committed a rotation whose answer was lost`)
  }

  /** The rotated pair is durable. */
  onRefreshed(library: Tracked): void {
    library.open = false
    if (library.lastReceived !== null) library.acceptable = new Set([library.lastReceived])
    library.lastReceived = null
    if (library.dead !== null) this.problem(`${library.id}: refreshed although its refresh token was dead at the server`)
  }

  onFailed(library: Tracked): void {
    library.open = false
  }

  onNeedsReauth(library: Tracked, kind: string): void {
    library.open = false
    this.#onMarked(library, kind)
  }

  markDead(library: Tracked, cause: DeadToken['cause']): void {
    if (library.dead !== null) return
    library.dead = { cause, family: library.family, sends: 0, verdicts: 0 }
    this.#addDeadLifetime(library.family)
    // ('unexplained' deaths are counted as lost where they are found)
    if (cause === 'answer lost') this.counts.committedAnswerLost++
    else if (cause === 'killed') this.counts.committedKilled++
  }

  /** The customer issued a new pair (a new family) and the process confirmed it is stored. */
  onReauthed(id: string | undefined): void {
    const library = id === undefined ? undefined : this.tracked.get(id)
    if (library === undefined || library.reauthFamily === null) return this.problem(`unexpected reauthed line for ${id ?? '?'}`)
    library.family = library.reauthFamily
    library.reauthFamily = null
    if (library.reauthFingerprint !== null) library.acceptable = new Set([library.reauthFingerprint])
    library.reauthFingerprint = null
    library.marked = false
    library.dead = null
    this.counts.reauthorized++
  }

  /** A new process says what it found on disk and what the server thinks of each stored access token. */
  onStartState(library: Tracked, state: string | undefined, accepted: string | undefined, fingerprint: string | undefined): void {
    const writeLost = fingerprint === undefined || !library.acceptable.has(fingerprint)
    if (writeLost) this.lost(`${library.id}: the vault holds a refresh token older than its newest durable one (a durable write was lost)`)
    library.lastReceived = null
    if (state === 'needs_reauth') {
      library.reauthFingerprint = null
      if (fingerprint !== undefined) library.acceptable = new Set([fingerprint])
      library.reauthFamily = null // if one was on its way, it never became durable
      if (!library.marked) this.#onMarked(library, 'found marked at start')
      return
    }
    if (state !== 'active') return this.problem(`${library.id}: found ${state ?? '?'} at start`)
    if (library.reauthFamily !== null) {
      // The re-authorization became durable, but the process died before it said so (or it never arrived).
      if (fingerprint === library.reauthFingerprint) this.onReauthed(library.id)
      library.reauthFamily = null
      library.reauthFingerprint = null
    }
    if (fingerprint !== undefined) library.acceptable = new Set([fingerprint])
    if (library.marked) return this.problem(`${library.id}: was marked needs re-authorization, yet is active at start`)
    if (accepted === '1') {
      if (library.dead !== null) this.problem(`${library.id}: thought dead (${library.dead.cause}), yet the server accepts its stored pair`)
      return
    }
    if (accepted !== '0') return this.problem(`${library.id}: could not ask the server about its stored token at start`)
    if (library.dead !== null) return
    if (library.openAtKill && !writeLost) {
      this.markDead(library, 'killed')
      return
    }
    if (!writeLost) this.lost(`${library.id}: its stored token is dead at the server although no refresh of it was in flight`)
    this.markDead(library, 'unexplained')
  }

  #onMarked(library: Tracked, kind: string): void {
    this.counts.marks++
    if (library.dead === null) {
      this.lost(`${library.id}: marked needs re-authorization (${kind}) although no rotation of it was committed and left unanswered`)
    } else {
      this.counts.mostAttempts = Math.max(this.counts.mostAttempts, library.dead.verdicts)
      if (library.dead.verdicts > 1) {
        this.problem(`${library.id}: its dead refresh token was judged ${library.dead.verdicts} times by the server before it was marked`)
      }
      library.dead = null
    }
    library.marked = true
  }

  #addDeadLifetime(family: string): void {
    this.#deadLifetimes.set(family, (this.#deadLifetimes.get(family) ?? 0) + 1)
  }
}
