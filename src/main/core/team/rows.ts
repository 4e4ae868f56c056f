// The team's credentials as rows (issue 16): one row per library or personal-token entry, its whole record (what a
// person named and pasted, and its secrets) sealed under the team key and bound to the row, its kind, the key's epoch
// and the pair version. In clear only what coordination needs: id, kind, versions, epoch, lease and times.
import { openRow, sealRow } from './crypto/row-seal.ts'
import type { TeamDb } from './db/transaction.ts'
import type { TeamSession } from './membership.ts'

export type CredentialKind = 'library' | 'entry'

export interface TeamCredential {
  readonly id: string
  readonly kind: CredentialKind
  readonly version: number
  readonly pairVersion: number
  /** The record as its member's vault holds it (meta and secrets), opened. */
  readonly record: unknown
}

const bindingOf = (session: TeamSession, row: { id: string; kind: string; epoch: number; pairVersion: number }) => ({ teamId: session.teamId, rowId: row.id, kind: row.kind, epoch: row.epoch, pairVersion: row.pairVersion })

/** Puts a credential the team does not hold yet: version 1, pair version 1. */
export async function insertCredential(db: TeamDb, session: TeamSession, id: string, kind: CredentialKind, record: unknown): Promise<void> {
  const sealed = sealRow(session.teamKey, 'row', bindingOf(session, { id, kind, epoch: session.epoch, pairVersion: 1 }), Buffer.from(JSON.stringify(record), 'utf8'))
  await db.pool.query(`INSERT INTO ${db.schema}.credentials (id, kind, version, pair_version, key_epoch, sealed) VALUES ($1, $2, 1, 1, $3, $4)`, [id, kind, session.epoch, sealed])
}

interface CredentialRow {
  readonly id: string
  readonly kind: CredentialKind
  readonly version: string
  readonly pair_version: string
  readonly key_epoch: number
  readonly sealed: Buffer
}

/** Every credential the team holds, opened and checked against where it stands (a blob moved or changed is refused). */
export async function readCredentials(db: TeamDb, session: TeamSession): Promise<TeamCredential[]> {
  const { rows } = await db.pool.query<CredentialRow>(`SELECT id, kind, version, pair_version, key_epoch, sealed FROM ${db.schema}.credentials WHERE NOT deleted ORDER BY id`)
  return rows.map((row) => {
    const pairVersion = Number(row.pair_version)
    const opened = openRow(session.teamKey, 'row', bindingOf(session, { id: row.id, kind: row.kind, epoch: row.key_epoch, pairVersion }), row.sealed)
    return { id: row.id, kind: row.kind, version: Number(row.version), pairVersion, record: JSON.parse(opened.toString('utf8')) as unknown }
  })
}
