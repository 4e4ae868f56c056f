// This machine's side of making, joining and approving (issue 16): membership.ts's steps against the database, kept
// in the team file beside the vault (team-settings.ts) so that a restart, or a start with the server out of reach,
// knows which team this is, who is in it (the cached roster) and the team key of every epoch it was given.
// Nothing reaches the file before the database step it records has succeeded, and a vault already in a team (or
// asking to join one) is refused with nothing changed.
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { InputError } from '../errors.ts'
import type { Vault } from '../vault/vault-types.ts'
import { TeamCryptoError } from './crypto/encoding.ts'
import { newJoinCode } from './crypto/join-code.ts'
import { newMemberKeys, unwrapTeamKey } from './crypto/member-keys.ts'
import { teamConnectionOptions, type TeamDatabaseSettings } from './db/connection-config.ts'
import { migrate } from './db/migrate.ts'
import { schemaName } from './db/migrations.ts'
import type { TeamDb } from './db/transaction.ts'
import { completeJoin, createTeam, requestJoin, type TeamSession } from './membership.ts'
import { openRoster, sealRoster, type Roster } from './roster.ts'
import {
  openJoinCode,
  openMemberKeys,
  openTeamKey,
  readTeamFile,
  sealMembership,
  sealTeamKey,
  teamFilePath,
  writeTeamFile,
  type RosterCache,
  type TeamFile
} from './team-settings.ts'

/** Where the team's database is: its URL (and CA) and the schema its tables are in. */
export interface TeamPlace {
  readonly database: TeamDatabaseSettings
  readonly schema: string
}

export interface OpenTeamDb extends TeamDb {
  close(): Promise<void>
}

/** A pool to the team's database, its schema brought up to date (or refused when newer than this Larder knows). */
export async function connectTeamDb(place: TeamPlace, options: { readonly applicationName: string; readonly larderVersion: string }): Promise<OpenTeamDb> {
  const schema = schemaName(place.schema)
  const pool = new pg.Pool({ ...teamConnectionOptions(place.database, options.applicationName), max: 4 })
  // An idle client's error would otherwise end the process; the caller learns of a dead server from its next query.
  pool.on('error', () => undefined)
  try {
    await migrate(pool, { schema: place.schema, larderVersion: options.larderVersion })
  } catch (error) {
    await pool.end().catch(() => undefined)
    throw error
  }
  return { pool, schema, close: () => pool.end() }
}

function refuseIfMember(vault: Pick<Vault, 'path'>): void {
  const existing = readTeamFile(teamFilePath(vault.path))
  if (existing === null) return
  const what = existing.state === 'member' ? 'is in a team already' : 'is asking to join a team already'
  throw new InputError('team', `This vault ${what}. Leave it first; nothing was changed.`)
}

const rosterCache = (teamKey: Buffer, teamId: string, roster: Roster): RosterCache => ({ version: roster.version, epoch: roster.epoch, sealed: sealRoster(teamKey, teamId, roster).toString('base64') })

/** Makes a new team in the database with this vault's member as its first member. */
export async function startTeam(vault: Pick<Vault, 'path' | 'sealValue'>, db: TeamDb, place: TeamPlace, label: string): Promise<TeamSession> {
  refuseIfMember(vault)
  const keys = newMemberKeys()
  const session = await createTeam(db, { id: randomUUID(), label: memberLabel(label), keys })
  writeTeamFile(teamFilePath(vault.path), {
    teamId: session.teamId,
    memberId: session.memberId,
    label: memberLabel(label),
    state: 'member',
    schema: place.schema,
    ...(await sealMembership(vault, { database: place.database, keys, joinCode: null })),
    sealedTeamKeys: { [String(session.epoch)]: await sealTeamKey(vault, session.epoch, session.teamKey) },
    currentEpoch: session.epoch,
    roster: rosterCache(session.teamKey, session.teamId, session.roster)
  })
  return session
}

