// Making a team and joining one (issue 16), against the team database, headless. The database is trusted with
// nothing: it stores public keys, wraps and sealed blobs, and each step checks what it reads.
// - Create: a new team key, a roster naming the creator, the key wrapped for the creator.
// - Request: the new member's Larder shows a code on its own screen and stores its public keys and label with a MAC
//   keyed by that code, so the database cannot put its own keys in the request.
// - Approve: a member types the code; its Larder finds the request whose MAC checks, adds the member to the roster
//   (sealed under the team key), wraps the team key for the member's key and proves, with a MAC keyed by the code,
//   that this wrap comes from someone who was shown the code, so the database cannot hand the joiner a team of its own.
// - Complete: the joiner checks that MAC, unwraps the team key and finds itself in the roster.
// Five wrong codes void every pending request; a request lives ten minutes (the server's clock).
import { randomUUID } from 'node:crypto'
import { InputError } from '../errors.ts'
import { TeamCryptoError } from './crypto/encoding.ts'
import { joinKey, joinMac, joinMacMatches, parseJoinCode } from './crypto/join-code.ts'
import { unwrapTeamKey, wrapTeamKey, type MemberKeys } from './crypto/member-keys.ts'
import { newTeamKey, openRow, sealRow } from './crypto/row-seal.ts'
import { teamChannel } from './row-writes.ts'
import { pooledTransaction, type TeamDb } from './db/transaction.ts'
import { openRoster, rosterMember, sealRoster, type Roster } from './roster.ts'

/** What a member holds once in: enough to read and write the team's rows. */
export interface TeamSession {
  readonly teamId: string
  readonly memberId: string
  readonly teamKey: Buffer
  readonly epoch: number
  readonly roster: Roster
}

export interface NewMember {
  readonly id: string
  readonly label: string
  readonly keys: MemberKeys
}

const JOIN_MINUTES = 10
const MAX_WRONG_CODES = 5
/** Requests an approver's code is tried against (the newest). */
const MAX_PENDING = 5

/** The database already holds a team: one team per database schema. */
export class TeamExistsError extends Error {
  override readonly name = 'TeamExistsError'
}

const labelBinding = (requestId: string) => ({ teamId: 'join', rowId: requestId, kind: 'join-label', epoch: 0, pairVersion: 0 })
const requestParts = (id: string, keys: { wrapping: Buffer; signing: Buffer }, label: Buffer) => ['join', id, keys.wrapping, keys.signing, label]
const approvalParts = (id: string, teamId: string, epoch: number, wrap: Buffer) => ['approve', id, teamId, epoch, wrap]

export async function createTeam(db: TeamDb, creator: NewMember): Promise<TeamSession> {
  const teamId = randomUUID()
  const teamKey = newTeamKey()
  const roster: Roster = { version: 1, epoch: 1, members: [{ id: creator.id, label: creator.label, wrappingKey: creator.keys.wrapping.publicKey, signingKey: creator.keys.signing.publicKey, addedBy: null, addedAt: Date.now() }] }
  await pooledTransaction(db, async (client) => {
    await client.query(`LOCK TABLE ${db.schema}.team IN EXCLUSIVE MODE`)
    const existing = await client.query(`SELECT 1 FROM ${db.schema}.team`)
    if ((existing.rowCount ?? 0) > 0) throw new TeamExistsError('This team database already holds a team: join it instead, or use another database or schema.')
    await client.query(`INSERT INTO ${db.schema}.team (id, current_epoch, roster_version, roster_epoch, roster) VALUES ($1, 1, 1, 1, $2)`, [teamId, sealRoster(teamKey, teamId, roster)])
    await client.query(`INSERT INTO ${db.schema}.members (id, x25519_pub, ed25519_pub) VALUES ($1, $2, $3)`, [creator.id, creator.keys.wrapping.publicKey, creator.keys.signing.publicKey])
    await client.query(`INSERT INTO ${db.schema}.key_wraps (member_id, epoch, wrapped) VALUES ($1, 1, $2)`, [creator.id, wrapTeamKey(teamKey, creator.keys.wrapping.publicKey, { teamId, memberId: creator.id, epoch: 1 })])
  })
  return { teamId, memberId: creator.id, teamKey, epoch: 1, roster }
}

/** The joiner's side: stores the request; the code stays on this screen. The member id is the request's id. */
export async function requestJoin(db: TeamDb, joiner: NewMember, code: string): Promise<void> {
  const key = await joinKey(code, joiner.id)
  const label = sealRow(key, 'join', labelBinding(joiner.id), Buffer.from(joiner.label, 'utf8'))
  const publicKeys = { wrapping: joiner.keys.wrapping.publicKey, signing: joiner.keys.signing.publicKey }
  await db.pool.query(
    `INSERT INTO ${db.schema}.join_requests (id, x25519_pub, ed25519_pub, label, mac, expires_at) VALUES ($1, $2, $3, $4, $5, clock_timestamp() + make_interval(mins => $6))`,
    [joiner.id, publicKeys.wrapping, publicKeys.signing, label, joinMac(key, requestParts(joiner.id, publicKeys, label)), JOIN_MINUTES]
  )
}

interface PendingRow {
  readonly id: string
  readonly x25519_pub: Buffer
  readonly ed25519_pub: Buffer
  readonly label: Buffer
  readonly mac: Buffer
}

