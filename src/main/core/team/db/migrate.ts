// Brings a team database's schema to LATEST_SCHEMA: each pending migration in its own transaction after
// pg_advisory_xact_lock, so any number of members starting together apply each once and the others wait, then find
// it done. A schema newer than this Larder knows is refused before anything is written.
import type { Pool, PoolClient } from 'pg'
import { LATEST_SCHEMA, MIGRATIONS, schemaName, TeamSchemaTooNewError } from './migrations.ts'
import { inTransaction, withPooledClient } from './transaction.ts'

/** One lock id for every Larder's migrations: 'larder' in ASCII. */
const MIGRATION_LOCK = 0x6c61726465720000n

export interface MigrationResult {
  readonly from: number
  readonly to: number
  readonly applied: readonly number[]
}

async function currentVersion(client: PoolClient, schema: string): Promise<number> {
  const { rows } = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${schema}.schema_migrations`)
  return rows[0]?.version ?? 0
}

export async function migrate(pool: Pool, options: { readonly schema?: string; readonly larderVersion: string }): Promise<MigrationResult> {
  const schema = schemaName(options.schema ?? 'larder')
  return withPooledClient(pool, async (client) => {
    const from = await inTransaction(client, async () => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()])
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
      await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (version int PRIMARY KEY, name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT clock_timestamp(), larder_version text NOT NULL)`)
      return currentVersion(client, schema)
    })
    if (from > LATEST_SCHEMA) throw new TeamSchemaTooNewError(from)
    const applied: number[] = []
    for (const migration of MIGRATIONS) {
      const done = await inTransaction(client, async () => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()])
        // Another member may have applied it while this one waited for the lock.
        const now = await currentVersion(client, schema)
        if (now > LATEST_SCHEMA) throw new TeamSchemaTooNewError(now)
        if (now >= migration.version) return false
        await client.query(migration.sql(schema))
        await client.query(`INSERT INTO ${schema}.schema_migrations (version, name, larder_version) VALUES ($1, $2, $3)`, [migration.version, migration.name, options.larderVersion])
        return true
      })
      if (done) applied.push(migration.version)
    }
    return { from, to: Math.max(from, LATEST_SCHEMA), applied }
  })
}
