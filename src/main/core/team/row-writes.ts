// Reading and writing single team rows (issue 16, step 5): what sync and the team vault need beyond rows.ts. Every
// write bumps the row's version, stamps `changed_at` with the server's clock and NOTIFYs the team's channel with
// `{id, v}` in the same statement, so the notification goes out exactly when the write commits and carries no secret.
// A patch is a compare-and-set on the version (0 rows: someone else wrote first; re-read and apply again). A removal
// leaves a tombstone (deleted, sealed emptied) so members that were away learn of it.
import { InputError } from '../errors.ts'
import { openRow, sealRow } from './crypto/row-seal.ts'
import type { TeamDb } from './db/transaction.ts'
import type { TeamSession } from './membership.ts'
import type { CredentialKind } from './rows.ts'
import { recordBody, recordId, recordOf, type TeamRecord } from './team-record.ts'

/** The clear part of a row: what sync orders and compares by. */
export interface RowHead {
  readonly id: string
  readonly kind: CredentialKind
  readonly version: number
  readonly pairVersion: number
  /** The server's time of the last write (ms). */
  readonly changedAt: number
  readonly deleted: boolean
}

/** A row as read: its record when it opened and checked; `refusal` says why not (never any secret). */
export interface RowRead extends RowHead {
  readonly record: TeamRecord | null
  readonly refusal: string | null
}

export interface RowColumns {
  readonly id: string
  readonly kind: CredentialKind
  readonly version: string
  readonly pair_version: string
  readonly key_epoch: number
  readonly sealed: Buffer
  readonly deleted: boolean
  readonly changed_at: Date
}

export const COLUMNS = 'id, kind, version, pair_version, key_epoch, sealed, deleted, changed_at'

/** The channel a team's writes NOTIFY on: larder_<team id without dashes>. */
export function teamChannel(teamId: string): string {
  return `larder_${teamId.replace(/-/g, '').toLowerCase()}`
}

function headOf(row: Pick<RowColumns, 'id' | 'kind' | 'version' | 'pair_version' | 'deleted' | 'changed_at'>): RowHead {
  return { id: row.id, kind: row.kind, version: Number(row.version), pairVersion: Number(row.pair_version), changedAt: row.changed_at.getTime(), deleted: row.deleted }
}

function binding(session: TeamSession, id: string, kind: CredentialKind, epoch: number, pairVersion: number) {
  return { teamId: session.teamId, rowId: id, kind, epoch, pairVersion }
}

/** Seals a record for a row at this pair version, under the member's current team key. */
export function sealRecord(session: TeamSession, record: TeamRecord, pairVersion: number): Buffer {
  return sealRow(session.teamKey, 'row', binding(session, recordId(record), record.kind, session.epoch, pairVersion), Buffer.from(JSON.stringify(recordBody(record)), 'utf8'))
}

/** A row as the database holds it, opened with the session's key (a refusal says why it does not open). */
export function opened(session: TeamSession, row: RowColumns): RowRead {
  const head = headOf(row)
  if (row.deleted) return { ...head, record: null, refusal: null }
  if (row.key_epoch !== session.epoch) return { ...head, record: null, refusal: `it is sealed under the team key of epoch ${row.key_epoch}, and this member holds epoch ${session.epoch}` }
  try {
    const body: unknown = JSON.parse(openRow(session.teamKey, 'row', binding(session, row.id, row.kind, row.key_epoch, head.pairVersion), row.sealed).toString('utf8'))
    const record = recordOf(row.kind, body)
    if (recordId(record) !== row.id) return { ...head, record: null, refusal: 'it holds the record of another id' }
    return { ...head, record, refusal: null }
  } catch (error) {
    return { ...head, record: null, refusal: error instanceof Error ? error.message : 'it does not open' }
  }
}

/** One row, opened; null when the team has no row of that id. */
export async function readRow(db: TeamDb, session: TeamSession, id: string): Promise<RowRead | null> {
  const { rows } = await db.pool.query<RowColumns>(`SELECT ${COLUMNS} FROM ${db.schema}.credentials WHERE id = $1`, [id])
  const row = rows[0]
  return row === undefined ? null : opened(session, row)
}

/**
 * Rows written since `since` (server ms) less `overlapMs` (a write whose clock_timestamp() came before another's may
 * commit after it), tombstones included, oldest first; every row when `since` is null.
 */
