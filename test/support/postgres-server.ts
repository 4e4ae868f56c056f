// A real PostgreSQL for the team store's tests (issue 16), started by the test itself on 127.0.0.1 in a temp folder
// and removed after: Debian's `postgresql` binaries (or any found through LARDER_PG_BIN). PostgreSQL refuses to run as
// root, so under root the server runs as the `postgres` user (else `nobody`). Password auth (SCRAM), fsync on: a
// restart or a crash must keep what was committed, as a team's server does. Queries go through `psql`, so this rig
// needs no client library of its own.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import { afterAll, beforeAll } from 'vitest'

const run = promisify(execFile)
const READY_TIMEOUT_MS = 20_000
const STOP_TIMEOUT_MS = 10_000

/** Where the server binaries are, the fix said when they are not, and whether a missing server fails (CI) or skips. */
export interface PgBinaries {
  readonly bin: string | null
  /** psql: beside the server if it is there (Debian keeps it on the PATH instead). */
  readonly psql: string
  readonly required: boolean
  readonly fix: string
}

/** LARDER_PG_BIN, else `pg_config --bindir`'s folder if it holds the server, else the newest /usr/lib/postgresql/N/bin (N ≥ 14). */
export function findPgBinaries(env: NodeJS.ProcessEnv = process.env): PgBinaries {
  const required = env['LARDER_REQUIRE_PG'] === '1'
  const fix = 'Install PostgreSQL 14 or newer (Debian: apt-get install postgresql) or set LARDER_PG_BIN to the folder holding initdb and postgres.'
  const holdsServer = (dir: string): boolean => ['initdb', 'postgres'].every((name) => fs.existsSync(path.join(dir, name)))
  const psql = (dir: string): string => (fs.existsSync(path.join(dir, 'psql')) ? path.join(dir, 'psql') : 'psql')
  const given = env['LARDER_PG_BIN']
  if (given !== undefined && given !== '') {
    return holdsServer(given) ? { bin: given, psql: psql(given), required, fix } : { bin: null, psql: 'psql', required, fix: `LARDER_PG_BIN=${given} does not hold initdb and postgres. ${fix}` }
  }
  const debian = '/usr/lib/postgresql'
  const versions = fs.existsSync(debian)
    ? fs
        .readdirSync(debian)
        .map(Number)
        .filter((version) => Number.isInteger(version) && version >= 14)
        .sort((a, b) => b - a)
    : []
  for (const version of versions) {
    const dir = path.join(debian, String(version), 'bin')
    if (holdsServer(dir)) return { bin: dir, psql: psql(dir), required, fix }
  }
  return { bin: null, psql: 'psql', required, fix }
}

export interface PgServer {
  readonly host: '127.0.0.1'
  readonly port: number
  readonly user: string
  readonly password: string
  readonly database: string
  /** The server's data folder (for scanning what it wrote). */
  readonly dataDir: string
  /** The postmaster's pid (changes with a restart). */
  pid(): number
  /** postgresql://user:password@127.0.0.1:port/database */
  url(): string
  /** Runs SQL through psql and gives its rows, tab-separated, one string per row. */
  query(sql: string): Promise<string[]>
  /** A fast shutdown (SIGINT) and a start on the same folder and port. */
  restart(): Promise<void>
  /** SIGKILL of the postmaster, then a start: crash recovery. */
  crash(): Promise<void>
  /** Ends every session with this application_name; resolves with how many there were. */
  terminate(applicationName: string): Promise<number>
  /** Stops the server and removes its folder. */
  stop(): Promise<void>
}

/** The uid and gid a server runs as: ours, or under root the `postgres` user (else `nobody`). */
function serverAccount(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null
  const passwd = fs.readFileSync('/etc/passwd', 'utf8').split('\n')
  for (const name of ['postgres', 'nobody']) {
    const fields = passwd.find((line) => line.startsWith(`${name}:`))?.split(':')
    if (fields !== undefined) return { uid: Number(fields[2]), gid: Number(fields[3]) }
  }
  throw new Error('Running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as.')
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()))

