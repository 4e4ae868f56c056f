// One refresher per token family across all members (issue 16, plan §4), against a real PostgreSQL: the lease is a
// compare-and-set on the row, timed by the server's clock. Fifty members racing get one holder; a lease past its
// term goes to the next member with a higher fence and the old holder can neither send nor release; nothing is sent
// on a lease about to end; a refresh token that went out blocks everyone else until its sender is silent long enough.
import { describe, expect, it } from 'vitest'
import { acquireLease, LeaseLostError, markSending, releaseLease, renewLease, touchMember, type LeaseOutcome } from '../../../src/main/core/team/leases.ts'
import { findPgBinaries } from '../../support/postgres-server.ts'
import { leaseWorld, sleep, TERMS } from './lease-fixture.ts'

const binaries = findPgBinaries()

function mine(outcome: LeaseOutcome): Extract<LeaseOutcome, { kind: 'mine' }> {
  if (outcome.kind !== 'mine') throw new Error(`expected the lease, got ${JSON.stringify(outcome)}`)
  return outcome
}

describe.skipIf(binaries.bin === null)('leases on team credentials', { timeout: 60_000 }, () => {
  const world = leaseWorld(binaries)

  it('gives the lease to exactly one of 50 members racing for it; the others are told who holds it', async () => {
    const id = await world.credential()
    const members = await Promise.all(Array.from({ length: 50 }, () => world.member()))
    const pool = world.pool(50, 'larder-racer')
    // Fifty connections open first, so the acquires race on the row rather than on connecting.
    const opened = await Promise.all(members.map(() => pool.connect()))
    for (const client of opened) client.release()
    expect(pool.totalCount).toBe(50)

    const db = { pool, schema: world.db().schema }
    const outcomes = await Promise.all(members.map((memberId) => acquireLease(db, { memberId, credentialId: id, ...TERMS })))

    const winners = outcomes.flatMap((outcome, i) => (outcome.kind === 'mine' ? [{ member: members[i], fence: outcome.fence }] : []))
    expect(winners).toHaveLength(1)
    const winner = winners[0]
    expect(winner?.fence).toBe(1)
    const others = outcomes.filter((outcome) => outcome.kind !== 'mine')
    expect(others).toHaveLength(49)
    for (const other of others) expect(other).toMatchObject({ kind: 'elsewhere', holder: winner?.member, awaitingBy: null })
    const { rows } = await world.db().pool.query<{ lease_holder: string; lease_fence: string }>('SELECT lease_holder, lease_fence FROM larder.credentials WHERE id = $1', [id])
    expect(rows[0]).toEqual({ lease_holder: winner?.member, lease_fence: '1' })
  })

  it('gives a lease past its term to another member with a higher fence; the first holder can then neither send, renew nor release', async () => {
    const db = world.db()
    const id = await world.credential()
    const [ana, bo] = [await world.member(), await world.member()]
    const anaLease = mine(await acquireLease(db, { memberId: ana, credentialId: id, termSeconds: 0.5, orphanSeconds: 900 }))
    expect(await acquireLease(db, { memberId: bo, credentialId: id, ...TERMS })).toMatchObject({ kind: 'elsewhere', holder: ana, awaitingBy: null })

    await sleep(700)
    const boLease = mine(await acquireLease(db, { memberId: bo, credentialId: id, ...TERMS }))
    expect(boLease.fence).toBeGreaterThan(anaLease.fence)

    const before = await world.rowText(id)
    const held = { memberId: ana, credentialId: id, fence: anaLease.fence }
    const sending = await markSending(db, held).catch((error: unknown) => error)
    expect(sending).toBeInstanceOf(LeaseLostError)
    expect(sending).toMatchObject({ reason: 'taken', fence: anaLease.fence })
    await expect(renewLease(db, { ...held, termSeconds: 30 })).rejects.toBeInstanceOf(LeaseLostError)
    expect(await releaseLease(db, held)).toBe(false)
    expect(await world.rowText(id)).toBe(before)

    // Bo's own release does let it go.
    expect(await releaseLease(db, { memberId: bo, credentialId: id, fence: boLease.fence })).toBe(true)
    expect(mine(await acquireLease(db, { memberId: ana, credentialId: id, ...TERMS })).fence).toBe(boLease.fence + 1)
  })

  it('sends nothing on a lease with less than 2 s left; a sent refresh token blocks others past the lease until its sender is silent for the orphan time', async () => {
    const db = world.db()
    const id = await world.credential()
    const [ana, bo] = [await world.member(), await world.member()]

    const short = mine(await acquireLease(db, { memberId: ana, credentialId: id, termSeconds: 1, orphanSeconds: 900 }))
    await expect(markSending(db, { memberId: ana, credentialId: id, fence: short.fence })).rejects.toMatchObject({ name: 'LeaseLostError', reason: 'ending' })
    const { rows: unmarked } = await db.pool.query('SELECT awaiting_by FROM larder.credentials WHERE id = $1', [id])
    expect(unmarked[0]).toEqual({ awaiting_by: null })

    const lease = mine(await acquireLease(db, { memberId: ana, credentialId: id, termSeconds: 2.6, orphanSeconds: 900 }))
    const leaseEnds = Date.now() + 2_600
    const marked = await markSending(db, { memberId: ana, credentialId: id, fence: lease.fence })
    const { rows: awaiting } = await db.pool.query<{ awaiting_by: string; awaiting_fence: string }>('SELECT awaiting_by, awaiting_fence FROM larder.credentials WHERE id = $1', [id])
    expect(awaiting[0]).toEqual({ awaiting_by: ana, awaiting_fence: String(lease.fence) })
    // Ana was last seen an hour ago: only the age of her mark holds Bo back below.
    await db.pool.query("UPDATE larder.members SET last_seen = clock_timestamp() - interval '1 hour' WHERE id = $1", [ana])

    await sleep(leaseEnds - Date.now() + 200)
    // Ana's lease ran out, her mark is about 2.8 s old.
    expect(await acquireLease(db, { memberId: bo, credentialId: id, termSeconds: 30, orphanSeconds: 5 })).toMatchObject({ kind: 'elsewhere', holder: null, awaitingBy: ana })
    // The mark is older than 1 s, but Ana was seen just now.
    expect(await touchMember(db, ana)).toBe(true)
    expect(await acquireLease(db, { memberId: bo, credentialId: id, termSeconds: 30, orphanSeconds: 1 })).toMatchObject({ kind: 'elsewhere', holder: null, awaitingBy: ana })

    await sleep(1_200)
    const takeover = mine(await acquireLease(db, { memberId: bo, credentialId: id, termSeconds: 30, orphanSeconds: 1 }))
    expect(takeover.fence).toBeGreaterThan(lease.fence)
    expect(takeover.awaiting).toEqual({ by: ana, fence: lease.fence, since: marked.since })
    expect(await acquireLease(db, { memberId: ana, credentialId: id, ...TERMS })).toMatchObject({ kind: 'elsewhere', holder: bo })
  })

  it('lets a member back with its own mark take the lease at once; a removed member’s mark is taken over without waiting for its silence', async () => {
    const db = world.db()
    const [ana, bo] = [await world.member(), await world.member()]

    const own = await world.credential()
    const before = mine(await acquireLease(db, { memberId: ana, credentialId: own, ...TERMS }))
    await markSending(db, { memberId: ana, credentialId: own, fence: before.fence })
    expect(await releaseLease(db, { memberId: ana, credentialId: own, fence: before.fence })).toBe(true)
    expect(await acquireLease(db, { memberId: bo, credentialId: own, ...TERMS })).toMatchObject({ kind: 'elsewhere', holder: null, awaitingBy: ana })
    const back = mine(await acquireLease(db, { memberId: ana, credentialId: own, ...TERMS }))
    expect(back.awaiting).toMatchObject({ by: ana, fence: before.fence })

    const removed = await world.credential()
    const sent = mine(await acquireLease(db, { memberId: ana, credentialId: removed, ...TERMS }))
    await markSending(db, { memberId: ana, credentialId: removed, fence: sent.fence })
    await releaseLease(db, { memberId: ana, credentialId: removed, fence: sent.fence })
    await db.pool.query('UPDATE larder.members SET removed_at = clock_timestamp() WHERE id = $1', [ana])
    expect(await touchMember(db, ana)).toBe(false)
    await sleep(600)
    expect(mine(await acquireLease(db, { memberId: bo, credentialId: removed, termSeconds: 30, orphanSeconds: 0.5 })).awaiting).toMatchObject({ by: ana })
  })

  it('renews only a live lease of its holder, by a whole term from now', async () => {
    const db = world.db()
    const id = await world.credential()
    const ana = await world.member()
    const lease = mine(await acquireLease(db, { memberId: ana, credentialId: id, termSeconds: 1, orphanSeconds: 900 }))
    const renewed = await renewLease(db, { memberId: ana, credentialId: id, fence: lease.fence, termSeconds: 30 })
    expect(renewed.until.getTime() - lease.until.getTime()).toBeGreaterThan(28_000)
    await markSending(db, { memberId: ana, credentialId: id, fence: lease.fence })
    await db.pool.query("UPDATE larder.credentials SET deleted = true, sealed = '' WHERE id = $1", [id])
    await expect(renewLease(db, { memberId: ana, credentialId: id, fence: lease.fence, termSeconds: 30 })).rejects.toMatchObject({ reason: 'gone' })
    expect(await acquireLease(db, { memberId: ana, credentialId: id, ...TERMS })).toEqual({ kind: 'gone' })
  })
})
