// The team's audit trail (issue 16): who added, copied, refreshed, re-authorized or removed what, from every member,
// in the team database. In clear only what the member filter and paging need (the member, the action, the outcome,
// the row it was about, the server's time and order); the library's name, the sentence, how it was done (window,
// tray, `larder`) and the token type are sealed under the team key, bound to the entry's id. Each entry is signed
// with its member's Ed25519 key over all of that, so an entry the database wrote or changed reads as unverified.
// Entries are pushed from each member's local trail with their own id, so a push repeated after a lost answer (or
// after being offline) stores each entry once.
import { TeamCryptoError } from './crypto/encoding.ts'
import { signParts, verifyParts, type MemberKeys } from './crypto/member-keys.ts'
import { openRow, sealRow, type RowBinding } from './crypto/row-seal.ts'
import type { TeamDb } from './db/transaction.ts'
import type { TeamSession } from './membership.ts'
import { signerOf, type Roster } from './roster.ts'

/** What a member's entry says, as its local trail recorded it. */
export interface TeamAuditInput {
  /** The local entry's id in the team (a UUID, so a repeated push stores it once). */
  readonly entryId: string
  readonly action: string
  readonly outcome: string
  /** The team row it was about; null for the team as a whole (a member joined, the team key changed). */
  readonly credentialId: string | null
  /** The member's own clock, sealed; the server's time is the entry's `at`. */
  readonly at: number
  readonly libraryName: string | null
  readonly detail?: string
  readonly via?: string
  readonly tokenType?: string
  readonly apicbaseLibraryId?: string
}

export interface TeamAuditEntry extends TeamAuditInput {
  /** The server's order: pass the last one's as `before` for the next (older) page. */
  readonly seq: number
  /** When the server stored it. */
  readonly storedAt: number
  readonly member: { readonly id: string; readonly name: string | null; readonly verified: boolean }
}

export interface TeamAuditQuery {
  readonly limit: number
  readonly before?: number
  readonly memberId?: string
  readonly credentialId?: string
  readonly action?: string
  /** When the server stored it (ms), at or after / at or before: the member's own clock is sealed. */
  readonly since?: number
  readonly until?: number
}

interface SealedPart {
  readonly at: number
  readonly libraryName: string | null
  readonly detail?: string
  readonly via?: string
  readonly tokenType?: string
  readonly apicbaseLibraryId?: string
}

const binding = (teamId: string, entryId: string, epoch: number): RowBinding => ({ teamId, rowId: entryId, kind: 'audit', epoch, pairVersion: 0 })
const signedParts = (teamId: string, row: { entryId: string; memberId: string; action: string; outcome: string; credentialId: string | null; epoch: number; sealed: Buffer }) => [
  'larder-team-audit-v1',
  teamId,
  row.entryId,
  row.memberId,
  row.action,
  row.outcome,
  row.credentialId ?? '',
  row.epoch,
  row.sealed
]

/** Pushes entries of this member, each stored once however often it is pushed. Resolves with how many were new. */
export async function pushTeamAudit(db: TeamDb, session: TeamSession, keys: MemberKeys, entries: readonly TeamAuditInput[]): Promise<number> {
  if (entries.length === 0) return 0
  const columns: unknown[][] = [[], [], [], [], [], [], [], []]
  for (const entry of entries) {
    const sealedPart: SealedPart = { at: entry.at, libraryName: entry.libraryName, detail: entry.detail, via: entry.via, tokenType: entry.tokenType, apicbaseLibraryId: entry.apicbaseLibraryId }
    const sealed = sealRow(session.teamKey, 'audit', binding(session.teamId, entry.entryId, session.epoch), Buffer.from(JSON.stringify(sealedPart), 'utf8'))
    const sig = signParts(keys, signedParts(session.teamId, { ...entry, memberId: session.memberId, epoch: session.epoch, sealed }))
    const values = [entry.entryId, session.memberId, entry.action, entry.outcome, entry.credentialId, session.epoch, sealed, sig]
    values.forEach((value, i) => columns[i]?.push(value))
  }
  const { rowCount } = await db.pool.query(
    `INSERT INTO ${db.schema}.audit (entry_id, member_id, action, outcome, credential_id, key_epoch, sealed, sig)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::int[], $7::bytea[], $8::bytea[])
     ON CONFLICT (entry_id) DO NOTHING`,
    columns
  )
  return rowCount ?? 0
}

interface AuditRow {
  readonly seq: string
  readonly entry_id: string
  readonly at: Date
  readonly member_id: string
  readonly action: string
  readonly outcome: string
  readonly credential_id: string | null
  readonly key_epoch: number
  readonly sealed: Buffer
  readonly sig: Buffer
}

/**
 * A page of the team's trail, newest first. `teamKeyOf` gives the team key of an epoch this member was given; an entry
 * of an epoch it never had, or one that does not open where it stands, is left out and counted in `unreadable`.
 */
export async function readTeamAudit(
  db: TeamDb,
  team: { readonly teamId: string; readonly roster: Roster; teamKeyOf(epoch: number): Buffer | undefined },
  query: TeamAuditQuery
): Promise<{ readonly entries: readonly TeamAuditEntry[]; readonly nextBefore: number | null; readonly unreadable: number }> {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > 500) throw new RangeError('limit is a whole number from 1 to 500')
  const where: string[] = []
  const values: unknown[] = []
  const add = (sql: string, value: unknown): void => {
    values.push(value)
    where.push(sql.replace('?', `$${values.length}`))
  }
  if (query.before !== undefined) add('seq < ?', query.before)
  if (query.memberId !== undefined) add('member_id = ?', query.memberId)
  if (query.credentialId !== undefined) add('credential_id = ?', query.credentialId)
  if (query.action !== undefined) add('action = ?', query.action)
  if (query.since !== undefined) add('at >= ?', new Date(query.since))
  if (query.until !== undefined) add('at <= ?', new Date(query.until))
  values.push(query.limit + 1)
  const { rows } = await db.pool.query<AuditRow>(
    `SELECT seq, entry_id, at, member_id, action, outcome, credential_id, key_epoch, sealed, sig FROM ${db.schema}.audit
      ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY seq DESC LIMIT $${values.length}`,
    values
  )
  const page = rows.slice(0, query.limit)
  const entries: TeamAuditEntry[] = []
  let unreadable = 0
  for (const row of page) {
    const teamKey = team.teamKeyOf(row.key_epoch)
    let sealedPart: SealedPart
    try {
      if (teamKey === undefined) throw new TeamCryptoError(`no team key for epoch ${row.key_epoch}`)
      sealedPart = JSON.parse(openRow(teamKey, 'audit', binding(team.teamId, row.entry_id, row.key_epoch), row.sealed).toString('utf8')) as SealedPart
    } catch {
      unreadable += 1
      continue
    }
    const member = signerOf(team.roster, row.member_id, row.key_epoch)
    const parts = signedParts(team.teamId, { entryId: row.entry_id, memberId: row.member_id, action: row.action, outcome: row.outcome, credentialId: row.credential_id, epoch: row.key_epoch, sealed: row.sealed })
    entries.push({
      entryId: row.entry_id,
      action: row.action,
      outcome: row.outcome,
      credentialId: row.credential_id,
      ...sealedPart,
      seq: Number(row.seq),
      storedAt: row.at.getTime(),
      member: { id: row.member_id, name: member?.label ?? null, verified: member !== undefined && member.signingKey !== null && verifyParts(member.signingKey, parts, row.sig) }
    })
  }
  const last = page.at(-1)
  return { entries, nextBefore: rows.length > query.limit && last !== undefined ? Number(last.seq) : null, unreadable }
}
