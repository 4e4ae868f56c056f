// Team databases for the team store's tests and its bench (issue 16), on a PostgreSQL of pgServerForSuite's: one
// created and migrated with a pool of the caller's own, a fresh one for each test of a describe block (migrated, or
// empty for a team the app itself makes), and the sessions of members let in the way a member lets another in.
import pg from 'pg'
import { afterEach, beforeEach } from 'vitest'
import { newJoinCode } from '../../src/main/core/team/crypto/join-code.ts'
import { teamConnectionOptions } from '../../src/main/core/team/db/connection-config.ts'
import { migrate } from '../../src/main/core/team/db/migrate.ts'
import { schemaName } from '../../src/main/core/team/db/migrations.ts'
import type { TeamDb } from '../../src/main/core/team/db/transaction.ts'
import { approveJoin, completeJoin, createTeam, requestJoin, type NewMember, type TeamSession } from '../../src/main/core/team/membership.ts'
import { databaseUrl, type PgServer } from './postgres-server.ts'

export interface TeamDatabaseOptions {
  /** The pool's application_name (default larder-test). */
  readonly applicationName?: string
  /** The pool's size (default 3). */
  readonly max?: number
  /** Recorded by the migration (default test). */
  readonly larderVersion?: string
}

/** Creates database `name` on `server` and migrates it; its URL and a pool of the caller's own (the caller ends it). */
export async function createTeamDatabase(server: PgServer, name: string, options: TeamDatabaseOptions = {}): Promise<{ url: string; db: TeamDb }> {
  await server.query(`CREATE DATABASE ${name}`)
  const url = databaseUrl(server, name)
  const pool = new pg.Pool({ ...teamConnectionOptions({ url }, options.applicationName ?? 'larder-test'), max: options.max ?? 3 })
  pool.on('error', () => undefined)
  const db: TeamDb = { pool, schema: schemaName('larder') }
  await migrate(pool, { larderVersion: options.larderVersion ?? 'test' })
  return { url, db }
}

let databases = 0

/** The current test's team database, migrated, with a pool ended after the test. Call inside the describe block. */
export function teamDbPerTest(running: () => PgServer, prefix: string): () => TeamDb {
  let db: TeamDb | null = null
  beforeEach(async () => {
    databases += 1
    db = (await createTeamDatabase(running(), `${prefix}${databases}_${process.pid}`, { applicationName: 'larder-member' })).db
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

/** The URL of an empty database made for the current test, where the app makes its own team. Call inside the describe block. */
export function emptyDatabasePerTest(running: () => PgServer, prefix: string): () => string {
  let url: string | null = null
  beforeEach(async () => {
    databases += 1
    await running().query(`CREATE DATABASE ${prefix}${databases}`)
    url = databaseUrl(running(), `${prefix}${databases}`)
  })
  afterEach(() => {
    url = null
  })
  return () => {
    if (url === null) throw new Error('no team database outside a test')
    return url
  }
}

/** The first of `joiners` makes the team; each other asks to join by a new code, the first approves it, and it comes in. */
export async function joinedSessions(db: TeamDb, joiners: readonly NewMember[]): Promise<TeamSession[]> {
  const sessions: TeamSession[] = []
  for (const joiner of joiners) {
    const first = sessions[0]
    if (first === undefined) {
      sessions.push(await createTeam(db, joiner))
      continue
    }
    const code = newJoinCode()
    await requestJoin(db, joiner, code)
    await approveJoin(db, first, code)
    const session = await completeJoin(db, joiner, code)
    if (session === null) throw new Error(`${joiner.label} was not let in`)
    sessions.push(session)
  }
  return sessions
}
