// A team vault's way back to a local vault (issue 16): leaving the team, or ending it by taking its credentials home
// (the database's side of each in team-exit.ts). Both first read the membership again (the roster names members in
// messages; a machine already out learns so), and run with no refresh turn given from this machine.
import { InputError } from '../errors.ts'
import type { Vault } from '../vault/vault-types.ts'
import type { TeamDb } from './db/transaction.ts'
import type { TeamSession } from './membership.ts'
import { rosterMember } from './roster.ts'
import type { RowIndex } from './row-index.ts'
import type { RowRead } from './row-writes.ts'
import type { TeamSyncState } from './sync.ts'
import { adoptRow } from './team-adopt.ts'
import { dropTeamCopies, forgetTeam, leaveInDb, markTakingHome, takeHomeInDb, type ExitNames } from './team-exit.ts'

export interface TeamVaultExitHost {
  readonly local: Vault
  readonly index: RowIndex
  readonly db: TeamDb
  session(): TeamSession
  /** Out of the team already (removed, left, ended): why; null while in it. */
  out(): TeamSyncState | null
  online(): boolean
  /** Refuses, naming `what`, while offline from the team. */
  requireOnline(what: string): void
  checkMembership(): Promise<void>
  /** Runs `step` with no refresh turn given from here (answers held here written first, writes under way done). */
  quiet<T>(step: () => Promise<T>): Promise<T>
  /** This machine is out of the team from now on, for this reason. */
  leftTeam(why: string): void
  /** A take-home under way or made here: a tombstone never drops these copies, the team's last. */
  readonly takingHome: { now(): boolean; set(on: boolean): void }
}

export class TeamVaultExit {
  readonly #host: TeamVaultExitHost

  constructor(host: TeamVaultExitHost) {
    this.#host = host
  }

  /**
   * This machine leaves the team: the roster without it, then its copies of the team's credentials deleted here and
   * the team file gone. Out of the team already, only the second step; the copies of a team this machine ended
   * itself are the team's credentials now, and stay.
   */
  async leave(): Promise<void> {
    const host = this.#host
    if (host.out() === null && host.online()) await host.checkMembership()
    if (host.out() === null) {
      host.requireOnline('Leaving the team')
      await host.quiet(() => leaveInDb(host.db, host.session(), this.#names()))
      host.leftTeam('This machine left the team.')
    }
    if (!host.takingHome.now()) await dropTeamCopies(host.local, host.index)
    await host.local.flush()
    forgetTeam(host.local.path, host.index)
  }

  /**
   * Ends the team and takes its credentials home: each row taken into this vault with its newest pair, then marked
   * moved for every member (they drop their copies), then the team file gone. `db` is a connection whose schema is
   * up to date (team-membership.ts connectTeamDb). Resolves with the number of credentials taken.
   */
  async takeHome(db: TeamDb): Promise<number> {
    const host = this.#host
    if (host.out() === null && host.online()) await host.checkMembership()
    const out = host.out()
    if (out !== null) throw new InputError('team', `This machine is no longer in the team (${out.state === 'offline' ? out.why : 'out'}); nothing was taken.`)
    host.requireOnline('Taking the credentials home')
    const keep = async (rows: readonly RowRead[]): Promise<void> => {
      for (const row of rows) {
        const adopted = await adoptRow(host.local, host.index, row)
        if ('refusal' in adopted) throw new InputError('team', `${adopted.refusal.message} Nothing was taken home.`)
      }
      await host.local.flush()
    }
    const taken = await host.quiet(async () => {
      // From before the rows are marked moved until the team file goes: a restart keeps these copies.
      markTakingHome(host.local.path, Date.now())
      host.takingHome.set(true)
      try {
        return await takeHomeInDb(db, host.session(), this.#names(), keep)
      } catch (error) {
        markTakingHome(host.local.path, null)
        host.takingHome.set(false)
        throw error
      }
    })
    host.leftTeam('This machine took the team’s credentials home and the team ended.')
    forgetTeam(host.local.path, host.index)
    return taken
  }

  #names(): ExitNames {
    const { local } = this.#host
    const session = this.#host.session()
    return {
      credential: (id) => local.get(id)?.name ?? local.entry(id)?.name ?? `the team credential ${id}`,
      member: (id) => (id === null ? 'another member' : id === session.memberId ? 'this machine' : (rosterMember(session.roster, id)?.label ?? 'another member'))
    }
  }
}