export interface PgServerOptions {
  /** Serve TLS with this certificate and key (files copied into the server's folder); plain TCP is still allowed. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string }
}

export async function startPgServer(binaries: PgBinaries = findPgBinaries(), options: PgServerOptions = {}): Promise<PgServer> {
  const bin = binaries.bin
  if (bin === null) throw new Error(`No PostgreSQL server binaries. ${binaries.fix}`)
  const account = serverAccount()
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-pg-'))
  const dataDir = path.join(root, 'data')
  const socketDir = path.join(root, 'run')
  fs.mkdirSync(socketDir, { mode: 0o700 })
  const user = 'larder'
  const password = randomBytes(18).toString('base64url')
  const passwordFile = path.join(root, 'password')
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 })
  if (account !== null) for (const entry of [root, socketDir, passwordFile]) fs.chownSync(entry, account.uid, account.gid)
  const asServer = account === null ? {} : { uid: account.uid, gid: account.gid }

  try {
    await run(path.join(bin, 'initdb'), ['-D', dataDir, '--no-sync', '--auth=scram-sha-256', `--username=${user}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C'], { ...asServer, cwd: root })
  } catch (error) {
    fs.rmSync(root, { recursive: true, force: true })
    throw new Error(`initdb failed: ${(error as { stderr?: string }).stderr ?? String(error)}`, { cause: error })
  }
  fs.rmSync(passwordFile)
  const tlsSettings: string[] = []
  if (options.tls !== undefined) {
    // In the data folder, owned by the server's account, the key 0600: PostgreSQL refuses a key others can read.
    for (const [from, name] of [
      [options.tls.certFile, 'server.crt'],
      [options.tls.keyFile, 'server.key']
    ] as const) {
      const to = path.join(dataDir, name)
      fs.copyFileSync(from, to)
      fs.chmodSync(to, 0o600)
      if (account !== null) fs.chownSync(to, account.uid, account.gid)
    }
    tlsSettings.push('-c', 'ssl=on', '-c', 'ssl_cert_file=server.crt', '-c', 'ssl_key_file=server.key')
  }

  let port = await freePort()
  let child: ChildProcess | null = null
  const log = path.join(root, 'server.log')

  const query = async (sql: string, database = 'postgres'): Promise<string[]> => {
    const { stdout } = await run(binaries.psql, ['-X', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', database, '-c', sql], {
      env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '5', PGAPPNAME: 'larder-test-rig' }
    })
    return stdout.split('\n').filter((line) => line !== '')
  }

  /** Starts the postmaster and resolves once it answers a query; a port taken meanwhile gets another. */
  const start = async (): Promise<void> => {
    const deadline = Date.now() + READY_TIMEOUT_MS
    for (;;) {
      const out = fs.openSync(log, 'a')
      const started = spawn(path.join(bin, 'postgres'), ['-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', socketDir, '-c', 'fsync=on', '-c', 'listen_addresses=127.0.0.1', ...tlsSettings], {
        ...asServer,
        cwd: root,
        stdio: ['ignore', out, out]
      })
      fs.closeSync(out)
      child = started
      for (;;) {
        if (started.exitCode !== null || started.signalCode !== null) break
        try {
          await query('select 1')
          return
        } catch {
          if (Date.now() > deadline) {
            started.kill('SIGKILL')
            throw new Error(`PostgreSQL did not start within ${READY_TIMEOUT_MS / 1000} s: ${fs.readFileSync(log, 'utf8').slice(-2_000)}`)
          }
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
      }
      // It exited: a port taken since it was picked, or the old postmaster's backends not yet gone after a crash.
      if (Date.now() > deadline) throw new Error(`PostgreSQL exited at start: ${fs.readFileSync(log, 'utf8').slice(-2_000)}`)
      if (/could not bind|Address already in use/.test(fs.readFileSync(log, 'utf8').slice(-2_000))) port = await freePort()
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }

  const stopChild = async (signal: NodeJS.Signals): Promise<void> => {
    const current = child
    if (current === null) return
    current.kill(signal)
    const timer = setTimeout(() => current.kill('SIGKILL'), STOP_TIMEOUT_MS)
    await exited(current)
    clearTimeout(timer)
    child = null
  }

  try {
    await start()
  } catch (error) {
    fs.rmSync(root, { recursive: true, force: true })
    throw error
  }

  return {
    host: '127.0.0.1',
    get port() {
      return port
    },
    user,
    password,
    database: 'postgres',
    dataDir,
    pid: () => child?.pid ?? 0,
    url: () => `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    query: (sql) => query(sql),
    async restart() {
      await stopChild('SIGINT')
      await start()
    },
    async crash() {
      await stopChild('SIGKILL')
      await start()
    },
    async terminate(applicationName) {
      const quoted = `'${applicationName.replaceAll("'", "''")}'`
      const [count] = await query(`select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = ${quoted}`)
      return Number(count)
    },
    async stop() {
      await stopChild('SIGINT')
      fs.rmSync(root, { recursive: true, force: true })
    }
  }
}

/**
 * One server for a describe block: started before its tests, stopped after. Call it inside the block; the getter
 * gives the running server. `options` is read when the server starts (so a certificate made in an earlier hook can go in).
 */
export function pgServerForSuite(binaries: PgBinaries, options: () => PgServerOptions = () => ({})): () => PgServer {
  let server: PgServer | null = null
  beforeAll(async () => {
    server = await startPgServer(binaries, options())
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
    server = null
  }, 30_000)
  return () => {
    if (server === null) throw new Error("The suite's PostgreSQL is not running.")
    return server
  }
}

/** The server's URL for another database on it. */
export function databaseUrl(server: PgServer, database: string): string {
  return server.url().replace(/\/postgres$/, `/${database}`)
}
