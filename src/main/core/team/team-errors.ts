// What the team vault refuses, by name (issue 16): a change to a team credential while this machine is offline from
// the team (plan §6: refused, not queued), and a row from the team it did not take in.

/** A change to a team credential was refused: this machine cannot reach the team database. Nothing was changed. */
export class TeamOfflineError extends Error {
  override readonly name = 'TeamOfflineError'
  readonly kind = 'team_offline' as const
  /** Offline since (ms). */
  readonly since: number
  readonly reason: string

  constructor(what: string, since: number, reason: string) {
    super(`${what} was not changed: this machine is offline from the team since ${new Date(since).toISOString()} (${reason}). Copies still use the tokens saved on this machine; change it again once Larder reaches the team database.`)
    this.since = since
    this.reason = reason
  }
}

/**
 * A team row this member did not take in, and why:
 * - 'rolled_back': its pair version is older than the one this machine holds (the database was put back);
 * - 'holds_newer': its refresh token is one this machine already spent, so this machine holds the newer pair;
 * - 'unreadable': it does not open with this member's team key where it stands, or holds no valid record;
 * - 'not_taken': the local vault refused it (e.g. an entry whose connection is not here).
 */
export interface TeamRowRefusal {
  readonly id: string
  readonly reason: 'rolled_back' | 'holds_newer' | 'unreadable' | 'not_taken'
  /** The row's version refused. */
  readonly version: number
  /** A sentence for a person, naming the credential when this machine knows it; no secret. */
  readonly message: string
}

/** A failure to reach the server (not a refusal by it): refused connection, reset, timeout, a session ended. */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && (/^E[A-Z]+$/.test(code) || code.startsWith('08') || code.startsWith('57P'))) return true
  const message = error instanceof Error ? error.message : ''
  return /Connection terminated|connection error|timeout exceeded when trying to connect|Connection ended/i.test(message)
}
