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

/**
 * A client of the pool for `work`, guarded. A checked-out pg client whose connection drops (a server restart, a cut
 * network) emits 'error' with no listener for it (the pool listens only while the client is idle): an uncaught
 * exception that ends the process (lease-pair-write.test.ts shows it). The statement under way fails with the error
 * anyway, so the listener only keeps the process up; a client that broke is destroyed, not given back to the pool.
 */
export async function withPooledClient<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  let broken: Error | undefined
  const onError = (error: Error): void => {
    broken = error
  }
  client.on('error', onError)
  try {
    return await work(client)
  } finally {
    client.off('error', onError)
    client.release(broken)
  }
}

/** inTransaction on a guarded client of the pool, given back afterwards. */
export async function pooledTransaction<T>(db: TeamDb, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withPooledClient(db.pool, (client) => inTransaction(client, () => work(client)))
}
