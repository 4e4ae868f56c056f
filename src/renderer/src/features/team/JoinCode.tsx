// Asked to join a team: the code to read out to a member (large, one character at a time for a screen reader), that
// Larder is waiting, and "Withdraw request". When a member lets this machine in, Larder says so ('team.changed') and
// the section shows the team by itself.
import { useState } from 'react'
import type { TeamView } from '../../../../shared/contract.ts'
import { useActions } from '../../store/provider.tsx'
import { ErrorText } from '../common/Field.tsx'
import { TeamPlaceFacts } from './TeamPlaceFacts.tsx'
import { spokenCode, TEAM_WORDS } from './team-words.ts'

export function JoinCode({ view, titleId, titleRef }: { readonly view: TeamView; readonly titleId: string; readonly titleRef: React.RefObject<HTMLHeadingElement | null> }): React.JSX.Element {
  const { teamCall } = useActions()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const withdraw = async (): Promise<void> => {
    setBusy(true)
    setError(null)
    const result = await teamCall('team.cancelJoin', {})
    setBusy(false)
    if (!result.ok) setError(result.error.message)
  }
  return (
    <div className="team-joining">
      <h4 id={titleId} ref={titleRef} tabIndex={-1}>
        Your code to join the team
      </h4>
      <p>{TEAM_WORDS.readOut}</p>
      {view.code !== null ? (
        <p className="join-code">
          <span className="mono" aria-hidden="true">
            {view.code}
          </span>
          <span className="visually-hidden">{spokenCode(view.code)}</span>
        </p>
      ) : null}
      <dl className="team-facts">
        <TeamPlaceFacts view={view} />
      </dl>
      <p role="status" className="team-waiting">
        <span className="spinner" aria-hidden="true" /> {TEAM_WORDS.waiting}
      </p>
      <ErrorText message={error} glyph />
      <div className="form-actions">
        <button type="button" className="button" disabled={busy} onClick={() => void withdraw()}>
          Withdraw request
        </button>
      </div>
    </div>
  )
}
