// Turning an error from a refresh into what the library record says and what Larder does next.
import { ApiError, InputError } from '../errors.ts'
import type { LibraryFailure, LibraryMeta } from '../model.ts'

export interface BackoffPolicy {
  readonly baseMs: number
  readonly maxMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, maxMs: 30 * 60_000 }

const TRANSIENT = new Set(['network', 'timeout', 'server_error', 'malformed_response', 'storage'])

export interface FailureOutcome {
  readonly failure: LibraryFailure
  /** True when only the library's owner can fix it: Larder stops refreshing. */
  readonly needsReauth: boolean
}

/** `attempt` counts consecutive transient failures (0 for the first). `random` is in [0, 1). */
export function classifyFailure(
  error: unknown,
  meta: LibraryMeta,
  now: number,
  attempt: number,
  random: number,
  backoff: BackoffPolicy = DEFAULT_BACKOFF
): FailureOutcome {
  const wasUnanswered = meta.lastError?.unanswered === true
  if (!(error instanceof ApiError)) {
    const message = `Larder could not complete the refresh of ${meta.name}: ${error instanceof Error ? error.message : String(error)}`
    return { failure: { kind: 'storage', message, at: now, retryAt: now + backoffDelay(attempt, random, backoff) }, needsReauth: false }
  }
  if (error.kind === 'invalid_grant') {
    const message = wasUnanswered
      ? `The refresh token of ${meta.name} was used, but Apicbase's answer never arrived, so its replacement was lost. Ask the owner of ${meta.name} for a new token.`
      : `Apicbase no longer accepts the refresh token of ${meta.name}: it was already used or has been revoked. Ask the owner of ${meta.name} for a new token.`
    return { failure: { kind: 'invalid_grant', message, at: now }, needsReauth: true }
  }
  if (error.kind === 'rate_limited') {
    const retryAt = Math.max(error.retryAt ?? now + 60_000, now + 1_000)
    return { failure: { kind: 'rate_limited', message: error.message, at: now, retryAt, ...sticky(wasUnanswered), ...answered(error) }, needsReauth: false }
  }
  if (TRANSIENT.has(error.kind)) {
    const retryAt = now + backoffDelay(attempt, random, backoff)
    const unanswered = wasUnanswered || error.maybeCommitted
    return { failure: { kind: error.kind, message: error.message, at: now, retryAt, ...sticky(unanswered), ...answered(error) }, needsReauth: false }
  }
  // invalid_client, forbidden, unauthorized, invalid_request: retrying cannot help until a person acts.
  return { failure: { kind: error.kind, message: error.message, at: now, ...sticky(wasUnanswered), ...answered(error) }, needsReauth: false }
}

/** The status Apicbase answered with, so the dashboard can say it answered (a 502 is not "could not reach"). */
function answered(error: ApiError): { status?: number } {
  return error.status === null ? {} : { status: error.status }
}

/** Exponential backoff with "equal jitter": half fixed, half random, capped. */
function backoffDelay(attempt: number, random: number, backoff: BackoffPolicy = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(attempt, 20))
  return Math.round(ceiling / 2 + (ceiling / 2) * random)
}

function sticky(unanswered: boolean): { unanswered?: true } {
  return unanswered ? { unanswered: true } : {}
}

export function spentTokenFailure(meta: LibraryMeta, now: number): LibraryFailure {
  return {
    kind: 'invalid_grant',
    message: `${meta.name} holds a refresh token that Apicbase already consumed: Larder stopped after receiving its replacement but before saving it, or the vault was restored from an older copy. Larder did not send it. Ask the owner of ${meta.name} for a new token.`,
    at: now
  }
}

/** Why a moved or paused library is not refreshed: its hold's words and what a person can do (issue 17). */
export function heldRefusal(meta: LibraryMeta): InputError {
  if (meta.tokenState === 'moved') {
    const said = meta.hold?.message ?? `${meta.name} was moved to another machine; Larder on this machine no longer refreshes it.`
    return new InputError('libraryId', `${said} Take it back here only if the other machine no longer holds it.`)
  }
  // A pause's own words already say what to do ("Refresh it now: no other machine holds it").
  return new InputError('libraryId', meta.hold?.message ?? `${meta.name} is paused: Larder sends nothing for it until you choose "Refresh it now: no other machine holds it".`)
}
