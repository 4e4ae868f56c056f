// A fresh team database for each test of a describe block: created on the suite's PostgreSQL (pgServerForSuite),
// migrated, with a pool of the test's own (closed after the test). Call inside the describe block.
import pg from 'pg'
import { afterEach, beforeEach } from 'vitest'
import { teamConnectionOptions } from '../../src/main/core/team/db/connection-config.ts'
import { migrate } from '../../src/main/core/team/db/migrate.ts'
import { schemaName } from '../../src/main/core/team/db/migrations.ts'
import type { TeamDb } from '../../src/main/core/team/db/transaction.ts'
import { databaseUrl, type PgServer } from './postgres-server.ts'

let databases = 0

/** The current test's team database. */
export function teamDbPerTest(running: () => PgServer, prefix: string): () => TeamDb {
  let db: TeamDb | null = null
  beforeEach(async () => {
    databases += 1
    const name = `${prefix}${databases}_${process.pid}`
    await running().query(`CREATE DATABASE ${name}`)
    const pool = new pg.Pool({ ...teamConnectionOptions({ url: databaseUrl(running(), name) }, 'larder-member'), max: 3 })
    pool.on('error', () => undefined)
    db = { pool, schema: schemaName('larder') }
    await migrate(pool, { larderVersion: 'test' })
  })
  afterEach(async () => {
    await db?.pool.end()
    db = null
  })
  return () => {
    if (db === null) throw new Error('no team database outside a test')
    return db
  }
}
