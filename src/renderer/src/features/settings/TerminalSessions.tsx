// The terminal sessions allowed to take tokens (the `larder` command), with Revoke. Larder keeps them in memory only:
// each ends when it sits unused for its idle time, at most 12 hours after it was allowed, or when Larder quits.
import { useEffect, useId } from 'react'
import type { TerminalSessionView } from '../../../../shared/contract.ts'
import { formatTimeLeft } from '../../lib/time.ts'
import { useActions, useApp, useNowLabel } from '../../store/provider.tsx'
import { Ago } from '../common/TimeLabels.tsx'

export function TerminalSessions(): React.JSX.Element {
  const titleId = useId()
  const sessions = useApp((state) => state.terminalSessions)
  const error = useApp((state) => state.terminalError)
  const { loadTerminalSessions } = useActions()
  useEffect(() => {
    void loadTerminalSessions()
  }, [loadTerminalSessions])
  return (
    <section className="terminal-sessions" aria-labelledby={titleId}>
      <h3 id={titleId}>Terminal sessions</h3>
      {error !== null ? (
        <div className="notice notice-error" role="alert">
          {error}
        </div>
      ) : sessions.length === 0 ? (
        <div className="terminal-sessions-empty">
          <p>No terminal session may take tokens now.</p>
          <p className="field-help">
            Scripts take tokens with the <code className="mono">larder</code> command (<code className="mono">larder token</code>,{' '}
            <code className="mono">larder exec</code>) instead of the clipboard. The first command from a terminal session asks
            here first; a session you allow can take tokens until it sits unused for 10 minutes (or the time you chose), for at
            most 12 hours. Allowed sessions are listed here, and you can revoke them at any time.
          </p>
        </div>
      ) : (
        <table className="terminal-sessions-table">
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">Allowed</th>
              <th scope="col">Last used</th>
              <th scope="col">Ends</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => (
              <SessionRow key={session.sessionId} session={session} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function SessionRow({ session }: { readonly session: TerminalSessionView }): React.JSX.Element {
  const { revokeTerminal } = useActions()
  const ends = useNowLabel((now) => (session.endsAt > now ? `in ${formatTimeLeft(session.endsAt, now)}` : 'now'))
  const why = session.endsAt < session.hardEndAt ? 'unless used again' : 'at the latest'
  return (
    <tr>
      <th scope="row">{session.label}</th>
      <td>
        <Ago at={session.approvedAt} what="Allowed" />
      </td>
      <td>
        <Ago at={session.lastUsedAt} what="Last used" />
      </td>
      <td>
        {ends} <span className="muted">({why})</span>
      </td>
      <td>
        <button type="button" className="button small" aria-label={`Revoke ${session.label}`} onClick={() => void revokeTerminal(session.sessionId)}>
          Revoke
        </button>
      </td>
    </tr>
  )
}
