// What the lease tests share (issue 16, plan §4): a real PostgreSQL per describe block, a fresh migrated database per
// test, members and credential rows put in with plain SQL, and the whole row as text to show nothing changed.
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterEach, beforeEach } from 'vitest'
import { teamConnectionOptions } from '../../../src/main/core/team/db/connection-config.ts'
import { migrate } from '../../../src/main/core/team/db/migrate.ts'
import { schemaName } from '../../../src/main/core/team/db/migrations.ts'
import type { TeamDb } from '../../../src/main/core/team/db/transaction.ts'
import { databaseUrl, pgServerForSuite, type PgBinaries, type PgServer } from '../../support/postgres-server.ts'

/** The plan's terms (30 s lease, 15 min orphan): for steps that must not run out while a test runs. Tests of time pass their own. */
export const TERMS = { termSeconds: 30, orphanSeconds: 900 } as const

export interface LeaseWorld {
  readonly server: () => PgServer
  /** This test's database (migrated, empty). */
  readonly db: () => TeamDb
  /** Another pool on this test's database (closed after the test). */
  pool(max: number, applicationName?: string): pg.Pool
  /** A client of its own on this test's database (for LISTEN or holding a lock; ended after the test). */
  client(applicationName: string): Promise<pg.Client>
  /** A member row; its id. */
  member(): Promise<string>
  /** A library row at version 1, pair version 1; its id. */
  credential(sealed?: Buffer): Promise<string>
  /** The whole row as PostgreSQL prints it (every column, bytea in hex). */
  rowText(id: string): Promise<string>
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

let databases = 0

/** Call inside a describe block. */
export function leaseWorld(binaries: PgBinaries): LeaseWorld {
  const server = pgServerForSuite(binaries)
  let current: { db: TeamDb; url: string } | null = null
  const pools: pg.Pool[] = []
  const clients: pg.Client[] = []

  beforeEach(async () => {
    databases += 1
    const name = `leases${databases}`
    await server().query(`CREATE DATABASE ${name}`)
    const url = databaseUrl(server(), name)
    const pool = newPool(url, 5, 'larder-member')
    current = { db: { pool, schema: schemaName('larder') }, url }
    await migrate(pool, { larderVersion: 'test' })
  })
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end().catch(() => undefined)))
    await Promise.all(pools.splice(0).map((pool) => pool.end()))
    current = null
  })

  function newPool(url: string, max: number, applicationName: string): pg.Pool {
    const pool = new pg.Pool({ ...teamConnectionOptions({ url }, applicationName), max })
    // An idle client's error (a server restart) would otherwise end the process; the pool drops that client.
    pool.on('error', () => undefined)
    pools.push(pool)
    return pool
  }
  const now = (): { db: TeamDb; url: string } => {
    if (current === null) throw new Error('No test database: use the world inside a test.')
    return current
  }

  return {
    server,
    db: () => now().db,
    pool: (max, applicationName = 'larder-member') => newPool(now().url, max, applicationName),
    async client(applicationName) {
      const client = new pg.Client(teamConnectionOptions({ url: now().url }, applicationName))
      client.on('error', () => undefined)
      clients.push(client)
      await client.connect()
      return client
    },
    async member() {
      const id = randomUUID()
      await now().db.pool.query(`INSERT INTO larder.members (id, x25519_pub, ed25519_pub) VALUES ($1, '\\x00', '\\x00')`, [id])
      return id
    },
    async credential(sealed = Buffer.from('sealed pair 1')) {
      const id = randomUUID()
      await now().db.pool.query(`INSERT INTO larder.credentials (id, kind, version, pair_version, key_epoch, sealed) VALUES ($1, 'library', 1, 1, 1, $2)`, [id, sealed])
      return id
    },
    async rowText(id) {
      const { rows } = await now().db.pool.query<{ row: string }>('SELECT c::text AS row FROM larder.credentials c WHERE id = $1', [id])
      return rows[0]?.row ?? 'no row'
    }
  }
}
