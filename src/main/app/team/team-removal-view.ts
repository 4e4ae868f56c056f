// A removal under way, as the window shows it (issue 16): how far sealing again and refreshing have come, and what
// that means for the removed member's copies, in words (plan §3). Ids and counts only; no secret.
import type { TeamRemovalView } from '../../../shared/contract/team.ts'
import type { RefreshAllProgress } from '../../core/team/removal-refresh.ts'
import type { RekeyProgress, RemovalStarted } from '../../core/team/removal.ts'

/**
 * Who a removal took out, or null where the team's roster does not say: one written before former members were kept,
 * read by the member that goes on with a removal another started.
 */
export type RemovedMember = RemovalStarted['removed'] | null

/** What the team actions keep of a removal they made (or go on with). */
export interface RemovalRun {
  readonly started: Omit<RemovalStarted, 'removed'> & { readonly removed: RemovedMember }
  reseal: RekeyProgress
  refresh: (RefreshAllProgress & { readonly finished: boolean }) | null
  /** Whether this Larder refreshes the team's credentials itself after the re-sealing (its vault open in the team). */
  readonly refreshesHere: boolean
  /** Why it stopped, when it did (it goes on at the next member that opens). */
  failed?: string
}

/** The removed member inside a sentence: by name, or as "a member" where the roster does not say who. */
export function removedLabel(removed: RemovedMember): string {
  return removed?.label ?? 'a member'
}

export function removalView(run: RemovalRun): TeamRemovalView {
  const { removed } = run.started
  const who = removed?.label ?? 'the removed member'
  const { reseal, refresh } = run
  const after = `Client secrets ${who} saw stay valid: ask a library's owner to regenerate its application secret if that matters, and change the database password ${who} knew.`
  let now: string
  if (run.failed !== undefined) now = `Larder stopped on the way (${run.failed}); it goes on when a member's Larder opens the team again.`
  else if (reseal.finishedAt === null) now = `Larder is sealing the team's credentials under a new team key: ${reseal.resealed} of ${reseal.total} done.`
  else if (refresh === null) now = run.refreshesHere ? 'Larder is about to refresh every team credential.' : `Refresh every team credential from a member's Larder so that ${who}'s copies stop working at Apicbase.`
  else if (!refresh.finished) now = `Larder is refreshing all ${refresh.total} team credentials so the copies ${who}'s Larder holds stop working at Apicbase: ${refresh.refreshed} of ${refresh.total} done. Until a credential is refreshed, ${who}'s copy of it still works.`
  else if (refresh.left.length === 0) now = `Every team credential was refreshed: the copies ${who}'s Larder holds no longer work at Apicbase.`
  else now = `${refresh.refreshed} of ${refresh.total} team credentials were refreshed; ${refresh.left.length} could not be (listed), and ${who}'s copies of those may still work until they are.`
  return {
    removed: removed === null ? null : { id: removed.id, name: removed.label },
    startedAt: run.started.progress.startedAt,
    resealed: { done: reseal.resealed, total: reseal.total, finished: reseal.finishedAt !== null },
    refreshed: refresh === null ? null : { done: refresh.refreshed, total: refresh.total, finished: refresh.finished, left: refresh.left },
    message: `${removed === null ? 'A member' : who} was removed from the team. ${now} ${after}`
  }
}
