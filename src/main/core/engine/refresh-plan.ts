// Whether a library may be refreshed at all, when its next automatic refresh is due, and when its status may next
// change with no event: pure functions of the record, the clock and the timing settings (the engine keeps the queue
// and what is in flight).
import { ApiError } from '../errors.ts'
import { DEFAULT_THRESHOLDS, REFRESH_GRACE_MS, type LibraryMeta, type StatusThresholds } from '../model.ts'
import { heldRefusal } from './failures.ts'

export interface EngineTiming extends StatusThresholds {
  /** Refresh this long before expiry (default 24 h), or at half the token's lifetime if that is shorter. */
  readonly refreshAheadMs: number
  /** Spread of automatic refreshes, so libraries added together do not refresh in the same second. */
  readonly jitterMs: number
}

export const DEFAULT_TIMING: EngineTiming = {
  ...DEFAULT_THRESHOLDS,
  refreshAheadMs: 24 * 3600_000,
  jitterMs: 30 * 60_000
}

/** The engine never refreshes one library on its own more often than this. */
const MIN_AUTOMATIC_INTERVAL_MS = 60_000

/**
 * The planned automatic refresh (null: none will happen on its own). `offsetMs` is a team store's per-member offset
 * (0 for the local vault): it moves each member's timer, so they do not all ask at once.
 */
export function plannedRefreshAt(meta: LibraryMeta, now: number, timing: EngineTiming, offsetMs: number): number | null {
  if (meta.lastError) {
    // Rate limits and transient failures say when to try again; the rest wait for a person.
    const retryAt = meta.lastError.retryAt
    return retryAt === undefined ? null : retryAt + offsetMs
  }
  if (meta.expiresAt === null) return now
  const { refreshAheadMs, jitterMs } = timing
  const lifetime = meta.issuedAt === null ? refreshAheadMs * 2 : meta.expiresAt - meta.issuedAt
  const lead = Math.min(refreshAheadMs, lifetime / 2)
  const planned = meta.expiresAt - lead - spread(meta.id, Math.min(jitterMs, lead / 2)) + offsetMs
  const floor = (meta.lastRefreshedAt ?? 0) + MIN_AUTOMATIC_INTERVAL_MS
  return Math.max(planned, floor)
}

/** The next time the status may change with no event: the warning window opens, a refresh becomes overdue, expiry. */
export function nextStatusBoundary(meta: LibraryMeta, now: number, timing: EngineTiming, plannedAt: number | null): number | null {
  if (meta.expiresAt === null) return null
  const overdueAt = plannedAt === null ? null : plannedAt + REFRESH_GRACE_MS
  return earliestAfter(now, earliestAfter(now, meta.expiresAt - timing.expiringSoonMs, overdueAt), meta.expiresAt)
}

/** Why nothing may be sent for this record, whoever asks; null when it may be refreshed. */
export function refusalOf(meta: LibraryMeta): Error | null {
  // Moved to another machine, or paused after a restore: nothing is sent, whoever asks (issue 17).
  if (meta.tokenState === 'moved' || meta.tokenState === 'paused') return heldRefusal(meta)
  if (meta.tokenState !== 'active') {
    return new ApiError('invalid_grant', meta.lastError?.message ?? `${meta.name} needs a new token from its owner before Larder can refresh it.`)
  }
  return null
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
