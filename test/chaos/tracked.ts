// The record the chaos run keeps of each library (see ledger.ts, which keeps it up to date), and the run's counts.
import type { Scope } from '../sandbox/index.ts'

export interface DeadToken {
  readonly cause: 'answer lost' | 'killed' | 'unexplained'
  readonly family: string
  /** Refresh-token presentations since the death was known, in the current process. */
  sends: number
  /** Of those, the ones the server's token endpoint judged (not answered by a fault: 429, 5xx, reset). */
  verdicts: number
}

export interface Tracked {
  readonly id: string
  readonly sandboxLibraryId: number
  readonly clientId: string
  readonly scopes: readonly Scope[]
  family: string
  /**
   * Fingerprints of the refresh tokens the vault may hold: the newest durable one, plus any that arrived (or was
   * handed over by a re-authorization) and was not yet confirmed durable. Anything else on disk is a lost write.
   */
  acceptable: Set<string>
  lastReceived: string | null
  reauthFingerprint: string | null
  /** A token request went out and no outcome came back yet. */
  open: boolean
  openAtKill: boolean
  /** The server committed a rotation whose answer never became durable; not yet marked. */
  dead: DeadToken | null
  /** Marked needs re-authorization (durably) and not re-authorized since. */
  marked: boolean
  /** A re-authorization was handed to the process and not yet confirmed. */
  reauthFamily: string | null
  /** In this process, the next token request must not go out before this (backoff, Retry-After). */
  earliestNext: number | null
  earliestWhy: string
  attemptedInFinalRound: boolean
}

/** A library as the sandbox issued it, before the run learns anything more. */
export interface NewLibrary extends Pick<Tracked, 'id' | 'sandboxLibraryId' | 'clientId' | 'scopes'> {
  readonly family: string
  readonly refreshTokenFingerprint: string
}

export interface LedgerCounts {
  committedAnswerLost: number
  committedKilled: number
  marks: number
  mostAttempts: number
  mostPresentations: number
  reauthorized: number
  lost: number
  retriesTooEarly: number
  shortest429: number | null
  pokesShared: number
  storeLoads: number
  storeLoadFailures: number
}
