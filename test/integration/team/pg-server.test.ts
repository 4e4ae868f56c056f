// The PostgreSQL the team store's tests start for themselves (issue 16): on 127.0.0.1 only, never as root, with
// password auth; what was committed survives a restart and a crash; a named session can be cut (a dropped
// connection); nothing is left behind. Without the binaries this skips naming the fix, unless LARDER_REQUIRE_PG=1
// (CI), where a missing server fails.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { findPgBinaries, startPgServer, type PgServer } from '../../support/postgres-server.ts'

const binaries = findPgBinaries()
let server: PgServer | null = null

afterEach(async () => {
  await server?.stop()
  server = null
}, 30_000)

describe('the test PostgreSQL', () => {
  it('is found, or the run says how to get it (and fails in CI)', () => {
    if (binaries.required) expect(binaries.bin, binaries.fix).not.toBeNull()
    if (binaries.bin === null) console.warn(`PostgreSQL tests skipped: ${binaries.fix}`)
    expect(binaries.fix).toMatch(/LARDER_PG_BIN/)
  })

  // initdb, start and crash recovery take seconds, more on a busy machine.
  describe.skipIf(binaries.bin === null)('started by a test', { timeout: 60_000 }, () => {
    it('listens on 127.0.0.1 only, as a user that is not root, with password auth', async () => {
      server = await startPgServer(binaries)
      expect(await server.query('select host(inet_server_addr()), current_user, current_setting(\'listen_addresses\'), current_setting(\'fsync\')')).toEqual(['127.0.0.1\tlarder\t127.0.0.1\ton'])
      const major = Number((await server.query('show server_version_num'))[0]) / 10_000
      expect(major).toBeGreaterThanOrEqual(14)
      expect(fs.statSync(`/proc/${server.pid()}`).uid).not.toBe(0)
      expect(fs.readFileSync(`${server.dataDir}/pg_hba.conf`, 'utf8')).toMatch(/^host\s+all\s+all\s+127\.0\.0\.1\/32\s+scram-sha-256/m)
      // A wrong password is refused.
      const wrong = spawn(binaries.psql, ['-X', '-h', '127.0.0.1', '-p', String(server.port), '-U', 'larder', '-d', 'postgres', '-c', 'select 1'], { env: { ...process.env, PGPASSWORD: 'not-it' }, stdio: ['ignore', 'ignore', 'pipe'] })
      let refusal = ''
      wrong.stderr?.on('data', (chunk: Buffer) => (refusal += chunk.toString()))
      expect(await new Promise((resolve) => wrong.once('exit', resolve))).not.toBe(0)
      expect(refusal).toMatch(/password authentication failed/)
    })

    it('keeps what was committed through a restart and a crash (SIGKILL and recovery)', async () => {
      server = await startPgServer(binaries)
      await server.query('create table kept (n int primary key); insert into kept values (1)')
      const before = server.pid()
      await server.restart()
      expect(server.pid()).not.toBe(before)
      await server.query('insert into kept values (2)')
      await server.crash()
      expect(await server.query('select n from kept order by n')).toEqual(['1', '2'])
    })

    it('cuts the sessions of one application name (a dropped connection) and leaves the others', async () => {
      server = await startPgServer(binaries)
      const session = spawn(binaries.psql, ['-X', '-h', '127.0.0.1', '-p', String(server.port), '-U', 'larder', '-d', 'postgres', '-c', 'select pg_sleep(30)'], {
        env: { ...process.env, PGPASSWORD: server.password, PGAPPNAME: 'member-a' },
        stdio: ['ignore', 'ignore', 'pipe']
      })
      let said = ''
      session.stderr?.on('data', (chunk: Buffer) => (said += chunk.toString()))
      const ended = new Promise<number | null>((resolve) => session.once('exit', (code) => resolve(code)))
      // Wait until the session is there.
      for (let i = 0; i < 100 && Number((await server.query("select count(*) from pg_stat_activity where application_name = 'member-a'"))[0]) === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(await server.terminate('member-a')).toBe(1)
      expect(await ended).not.toBe(0)
      expect(said).toMatch(/terminating connection/)
      expect(await server.terminate('member-a')).toBe(0)
      expect(await server.query('select 1')).toEqual(['1'])
    })

    it('leaves no process and no folder after stop', async () => {
      const started = await startPgServer(binaries)
      const pid = started.pid()
      const root = `${started.dataDir}/..`
      await started.stop()
      expect(fs.existsSync(`/proc/${pid}`)).toBe(false)
      expect(fs.existsSync(root)).toBe(false)
    })
  })
})
