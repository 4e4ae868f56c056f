// One transaction on one client: BEGIN, the work, COMMIT; any failure rolls back and is thrown as it was.
import type pg from 'pg'
import { isConnectionError } from '../team-errors.ts'

/** What pg says when a query outlives the client's query_timeout (team-link.ts sets it). */
export const QUERY_TIMEOUT_MESSAGE = 'Query read timeout'

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
    // A session lost (or in doubt) is not asked anything more: the server rolls back what it ends.
    if (!sessionLost(error)) await client.query('ROLLBACK').catch(() => undefined)
    throw error
  }
}

/** The session is gone or in doubt (a connection error, or no answer within the client's query timeout). */
export function sessionLost(error: unknown): boolean {
  return isConnectionError(error) || (error instanceof Error && error.message === QUERY_TIMEOUT_MESSAGE)
}

/**
 * A client of the pool for `work`, guarded. A checked-out pg client whose connection drops (a server restart, a cut
 * network, an administrator ending the session: 57P01) emits 'error', and the pool listens only while the client is
 * idle: unheard, that is an uncaught exception that ends the process. So the client is listened to from the moment
 * the pool hands it over, inside pool.connect's callback: a session ended just as it started sends its readiness and
 * its end in one read, and the 'error' comes before an awaited connect() would resume (db-faults.test.ts). The
 * statement under way fails with the error anyway, so the listener only keeps the process up; a client that broke
 * (or whose session is in doubt) is destroyed, not given back to the pool.
 */
export async function withPooledClient<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let broken: Error | undefined
  const onError = (error: Error): void => {
    broken ??= error
  }
  const client = await new Promise<pg.PoolClient>((resolve, reject) => {
    pool.connect((error, connected) => {
      if (error !== undefined || connected === undefined) {
        reject(error ?? new Error('The team database gave no connection.'))
        return
      }
      connected.on('error', onError)
      resolve(connected)
    })
  })
  try {
    return await work(client)
  } catch (error) {
    if (sessionLost(error)) broken ??= error instanceof Error ? error : new Error(String(error))
    throw error
  } finally {
    client.off('error', onError)
    client.release(broken)
  }
}

/** inTransaction on a guarded client of the pool, given back afterwards. */
export async function pooledTransaction<T>(db: TeamDb, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withPooledClient(db.pool, (client) => inTransaction(client, () => work(client)))
}
