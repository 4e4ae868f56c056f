// Removing a member from the team (issue 16, plan §3 "Removal"). One transaction: a new epoch and team key, the
// roster without the member (sealed under the new key, its version moved on), the new key wrapped for each member
// left, the member marked removed, its leases and awaiting marks released, and `team.rekey` set (progress only: epoch,
// start, counts; no names). Then every row is sealed again under the new key, in batches (a compare-and-set on each
// row's version; a row written meanwhile is taken again in the next batch), the progress in `team.rekey`: a member
// that opens and finds it unfinished goes on with it. The removed member's Larder finds no key for the new epoch and
// stops (team-membership.ts TeamRemovedError). Refreshing every credential, so its copies die at Apicbase, follows
// (removal-refresh.ts): only a refresh makes the removal real for tokens it already saw.
import { InputError } from '../errors.ts'
import { TeamCryptoError } from './crypto/encoding.ts'
import { wrapTeamKey } from './crypto/member-keys.ts'
import { newTeamKey, openRow, sealRow } from './crypto/row-seal.ts'
import { pooledTransaction, type TeamDb } from './db/transaction.ts'
import type { TeamSession } from './membership.ts'
import { openRoster, rosterMember, sealRoster, withoutMember, type Roster } from './roster.ts'
import { teamChannel } from './row-writes.ts'

/** `team.rekey`: how far sealing every row under the new key has come. No names, no secrets. */
export interface RekeyProgress {
  readonly epoch: number
  /** When the removal was committed (the server's clock, ms): a credential refreshed before it is refreshed again. */
  readonly startedAt: number
  /** Live rows when the removal began. */
  readonly total: number
  readonly resealed: number
  /** When every row stood at the new epoch (ms); null while under way. */
  readonly finishedAt: number | null
}

export interface RemovalStarted {
  readonly epoch: number
  readonly removed: { readonly id: string; readonly label: string }
  readonly progress: RekeyProgress
}

/** Rows sealed again per transaction (one NOTIFY each). */
export const RESEAL_BATCH = 500

/** The team row's columns a membership change reads (under FOR UPDATE). */
export interface TeamRowColumns {
  readonly id: string
  readonly current_epoch: number
  readonly roster_version: string
  readonly roster_epoch: number
  readonly roster: Buffer
  readonly rekey: Partial<Record<keyof RekeyProgress, unknown>> | null
}

function progressOf(raw: TeamRowColumns['rekey']): RekeyProgress | null {
  if (raw === null || typeof raw.epoch !== 'number') return null
  const number = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0)
  return { epoch: raw.epoch, startedAt: number(raw.startedAt), total: number(raw.total), resealed: number(raw.resealed), finishedAt: typeof raw.finishedAt === 'number' ? raw.finishedAt : null }
}

/** Where the last removal's re-sealing stands; null when the team never had one. */
export async function readRekey(db: TeamDb): Promise<RekeyProgress | null> {
  const { rows } = await db.pool.query<Pick<TeamRowColumns, 'rekey'>>(`SELECT rekey FROM ${db.schema}.team`)
  return progressOf(rows[0]?.rekey ?? null)
}

/**
 * Takes `memberId` out of the team, by a member holding the current epoch. Refuses removing oneself (leaving is its
 * own step), a member not in the roster, and a removal while the last one's re-sealing is unfinished.
 * The caller then brings its own session to the new epoch (refreshMembership unwraps the key wrapped here for it).
 */