/** Asks to join the team in the database; the code returned is shown on this screen only, for a member to type. */
export async function askToJoin(vault: Pick<Vault, 'path' | 'sealValue'>, db: TeamDb, place: TeamPlace, label: string): Promise<{ readonly code: string }> {
  refuseIfMember(vault)
  const keys = newMemberKeys()
  const code = newJoinCode()
  const id = randomUUID()
  await requestJoin(db, { id, label: memberLabel(label), keys }, code)
  writeTeamFile(teamFilePath(vault.path), {
    teamId: null,
    memberId: id,
    label: memberLabel(label),
    state: 'joining',
    schema: place.schema,
    ...(await sealMembership(vault, { database: place.database, keys, joinCode: code })),
    sealedTeamKeys: {},
    currentEpoch: 0,
    roster: null
  })
  return { code }
}

function membershipOf(vault: Pick<Vault, 'path'>, state: TeamFile['state']): TeamFile {
  const team = readTeamFile(teamFilePath(vault.path))
  if (team === null || team.state !== state) throw new InputError('team', state === 'member' ? 'This vault is in no team.' : 'This vault is not asking to join a team.')
  return team
}

/** The joiner's side, once a member approved: a member from now on. Null while the request still waits. */
export async function finishJoining(vault: Pick<Vault, 'path' | 'sealValue' | 'openValue'>, db: TeamDb): Promise<TeamSession | null> {
  const team = membershipOf(vault, 'joining')
  const code = await openJoinCode(vault, team)
  if (code === null) throw new TeamCryptoError('The team file holds no join code; ask to join again.')
  const keys = await openMemberKeys(vault, team)
  const session = await completeJoin(db, { id: team.memberId, label: team.label, keys }, code)
  if (session === null) return null
  writeTeamFile(teamFilePath(vault.path), {
    ...team,
    teamId: session.teamId,
    state: 'member',
    sealedJoinCode: null,
    sealedTeamKeys: { [String(session.epoch)]: await sealTeamKey(vault, session.epoch, session.teamKey) },
    currentEpoch: session.epoch,
    roster: rosterCache(session.teamKey, session.teamId, session.roster)
  })
  return session
}

/** A member's session from the team file alone (no server needed): its current team key and cached roster. */
export async function openMembership(vault: Pick<Vault, 'path' | 'openValue'>): Promise<TeamSession> {
  const team = membershipOf(vault, 'member')
  const teamId = team.teamId as string
  const teamKey = await openTeamKey(vault, team, team.currentEpoch)
  if (teamKey === undefined || team.roster === null) throw new TeamCryptoError(`The team file holds no team key or roster for epoch ${team.currentEpoch}; leave the team and join again.`)
  const roster = openRoster(teamKey, teamId, team.roster, Buffer.from(team.roster.sealed, 'base64'))
  return { teamId, memberId: team.memberId, teamKey, epoch: team.currentEpoch, roster }
}

interface TeamRow {
  readonly id: string
  readonly current_epoch: number
  readonly roster_version: string
  readonly roster_epoch: number
  readonly roster: Buffer
  readonly ended_at: Date | null
  readonly ended_by: string | null
}

/**
 * Brings the session up to what the database holds: a newer roster, and a new epoch's team key (unwrapped with this
 * member's key, then kept sealed in the team file). A roster that no longer names this member, or an epoch with no
 * key wrapped for it, means it was removed: said as such, and nothing is changed here.
 */
