// A member's trail in a team (core/team/team-audit-log.ts), with a real local audit file and a real PostgreSQL:
// entries are recorded locally first (offline too), then pushed; a push repeated after a crash that lost the cursor
// stores nothing twice; entries keep their order and content in the team's trail.
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { openAuditLog } from '../../../src/main/core/audit/audit-log.ts'
import { newMemberKeys } from '../../../src/main/core/team/crypto/member-keys.ts'
import type { TeamDb } from '../../../src/main/core/team/db/transaction.ts'
import { createTeam, type TeamSession } from '../../../src/main/core/team/membership.ts'
import { readTeamAudit } from '../../../src/main/core/team/team-audit.ts'
import { TeamAuditLog, teamEntryId, type PushCursor } from '../../../src/main/core/team/team-audit-log.ts'
import { findPgBinaries, pgServerForSuite, type PgServer } from '../../support/postgres-server.ts'
import { teamDbPerTest } from '../../support/team-db.ts'
import { tempDir } from '../../unit/vault/fixtures.ts'

const binaries = findPgBinaries()
let running: () => PgServer
let db: TeamDb

const memoryCursor = (): PushCursor & { seq: number } => {
  const cursor = { seq: 0, read: () => cursor.seq, write: (seq: number) => void (cursor.seq = seq) }
  return cursor
}
const teamOf = (session: TeamSession) => ({ teamId: session.teamId, roster: session.roster, teamKeyOf: (epoch: number) => (epoch === session.epoch ? session.teamKey : undefined) })
const library = randomUUID()

describe.skipIf(binaries.bin === null)('a member’s trail pushed to the team', { timeout: 90_000 }, () => {
  running = pgServerForSuite(binaries)
  const teamDb = teamDbPerTest(running, 'trail')
  beforeEach(() => {
    db = teamDb()
  })

  it('records offline locally, pushes once online in order, and stores nothing twice', async () => {
    const keys = newMemberKeys()
    const session = await createTeam(db, { id: randomUUID(), label: 'Ana', keys })
    let online = false
    const cursor = memoryCursor()
    const local = await openAuditLog({ path: path.join(tempDir(), 'audit.log') })
    const trail = new TeamAuditLog(local, { current: () => (online ? { db, session, keys } : null) }, cursor)

    await trail.append({ action: 'copied', libraryId: library, libraryName: 'Bistro Noord', outcome: 'ok', via: 'window' })
    await trail.append({ action: 'refreshed', libraryId: library, libraryName: 'Bistro Noord', outcome: 'ok', detail: 'trigger: timer' })
    expect(await trail.push()).toBe(0)
    expect((await local.page({ limit: 10 })).entries).toHaveLength(2)
    expect((await db.pool.query('SELECT count(*)::int AS n FROM larder.audit')).rows[0]).toEqual({ n: 0 })

    online = true
    expect(await trail.push()).toBe(2)
    expect(cursor.seq).toBe(2)
    await trail.append({ action: 'restored', libraryId: null, libraryName: null, outcome: 'ok' })
    await trail.push()
    const team = await readTeamAudit(db, teamOf(session), { limit: 10 })
    expect(team.entries.map((e) => [e.action, e.credentialId, e.via ?? e.detail ?? null])).toEqual([
      ['restored', null, null],
      ['refreshed', library, 'trigger: timer'],
      ['copied', library, 'window']
    ])
    expect(team.entries.every((e) => e.member.verified)).toBe(true)

    // A crash lost the cursor: the same entries go again and are stored once.
    cursor.seq = 0
    expect(await trail.push()).toBe(0)
    expect((await db.pool.query('SELECT count(*)::int AS n FROM larder.audit')).rows[0]).toEqual({ n: 3 })
    await trail.close()
  })

  it('derives one team id per member and seq', () => {
    const a = randomUUID()
    expect(teamEntryId(a, 1)).toBe(teamEntryId(a, 1))
    expect(teamEntryId(a, 1)).not.toBe(teamEntryId(a, 2))
    expect(teamEntryId(a, 1)).not.toBe(teamEntryId(randomUUID(), 1))
    expect(teamEntryId(a, 1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})
