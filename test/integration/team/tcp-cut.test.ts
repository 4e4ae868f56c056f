// The team tests' partition (test/support/tcp-cut.ts) against a real PostgreSQL: through the proxy a member reads;
// cut, its open session fails at once and a new one is refused, while the server still answers others; healed, a new
// session works again.
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { findPgBinaries, pgServerForSuite, type PgServer } from '../../support/postgres-server.ts'
import { startTcpCut } from '../../support/tcp-cut.ts'

const binaries = findPgBinaries()
let running: () => PgServer

describe.skipIf(binaries.bin === null)('a member cut off from the team database', { timeout: 60_000 }, () => {
  running = pgServerForSuite(binaries)

  it('drops the open session, refuses new ones while cut, and lets them in once healed', async () => {
    const server = running()
    const proxy = await startTcpCut({ host: '127.0.0.1', port: server.port })
    const options = (port: number) => ({ host: '127.0.0.1', port, user: server.user, password: server.password, database: 'postgres', connectionTimeoutMillis: 2_000 })
    const member = new pg.Client(options(proxy.port))
    member.on('error', () => undefined)
    await member.connect()
    expect((await member.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])

    proxy.cut()
    await expect(member.query('SELECT 1')).rejects.toThrow()
    const refused = new pg.Client(options(proxy.port))
    refused.on('error', () => undefined)
    await expect(refused.connect()).rejects.toThrow()
    // The server itself is up for everyone else.
    expect(await server.query('SELECT 2')).toEqual(['2'])

    proxy.heal()
    const again = new pg.Client(options(proxy.port))
    await again.connect()
    expect((await again.query('SELECT 3 AS three')).rows).toEqual([{ three: 3 }])
    await again.end()
    expect(proxy.connections()).toBe(2)
    await proxy.close()
  })
})
