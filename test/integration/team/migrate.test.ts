// The team database's schema against a real PostgreSQL (issue 16): created from nothing, left alone when current,
// applied once when five members start together, and a database set up by a newer Larder refused with nothing
// written. Connected through the URL rules Larder uses (teamConnectionOptions).
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/core/team/db/migrate.ts'
import { LATEST_SCHEMA, TeamSchemaTooNewError } from '../../../src/main/core/team/db/migrations.ts'
import { teamConnectionOptions } from '../../../src/main/core/team/db/connection-config.ts'
import { databaseUrl, findPgBinaries, pgServerForSuite, type PgServer } from '../../support/postgres-server.ts'

const binaries = findPgBinaries()
/** The suite's server (pgServerForSuite, inside the describe block). */
let running: () => PgServer
const pools: pg.Pool[] = []

function pool(): pg.Pool {
  const made = new pg.Pool({ ...teamConnectionOptions({ url: running().url() }, 'larder-migrate-test'), max: 2 })
  // An idle client's error would otherwise end the process.
  made.on('error', () => undefined)
  pools.push(made)
  return made
}

describe.skipIf(binaries.bin === null)('the team schema', { timeout: 60_000 }, () => {
  running = pgServerForSuite(binaries)
  afterAll(async () => {
    await Promise.all(pools.splice(0).map((made) => made.end()))
  }, 30_000)

  it('is created from nothing, then left alone; five members starting together apply each migration once', async () => {
    await running().query('CREATE DATABASE together')
    const members = Array.from({ length: 5 }, () => {
      const made = new pg.Pool({ ...teamConnectionOptions({ url: databaseUrl(running(), 'together') }, 'larder-member'), max: 1 })
      made.on('error', () => undefined)
      pools.push(made)
      return made
    })
    const results = await Promise.all(members.map((member) => migrate(member, { larderVersion: 'test' })))
    expect(results.flatMap((result) => result.applied)).toEqual(Array.from({ length: LATEST_SCHEMA }, (_, i) => i + 1))
    expect(results.every((result) => result.to === LATEST_SCHEMA)).toBe(true)
    const recorded = await members[0]?.query('SELECT version FROM larder.schema_migrations ORDER BY version')
    expect(recorded?.rows.map((row: { version: number }) => row.version)).toEqual(Array.from({ length: LATEST_SCHEMA }, (_, i) => i + 1))

    const first = await migrate(pool(), { larderVersion: 'test' })
    expect(first).toEqual({ from: 0, to: LATEST_SCHEMA, applied: Array.from({ length: LATEST_SCHEMA }, (_, i) => i + 1) })
    expect(await migrate(pool(), { larderVersion: 'test' })).toEqual({ from: LATEST_SCHEMA, to: LATEST_SCHEMA, applied: [] })
    const tables = await running().query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'larder' ORDER BY table_name")
    expect(tables).toEqual(['audit', 'credentials', 'join_requests', 'key_wraps', 'members', 'schema_migrations', 'team'])
  })

  it('refuses a database a newer Larder upgraded, and writes nothing to it', async () => {
    await running().query('CREATE DATABASE newer')
    const newer = new pg.Pool({ ...teamConnectionOptions({ url: databaseUrl(running(), 'newer') }, 'larder-member'), max: 1 })
    newer.on('error', () => undefined)
    pools.push(newer)
    await migrate(newer, { larderVersion: 'test' })
    await newer.query("INSERT INTO larder.schema_migrations (version, name, larder_version) VALUES (999, 'from the future', 'next')")
    const before = (await newer.query('SELECT count(*)::int AS n FROM larder.schema_migrations')).rows[0] as { n: number }
    const refusal = await migrate(newer, { larderVersion: 'test' }).catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(TeamSchemaTooNewError)
    expect((refusal as TeamSchemaTooNewError).message).toContain('schema 999')
    const after = (await newer.query('SELECT count(*)::int AS n FROM larder.schema_migrations')).rows[0] as { n: number }
    expect(after.n).toBe(before.n)
  })

  it('refuses a schema name that is not a plain identifier, naming the field', async () => {
    await expect(migrate(pool(), { schema: 'larder"; DROP TABLE x; --', larderVersion: 'test' })).rejects.toMatchObject({ field: 'teamSchema' })
  })
})
