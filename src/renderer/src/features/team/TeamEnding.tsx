// Leaving the team, or ending it by taking its credentials home (issue 16). Each is behind a confirmation that says
// plainly what happens here and on the other members' machines; a refusal (offline, the last member, a refresh that
// did not end in time) is said in that dialog, by its confirm button, and changes nothing. Once Larder answers, the
// vault is local and the section shows the form to make or join a team (TeamSection moves the focus there).
import { useId, useState } from 'react'
import type { TeamView } from '../../../../shared/contract.ts'
import { useActions } from '../../store/provider.tsx'
import { ErrorText } from '../common/Field.tsx'
import { Modal } from '../common/Modal.tsx'
import { ENDING_WORDS } from './team-words.ts'

type Ending = 'team.leave' | 'team.takeHome'

interface EndingText {
  readonly title: string
  readonly facts: readonly string[]
  readonly confirm: string
  /** Before Larder's reason, when it refuses: which action failed. */
  readonly failed: string
}

const ENDINGS: Readonly<Record<Ending, EndingText>> = {
  'team.leave': {
    title: ENDING_WORDS.leaveTitle,
    facts: [ENDING_WORDS.leaveDoes, ENDING_WORDS.leaveInstead],
    confirm: 'Leave the team',
    failed: 'Could not leave the team.'
  },
  'team.takeHome': {
    title: ENDING_WORDS.homeTitle,
    facts: [ENDING_WORDS.homeDoes, ENDING_WORDS.homeOthers, ENDING_WORDS.homeDatabase],
    confirm: 'Take them home and end the team',
    failed: 'Could not take the credentials home.'
  }
}

/** Under the members: "Leave the team…" (not for the only member) and "Take the credentials home and end the team…". */
export function TeamEnding({ view }: { readonly view: TeamView }): React.JSX.Element {
  const titleId = useId()
  const [open, setOpen] = useState<Ending | null>(null)
  const alone = view.members.length <= 1
  return (
    <section className="team-ending" aria-labelledby={titleId}>
      <h5 id={titleId}>Leave or end the team</h5>
      <div className="team-ending-actions">
        {alone ? null : (
          <button type="button" className="button" onClick={() => setOpen('team.leave')}>
            Leave the team…
          </button>
        )}
        <button type="button" className="button" onClick={() => setOpen('team.takeHome')}>
          Take the credentials home and end the team…
        </button>
      </div>
      {alone ? <p className="field-help">{ENDING_WORDS.leaveAlone}</p> : null}
      {view.link.state === 'offline' ? <p className="field-help">{ENDING_WORDS.needsLink}</p> : null}
      {open === null ? null : <EndingDialog ending={open} onClose={() => setOpen(null)} />}
    </section>
  )
}

function EndingDialog({ ending, onClose }: { readonly ending: Ending; readonly onClose: () => void }): React.JSX.Element {
  const titleId = useId()
  const errorId = useId()
  const { teamCall } = useActions()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const text = ENDINGS[ending]
  const confirm = async (): Promise<void> => {
    if (busy) return
    setBusy(true)
    setError(null)
    const result = await teamCall(ending, {})
    setBusy(false)
    // Done: the view Larder answered is the store's already, and this dialog leaves with the member's view.
    if (result.ok) onClose()
    else setError(`${text.failed} ${result.error.message}`)
  }
  return (
    <Modal labelledBy={titleId} onDismiss={onClose} busy={busy} className="confirm team-ending-dialog">
      <h2 id={titleId}>{text.title}</h2>
      <ul className="team-remove-facts">
        {text.facts.map((fact) => (
          <li key={fact}>{fact}</li>
        ))}
      </ul>
      <p role="status" className="muted">
        {busy ? ENDING_WORDS.waiting : ''}
      </p>
      <ErrorText id={errorId} message={error} glyph />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} disabled={busy} data-autofocus>
          Cancel
        </button>
        <button type="button" className="button danger" onClick={() => void confirm()} disabled={busy} aria-describedby={error !== null ? errorId : undefined}>
          {busy ? <span className="spinner" aria-hidden="true" /> : null}
          {text.confirm}
        </button>
      </div>
    </Modal>
  )
}
