// Larder's TLS rules for the team database against a real PostgreSQL serving TLS (issue 16): with the CA given, a
// certificate for the name connected to is accepted and the session is encrypted; a CA the system does not trust, or
// a certificate for another name (an address checked as itself, not as 'localhost'), is refused before any query.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { teamConnectionOptions } from '../../../src/main/core/team/db/connection-config.ts'
import { findPgBinaries, pgServerForSuite } from '../../support/postgres-server.ts'
import { hasOpenssl, makeTestCa, type TestCa } from '../../support/test-certs.ts'

const binaries = findPgBinaries()
let ca: TestCa

/** Connects as Larder would to `url` and asks whether the session is encrypted; the error's code when refused. */
async function encrypted(url: string, caPem?: string): Promise<boolean | string> {
  const client = new pg.Client(teamConnectionOptions(caPem === undefined ? { url } : { url, caPem }, 'larder-tls-test'))
  client.on('error', () => undefined)
  try {
    await client.connect()
    const { rows } = await client.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')
    return rows[0]?.ssl ?? false
  } catch (error) {
    return String((error as { code?: unknown }).code ?? (error as Error).message)
  } finally {
    await client.end().catch(() => undefined)
  }
}

describe.skipIf(binaries.bin === null || !hasOpenssl())('TLS to the team database', { timeout: 60_000 }, () => {
  beforeAll(() => {
    ca = makeTestCa()
  })
  afterAll(() => ca?.remove())
  // Valid for the name localhost only: connecting by address must not pass as if it were 'localhost'.
  const running = pgServerForSuite(binaries, () => ({ tls: ca.issue('localhost', ['DNS:localhost']) }))

  const url = (host: string, query = '?sslmode=verify-full'): string => `postgresql://larder:${encodeURIComponent(running().password)}@${host}:${running().port}/postgres${query}`

  it('accepts the certificate for the name connected to, with the CA given, and the session is encrypted', async () => {
    expect(await encrypted(url('localhost'), ca.caPem)).toBe(true)
  })

  it("refuses a CA the system does not trust when none is given", async () => {
    expect(await encrypted(url('localhost'))).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/)
  })

  it('refuses a certificate for another name: by address, 127.0.0.1 is checked as itself', async () => {
    expect(await encrypted(url('127.0.0.1'), ca.caPem)).toBe('ERR_TLS_CERT_ALTNAME_INVALID')
  })

  it('on loopback without verify-full the session is plain, as the URL asks', async () => {
    expect(await encrypted(url('127.0.0.1', ''))).toBe(false)
  })
})
