// Leaving a team, and ending one by taking its credentials home (issue 16: "how to go back to a local vault"), the
// database's side of each. Both wait until no refresh of any family is in flight anywhere (no live lease, no refresh
// token out without its answer written), checked under row locks in the one transaction that makes the change, so
// no member can start one meanwhile: a member asking for a lease waits on the lock and then finds the row gone.
// - Leaving: the roster without this member (sealed under the current key by the member leaving, the only one who can
//   write it now), its key wraps deleted, marked removed. The others' tokens stay valid: the copies this machine held
//   are deleted by the caller. Refused for the last member, whose leaving would lose every credential.
// - Taking home: every row opened and taken into this member's local vault (durably) while locked, then every row a
//   tombstone and the team marked ended, so each other member drops its copies and sends nothing more.
import { InputError } from '../errors.ts'
import type { Vault } from '../vault/vault-types.ts'
import { pooledTransaction, type TeamDb } from './db/transaction.ts'
import type { TeamSession } from './membership.ts'
import type { TeamRowColumns } from './removal.ts'
import { openRoster, sealRoster, withoutMember } from './roster.ts'
import { COLUMNS, opened, teamChannel, type RowColumns, type RowRead } from './row-writes.ts'
import type { RowIndex } from './row-index.ts'
import { readTeamFile, removeTeamFile, teamFilePath, writeTeamFile } from './team-settings.ts'

/** How long a leave or a take-home waits for refreshes in flight to finish before it is refused, naming them. */
export const QUIET_WAIT_MS = 45_000
const QUIET_POLL_MS = 500

interface LockedRow extends RowColumns {
  readonly leased: boolean
  readonly lease_holder: string | null
  readonly awaiting_by: string | null
}

interface LockedTeam extends Omit<TeamRowColumns, 'rekey'> {
  readonly unfinished_rekey: boolean
  readonly ended: boolean
}

/** Refreshes are in flight: the change waits (and is refused, naming them, when they do not end in time). */
class RefreshesInFlight extends Error {
  readonly rows: readonly { readonly id: string; readonly by: string | null }[]
  constructor(rows: readonly { readonly id: string; readonly by: string | null }[]) {
    super('refreshes in flight')
    this.rows = rows
  }
}

export interface ExitNames {
  /** A credential's name as this machine knows it. */
  credential(id: string): string
  member(id: string | null): string
}

async function lockTeam(client: Parameters<Parameters<typeof pooledTransaction>[1]>[0], db: TeamDb, session: TeamSession): Promise<LockedTeam> {
  const { rows } = await client.query<LockedTeam>(
    `SELECT id, current_epoch, roster_version, roster_epoch, roster, (rekey IS NOT NULL AND rekey ->> 'finishedAt' IS NULL) AS unfinished_rekey,
       (to_jsonb(t) ->> 'ended_at') IS NOT NULL AS ended FROM ${db.schema}.team t FOR UPDATE`
  )
  const team = rows[0]
  if (team === undefined || team.id !== session.teamId) throw new InputError('team', 'The team database holds another team than this machine’s, or none; nothing was changed.')
  if (team.ended) throw new InputError('team', 'The team has ended already: its credentials were taken home by a member. Make this vault local.')
  if (team.current_epoch !== session.epoch) throw new InputError('team', 'The team moved to a new team key since this machine last looked; try again in a moment.')
  return team
}

/** Every live row, locked; refused (to be tried again) while any holds a live lease or a refresh token out. */
async function lockRows(client: Parameters<Parameters<typeof pooledTransaction>[1]>[0], db: TeamDb): Promise<LockedRow[]> {
  const { rows } = await client.query<LockedRow>(
    `SELECT ${COLUMNS}, lease_holder, COALESCE(lease_until > clock_timestamp(), false) AS leased, awaiting_by
       FROM ${db.schema}.credentials WHERE NOT deleted ORDER BY id FOR UPDATE`
  )
  const busy = rows.filter((row) => row.leased || row.awaiting_by !== null).map((row) => ({ id: row.id, by: row.awaiting_by ?? row.lease_holder }))
  if (busy.length > 0) throw new RefreshesInFlight(busy)
  return rows
}

/** Runs `step` until no refresh is in flight, up to QUIET_WAIT_MS; then refuses, naming what is still being refreshed. */
async function whenQuiet<T>(what: string, names: ExitNames, step: () => Promise<T>, waitMs = QUIET_WAIT_MS): Promise<T> {
  const deadline = Date.now() + waitMs
  for (;;) {
    try {
      return await step()
    } catch (error) {
      if (!(error instanceof RefreshesInFlight)) throw error
      if (Date.now() >= deadline) {
        const shown = error.rows.slice(0, 3).map((row) => `${names.credential(row.id)} (${names.member(row.by)})`)
        const more = error.rows.length > 3 ? ` and ${error.rows.length - 3} more` : ''
        throw new InputError('team', `${what} waits until no credential is being refreshed, and ${shown.join(', ')}${more} still ${error.rows.length === 1 ? 'is' : 'are'} after ${Math.round(waitMs / 1000)} s (a refresh answer not yet written waits for its member's Larder to come back, at most 15 minutes). Nothing was changed; try again later.`)
      }
      await new Promise((resolve) => setTimeout(resolve, QUIET_POLL_MS))
    }
  }
}

