// Writing a team credential's row (issue 16, plan §4) against a real PostgreSQL: a new pair is written only over the
// pair it was refreshed from, with its NOTIFY sent at commit and never for a write that did not happen; a patch is a
// compare-and-set on the version that never lands over a newer pair; the lease and the awaiting mark live in the row,
// so a server restart between acquire and write loses neither, and the pool reconnects by itself.
import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { describe, expect, it } from 'vitest'
import { newTeamKey, openRow, sealRow } from '../../../src/main/core/team/crypto/row-seal.ts'
import { acquireLease, markSending, type LeaseOutcome } from '../../../src/main/core/team/leases.ts'
import type { TeamDb } from '../../../src/main/core/team/db/transaction.ts'
import { patchRow, StalePairError, VersionConflictError, writePair, type PairWrite } from '../../../src/main/core/team/pair-write.ts'
import { findPgBinaries } from '../../support/postgres-server.ts'
import { leaseWorld, sleep, TERMS } from './lease-fixture.ts'

const binaries = findPgBinaries()
const CHANNEL = 'larder_test_team'

function mine(outcome: LeaseOutcome): Extract<LeaseOutcome, { kind: 'mine' }> {
  if (outcome.kind !== 'mine') throw new Error(`expected the lease, got ${JSON.stringify(outcome)}`)
  return outcome
}

/** Notifications on the team's channel, each with the row's version read (on another session) as it arrived. */
async function listen(client: pg.Client, readVersion: () => Promise<string>): Promise<Array<{ payload: string; versionSeen: string }>> {
  const heard: Array<{ payload: string; versionSeen: string }> = []
  client.on('notification', (message) => {
    void readVersion().then((versionSeen) => heard.push({ payload: message.payload ?? '', versionSeen }))
  })
  await client.query(`LISTEN ${CHANNEL}`)
  return heard
}