/** An approver's side: the code typed from the joiner's screen. Resolves with who was let in. */
export async function approveJoin(db: TeamDb, approver: TeamSession, typedCode: string): Promise<{ readonly memberId: string; readonly label: string }> {
  const code = parseJoinCode(typedCode)
  const { rows } = await db.pool.query<PendingRow>(
    // The newest few only: each costs a scrypt, and a database filled with requests must not stall the approver.
    `SELECT id, x25519_pub, ed25519_pub, label, mac FROM ${db.schema}.join_requests WHERE approval IS NULL AND expires_at > clock_timestamp() AND attempts < $1
      ORDER BY expires_at DESC LIMIT $2`,
    [MAX_WRONG_CODES, MAX_PENDING]
  )
  let found: { row: PendingRow; key: Buffer } | null = null
  for (const row of rows) {
    const key = await joinKey(code, row.id)
    if (joinMacMatches(key, requestParts(row.id, { wrapping: row.x25519_pub, signing: row.ed25519_pub }, row.label), row.mac)) {
      found = { row, key }
      break
    }
  }
  if (found === null) {
    if (rows.length > 0) await db.pool.query(`UPDATE ${db.schema}.join_requests SET attempts = attempts + 1 WHERE id = ANY($1::uuid[])`, [rows.map((row) => row.id)])
    throw new InputError('code', 'No request to join matches this code. Check it on the new member’s screen; after 5 wrong codes the request has to be made again.')
  }
  const { row, key } = found
  const label = openRow(key, 'join', labelBinding(row.id), row.label).toString('utf8')
  await pooledTransaction(db, async (client) => {
    const team = await client.query<{ id: string; current_epoch: number; roster_version: string; roster_epoch: number; roster: Buffer }>(`SELECT id, current_epoch, roster_version, roster_epoch, roster FROM ${db.schema}.team FOR UPDATE`)
    const current = team.rows[0]
    if (current === undefined || current.id !== approver.teamId) throw new TeamCryptoError('The team database holds another team than this member’s.')
    const roster = openRoster(approver.teamKey, approver.teamId, { version: Number(current.roster_version), epoch: current.roster_epoch }, current.roster)
    if (rosterMember(roster, row.id) !== undefined) throw new InputError('code', `${label} is already a member.`)
    const next: Roster = {
      version: roster.version + 1,
      epoch: roster.epoch,
      former: roster.former ?? [],
      members: [...roster.members, { id: row.id, label, wrappingKey: row.x25519_pub, signingKey: row.ed25519_pub, addedBy: approver.memberId, addedAt: Date.now() }]
    }
    const wrap = wrapTeamKey(approver.teamKey, row.x25519_pub, { teamId: approver.teamId, memberId: row.id, epoch: current.current_epoch })
    await client.query(`UPDATE ${db.schema}.team SET roster_version = $1, roster = $2 WHERE roster_version = $3`, [next.version, sealRoster(approver.teamKey, approver.teamId, next), roster.version])
    await client.query(`INSERT INTO ${db.schema}.members (id, x25519_pub, ed25519_pub) VALUES ($1, $2, $3)`, [row.id, row.x25519_pub, row.ed25519_pub])
    await client.query(`INSERT INTO ${db.schema}.key_wraps (member_id, epoch, wrapped) VALUES ($1, $2, $3)`, [row.id, current.current_epoch, wrap])
    await client.query(`UPDATE ${db.schema}.join_requests SET approval = $1 WHERE id = $2`, [joinMac(key, approvalParts(row.id, approver.teamId, current.current_epoch, wrap)), row.id])
    // Every member reads the roster again (removal-watch.ts follows a {rekey} notice): it names the new member.
    await client.query(`SELECT pg_notify($1, $2)`, [teamChannel(approver.teamId), JSON.stringify({ rekey: current.current_epoch })])
  })
  return { memberId: row.id, label }
}

/** The joiner's side, once approved: null while still waiting. Everything read is checked before it is trusted. */
export async function completeJoin(db: TeamDb, joiner: NewMember, code: string): Promise<TeamSession | null> {
  const request = await db.pool.query<{ approval: Buffer | null }>(`SELECT approval FROM ${db.schema}.join_requests WHERE id = $1`, [joiner.id])
  const approval = request.rows[0]?.approval ?? null
  if (approval === null) return null
  const team = await db.pool.query<{ id: string; current_epoch: number; roster_version: string; roster_epoch: number; roster: Buffer }>(`SELECT id, current_epoch, roster_version, roster_epoch, roster FROM ${db.schema}.team`)
  const current = team.rows[0]
  if (current === undefined) throw new TeamCryptoError('The team database holds no team.')
  const wraps = await db.pool.query<{ wrapped: Buffer }>(`SELECT wrapped FROM ${db.schema}.key_wraps WHERE member_id = $1 AND epoch = $2`, [joiner.id, current.current_epoch])
  const wrap = wraps.rows[0]?.wrapped
  if (wrap === undefined) throw new TeamCryptoError('The team database holds no team key for this member.')
  if (!joinMacMatches(await joinKey(code, joiner.id), approvalParts(joiner.id, current.id, current.current_epoch, wrap), approval)) {
    throw new TeamCryptoError('The approval in the team database was not made by a member who was shown this code: nothing from it is used.')
  }
  const binding = { teamId: current.id, memberId: joiner.id, epoch: current.current_epoch }
  const teamKey = unwrapTeamKey(wrap, joiner.keys, binding)
  const roster = openRoster(teamKey, current.id, { version: Number(current.roster_version), epoch: current.roster_epoch }, current.roster)
  const me = rosterMember(roster, joiner.id)
  if (me === undefined || !me.wrappingKey.equals(joiner.keys.wrapping.publicKey) || !me.signingKey.equals(joiner.keys.signing.publicKey)) {
    throw new TeamCryptoError('The team’s roster does not name this member’s keys: nothing from it is used.')
  }
  return { teamId: current.id, memberId: joiner.id, teamKey, epoch: current.current_epoch, roster }
}