export async function readRowsSince(db: TeamDb, session: TeamSession, since: number | null, overlapMs: number): Promise<RowRead[]> {
  const { rows } =
    since === null
      ? await db.pool.query<RowColumns>(`SELECT ${COLUMNS} FROM ${db.schema}.credentials ORDER BY changed_at, id`)
      : await db.pool.query<RowColumns>(`SELECT ${COLUMNS} FROM ${db.schema}.credentials WHERE changed_at > $1::timestamptz - make_interval(secs => $2) ORDER BY changed_at, id`, [new Date(since), overlapMs / 1000])
  return rows.map((row) => opened(session, row))
}

/** A NOTIFY of the written row, in the statement that writes it (so it is sent at that commit). */
const notified = (db: TeamDb, write: string): string =>
  `WITH w AS (${write} RETURNING id, kind, version, pair_version, deleted, changed_at)
   SELECT w.*, pg_notify($1, json_build_object('id', w.id, 'v', w.version)::text) FROM w`

/**
 * Only under the team's current key: a member still holding the key of an epoch the team left (a removal it has not
 * followed yet) writes nothing a removed member could open. `$n` is the write's key epoch.
 */
const atCurrentEpoch = (db: TeamDb, n: number): string => `$${n} = (SELECT current_epoch FROM ${db.schema}.team)`

/** The team moved to a new key since this member last looked: it follows it (removal-watch.ts), then tries again. */
export function staleEpochError(): InputError {
  return new InputError('team', 'The team moved to a new team key since this machine last looked (a member was removed); nothing was written. Try again in a moment.')
}

/** The team's current key epoch. */
export async function currentEpoch(db: TeamDb): Promise<number> {
  const { rows } = await db.pool.query<{ current_epoch: number }>(`SELECT current_epoch FROM ${db.schema}.team`)
  return rows[0]?.current_epoch ?? 0
}

/** A record the team does not hold yet: version 1, pair version 1. */
export async function insertRow(db: TeamDb, session: TeamSession, record: TeamRecord): Promise<RowHead> {
  const id = recordId(record)
  const { rows } = await db.pool.query<RowColumns>(notified(db, `INSERT INTO ${db.schema}.credentials (id, kind, version, pair_version, key_epoch, sealed) SELECT $2, $3, 1, 1, $4, $5 WHERE ${atCurrentEpoch(db, 4)}`), [
    teamChannel(session.teamId),
    id,
    record.kind,
    session.epoch,
    sealRecord(session, record, 1)
  ])
  const row = rows[0]
  if (row === undefined) throw staleEpochError()
  return headOf(row)
}

/**
 * Writes `record` over the row if it still stands at `at.version` (and its pair version): the new head, or null when
 * someone else wrote it first (or removed it), or the team moved to a newer key than the session's.
 */
export async function writeRowIfVersion(db: TeamDb, session: TeamSession, at: Pick<RowHead, 'version' | 'pairVersion'>, record: TeamRecord): Promise<RowHead | null> {
  const { rows } = await db.pool.query<RowColumns>(
    notified(db, `UPDATE ${db.schema}.credentials SET sealed = $5, key_epoch = $6, version = version + 1, changed_at = clock_timestamp() WHERE id = $2 AND version = $3 AND pair_version = $4 AND NOT deleted AND ${atCurrentEpoch(db, 6)}`),
    [teamChannel(session.teamId), recordId(record), at.version, at.pairVersion, sealRecord(session, record, at.pairVersion), session.epoch]
  )
  const row = rows[0]
  return row === undefined ? null : headOf(row)
}

/** Removes a row for every member: a tombstone (nothing sealed left in it). Null when there was no live row. */
export async function tombstoneRow(db: TeamDb, session: TeamSession, id: string): Promise<RowHead | null> {
  const { rows } = await db.pool.query<RowColumns>(
    notified(
      db,
      `UPDATE ${db.schema}.credentials SET deleted = true, sealed = '\\x'::bytea, version = version + 1, changed_at = clock_timestamp(),
         lease_holder = NULL, lease_until = NULL, next_refresh_at = NULL WHERE id = $2 AND NOT deleted`
    ),
    [teamChannel(session.teamId), id]
  )
  const row = rows[0]
  return row === undefined ? null : headOf(row)
}
