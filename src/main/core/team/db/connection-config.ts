// How Larder connects to a team's PostgreSQL (issue 16): from a postgres:// URL (Settings or LARDER_TEAM_DATABASE_URL)
// to the client's options. The server's certificate and host name are always verified, except for a server on this
// computer (loopback), where TLS is optional: a URL's sslmode can ask for more, never for less. Larder sets the other
// connection parameters itself, so a URL with any other query parameter is refused naming it. No error message ever
// holds the password.
import { isIP } from 'node:net'
import { InputError } from '../../errors.ts'

export interface TeamDatabaseSettings {
  readonly url: string
  /** PEM of the CA that signed the server's certificate, when it is not one the system trusts. */
  readonly caPem?: string
}

export interface TeamConnectionOptions {
  readonly host: string
  readonly port: number
  readonly database: string
  readonly user: string
  readonly password: string | undefined
  readonly ssl: false | { readonly rejectUnauthorized: true; readonly ca?: string }
  readonly application_name: string
  /** A statement that runs longer is cancelled by the server. */
  readonly statement_timeout: number
  readonly connectionTimeoutMillis: number
}

const FIELD = 'teamDatabaseUrl'
const VERIFYING = new Set(['verify-full'])
const SKIPPING = new Set(['disable', 'allow', 'prefer', 'require', 'verify-ca'])

/** 127.0.0.0/8, ::1 and localhost: a server on this computer. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '')
  if (bare === 'localhost') return true
  if (isIP(bare) === 4) return bare.startsWith('127.')
  return isIP(bare) === 6 && (bare === '::1' || bare === '0:0:0:0:0:0:0:1')
}

/** The URL as it may be shown: the password replaced by ***. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'the team database URL'
  }
}

export function teamConnectionOptions(settings: TeamDatabaseSettings, applicationName: string): TeamConnectionOptions {
  let url: URL
  try {
    url = new URL(settings.url)
  } catch {
    throw new InputError(FIELD, 'The team database URL is not a URL: it reads postgresql://USER:PASSWORD@HOST:PORT/DATABASE.')
  }
  const shown = redactedUrl(settings.url)
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') throw new InputError(FIELD, `${shown} is not a PostgreSQL URL: it starts with postgresql://.`)
  if (url.hostname === '') throw new InputError(FIELD, `${shown} names no host: postgresql://USER:PASSWORD@HOST:PORT/DATABASE.`)
  const user = decodeURIComponent(url.username)
  if (user === '') throw new InputError(FIELD, `${shown} names no user: postgresql://USER:PASSWORD@HOST:PORT/DATABASE.`)
  const port = url.port === '' ? 5432 : Number(url.port)
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || user
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const loopback = isLoopbackHost(host)

  let sslmode: string | null = null
  for (const [name, value] of url.searchParams) {
    if (name !== 'sslmode') throw new InputError(FIELD, `${shown}: Larder sets the connection's parameters itself; remove ${name}=… from the URL.`)
    sslmode = value
  }
  if (sslmode !== null && !VERIFYING.has(sslmode) && !SKIPPING.has(sslmode)) throw new InputError(FIELD, `${shown}: sslmode=${sslmode} is not a mode PostgreSQL knows.`)
  if (!loopback && sslmode !== null && SKIPPING.has(sslmode)) {
    throw new InputError(
      FIELD,
      `${shown}: sslmode=${sslmode} would not check the server's certificate and name, and Larder always does for a server on another computer. Remove sslmode from the URL (or write sslmode=verify-full); if the server's certificate comes from your own CA, give that CA in Settings.`
    )
  }
  const verified = !loopback || (sslmode !== null && VERIFYING.has(sslmode))
  // The certificate must name the host connected to: pg sends a host name as SNI, and TLS checks an address as itself
  // (integration/team/tls.test.ts).
  const ssl = verified ? { rejectUnauthorized: true as const, ...(settings.caPem ? { ca: settings.caPem } : {}) } : false
  return {
    host,
    port,
    database,
    user,
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    ssl,
    application_name: applicationName,
    statement_timeout: 10_000,
    connectionTimeoutMillis: 5_000
  }
}
