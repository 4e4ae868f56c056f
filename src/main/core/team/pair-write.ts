// Writing a team credential's row (issue 16, plan §4): a new token pair, or a patch of what else the record holds.
// - writePair: compare-and-set on `pair_version`, the fencing number for pairs. A pair refreshed from pair version v
//   is written only while the row still holds v, whoever holds the lease now: a holder whose lease ran out may still
//   write its late answer if no newer pair exists (it is then the newest pair Apicbase issued), but never over a newer
//   pair. The NOTIFY goes in the same transaction, so it goes out at commit and never for a write that did not happen.
// - patchRow: compare-and-set on `version` (failures, holds, renames, re-seals): read, change, write back; a conflict
//   means re-read and re-apply. It never changes pair_version, and since every pair write raises `version`, a patch
//   made from an older read can never land over a newer pair.
// The sealed blob is bound to its pair version (crypto/row-seal.ts): writePair's caller seals for sentPairVersion + 1,
// patchRow's for the pair version it read together with expectedVersion (unchanged while that version holds).
import type pg from 'pg'
import { pooledTransaction, type TeamDb } from './db/transaction.ts'
import { int8 } from './leases.ts'

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/

/** A newer pair than the one this refresh started from is in the row: nothing was written. */
export class StalePairError extends Error {
  override readonly name = 'StalePairError'
  readonly credentialId: string
  readonly sentPairVersion: number
  readonly currentPairVersion: number
  constructor(credentialId: string, sentPairVersion: number, currentPairVersion: number) {
    super(`Team credential ${credentialId} holds pair ${currentPairVersion}, newer than pair ${sentPairVersion} this refresh started from; nothing was written.`)
    this.credentialId = credentialId
    this.sentPairVersion = sentPairVersion
    this.currentPairVersion = currentPairVersion
  }
}

/** The row changed since it was read: read it again, apply the change again, and retry. Nothing was written. */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError'
  readonly credentialId: string
  readonly expectedVersion: number
  readonly currentVersion: number
  constructor(credentialId: string, expectedVersion: number, currentVersion: number) {
    super(`Team credential ${credentialId} is at version ${currentVersion}, not ${expectedVersion} as read; nothing was written.`)
    this.credentialId = credentialId
    this.expectedVersion = expectedVersion
    this.currentVersion = currentVersion
  }
}

/** The row is not there or was deleted: nothing was written. */
export class TeamRowGoneError extends Error {
  override readonly name = 'TeamRowGoneError'
  readonly credentialId: string
  constructor(credentialId: string) {
    super(`Team credential ${credentialId} is no longer in the team; nothing was written.`)
    this.credentialId = credentialId
  }
}

/** An entry for the team's trail, written in the same transaction (entry_id makes a retried write insert it once). */
export interface TeamAuditInsert {
  readonly entryId: string
  readonly action: string
  readonly outcome: string
  readonly keyEpoch: number
  readonly sealed: Buffer
  readonly sig: Buffer
}

export interface PairWrite {
  readonly credentialId: string
  readonly memberId: string
  /** The pair version whose refresh token was sent (the row's, read under the lease). */
  readonly sentPairVersion: number
  /** Sealed for pair version sentPairVersion + 1 and keyEpoch. */
  readonly sealed: Buffer
  readonly keyEpoch: number
  readonly nextRefreshAt: Date | null
  /** The team's NOTIFY channel (lower-case letters, digits, underscores). */
  readonly channel: string
  readonly audit?: TeamAuditInsert
}

export interface RowWritten {
  readonly version: number
  readonly pairVersion: number
}

interface WrittenRow {
  readonly version: string
  readonly pair_version: string
}

interface CurrentRow {
  readonly deleted: boolean
  readonly version: string
  readonly pair_version: string
  readonly same_blob: boolean
}

function channelOf(channel: string): string {
  if (!CHANNEL.test(channel)) throw new RangeError(`"${channel}" cannot be a notification channel: lower-case letters, digits and underscores.`)
  return channel
}

async function currentRow(client: pg.PoolClient, schema: string, credentialId: string, sealed: Buffer): Promise<CurrentRow | null> {
  const { rows } = await client.query<CurrentRow>(`SELECT deleted, version, pair_version, sealed = $2 AS same_blob FROM ${schema}.credentials WHERE id = $1`, [credentialId, sealed])
  const row = rows[0]
  return row === undefined || row.deleted ? null : row
}

async function notify(client: pg.PoolClient, channel: string, credentialId: string, version: number): Promise<void> {
  await client.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify({ id: credentialId, v: version })])
}

/**
 * Writes a new pair over the one it was refreshed from, in one transaction: the blob, version + 1, pair_version + 1,
 * the next refresh time, the awaiting mark cleared, this member's lease released, the audit entry, and NOTIFY
 * {id, v} (sent at commit). Call it once the pair is durable in this member's own journal.
 * - StalePairError: the row holds a newer pair; nothing was written.
 * - Written already (`alreadyWritten`): the row holds exactly this blob at sentPairVersion + 1, so an earlier call
 *   committed though its answer was lost (a dropped connection, a server restart at commit); nothing written again.
 */
