// A shared (team) store's say in a refresh (issue 16): whether this machine may send a family's refresh token now.
// The local vault has no such port and none of this runs for it. What the engine does with each answer:
// - 'mine': the attempt runs as always, calling `sending()` right before the request and `release()` at its end;
// - 'elsewhere': nothing is sent; the attempt waits for the other member's pair and hands it out;
// - 'offline': nothing is sent and nothing is written (the store cannot take a write); a copy may still hand out the
//   access token saved here while it is valid.
// In none of the three does a refusal become the library's recorded failure: the family did not fail, this machine
// just had no turn.
import { ApiError } from '../errors.ts'
import type { LibraryMeta } from '../model.ts'
import type { Clock, TimerHandle } from '../time/clock.ts'
import type { EngineVault, RefreshTurn } from './ports.ts'

/** After a lost turn (or another member's unfinished one) the timer looks again this much later. */
export const TEAM_RETRY_MS = 5_000

export type MyTurn = Extract<RefreshTurn, { kind: 'mine' }>

/**
 * A refresh this machine did not make because of the team store: nothing was sent and nothing was recorded on the
 * library. A copy may still hand out the access token saved here while it is valid.
 */
export class TeamTurnError extends ApiError {
  /** When this machine lost the team store, for a refusal because it is offline. */
  readonly offlineSince: number | undefined

  constructor(kind: 'team_offline' | 'timeout', message: string, details: { retryAt?: number; offlineSince?: number; cause?: unknown } = {}) {
    const { offlineSince, ...rest } = details
    super(kind, message, rest)
    this.offlineSince = offlineSince
  }
}

/** Asks the store for the turn; null when the vault has no say (the local vault). */
export function askTurn(vault: EngineVault, id: string): Promise<RefreshTurn> | null {
  return vault.refreshTurn ? vault.refreshTurn(id) : null
}

/** The store's offset for this family's timer: a finite number of milliseconds ≥ 0, else none. */
export function refreshOffsetOf(vault: EngineVault, id: string): number {
  const offset = vault.refreshOffset?.(id) ?? 0
  return Number.isFinite(offset) && offset > 0 ? offset : 0
}

/** The longest this machine waits for another member's pair, whatever the store's own timeout says. */
export const OTHER_TURN_WAIT_CAP_MS = 60_000

/** Waits for another member's turn to end (its `settled`, or the cap): never fails, the caller looks at the record. */
export async function otherTurnEnded(settled: Promise<void>, clock: Clock): Promise<void> {
  let timer: TimerHandle | null = null
  const cap = new Promise<void>((resolve) => (timer = clock.setTimeout(resolve, OTHER_TURN_WAIT_CAP_MS)))
  try {
    await Promise.race([settled.catch(() => undefined), cap])
  } finally {
    if (timer) clock.clearTimeout(timer)
  }
}

/** The refresh token is about to go out: if the turn was lost meanwhile, nothing is sent. */
export async function sendingOrLost(turn: MyTurn, meta: LibraryMeta, now: () => number): Promise<void> {
  try {
    await turn.sending()
  } catch (cause) {
    throw new TeamTurnError(
      'timeout',
      `This machine's turn to refresh ${meta.name} for the team ran out before its refresh token was sent, so nothing was sent. Larder will try again in a few seconds.`,
      { retryAt: now() + TEAM_RETRY_MS, cause }
    )
  }
}

/** Gives the turn back; a failure to do so is the store's to clean up (its lease runs out on its own). */
export async function release(turn: MyTurn | null): Promise<void> {
  if (turn) await turn.release().catch(() => undefined)
}

/** No retry time: the family waits until the engine hears the store is back (`reevaluate`). */
export function teamOfflineError(meta: LibraryMeta, since: number): TeamTurnError {
  return new TeamTurnError(
    'team_offline',
    `This machine is offline from the team since ${clockTime(since)}: Larder cannot refresh ${meta.name} until it reaches the team database again, and sends nothing for it meanwhile.`,
    { offlineSince: since }
  )
}

/** The store could not even say whose turn it is: nothing is sent, and the timer looks again soon. */
export function turnUnknown(meta: LibraryMeta, now: number, cause: unknown): TeamTurnError {
  return new TeamTurnError(
    'team_offline',
    `Larder could not ask the team database whether to refresh ${meta.name}, so it sent nothing. It will try again in a few seconds.`,
    { retryAt: now + TEAM_RETRY_MS, cause }
  )
}

/** A copy while offline found no valid access token saved here. */
export function expiredWhileOffline(meta: LibraryMeta, since: number): TeamTurnError {
  const expired = meta.expiresAt === null ? 'has no known expiry' : `expired at ${clockTime(meta.expiresAt)}`
  return new TeamTurnError(
    'team_offline',
    `This machine is offline from the team since ${clockTime(since)}, and the access token of ${meta.name} saved here ${expired}. Larder can hand it out again once it reaches the team database and the token is refreshed.`,
    { offlineSince: since }
  )
}

/** Another member held the turn and no newer pair arrived while this machine waited. */
export function notFinishedElsewhere(meta: LibraryMeta, turn: { readonly by: string }, now: number): TeamTurnError {
  return new TeamTurnError(
    'timeout',
    `${turn.by} is refreshing ${meta.name} for the team and has not finished yet; this machine sent nothing. Larder will look again in a few seconds.`,
    { retryAt: now + TEAM_RETRY_MS }
  )
}

/** The failure another member's turn left on the record (adopted by the store), as its caller here hears it. */
export function otherMembersFailure(before: LibraryMeta, current: LibraryMeta): ApiError | null {
  const failure = current.lastError
  if (!failure || failure.at === before.lastError?.at) return null
  return new ApiError(failure.kind, failure.message, failure.retryAt === undefined ? {} : { retryAt: failure.retryAt })
}

/** The family has a pair this machine did not have when it asked for the turn. */
export function newerPair(before: LibraryMeta, now: LibraryMeta): boolean {
  return now.expiresAt !== before.expiresAt || now.issuedAt !== before.issuedAt || now.lastRefreshedAt !== before.lastRefreshedAt
}

/** The access token saved here can still be used (a copy while the team says no). */
export function stillValid(meta: LibraryMeta | undefined, now: number): meta is LibraryMeta {
  return meta !== undefined && meta.tokenState === 'active' && meta.expiresAt !== null && meta.expiresAt > now
}

/** `2026-12-07 10:42 UTC`: enough to tell when, without a locale in the core. */
function clockTime(at: number): string {
  const iso = new Date(at).toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
}
