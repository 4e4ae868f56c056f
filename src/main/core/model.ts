// The domain model: what Larder knows about one customer library. Plain data, no I/O.
import type { FailureKind, LibraryFields, LibraryStatus } from '../../shared/contract.ts'

export { FAILURE_KINDS, LIBRARY_STATUSES, TOKEN_TYPES, type FailureKind, type LibraryStatus, type TokenType } from '../../shared/contract.ts'

export const DEFAULT_API_BASE_URL = 'https://api.apicbase.com'

export interface LibraryFailure {
  readonly kind: FailureKind
  /** A sentence a person can act on, naming the library; never contains a secret. */
  readonly message: string
  readonly at: number
  /** When Larder will try again on its own (rate limit, backoff); absent when it will not. */
  readonly retryAt?: number
  /** A refresh was sent but its answer never arrived, so the server may already have rotated the token. */
  readonly unanswered?: boolean
  /** The HTTP status Apicbase answered with (502 for its proxy's error page); absent when no answer came. */
  readonly status?: number
}

/**
 * Where the token stands as far as Larder has decided; `status` is derived from this and the clock. 'moved' and
 * 'paused' (issue 17) hold Larder's refreshes back, with the reason in `hold`: moved to another machine (this one
 * must never refresh it again), or restored from a backup where only sending the refresh token could tell whether it
 * is still live (a person decides).
 */
export type TokenState = 'active' | 'needs_reauth' | 'revoked' | 'moved' | 'paused'

/** Why a library's refreshes are held back (tokenState 'moved' or 'paused'): words for a person, no secret. */
export interface LibraryHold {
  readonly kind: 'moved' | 'paused'
  readonly at: number
  /** A sentence for a person: where it went and when, or why it waits and what to do. */
  readonly message: string
  /** Moved: the backup file it went to. Null for a pause. */
  readonly to: string | null
  /** The state it had before, which taking it back (or resuming) returns to. */
  readonly was: 'active' | 'needs_reauth' | 'revoked'
}

/**
 * Everything about a library except its secrets. Safe to log, show and send to the renderer. Its fields are the
 * contract's `LibraryFields` (one list for the record and its view), plus what only the core decides with.
 */
export interface LibraryMeta extends LibraryFields {
  readonly lastError: LibraryFailure | null
  readonly tokenState: TokenState
  /** Set while tokenState is 'moved' or 'paused' (absent otherwise: records without one read as before). */
  readonly hold?: LibraryHold
}

/**
 * A library reached through a personal token (see seed 000: a personal token acts on whichever library its user has
 * active). It has no secrets of its own: it uses the token pair of its connection, the library record holding the
 * personal token, which is stored and refreshed once however many libraries share it. Safe to show.
 */
export interface PersonalEntryMeta {
  readonly id: string
  readonly name: string
  /** Groups a customer's libraries and keys together; absent: none given (the connection's is not inherited). */
  readonly customer?: string
  /** The id of the library record that holds the personal token (its tokenType is 'personal'). */
  readonly connectionId: string
  /** The Apicbase library this entry acts on: Larder switches the token's user to it before acting. */
  readonly apicbaseLibraryId: string
  readonly apicbaseLibraryName: string | null
  readonly addedAt: number
  readonly lastUsedAt: number | null
}

/** Every record holding a personal token is a connection: its libraries are entries that share its token pair. */
export function isConnection(meta: Pick<LibraryMeta, 'tokenType'>): boolean {
  return meta.tokenType === 'personal'
}

export interface LibrarySecrets {
  readonly clientSecret: string
  readonly accessToken: string
  readonly refreshToken: string
}

/** A token pair as the token endpoint issued it, with absolute times. */
export interface IssuedPair {
  readonly accessToken: string
  readonly refreshToken: string
  readonly issuedAt: number
  readonly expiresAt: number
  readonly scopes: readonly string[]
}

export interface StatusThresholds {
  /** The warning window: a token with less than this left is "expiring soon" if its refresh is not on track. Default 48 h. */
  readonly expiringSoonMs: number
}

export const DEFAULT_THRESHOLDS: StatusThresholds = { expiringSoonMs: 48 * 3600_000 }

/**
 * How late a planned refresh may be before it counts as overdue. Longer than the deadline queue's longest sleep
 * (15 min), so a refresh held up by a sleep Larder has not noticed yet, or by a busy queue, is not a false alarm.
 */
export const REFRESH_GRACE_MS = 30 * 60_000

/** Where Larder's own refresh of a token stands, as the refresh engine knows it. */
export interface RefreshOutlook {
  /** The token's one refresh is in flight. */
  readonly refreshing: boolean
  /**
   * When the next automatic refresh is planned; null when none will happen on its own: the token needs its owner
   * (re-authorization, revoked), the last failure waits for a person, or Larder's refreshing is not running.
   */
  readonly plannedAt: number | null
}

/**
 * The status a person sees, derived from the record, the clock and Larder's refresh of the token:
 * - 'moved': moved to another machine (issue 17); nothing here changes that, not even its expiry.
 * - 'revoked', 'needs_reauth': only the owner can help; these outrank everything else.
 * - 'refreshing': the one refresh is in flight (seconds; it ends healthy, or in one of the statuses below).
 * - 'expired': past expiry, whatever is planned: scripts using the token are refused now.
 * - 'error': the last refresh failed (Larder says whether it retries).
 * - 'expiring_soon': inside the warning window and the refresh is not on track: none is planned before expiry, or the
 *   planned one is more than REFRESH_GRACE_MS late (overdue). A token whose refresh is on schedule is 'healthy'.
 */
export function deriveStatus(
  meta: LibraryMeta,
  now: number,
  refresh: RefreshOutlook,
  thresholds: StatusThresholds = DEFAULT_THRESHOLDS
): LibraryStatus {
  // Moved to another machine: refreshed and copied there, never here again (its view says where it went). Not
  // revoked: its token still works, on the other machine.
  if (meta.tokenState === 'moved') return 'moved'
  if (meta.tokenState === 'revoked') return 'revoked'
  if (meta.tokenState === 'needs_reauth') return 'needs_reauth'
  if (refresh.refreshing) return 'refreshing'
  if (meta.expiresAt !== null && now >= meta.expiresAt) return 'expired'
  if (meta.lastError) return 'error'
  if (meta.expiresAt !== null && meta.expiresAt - now <= thresholds.expiringSoonMs && !refreshOnTrack(meta.expiresAt, now, refresh)) return 'expiring_soon'
  return 'healthy'
}

/** A refresh is planned before the token expires, and is not more than the grace late. */
export function refreshOnTrack(expiresAt: number, now: number, refresh: RefreshOutlook): boolean {
  const { plannedAt } = refresh
  return refresh.refreshing || (plannedAt !== null && plannedAt < expiresAt && now < plannedAt + REFRESH_GRACE_MS)
}

export function tokenPreview(accessToken: string): string {
  return accessToken.length >= 8 ? `…${accessToken.slice(-4)}` : '…'
}