export async function writePair(db: TeamDb, write: PairWrite): Promise<RowWritten & { readonly alreadyWritten: boolean }> {
  const channel = channelOf(write.channel)
  return pooledTransaction(db, async (client) => {
    const { rows } = await client.query<WrittenRow>(
      `UPDATE ${db.schema}.credentials
          SET sealed = $3, key_epoch = $4, version = version + 1, pair_version = pair_version + 1, next_refresh_at = $5,
              awaiting_by = NULL, awaiting_fence = NULL, awaiting_since = NULL,
              lease_holder = CASE WHEN lease_holder = $2 THEN NULL ELSE lease_holder END,
              lease_until = CASE WHEN lease_holder = $2 THEN NULL ELSE lease_until END,
              changed_at = clock_timestamp()
        WHERE id = $1 AND NOT deleted AND pair_version = $6
      RETURNING version, pair_version`,
      [write.credentialId, write.memberId, write.sealed, write.keyEpoch, write.nextRefreshAt, write.sentPairVersion]
    )
    const written = rows[0]
    if (written === undefined) {
      const current = await currentRow(client, db.schema, write.credentialId, write.sealed)
      if (current === null) throw new TeamRowGoneError(write.credentialId)
      const pairVersion = int8(current.pair_version)
      if (pairVersion === write.sentPairVersion + 1 && current.same_blob) return { version: int8(current.version), pairVersion, alreadyWritten: true }
      throw new StalePairError(write.credentialId, write.sentPairVersion, pairVersion)
    }
    const version = int8(written.version)
    const audit = write.audit
    if (audit !== undefined) {
      await client.query(
        `INSERT INTO ${db.schema}.audit (entry_id, member_id, action, outcome, credential_id, key_epoch, sealed, sig)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (entry_id) DO NOTHING`,
        [audit.entryId, write.memberId, audit.action, audit.outcome, write.credentialId, audit.keyEpoch, audit.sealed, audit.sig]
      )
    }
    await notify(client, channel, write.credentialId, version)
    return { version, pairVersion: int8(written.pair_version), alreadyWritten: false }
  })
}

export interface RowPatch {
  readonly credentialId: string
  /** The version the patch was made from. */
  readonly expectedVersion: number
  /** Sealed for the row's pair version as read with expectedVersion (and keyEpoch when given, else the row's). */
  readonly sealed: Buffer
  /** A re-seal under a new team key; absent: unchanged. */
  readonly keyEpoch?: number
  /** Absent: unchanged; null: nothing planned. */
  readonly nextRefreshAt?: Date | null
  /** The sender's own failure: clears the awaiting mark if it is still this fence's. */
  readonly clearAwaitingFence?: number
  /** NOTIFY {id, v} on this channel in the same transaction. */
  readonly channel?: string
}

/** A read-modify-write of the row on `version`; VersionConflictError means re-read, re-apply, retry. */
export async function patchRow(db: TeamDb, patch: RowPatch): Promise<RowWritten> {
  const channel = patch.channel === undefined ? null : channelOf(patch.channel)
  return pooledTransaction(db, async (client) => {
    const { rows } = await client.query<WrittenRow>(
      `UPDATE ${db.schema}.credentials
          SET sealed = $3, version = version + 1, changed_at = clock_timestamp(),
              key_epoch = coalesce($4::int, key_epoch),
              next_refresh_at = CASE WHEN $5::boolean THEN $6::timestamptz ELSE next_refresh_at END,
              awaiting_by = CASE WHEN awaiting_fence = $7::bigint THEN NULL ELSE awaiting_by END,
              awaiting_since = CASE WHEN awaiting_fence = $7::bigint THEN NULL ELSE awaiting_since END,
              awaiting_fence = CASE WHEN awaiting_fence = $7::bigint THEN NULL ELSE awaiting_fence END
        WHERE id = $1 AND NOT deleted AND version = $2
      RETURNING version, pair_version`,
      [patch.credentialId, patch.expectedVersion, patch.sealed, patch.keyEpoch ?? null, patch.nextRefreshAt !== undefined, patch.nextRefreshAt ?? null, patch.clearAwaitingFence ?? null]
    )
    const written = rows[0]
    if (written === undefined) {
      const current = await currentRow(client, db.schema, patch.credentialId, patch.sealed)
      if (current === null) throw new TeamRowGoneError(patch.credentialId)
      throw new VersionConflictError(patch.credentialId, patch.expectedVersion, int8(current.version))
    }
    const version = int8(written.version)
    if (channel !== null) await notify(client, channel, patch.credentialId, version)
    return { version, pairVersion: int8(written.pair_version) }
  })
}
