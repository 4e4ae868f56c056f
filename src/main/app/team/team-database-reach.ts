// The team database out of reach, or refusing this machine, while a team call (the window's or `larder team`'s) talks
// to it: said as such (what pg or the network said, never the password), rather than as an unexpected problem. Kind
// 'api' (bridge-errors.ts), so `larder` exits 7 (an outside system refused), as for Apicbase.
import { InputError } from '../../core/errors.ts'
import { isConnectionError } from '../../core/team/team-errors.ts'

/** SQLSTATE classes and codes meaning "this machine may not in": bad password or role (28…), no such database. */
const REFUSED = /^(28|3D000)/
/** Node's TLS and OpenSSL's certificate checks (a server whose certificate or name does not verify). */
const TLS = /^(ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|CERT_)/

export class TeamDatabaseUnreachableError extends Error {
  override readonly name = 'TeamDatabaseUnreachableError'
}

/** Runs one team call; `check` says what to look at. A connection, TLS or authentication failure becomes a TeamDatabaseUnreachableError. */
export async function reachingTeamDatabase<T>(call: () => Promise<T>, check: string): Promise<T> {
  try {
    return await call()
  } catch (error) {
    // Larder's own refusal (a URL breaking the TLS rule names the certificate too) is said as it is.
    if (error instanceof InputError) throw error
    const code = (error as { code?: unknown } | null)?.code
    const coded = typeof code === 'string' && (REFUSED.test(code) || TLS.test(code))
    const tls = error instanceof Error && /does not support SSL|self[- ]signed certificate|certificate/i.test(error.message)
    if (!coded && !tls && !isConnectionError(error)) throw error
    const message = error instanceof Error ? error.message : String(error)
    throw new TeamDatabaseUnreachableError(`The team database could not be reached, or refused this machine: ${message}${typeof code === 'string' && !message.includes(code) ? ` (${code})` : ''}. ${check}`)
  }
}