async function until(what: string, check: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`)
    await sleep(20)
  }
}

/** A record the way a member seals it: bound to team, row, kind, epoch and pair version. */
const team = { id: randomUUID(), key: newTeamKey() }
const seal = (rowId: string, pairVersion: number, record: object): Buffer =>
  sealRow(team.key, 'row', { teamId: team.id, rowId, kind: 'library', epoch: 1, pairVersion }, Buffer.from(JSON.stringify(record)))
const open = (rowId: string, pairVersion: number, blob: Buffer): { name: string; refreshToken: string } =>
  JSON.parse(openRow(team.key, 'row', { teamId: team.id, rowId, kind: 'library', epoch: 1, pairVersion }, blob).toString('utf8')) as { name: string; refreshToken: string }

describe.skipIf(binaries.bin === null)('writing a team credential’s row', { timeout: 60_000 }, () => {
  const world = leaseWorld(binaries)

  /**
   * `memberId` holds the lease on `id` and is sending its refresh token; another session holds the audit table, so the
   * write of the answer (given, with its audit entry) waits inside its transaction, after its UPDATE, until the test
   * commits that session.
   */
  async function sendingWithAuditLocked(db: TeamDb, id: string, memberId: string, nextRefreshAt: Date | null): Promise<{ write: PairWrite; locker: pg.Client }> {
    const lease = mine(await acquireLease(db, { memberId, credentialId: id, ...TERMS }))
    await markSending(db, { memberId, credentialId: id, fence: lease.fence })
    const locker = await world.client('larder-locker')
    await locker.query('BEGIN')
    await locker.query('LOCK TABLE larder.audit IN SHARE MODE')
    const audit = { entryId: randomUUID(), action: 'refreshed', outcome: 'ok', keyEpoch: 1, sealed: Buffer.from('sealed entry'), sig: Buffer.from('sig') } as const
    const write: PairWrite = { credentialId: id, memberId, sentPairVersion: lease.pairVersion, sealed: Buffer.from('sealed pair 2'), keyEpoch: 1, nextRefreshAt, channel: CHANNEL, audit }
    return { write, locker }
  }

  it('writes a new pair over the one sent, NOTIFYing only at commit; a stale holder’s write changes nothing', async () => {
    const db = world.db()
    const id = await world.credential()
    const [ana, bo] = [await world.member(), await world.member()]
    const versionOf = async (): Promise<string> => ((await db.pool.query<{ version: string }>('SELECT version FROM larder.credentials WHERE id = $1', [id])).rows[0]?.version ?? 'none')
    const heard = await listen(await world.client('larder-listen'), versionOf)

    const nextRefreshAt = new Date(Date.now() + 86_400_000)
    const { write, locker } = await sendingWithAuditLocked(db, id, ana, nextRefreshAt)
    const writing = writePair(db, write)
    await sleep(400)
    expect(heard).toEqual([])
    expect(await versionOf()).toBe('1')
    await locker.query('COMMIT')
    expect(await writing).toEqual({ version: 2, pairVersion: 2, alreadyWritten: false })
    await until('the notification', () => heard.length === 1)
    expect(heard).toEqual([{ payload: JSON.stringify({ id, v: 2 }), versionSeen: '2' }])

    const { rows } = await db.pool.query('SELECT version, pair_version, sealed, next_refresh_at, lease_holder, lease_until, awaiting_by, awaiting_fence, awaiting_since FROM larder.credentials WHERE id = $1', [id])
    expect(rows[0]).toEqual({ version: '2', pair_version: '2', sealed: Buffer.from('sealed pair 2'), next_refresh_at: nextRefreshAt, lease_holder: null, lease_until: null, awaiting_by: null, awaiting_fence: null, awaiting_since: null })
    const audited = await db.pool.query('SELECT member_id, action, credential_id FROM larder.audit')
    expect(audited.rows).toEqual([{ member_id: ana, action: 'refreshed', credential_id: id }])

    // Bo refreshed from pair 1 too (a stale holder): nothing is written, nothing announced, nothing audited.
    const before = await world.rowText(id)
    const stale = await writePair(db, { ...write, memberId: bo, sealed: Buffer.from('sealed stale pair'), audit: { ...write.audit!, entryId: randomUUID() } }).catch((error: unknown) => error)
    expect(stale).toBeInstanceOf(StalePairError)
    expect(stale).toMatchObject({ sentPairVersion: 1, currentPairVersion: 2 })
    expect(await world.rowText(id)).toBe(before)
    // Ana's own write again (its commit's answer lost): found written, nothing written twice.
    expect(await writePair(db, write)).toEqual({ version: 2, pairVersion: 2, alreadyWritten: true })
    expect(await world.rowText(id)).toBe(before)
    await sleep(300)
    expect(heard).toHaveLength(1)
    expect((await db.pool.query('SELECT count(*)::int AS n FROM larder.audit')).rows[0]).toEqual({ n: 1 })
  })

  it('patches on the version read: a stale patch changes nothing and never lands over a newer pair; the sender’s fence clears its mark', async () => {
    const db = world.db()
    const id = randomUUID()
    await db.pool.query(`INSERT INTO larder.credentials (id, kind, version, pair_version, key_epoch, sealed) VALUES ($1, 'library', 1, 1, 1, $2)`, [id, seal(id, 1, { name: 'Acme', refreshToken: 'rt-1' })])
    const [ana, bo] = [await world.member(), await world.member()]

    // Ana read version 1 to rename it; meanwhile Bo refreshed it (pair 2).
    const boLease = mine(await acquireLease(db, { memberId: bo, credentialId: id, ...TERMS }))
    await markSending(db, { memberId: bo, credentialId: id, fence: boLease.fence })
    await writePair(db, { credentialId: id, memberId: bo, sentPairVersion: 1, sealed: seal(id, 2, { name: 'Acme', refreshToken: 'rt-2' }), keyEpoch: 1, nextRefreshAt: null, channel: CHANNEL })

    const before = await world.rowText(id)
    const conflict = await patchRow(db, { credentialId: id, expectedVersion: 1, sealed: seal(id, 1, { name: 'Acme Kitchen', refreshToken: 'rt-1' }) }).catch((error: unknown) => error)
    expect(conflict).toBeInstanceOf(VersionConflictError)
    expect(conflict).toMatchObject({ expectedVersion: 1, currentVersion: 2 })
    expect(await world.rowText(id)).toBe(before)

    // Re-read, re-apply: the rename lands on Bo's pair.
    const read = (await db.pool.query<{ version: string; pair_version: string; sealed: Buffer }>('SELECT version, pair_version, sealed FROM larder.credentials WHERE id = $1', [id])).rows[0]!
    const record = open(id, Number(read.pair_version), read.sealed)
    const patched = await patchRow(db, { credentialId: id, expectedVersion: Number(read.version), sealed: seal(id, Number(read.pair_version), { ...record, name: 'Acme Kitchen' }), nextRefreshAt: null })
    expect(patched).toEqual({ version: 3, pairVersion: 2 })
    const after = (await db.pool.query<{ pair_version: string; sealed: Buffer }>('SELECT pair_version, sealed FROM larder.credentials WHERE id = $1', [id])).rows[0]!
    expect(after.pair_version).toBe('2')
    expect(open(id, 2, after.sealed)).toEqual({ name: 'Acme Kitchen', refreshToken: 'rt-2' })

    // Ana's failed send: a patch with another fence leaves her mark, hers clears it; the lease stays.
    const anaLease = mine(await acquireLease(db, { memberId: ana, credentialId: id, ...TERMS }))
    await markSending(db, { memberId: ana, credentialId: id, fence: anaLease.fence })
    const failed = seal(id, 2, { name: 'Acme Kitchen', refreshToken: 'rt-2', lastError: 'unanswered' })
    await patchRow(db, { credentialId: id, expectedVersion: 3, sealed: failed, clearAwaitingFence: anaLease.fence - 1 })
    const marks = async (): Promise<unknown> => (await db.pool.query('SELECT awaiting_by, lease_holder, pair_version FROM larder.credentials WHERE id = $1', [id])).rows[0]
    expect(await marks()).toEqual({ awaiting_by: ana, lease_holder: ana, pair_version: '2' })
    expect(await patchRow(db, { credentialId: id, expectedVersion: 4, sealed: failed, clearAwaitingFence: anaLease.fence })).toEqual({ version: 5, pairVersion: 2 })
    expect(await marks()).toEqual({ awaiting_by: null, lease_holder: ana, pair_version: '2' })
  })

  it('keeps the lease and the mark across a server restart between acquire and write; the write after it succeeds', async () => {
    const db = world.db()
    const id = await world.credential()
    const ana = await world.member()
    const lease = mine(await acquireLease(db, { memberId: ana, credentialId: id, ...TERMS }))
    await markSending(db, { memberId: ana, credentialId: id, fence: lease.fence })
    const idleBefore = db.pool.totalCount
    expect(idleBefore).toBeGreaterThan(0)

    await world.server().restart()

    const { rows } = await db.pool.query<{ lease_holder: string; awaiting_by: string }>('SELECT lease_holder, awaiting_by FROM larder.credentials WHERE id = $1', [id])
    expect(rows[0]).toEqual({ lease_holder: ana, awaiting_by: ana })
    expect(await writePair(db, { credentialId: id, memberId: ana, sentPairVersion: lease.pairVersion, sealed: Buffer.from('sealed pair 2'), keyEpoch: 1, nextRefreshAt: null, channel: CHANNEL })).toEqual({
      version: 2,
      pairVersion: 2,
      alreadyWritten: false
    })

    await world.server().crash()
    expect(await writePair(db, { credentialId: id, memberId: ana, sentPairVersion: 2, sealed: Buffer.from('sealed pair 3'), keyEpoch: 1, nextRefreshAt: null, channel: CHANNEL })).toMatchObject({ pairVersion: 3 })
  })

  it('fails a write the restart cut inside its transaction with nothing written; the caller writes the same again and it lands once', async () => {
    const db = world.db()
    const id = await world.credential()
    const ana = await world.member()
    const { write } = await sendingWithAuditLocked(db, id, ana, null)
    const cut = writePair(db, write).catch((error: unknown) => error)
    await sleep(300)
    await world.server().restart()
    const failure = await cut
    expect(failure).toBeInstanceOf(Error)
    expect(failure).not.toBeInstanceOf(StalePairError)
    const { rows } = await db.pool.query('SELECT version, pair_version, awaiting_by FROM larder.credentials WHERE id = $1', [id])
    expect(rows[0]).toEqual({ version: '1', pair_version: '1', awaiting_by: ana })

    // What the caller does with a write whose answer it did not get: the same write again (same blob, same entry).
    expect(await writePair(db, write)).toEqual({ version: 2, pairVersion: 2, alreadyWritten: false })
    expect(await writePair(db, write)).toEqual({ version: 2, pairVersion: 2, alreadyWritten: true })
    expect((await db.pool.query('SELECT count(*)::int AS n FROM larder.audit')).rows[0]).toEqual({ n: 1 })
  })
})
