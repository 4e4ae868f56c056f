// A terminal asks for tokens: the person allows its session for a while, or refuses. Shown over whatever view is
// open, one request at a time (oldest first); a request answered elsewhere (another window, the timeout) leaves the
// queue when Larder says so, and the next one takes its place. Nothing here is a secret: what asked, and where.
import { useId, useState } from 'react'
import type { TerminalRequestView } from '../../../../shared/contract.ts'
import { formatSpan, HOUR, MINUTE } from '../../lib/time.ts'
import { useActions, useApp, useNowLabel } from '../../store/provider.tsx'
import { Modal } from '../common/Modal.tsx'
import { SESSION_IDLE_MS, SESSION_MAX_MS } from './session-times.ts'
import './terminal.css'

export const ALLOW_IDLE_LABEL = `Allow for ${SESSION_IDLE_MS / MINUTE} minutes of inactivity`
export const ALLOW_LONG_LABEL = `Allow for up to ${SESSION_MAX_MS / HOUR} hours`

export function ApprovalDialog(): React.JSX.Element | null {
  const request = useApp((state) => state.terminalRequests[0] ?? null)
  const waiting = useApp((state) => state.terminalRequests.length)
  if (request === null) return null
  // Keyed by request: the next one is a new dialog, with focus on its safe choice again.
  return <RequestDialog key={request.requestId} request={request} waiting={waiting} />
}

function RequestDialog({ request, waiting }: { readonly request: TerminalRequestView; readonly waiting: number }): React.JSX.Element {
  const titleId = useId()
  const descriptionId = useId()
  const { approveTerminal, denyTerminal } = useActions()
  const [busy, setBusy] = useState(false)
  const left = useNowLabel((now) => formatSpan(request.expiresAt - now))
  const answer = async (how: 'idle' | 'long' | 'deny'): Promise<void> => {
    if (busy) return
    setBusy(true)
    if (how === 'deny') await denyTerminal(request.requestId)
    else await approveTerminal(request.requestId, how === 'long' ? SESSION_MAX_MS : undefined)
    // The dialog closes (or shows the next request) once the store dropped this one.
    setBusy(false)
  }
  const command = `larder ${request.command}`
  return (
    <Modal labelledBy={titleId} describedBy={descriptionId} onDismiss={() => void answer('deny')} busy={busy} className="confirm terminal-approval">
      <h2 id={titleId}>A terminal asks for tokens</h2>
      {waiting > 1 ? <p className="terminal-queue muted">1 of {waiting} requests waiting</p> : null}
      <p id={descriptionId}>
        <code className="mono">{command}</code>
        {request.library !== null ? (
          <>
            {' '}
            asks for <strong>{request.library}</strong>
          </>
        ) : null}
        . Allow this terminal session to take tokens from Larder? Every command in it can then take a token of any library
        without asking again, until the session ends. Each token handed out is recorded in the audit log.
      </p>
      <dl className="terminal-facts">
        <dt>Command</dt>
        <dd className="mono">{command}</dd>
        <dt>Library</dt>
        <dd>{request.library ?? <span className="muted">none named</span>}</dd>
        <dt>Session</dt>
        <dd>{request.label}</dd>
        <dt>Terminal</dt>
        <dd className="mono">{request.tty ?? <span className="muted">none (not run from a terminal)</span>}</dd>
        <dt>Folder</dt>
        <dd className="mono wrap">{request.cwd}</dd>
        <dt>Process</dt>
        <dd className="mono">
          pid {request.pid}, parent pid {request.ppid}
        </dd>
      </dl>
      <p className="field-help">If you did not start this command, deny it. Unanswered, Larder refuses it in {left}.</p>
      <div className="dialog-actions terminal-actions">
        <button type="button" className="button" onClick={() => void answer('deny')} disabled={busy} data-autofocus>
          Deny
        </button>
        <button type="button" className="button" onClick={() => void answer('long')} disabled={busy}>
          {ALLOW_LONG_LABEL}
        </button>
        <button type="button" className="button primary" onClick={() => void answer('idle')} disabled={busy}>
          {ALLOW_IDLE_LABEL}
        </button>
      </div>
    </Modal>
  )
}
