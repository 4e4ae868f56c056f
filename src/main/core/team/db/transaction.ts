// One transaction on one client: BEGIN, the work, COMMIT; any failure rolls back and is thrown as it was.
import type pg from 'pg'

/** A pool and the quoted schema the team's tables are in (migrations.ts schemaName). */
export interface TeamDb {
  readonly pool: pg.Pool
  readonly schema: string
}

export async function inTransaction<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN')
  try {
    const result = await work()
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  }
}

/** inTransaction on a client of the pool, given back afterwards. */
export async function pooledTransaction<T>(db: TeamDb, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect()
  try {
    return await inTransaction(client, () => work(client))
  } finally {
    client.release()
  }
}