export async function removeMember(db: TeamDb, session: TeamSession, memberId: string): Promise<RemovalStarted> {
  if (memberId === session.memberId) throw new InputError('memberId', 'A member does not remove itself: leaving the team is its own step (not there yet). Ask another member to remove this machine.')
  const teamKey = newTeamKey()
  return pooledTransaction(db, async (client) => {
    const { rows } = await client.query<TeamRowColumns>(`SELECT id, current_epoch, roster_version, roster_epoch, roster, rekey FROM ${db.schema}.team FOR UPDATE`)
    const team = rows[0]
    if (team === undefined || team.id !== session.teamId) throw new TeamCryptoError('The team database holds another team than this member’s, or none.')
    if (team.current_epoch !== session.epoch) throw new InputError('memberId', 'The team moved to a new team key since this machine last looked; try again in a moment.')
    const last = progressOf(team.rekey)
    if (last !== null && last.finishedAt === null) throw new InputError('memberId', `The last removal is still sealing the team's credentials again (${last.resealed} of ${last.total}); remove the next member once it is done.`)
    const roster = openRoster(session.teamKey, session.teamId, { version: Number(team.roster_version), epoch: team.roster_epoch }, team.roster)
    const removed = rosterMember(roster, memberId)
    if (removed === undefined) throw new InputError('memberId', `There is no member with id "${memberId}" in the team.`)
    const epoch = team.current_epoch + 1
    const next: Roster = withoutMember(roster, memberId, { version: roster.version + 1, epoch, lastEpoch: team.current_epoch })
    const counted = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${db.schema}.credentials WHERE NOT deleted`)
    const now = await client.query<{ ms: string }>(`SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ms`)
    const progress: RekeyProgress = { epoch, startedAt: Number(now.rows[0]?.ms ?? Date.now()), total: Number(counted.rows[0]?.n ?? 0), resealed: 0, finishedAt: null }
    await client.query(`UPDATE ${db.schema}.team SET current_epoch = $1, roster_version = $2, roster_epoch = $1, roster = $3, rekey = $4 WHERE id = $5`, [
      epoch,
      next.version,
      sealRoster(teamKey, session.teamId, next),
      JSON.stringify(progress),
      session.teamId
    ])
    for (const member of next.members) {
      const wrapped = wrapTeamKey(teamKey, member.wrappingKey, { teamId: session.teamId, memberId: member.id, epoch })
      await client.query(`INSERT INTO ${db.schema}.key_wraps (member_id, epoch, wrapped) VALUES ($1, $2, $3)`, [member.id, epoch, wrapped])
    }
    await client.query(`UPDATE ${db.schema}.members SET removed_at = clock_timestamp() WHERE id = $1`, [memberId])
    // Its turns end now: nobody waits for a lease or an answer of a member that is gone.
    await client.query(`UPDATE ${db.schema}.credentials SET lease_holder = NULL, lease_until = NULL WHERE lease_holder = $1`, [memberId])
    await client.query(`UPDATE ${db.schema}.credentials SET awaiting_by = NULL, awaiting_fence = NULL, awaiting_since = NULL WHERE awaiting_by = $1`, [memberId])
    await client.query(`SELECT pg_notify($1, $2)`, [teamChannel(session.teamId), JSON.stringify({ rekey: epoch })])
    return { epoch, removed: { id: removed.id, label: removed.label }, progress }
  })
}

interface SealedRow {
  readonly id: string
  readonly kind: string
  readonly version: string
  readonly pair_version: string
  readonly key_epoch: number
  readonly sealed: Buffer
}

export interface ResealOptions {
  /** The team key of an older epoch, from this member's team file; undefined when it was never given one. */
  keyOf(epoch: number): Promise<Buffer | undefined>
  readonly batchSize?: number
  /** Stops after this many batches (a crash in tests); the progress says where it stands. */
  readonly stopAfterBatches?: number
  onProgress?(progress: RekeyProgress): void
}

/**
 * Seals every live row still under an older key again under the session's (the new epoch's) key, `batchSize` rows a
 * transaction, each row a compare-and-set on its version (moved on, so a write made under the old key meanwhile
 * cannot land over it); a row written meanwhile is taken again in the next batch. Any member at the new epoch may
 * run it, several at once: each counts only the rows it wrote. Resolves with the progress when done (or stopped).
 */
export async function continueRekey(db: TeamDb, session: TeamSession, options: ResealOptions): Promise<RekeyProgress | null> {
  const batchSize = options.batchSize ?? RESEAL_BATCH
  const keys = new Map<number, Buffer | undefined>([[session.epoch, session.teamKey]])
  const keyOf = async (epoch: number): Promise<Buffer | undefined> => {
    if (!keys.has(epoch)) keys.set(epoch, await options.keyOf(epoch))
    return keys.get(epoch)
  }
  /** Rows this member cannot open (no key for their epoch, or changed): left, said in the progress as not done. */
  const skipped = new Set<string>()
  for (let batch = 0; ; batch++) {
    const progress = await readRekey(db)
    if (progress === null || progress.epoch !== session.epoch) return progress
    if (options.stopAfterBatches !== undefined && batch >= options.stopAfterBatches) return progress
    const { rows } = await db.pool.query<SealedRow>(
      `SELECT id, kind, version, pair_version, key_epoch, sealed FROM ${db.schema}.credentials WHERE NOT deleted AND key_epoch < $1 AND NOT (id = ANY($2::uuid[])) ORDER BY id LIMIT $3`,
      [session.epoch, [...skipped], batchSize]
    )
    if (rows.length === 0) return finish(db, session, progress, options)
    const resealed = await pooledTransaction(db, async (client) => {
      let written = 0
      for (const row of rows) {
        const key = await keyOf(row.key_epoch)
        const pairVersion = Number(row.pair_version)
        let plain: Buffer
        try {
          if (key === undefined) throw new TeamCryptoError(`no team key of epoch ${row.key_epoch}`)
          plain = openRow(key, 'row', { teamId: session.teamId, rowId: row.id, kind: row.kind, epoch: row.key_epoch, pairVersion }, row.sealed)
        } catch {
          skipped.add(row.id)
          continue
        }
        const sealed = sealRow(session.teamKey, 'row', { teamId: session.teamId, rowId: row.id, kind: row.kind, epoch: session.epoch, pairVersion }, plain)
        const update = await client.query(
          `UPDATE ${db.schema}.credentials SET sealed = $1, key_epoch = $2, version = version + 1, changed_at = clock_timestamp() WHERE id = $3 AND version = $4 AND key_epoch = $5 AND NOT deleted`,
          [sealed, session.epoch, row.id, row.version, row.key_epoch]
        )
        written += update.rowCount ?? 0
      }
      await client.query(
        `UPDATE ${db.schema}.team SET rekey = jsonb_set(rekey, '{resealed}', to_jsonb(LEAST((rekey->>'total')::bigint, (rekey->>'resealed')::bigint + $1))) WHERE (rekey->>'epoch')::int = $2`,
        [written, session.epoch]
      )
      await client.query(`SELECT pg_notify($1, $2)`, [teamChannel(session.teamId), JSON.stringify({ rekey: session.epoch })])
      return written
    })
    const now = await readRekey(db)
    if (now !== null && resealed > 0) options.onProgress?.(now)
  }
}

async function finish(db: TeamDb, session: TeamSession, progress: RekeyProgress, options: ResealOptions): Promise<RekeyProgress> {
  if (progress.finishedAt !== null) return progress
  // Done when no live row stands under an older key; rows another member could not open stay listed as left.
  const left = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${db.schema}.credentials WHERE NOT deleted AND key_epoch < $1`, [session.epoch])
  if (Number(left.rows[0]?.n ?? 0) > 0) return progress
  await db.pool.query(
    `UPDATE ${db.schema}.team SET rekey = rekey || jsonb_build_object('resealed', (rekey->>'total')::bigint, 'finishedAt', (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
      WHERE (rekey->>'epoch')::int = $1 AND rekey->>'finishedAt' IS NULL`,
    [session.epoch]
  )
  const done = (await readRekey(db)) ?? progress
  options.onProgress?.(done)
  return done
}
