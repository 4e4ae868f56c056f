// A member's link checks, at every connect, that the database still holds its team (issue 16): a URL can come to
// point elsewhere (LARDER_TEAM_DATABASE_URL out of reach at start, a database restored from another team's backup).
// Such a database keeps the member offline, saying why without the password, and nothing of it is read or written;
// once the team's own database answers there again, the member is back online by itself.
import pg from 'pg'
import { describe, expect, it, vi } from 'vitest'
import { findPgBinaries, pgServerForSuite, type PgServer } from '../../support/postgres-server.ts'
import { addLibrary, makeTeamOfApps, ok, online, teamAppsPerTest, type TeamApps } from './team-apps.ts'

const binaries = findPgBinaries()

describe.skipIf(binaries.bin === null)('a team database that holds another team', { timeout: 120_000 }, () => {
  const running: () => PgServer = pgServerForSuite(binaries)
  const apps: TeamApps = teamAppsPerTest(running, 'identity')

  it('keeps the member offline with the reason, and lets it back once its own team is there again', async () => {
    const ana = await apps.machine()
    await makeTeamOfApps(apps.url(), { h: ana, name: 'Ana' }, [])
    await addLibrary(ana, 'Harbour Kitchen')
    const admin = new pg.Client({ connectionString: apps.url() })
    await admin.connect()
    try {
      const { rows } = await admin.query<{ id: string }>('SELECT id FROM larder.team')
      const teamId = rows[0]?.id ?? ''
      const before = await admin.query<{ n: string }>('SELECT count(*) AS n FROM larder.credentials')
      // The database now holds another team (as a restored backup of another team's would), and Ana's session drops.
      await admin.query('UPDATE larder.team SET id = gen_random_uuid()')
      await running().terminate('larder-listen')
      await vi.waitFor(
        async () => {
          await ana.advance(10)
          const view = ok(await ana.handlers['team.state']({}))
          expect(view.link).toMatchObject({ state: 'offline', reason: expect.stringMatching(/holds another team than this vault’s/) })
        },
        { timeout: 20_000, interval: 100 }
      )
      const view = ok(await ana.handlers['team.state']({}))
      expect(view.link.reason).not.toMatch(/password|secret/i)
      expect(view.link.reason).not.toContain(new URL(apps.url()).password || '\u0000')
      // Offline from the team, nothing is written there.
      await addLibrary(ana, 'Quay Bistro').catch(() => undefined)
      expect((await admin.query<{ n: string }>('SELECT count(*) AS n FROM larder.credentials')).rows[0]?.n).toBe(before.rows[0]?.n)
      // Its own team back: online again by itself.
      await admin.query('UPDATE larder.team SET id = $1', [teamId])
      await online(ana)
    } finally {
      await admin.end()
    }
  })
})
