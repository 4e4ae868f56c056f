// The team's audit trail (core/team/team-audit.ts) against a real PostgreSQL: two members push entries, each stored
// once however often pushed; the trail reads newest first with who did it, filtered by member and paged; an entry the
// database changed reads as unverified; the library's name, the sentence and how it was done are never in clear.
import { randomUUID } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import { newJoinCode } from '../../../src/main/core/team/crypto/join-code.ts'
import { newMemberKeys } from '../../../src/main/core/team/crypto/member-keys.ts'
import type { TeamDb } from '../../../src/main/core/team/db/transaction.ts'
import { approveJoin, completeJoin, createTeam, requestJoin, type NewMember, type TeamSession } from '../../../src/main/core/team/membership.ts'
import { pushTeamAudit, readTeamAudit, type TeamAuditInput } from '../../../src/main/core/team/team-audit.ts'
import { findPgBinaries, pgServerForSuite, type PgServer } from '../../support/postgres-server.ts'
import { teamDbPerTest } from '../../support/team-db.ts'

const binaries = findPgBinaries()
let running: () => PgServer
let db: TeamDb

const member = (label: string): NewMember => ({ id: randomUUID(), label, keys: newMemberKeys() })
const SECRET_NAME = 'Brasserie Zuidas Oost'
const SECRET_DETAIL = 'copied for the nightly stock export'

function entry(action: string, via: string, credentialId: string | null = randomUUID()): TeamAuditInput {
  return { entryId: randomUUID(), action, outcome: 'ok', credentialId, at: Date.now(), libraryName: SECRET_NAME, detail: SECRET_DETAIL, via, tokenType: 'service_account' }
}

async function twoMembers(): Promise<{ ana: NewMember; bo: NewMember; anaSession: TeamSession; boSession: TeamSession }> {
  const ana = member('Ana, office')
  const anaSession = await createTeam(db, ana)
  const bo = member('Bo at home')
  const code = newJoinCode()
  await requestJoin(db, bo, code)
  await approveJoin(db, anaSession, code)
  const joined = await completeJoin(db, bo, code)
  if (joined === null) throw new Error('Bo is not in')
  // Ana reads the roster Bo is in.
  return { ana, bo, anaSession: { ...anaSession, roster: joined.roster }, boSession: joined }
}

const teamOf = (session: TeamSession) => ({ teamId: session.teamId, roster: session.roster, teamKeyOf: (epoch: number) => (epoch === session.epoch ? session.teamKey : undefined) })

describe.skipIf(binaries.bin === null)('the team audit trail', { timeout: 90_000 }, () => {
  running = pgServerForSuite(binaries)
  const teamDb = teamDbPerTest(running, 'audit')
  beforeEach(() => {
    db = teamDb()
  })

  it('stores each entry once, reads newest first with its member, filters by member and pages', async () => {
    const { ana, bo, anaSession, boSession } = await twoMembers()
    const anaEntries = [entry('copied', 'window'), entry('refreshed', 'timer'), entry('copied', 'larder token')]
    const boEntries = [entry('copied', 'tray'), entry('removed', 'window')]
    expect(await pushTeamAudit(db, anaSession, ana.keys, anaEntries)).toBe(3)
    expect(await pushTeamAudit(db, boSession, bo.keys, boEntries)).toBe(2)
    // Pushed again (an answer lost, or back from offline): nothing new.
    expect(await pushTeamAudit(db, anaSession, ana.keys, anaEntries)).toBe(0)

    const all = await readTeamAudit(db, teamOf(anaSession), { limit: 10 })
    expect(all.entries.map((e) => [e.member.name, e.action, e.via, e.member.verified])).toEqual([
      ['Bo at home', 'removed', 'window', true],
      ['Bo at home', 'copied', 'tray', true],
      ['Ana, office', 'copied', 'larder token', true],
      ['Ana, office', 'refreshed', 'timer', true],
      ['Ana, office', 'copied', 'window', true]
    ])
    expect(all.entries[0]).toMatchObject({ libraryName: SECRET_NAME, detail: SECRET_DETAIL, tokenType: 'service_account' })
    expect(all.nextBefore).toBeNull()

    const onlyBo = await readTeamAudit(db, teamOf(anaSession), { limit: 10, memberId: bo.id })
    expect(onlyBo.entries.map((e) => e.entryId)).toEqual([boEntries[1]?.entryId, boEntries[0]?.entryId])

    const first = await readTeamAudit(db, teamOf(boSession), { limit: 2 })
    expect(first.entries).toHaveLength(2)
    expect(first.nextBefore).not.toBeNull()
    const second = await readTeamAudit(db, teamOf(boSession), { limit: 2, before: first.nextBefore ?? undefined })
    expect(second.entries.map((e) => e.via)).toEqual(['larder token', 'timer'])
  })

  it('an entry the database changed reads as unverified; one sealed for an epoch this member lacks is counted unreadable', async () => {
    const { ana, anaSession } = await twoMembers()
    const copied = entry('copied', 'window')
    await pushTeamAudit(db, anaSession, ana.keys, [copied, entry('refreshed', 'timer')])
    await db.pool.query("UPDATE larder.audit SET action = 'reauthorized' WHERE entry_id = $1", [copied.entryId])
    const read = await readTeamAudit(db, teamOf(anaSession), { limit: 10 })
    expect(read.entries.find((e) => e.entryId === copied.entryId)?.member.verified).toBe(false)
    expect(read.entries.find((e) => e.entryId !== copied.entryId)?.member.verified).toBe(true)
    await db.pool.query('UPDATE larder.audit SET key_epoch = 7 WHERE entry_id = $1', [copied.entryId])
    expect(await readTeamAudit(db, teamOf(anaSession), { limit: 10 })).toMatchObject({ unreadable: 1 })
  })

  it('holds no library name, sentence or way of use in clear', async () => {
    const { ana, anaSession } = await twoMembers()
    await pushTeamAudit(db, anaSession, ana.keys, [entry('copied', 'larder token')])
    const { rows } = await db.pool.query('SELECT * FROM larder.audit')
    const stored = JSON.stringify(rows, (_key, value: unknown) => (value !== null && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' ? Buffer.from((value as { data: number[] }).data).toString('latin1') : value))
    for (const secret of [SECRET_NAME, SECRET_DETAIL, 'larder token', 'service_account']) expect(stored.includes(secret), secret).toBe(false)
  })
})