export async function refreshMembership(vault: Pick<Vault, 'path' | 'sealValue' | 'openValue'>, db: TeamDb, session: TeamSession): Promise<TeamSession> {
  const team = membershipOf(vault, 'member')
  // ended_* through to_jsonb: a database not yet at schema 2 has no such columns (and no ended team).
  const { rows } = await db.pool.query<TeamRow>(
    `SELECT id, current_epoch, roster_version, roster_epoch, roster, (to_jsonb(t) ->> 'ended_at')::timestamptz AS ended_at, (to_jsonb(t) ->> 'ended_by')::uuid AS ended_by FROM ${db.schema}.team t`
  )
  const row = rows[0]
  if (row === undefined || row.id !== session.teamId) throw new TeamCryptoError('The team database holds another team than this member’s, or none.')
  if (row.ended_at !== null) {
    const here = row.ended_by === session.memberId
    throw new TeamEndedError(here ? null : (session.roster.members.find((member) => member.id === row.ended_by)?.label ?? 'Another member'), row.ended_at.getTime())
  }
  let teamKey = session.teamKey
  let sealedTeamKeys = team.sealedTeamKeys
  if (row.current_epoch !== session.epoch) {
    const known = await openTeamKey(vault, team, row.current_epoch)
    if (known !== undefined) teamKey = known
    else {
      const wraps = await db.pool.query<{ wrapped: Buffer }>(`SELECT wrapped FROM ${db.schema}.key_wraps WHERE member_id = $1 AND epoch = $2`, [session.memberId, row.current_epoch])
      const wrapped = wraps.rows[0]?.wrapped
      if (wrapped === undefined) throw new TeamRemovedError(await removedAt(db, session.memberId))
      teamKey = unwrapTeamKey(wrapped, await openMemberKeys(vault, team), { teamId: session.teamId, memberId: session.memberId, epoch: row.current_epoch })
      sealedTeamKeys = { ...sealedTeamKeys, [String(row.current_epoch)]: await sealTeamKey(vault, row.current_epoch, teamKey) }
    }
  }
  const roster = openRoster(teamKey, session.teamId, { version: Number(row.roster_version), epoch: row.roster_epoch }, row.roster)
  if (roster.version < session.roster.version) throw new TeamCryptoError(`The team database holds an older roster (version ${roster.version}) than this member has seen (${session.roster.version}): nothing from it is used.`)
  if (!roster.members.some((member) => member.id === session.memberId)) throw new TeamRemovedError(await removedAt(db, session.memberId))
  writeTeamFile(teamFilePath(vault.path), { ...team, sealedTeamKeys, currentEpoch: row.current_epoch, roster: { version: roster.version, epoch: roster.epoch, sealed: row.roster.toString('base64') } })
  return { teamId: session.teamId, memberId: session.memberId, teamKey, epoch: row.current_epoch, roster }
}

/** When the database says this member was removed (ms); null when it does not say. */
async function removedAt(db: TeamDb, memberId: string): Promise<number | null> {
  const { rows } = await db.pool.query<{ removed_at: Date | null }>(`SELECT removed_at FROM ${db.schema}.members WHERE id = $1`, [memberId])
  return rows[0]?.removed_at?.getTime() ?? null
}

/** This member is no longer in the team's roster, or holds no key for its current epoch. */
export class TeamRemovedError extends Error {
  override readonly name: string = 'TeamRemovedError'
  /** When another member removed it, as the database says (ms); null when it does not say. */
  readonly removedAt: number | null
  constructor(removedAt: number | null = null) {
    const when = removedAt === null ? '' : ` on ${new Date(removedAt).toISOString()}`
    super(`This machine was removed from the team${when}: the team key of the current epoch was not given to it. It no longer refreshes or changes the team's credentials; nothing was changed here.`)
    this.removedAt = removedAt
  }
}

/** A member took the team's credentials home (team-exit.ts): the team is over for every machine. */
export class TeamEndedError extends TeamRemovedError {
  override readonly name: string = 'TeamEndedError'
  /** This machine took them home (and stopped before it forgot the team): its copies are the team's credentials now. */
  readonly byThisMachine: boolean
  /** `by`: the member who took them home; null for this machine. */
  constructor(by: string | null, endedAt: number) {
    super(endedAt)
    const when = new Date(endedAt).toISOString()
    this.byThisMachine = by === null
    this.message =
      by === null
        ? `This machine took the team's credentials home on ${when} and the team ended: they are in this vault.`
        : `${by} took the team's credentials home to their own vault on ${when} and the team ended: this machine's copies were dropped and it refreshes nothing more.`
  }
}

const MAX_LABEL = 80

/** How a member is named to the others: 1 to 80 characters, no control characters. */
export function memberLabel(label: string): string {
  const trimmed = label.trim()
  if (trimmed === '' || trimmed.length > MAX_LABEL || /[\u0000-\u001f\u007f]/.test(trimmed)) throw new InputError('label', `A member's name is 1 to ${MAX_LABEL} characters, without control characters (e.g. "Dana, office laptop").`)
  return trimmed
}
