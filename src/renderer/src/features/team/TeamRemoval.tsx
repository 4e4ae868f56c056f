// Removing a member (issue 16): the confirmation says what removal does and does not undo, then Larder makes a new
// team key, seals every credential again and refreshes each; the progress Larder reports ('team.changed' →
// `removal`) is shown in a polite live region, so a screen reader hears it move on without losing its place.
import { useId, useState } from 'react'
import type { TeamMemberView, TeamRemovalView } from '../../../../shared/contract.ts'
import { useActions } from '../../store/provider.tsx'
import { ErrorText } from '../common/Field.tsx'
import { Modal } from '../common/Modal.tsx'
import { removalWords } from './team-words.ts'

/** "Remove…" beside a member: its name is in the button's accessible name, so each reads apart from the others. */
export function RemoveMemberButton({ member, onRemove }: { readonly member: TeamMemberView; readonly onRemove: (member: TeamMemberView) => void }): React.JSX.Element {
  return (
    <button type="button" className="button small team-remove" onClick={() => onRemove(member)}>
      {/* One span: the button lays its children out apart, and the hidden name must not open a gap before "…". */}
      <span>
        Remove<span className="visually-hidden"> {member.name} from the team</span>…
      </span>
    </button>
  )
}

/** The confirmation: what removal does, and what it cannot take back. A refusal is said by the Remove button. */
export function RemoveMemberDialog({ member, onClose, onRemoved }: { readonly member: TeamMemberView; readonly onClose: () => void; readonly onRemoved: () => void }): React.JSX.Element {
  const titleId = useId()
  const errorId = useId()
  const { teamCall } = useActions()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const words = removalWords(member.name)
  const remove = async (): Promise<void> => {
    if (busy) return
    setBusy(true)
    setError(null)
    const result = await teamCall('team.remove', { memberId: member.id })
    setBusy(false)
    if (!result.ok) {
      setError(result.error.message)
      return
    }
    onClose()
    onRemoved()
  }
  return (
    <Modal labelledBy={titleId} onDismiss={onClose} busy={busy} className="confirm team-remove-dialog">
      <h2 id={titleId}>Remove {member.name} from the team?</h2>
      <p>{words.does}</p>
      <ul className="team-remove-facts">
        <li>{words.untilRefreshed}</li>
        <li>{words.clientSecrets}</li>
        <li>{words.databasePassword}</li>
      </ul>
      <ErrorText id={errorId} message={error} glyph />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} disabled={busy} data-autofocus>
          Cancel
        </button>
        <button type="button" className="button danger" onClick={() => void remove()} disabled={busy} aria-describedby={error !== null ? errorId : undefined}>
          {busy ? <span className="spinner" aria-hidden="true" /> : null}
          Remove {member.name}
        </button>
      </div>
    </Modal>
  )
}

/** How far the last removal this machine made has got, as Larder says it. */
export function RemovalProgress({ removal, titleId }: { readonly removal: TeamRemovalView | undefined; readonly titleId: string }): React.JSX.Element {
  return (
    <div className="team-removal" role="status" aria-labelledby={removal === undefined ? undefined : titleId}>
      {removal === undefined ? null : (
        <>
          <h5 id={titleId} tabIndex={-1}>
            Removing {removal.removed?.name ?? 'a member'}
          </h5>
          <dl className="team-facts">
            <dt>Sealed again</dt>
            <dd>
              {removal.resealed.done} of {removal.resealed.total}
              {removal.resealed.finished ? ' (done)' : ''}
            </dd>
            <dt>Refreshed</dt>
            <dd>
              {removal.refreshed === null ? 'Not started' : `${removal.refreshed.done} of ${removal.refreshed.total}${removal.refreshed.finished ? ' (done)' : ''}`}
            </dd>
          </dl>
          {removal.refreshed !== null && removal.refreshed.left.length > 0 ? (
            <>
              <p>Not refreshed yet:</p>
              <ul className="team-removal-left">
                {removal.refreshed.left.map((left) => (
                  <li key={left.id}>
                    <strong>{left.name}</strong>: {left.why}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <p className="team-removal-message">{removal.message}</p>
        </>
      )}
    </div>
  )
}
