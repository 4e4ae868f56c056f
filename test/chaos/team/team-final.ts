// The end of the team chaos run: one more attempt at every family from a random member (so a family whose rotation
// was committed and never answered is presented once and must be marked), then each family judged against the ledger
// on every member: a living family held at the server's newest pair everywhere and active; a dead one marked needs
// re-authorization everywhere, after at most one presentation of its dead token across the whole team.
import { ApiError } from '../../../src/main/core/errors.ts'
import type { TeamLedger } from './team-ledger.ts'
import type { TeamWorld } from './team-world.ts'

export interface FamilyVerdicts {
  /** Refresh tokens lost: a living family not at its newest pair (or not active) on some member, or a stale token sent. */
  readonly lost: number
  /** Living families some member did not hold at the newest pair at the end (its cache behind the team's). */
  readonly familiesBehind: number
  /** Families whose committed rotation was never answered (the accepted loss). */
  readonly committedUnanswered: number
  /** Of those, marked needs re-authorization on every member. */
  readonly marked: number
  /** The most presentations of one dead family's token before (and including) the one that marked it. */
  readonly mostAttemptsBeforeMark: number
  /** Dead families judged more than once before they were marked, said in words. */
  readonly repeatedVerdicts: readonly string[]
  readonly problems: readonly string[]
}

/** Refusals that are the team's (no turn, offline): the family is tried again, they are not its verdict. */
const TEAM_KINDS = new Set(['team_offline', 'timeout'])

export async function finalRound(world: TeamWorld, ids: readonly string[], rng: () => number): Promise<void> {
  let todo = [...ids]
  for (let round = 0; round < 6 && todo.length > 0; round++) {
    const again: string[] = []
    await Promise.all(
      todo.map(async (id) => {
        const live = world.liveOnes()
        const inc = live[Math.floor(rng() * live.length)]
        if (inc === undefined) return again.push(id)
        try {
          await inc.engine.refresh(id, 'manual')
        } catch (error) {
          // A family's own verdict (invalid_grant for a dead one) ends its round; the team's refusals try again.
          if (!(error instanceof ApiError) || TEAM_KINDS.has(error.kind)) again.push(id)
        }
        return undefined
      })
    )
    todo = again
    if (todo.length > 0) await new Promise((resolve) => setTimeout(resolve, 3_000))
  }
}

export async function judgeFamilies(world: TeamWorld, ledger: TeamLedger, ids: readonly string[]): Promise<FamilyVerdicts> {
  const problems: string[] = []
  const repeated: string[] = []
  let lost = 0
  let membersBehind = 0
  let marked = 0
  let mostAttempts = 0
  for (const id of ids) {
    const family = ledger.of(id)
    if (family.stalePresentations > 0) lost++
    const held = await Promise.all(
      world.liveOnes().map(async (inc) => ({
        member: inc.index,
        state: inc.vault.get(id)?.tokenState,
        position: ledger.position(id, (await inc.vault.secrets(id, ['refreshToken'])).refreshToken)
      }))
    )
    if (family.dead !== null) {
      mostAttempts = Math.max(mostAttempts, family.dead.presentedSince)
      const unmarked = held.filter((h) => h.state !== 'needs_reauth')
      if (unmarked.length === 0) marked++
      else problems.push(`${family.name}: its rotation was committed and never answered (${family.dead.cause}), yet member(s) ${unmarked.map((h) => `${h.member} (${h.state ?? '?'})`).join(', ')} do not say it needs re-authorization`)
      if (family.dead.presentedSince > 1) repeated.push(`${family.name}: its dead refresh token was judged ${family.dead.presentedSince} times (${family.dead.verdicts.join('; ')}) before it was marked`)
      continue
    }
    const newest = family.chain.length - 1
    const behind = held.filter((h) => h.state !== 'active' || h.position !== newest)
    const says = behind.map((h) => `${h.member} (${h.state ?? '?'}, pair ${h.position} of ${newest})`).join(', ')
    // Lost: no member holds the server's newest pair. Behind: some do, and a member's cache did not catch up.
    if (behind.length === held.length && family.stalePresentations === 0) {
      lost++
      problems.push(`${family.name}: lost — member(s) ${says}`)
    } else if (behind.length > 0) {
      membersBehind++
      problems.push(`${family.name}: the newest pair did not reach member(s) ${says}`)
    }
  }
  return { lost, familiesBehind: membersBehind, committedUnanswered: ledger.dead().length, marked, mostAttemptsBeforeMark: mostAttempts, repeatedVerdicts: repeated, problems }
}
