// This machine is out of the team (issue 16): a member removed it, or another member took the team's credentials home.
// Why and since when, what still works here (listing and copying what it held; nothing is refreshed), and "Make this
// vault local" ('team.leave'), which deletes those copies; a refusal is said by the button and changes nothing.
import { useId, useState } from 'react'
import type { TeamView } from '../../../../shared/contract.ts'
import { formatAgo } from '../../lib/time.ts'
import { useActions, useNowLabel } from '../../store/provider.tsx'
import { ErrorText } from '../common/Field.tsx'
import { TeamPlaceFacts } from './TeamPlaceFacts.tsx'
import { asSentence, clockLabel, ENDING_WORDS } from './team-words.ts'

interface TeamOutProps {
  readonly view: TeamView
  readonly titleId: string
  readonly titleRef: React.RefObject<HTMLHeadingElement | null>
}

export function TeamOut({ view, titleId, titleRef }: TeamOutProps): React.JSX.Element {
  const errorId = useId()
  const { teamCall } = useActions()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const since = view.out?.since ?? null
  const when = useNowLabel((now) => (since === null ? '—' : `${clockLabel(since, now)} (${formatAgo(since, now)})`))
  const makeLocal = async (): Promise<void> => {
    if (busy) return
    setBusy(true)
    setError(null)
    const result = await teamCall('team.leave', {})
    setBusy(false)
    if (!result.ok) setError(`Could not make this vault local. ${result.error.message}`)
  }
  return (
    <div className="team-out">
      <h4 id={titleId} ref={titleRef} tabIndex={-1}>
        This machine is no longer in the team
      </h4>
      {view.out !== undefined ? <p className="team-out-why">{asSentence(view.out.why)}</p> : null}
      <dl className="team-facts">
        <dt>Out since</dt>
        <dd>{when}</dd>
        <TeamPlaceFacts view={view} />
      </dl>
      <p>{ENDING_WORDS.outKeeps}</p>
      <p>{ENDING_WORDS.outLocal}</p>
      <ErrorText id={errorId} message={error} glyph />
      <div className="form-actions">
        <button type="button" className="button primary" disabled={busy} onClick={() => void makeLocal()} aria-describedby={error !== null ? errorId : undefined}>
          {busy ? <span className="spinner" aria-hidden="true" /> : null}
          Make this vault local
        </button>
      </div>
    </div>
  )
}