/** The database side of this member leaving the team; the caller deletes its copies and the team file after. */
export async function leaveInDb(db: TeamDb, session: TeamSession, names: ExitNames, waitMs?: number): Promise<void> {
  await whenQuiet('Leaving the team', names, () =>
    pooledTransaction(db, async (client) => {
      const team = await lockTeam(client, db, session)
      const roster = openRoster(session.teamKey, session.teamId, { version: Number(team.roster_version), epoch: team.roster_epoch }, team.roster)
      const others = roster.members.filter((member) => member.id !== session.memberId)
      if (others.length === 0) throw new InputError('team', 'This machine is the team’s last member: leaving would lose every credential the team holds. Take the credentials home instead (the team ends and they stay in this vault).')
      await lockRows(client, db)
      const next = withoutMember(roster, session.memberId, { version: roster.version + 1, epoch: roster.epoch, lastEpoch: roster.epoch })
      await client.query(`UPDATE ${db.schema}.team SET roster_version = $1, roster = $2 WHERE id = $3`, [next.version, sealRoster(session.teamKey, session.teamId, next), session.teamId])
      await client.query(`UPDATE ${db.schema}.members SET removed_at = clock_timestamp() WHERE id = $1`, [session.memberId])
      await client.query(`DELETE FROM ${db.schema}.key_wraps WHERE member_id = $1`, [session.memberId])
      // The others read the roster again (removal-watch.ts follows a {rekey} notice) and stop counting this member.
      await client.query(`SELECT pg_notify($1, $2)`, [teamChannel(session.teamId), JSON.stringify({ rekey: session.epoch })])
    }), waitMs)
}

/**
 * The database side of taking the team's credentials home: every live row opened and handed to `keep` (which makes
 * it durable in this machine's vault) while locked, then every row a tombstone and the team ended. Resolves with the
 * number of credentials taken; a row that does not open here refuses the whole step, naming it, with nothing changed.
 */
export async function takeHomeInDb(db: TeamDb, session: TeamSession, names: ExitNames, keep: (rows: readonly RowRead[]) => Promise<void>, waitMs?: number): Promise<number> {
  return whenQuiet('Taking the credentials home', names, () =>
    pooledTransaction(db, async (client) => {
      const team = await lockTeam(client, db, session)
      if (team.unfinished_rekey) throw new InputError('team', 'A removal is still sealing the team’s credentials again; take them home once it is done.')
      const rows = (await lockRows(client, db)).map((row) => opened(session, row))
      const unreadable = rows.find((row) => row.record === null)
      if (unreadable !== undefined) throw new InputError('team', `${names.credential(unreadable.id)} in the team database does not open here (${unreadable.refusal ?? 'unreadable'}); nothing was changed.`)
      await keep(rows)
      await client.query(
        `UPDATE ${db.schema}.credentials SET deleted = true, sealed = '\\x'::bytea, version = version + 1, changed_at = clock_timestamp(),
           lease_holder = NULL, lease_until = NULL, next_refresh_at = NULL WHERE NOT deleted`
      )
      await client.query(`UPDATE ${db.schema}.team SET ended_at = clock_timestamp(), ended_by = $1 WHERE id = $2`, [session.memberId, session.teamId])
      // Each member reads its membership again, finds the team ended, and drops its copies.
      await client.query(`SELECT pg_notify($1, $2)`, [teamChannel(session.teamId), JSON.stringify({ rekey: session.epoch })])
      return rows.length
    }), waitMs)
}

/** Deletes this vault's copies of the team's credentials (a member leaving, or out of a team that went on without it). */
export async function dropTeamCopies(local: Vault, index: RowIndex): Promise<number> {
  let dropped = 0
  for (const id of index.liveIds()) {
    if (local.get(id) === undefined && local.entry(id) === undefined) continue
    await local.remove(id)
    dropped += 1
  }
  return dropped
}

/** Marks (or clears) a take-home under way in the team file: its copies here are then never dropped by a tombstone. */
export function markTakingHome(vaultPath: string, since: number | null): void {
  const file = teamFilePath(vaultPath)
  const team = readTeamFile(file)
  if (team === null) return
  const { takingHomeSince: _was, ...rest } = team
  writeTeamFile(file, since === null ? rest : { ...rest, takingHomeSince: since })
}

/** The vault is local from now on: the team file and the row index go. */
export function forgetTeam(vaultPath: string, index: RowIndex): void {
  index.forget()
  removeTeamFile(teamFilePath(vaultPath))
}
