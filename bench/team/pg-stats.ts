// What the team's database did between two moments: rows written per table (pg_stat_user_tables) and transactions
// (pg_stat_database). Backends report their counts when idle for up to 10 s (PostgreSQL 15+), so a snapshot waits
// for the team to be quiet that long first; the snapshot's own queries are counted and taken off.
import type { TeamDb } from '../../src/main/core/team/db/transaction.ts'

export interface PgCounts {
  /** Per table: inserted, updated (HOT included), deleted. */
  readonly tables: Readonly<Record<string, { readonly ins: number; readonly upd: number; readonly del: number }>>
  readonly commits: number
  readonly rollbacks: number
  /** Sessions opened (each new pooled connection's start-up runs transactions of its own). */
  readonly sessions: number
  /** performance.now() when read. */
  readonly at: number
}

/** Transactions one snapshot makes itself (two SELECTs, each its own). */
const SNAPSHOT_TRANSACTIONS = 3
export const STATS_SETTLE_MS = 11_000

export async function pgCounts(db: TeamDb, settleMs = STATS_SETTLE_MS): Promise<PgCounts> {
  await new Promise((resolve) => setTimeout(resolve, settleMs))
  await db.pool.query('SELECT pg_stat_clear_snapshot()')
  const tables = await db.pool.query<{ relname: string; ins: string; upd: string; del: string }>(
    `SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd, n_tup_del AS del FROM pg_stat_user_tables WHERE schemaname = $1`,
    [db.schema.replaceAll('"', '')]
  )
  const database = await db.pool.query<{ commits: string; rollbacks: string; sessions: string }>(
    'SELECT xact_commit AS commits, xact_rollback AS rollbacks, sessions FROM pg_stat_database WHERE datname = current_database()'
  )
  const row = database.rows[0]
  return {
    tables: Object.fromEntries(tables.rows.map((t) => [t.relname, { ins: Number(t.ins), upd: Number(t.upd), del: Number(t.del) }])),
    commits: Number(row?.commits ?? 0),
    rollbacks: Number(row?.rollbacks ?? 0),
    sessions: Number(row?.sessions ?? 0),
    at: performance.now()
  }
}

export interface PgDelta {
  readonly ms: number
  readonly rowsWritten: number
  readonly byTable: Readonly<Record<string, string>>
  readonly transactions: number
  readonly rollbacks: number
  readonly sessions: number
}

export function pgDelta(before: PgCounts, after: PgCounts): PgDelta {
  let rowsWritten = 0
  const byTable: Record<string, string> = {}
  for (const [name, now] of Object.entries(after.tables)) {
    const was = before.tables[name] ?? { ins: 0, upd: 0, del: 0 }
    const ins = now.ins - was.ins
    const upd = now.upd - was.upd
    const del = now.del - was.del
    if (ins + upd + del === 0) continue
    rowsWritten += ins + upd + del
    byTable[name] = `+${ins} ~${upd} -${del}`
  }
  return { ms: Math.round(after.at - before.at), rowsWritten, byTable, transactions: after.commits - before.commits - SNAPSHOT_TRANSACTIONS, rollbacks: after.rollbacks - before.rollbacks, sessions: after.sessions - before.sessions }
}

/** The members table is written only by heartbeats (members.last_seen): housekeeping, not a refresh's. */
const HOUSEKEEPING_TABLE = 'members'

/**
 * A run's own counts: the heartbeats' rows taken off by table, and the transactions a window with no refresh made
 * (heartbeats, catch-up reads) taken off pro rata to the run's window.
 */
export function lessHousekeeping(run: PgDelta, quiet: PgDelta): PgDelta {
  const share = quiet.ms === 0 ? 0 : run.ms / quiet.ms
  const heartbeats = /~(\d+)/.exec(run.byTable[HOUSEKEEPING_TABLE] ?? '')?.[1]
  return { ...run, rowsWritten: run.rowsWritten - Number(heartbeats ?? 0), transactions: Math.round(run.transactions - quiet.transactions * share) }
}

/**
 * Bytes of one credential row: as stored (pg_column_size of the whole row), its sealed blob, as text (about what a
 * read carries over the wire: node-postgres asks for text, so bytea travels as hex), and the table with its indexes.
 */
export async function rowBytes(db: TeamDb): Promise<{ readonly row: number; readonly sealed: number; readonly text: number; readonly tableBytesPerRow: number }> {
  const result = await db.pool.query<{ row: string; sealed: string; text: string; total: string; n: string }>(
    `SELECT avg(pg_column_size(c.*)) AS row, avg(octet_length(sealed)) AS sealed, avg(octet_length(c::text)) AS text,
            pg_total_relation_size('${db.schema}.credentials') AS total, count(*) AS n
       FROM ${db.schema}.credentials c WHERE NOT deleted`
  )
  const r = result.rows[0]
  const n = Number(r?.n ?? 0)
  return { row: Math.round(Number(r?.row ?? 0)), text: Math.round(Number(r?.text ?? 0)), sealed: Math.round(Number(r?.sealed ?? 0)), tableBytesPerRow: n === 0 ? 0 : Math.round(Number(r?.total ?? 0) / n) }
}
