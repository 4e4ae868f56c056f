// This machine's side of making, joining and leaving room for approval (core/team/team-membership.ts), against a real
// PostgreSQL and real vaults: the team file beside each vault is written only after the database step succeeded, an
// offline start opens the session from it alone, a vault already in a team is refused with nothing changed, and a
// member whose key is not given for a new epoch learns it was removed (its file unchanged).
import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { approveJoin } from '../../../src/main/core/team/membership.ts'
import { askToJoin, connectTeamDb, finishJoining, memberLabel, openMembership, refreshMembership, startTeam, TeamRemovedError, type OpenTeamDb, type TeamPlace } from '../../../src/main/core/team/team-membership.ts'
import { readTeamFile, teamFilePath } from '../../../src/main/core/team/team-settings.ts'
import type { Vault } from '../../../src/main/core/vault/vault-types.ts'
import { databaseUrl, findPgBinaries, pgServerForSuite, type PgServer } from '../../support/postgres-server.ts'
import { newCipher, open, tempDir, trackVault } from '../../unit/vault/fixtures.ts'

const binaries = findPgBinaries()
let running: () => PgServer
let databases = 0
let place: TeamPlace
const opened: OpenTeamDb[] = []

async function connect(): Promise<OpenTeamDb> {
  const db = await connectTeamDb(place, { applicationName: 'larder-member', larderVersion: 'test' })
  opened.push(db)
  return db
}
const newVault = async (): Promise<Vault> => trackVault(await open(tempDir(), await newCipher()))

describe.skipIf(binaries.bin === null)('membership on this machine', { timeout: 90_000 }, () => {
  running = pgServerForSuite(binaries)
  beforeEach(async () => {
    databases += 1
    await running().query(`CREATE DATABASE member${databases}`)
    place = { database: { url: databaseUrl(running(), `member${databases}`) }, schema: 'larder' }
  })
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close()
  })

  it('makes a team, lets a second machine in by its code, and both open their sessions later from their team files alone', async () => {
    const ana = await newVault()
    const bo = await newVault()
    const anaDb = await connect()
    const anaSession = await startTeam(ana, anaDb, place, '  Ana, office  ')
    const boDb = await connect()
    const { code } = await askToJoin(bo, boDb, place, 'Bo at home')
    expect(readTeamFile(teamFilePath(bo.path))).toMatchObject({ state: 'joining', teamId: null, label: 'Bo at home' })
    expect(await finishJoining(bo, boDb)).toBeNull()
    expect(readTeamFile(teamFilePath(bo.path))?.state).toBe('joining')

    await approveJoin(anaDb, anaSession, code)
    const boSession = await finishJoining(bo, boDb)
    expect(boSession?.teamKey.equals(anaSession.teamKey)).toBe(true)
    const boFile = readTeamFile(teamFilePath(bo.path))
    expect(boFile).toMatchObject({ state: 'member', teamId: anaSession.teamId, sealedJoinCode: null, currentEpoch: 1 })
    // The code is no longer kept once in.
    expect(fs.readFileSync(teamFilePath(bo.path), 'utf8')).not.toContain(code)

    // Ana's cached roster still names only Ana; a refresh reads Bo in.
    const anaRefreshed = await refreshMembership(ana, anaDb, anaSession)
    expect(anaRefreshed.roster.members.map((m) => m.label)).toEqual(['Ana, office', 'Bo at home'])

    // Both open from their files alone (openMembership is given no connection).
    for (const db of opened.splice(0)) await db.close()
    const anaOffline = await openMembership(ana)
    const boOffline = await openMembership(bo)
    expect(anaOffline).toMatchObject({ teamId: anaSession.teamId, memberId: anaSession.memberId, epoch: 1 })
    expect(anaOffline.roster.members).toHaveLength(2)
    expect(boOffline.teamKey.equals(anaSession.teamKey)).toBe(true)
  })

  it('refuses a second team or request on a vault already in one, with its file unchanged', async () => {
    const ana = await newVault()
    const db = await connect()
    await startTeam(ana, db, place, 'Ana')
    const before = fs.readFileSync(teamFilePath(ana.path))
    await expect(startTeam(ana, db, place, 'Ana again')).rejects.toThrow('is in a team already')
    await expect(askToJoin(ana, db, place, 'Ana again')).rejects.toThrow('is in a team already')
    expect(fs.readFileSync(teamFilePath(ana.path)).equals(before)).toBe(true)
    expect((await db.pool.query('SELECT count(*)::int AS n FROM larder.join_requests')).rows[0]).toEqual({ n: 0 })
  })

  it('a database step that fails writes no team file', async () => {
    const ana = await newVault()
    const bo = await newVault()
    const db = await connect()
    await startTeam(ana, db, place, 'Ana')
    // One team per database: Bo's attempt to make a second fails, and leaves Bo in no team.
    await expect(startTeam(bo, db, place, 'Bo')).rejects.toThrow('already holds a team')
    expect(readTeamFile(teamFilePath(bo.path))).toBeNull()
  })

  it('a member given no key for a new epoch learns it was removed; its file is left as it was', async () => {
    const ana = await newVault()
    const db = await connect()
    const session = await startTeam(ana, db, place, 'Ana')
    const before = fs.readFileSync(teamFilePath(ana.path))
    await db.pool.query('UPDATE larder.team SET current_epoch = 2')
    await expect(refreshMembership(ana, db, session)).rejects.toBeInstanceOf(TeamRemovedError)
    expect(fs.readFileSync(teamFilePath(ana.path)).equals(before)).toBe(true)
  })

  it('a member name is 1 to 80 characters without control characters', () => {
    expect(memberLabel(' Dana ')).toBe('Dana')
    for (const bad of ['', '   ', 'x'.repeat(81), 'Dana\u0007']) expect(() => memberLabel(bad)).toThrow('1 to 80 characters')
  })
})
