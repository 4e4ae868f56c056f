// Confirmations for a key: removing it (type its name, as for a library) and recording what its admin did (revoked,
// restored, deleted, expired), which changes what Larder lets anyone do with it.
import { useId, useState } from 'react'
import type { CallInput, KeyView } from '../../../../shared/contract.ts'
import { SYSTEM_LABEL } from '../../../../shared/status-words.ts'
import { useActions } from '../../store/provider.tsx'
import { ErrorText } from '../common/Field.tsx'
import { Modal } from '../common/Modal.tsx'

export type LifecycleEvent = CallInput<'keys.lifecycle'>['event']

/** The button's words, and what recording it means. */
export const LIFECYCLE_CHOICE: Readonly<Record<LifecycleEvent, { readonly label: string; readonly means: string }>> = {
  revoked: { label: 'Revoked by the admin', means: 'Larder stops copying it and handing it to scripts, and stops checking it.' },
  expired: { label: 'Expired by the admin', means: 'Larder stops copying it and handing it to scripts, and stops checking it.' },
  restored: { label: 'Restored by the admin', means: 'Larder treats it as working again: it can be checked, copied and handed to scripts.' },
  deleted: { label: 'Deleted by the admin', means: 'Nothing accepts it any more; Larder keeps its history until you remove it.' }
}

export function KeyRemoveDialog({ keyView, onClose }: { readonly keyView: KeyView; readonly onClose: () => void }): React.JSX.Element {
  const titleId = useId()
  const inputId = useId()
  const [typed, setTyped] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const { removeKey } = useActions()
  const matches = typed.trim() === keyView.name
  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    if (!matches || busy) return
    setBusy(true)
    const result = await removeKey(keyView.id, typed.trim())
    setBusy(false)
    if (result.ok) onClose()
    else setError(result.error.message)
  }
  return (
    <Modal labelledBy={titleId} onDismiss={onClose} busy={busy} className="confirm">
      <form onSubmit={(event) => void submit(event)}>
        <h2 id={titleId}>Remove {keyView.name}?</h2>
        <p>
          Larder forgets this {SYSTEM_LABEL[keyView.system]} token and its history. The token itself keeps working at {SYSTEM_LABEL[keyView.system]} until it is revoked
          there.
        </p>
        <label htmlFor={inputId} className="field-label">
          Type <strong className="mono">{keyView.name}</strong> to confirm
        </label>
        <input
          id={inputId}
          className="input"
          autoComplete="off"
          spellCheck={false}
          data-autofocus
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          aria-invalid={error !== null}
          aria-describedby={error !== null ? `${inputId}-error` : undefined}
        />
        <ErrorText id={`${inputId}-error`} message={error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="button danger" disabled={!matches || busy}>
            {busy ? 'Removing…' : `Remove ${keyView.name}`}
          </button>
        </div>
      </form>
    </Modal>
  )
}

export function LifecycleDialog({ keyView, event, onClose }: { readonly keyView: KeyView; readonly event: LifecycleEvent; readonly onClose: () => void }): React.JSX.Element {
  const titleId = useId()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const { keyLifecycle } = useActions()
  const choice = LIFECYCLE_CHOICE[event]
  const record = async (): Promise<void> => {
    setBusy(true)
    const result = await keyLifecycle(keyView.id, event)
    setBusy(false)
    if (result.ok) onClose()
    else setError(result.error.message)
  }
  return (
    <Modal labelledBy={titleId} onDismiss={onClose} busy={busy} className="confirm">
      <h2 id={titleId}>
        Record {keyView.name} as {event} by its admin?
      </h2>
      <p>
        Larder records it with today’s date in the key’s history. {choice.means}
      </p>
      <ErrorText message={error} />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} disabled={busy} data-autofocus>
          Cancel
        </button>
        <button type="button" className={`button ${event === 'restored' ? 'primary' : 'danger'}`} onClick={() => void record()} disabled={busy}>
          {busy ? 'Recording…' : `Record: ${choice.label.toLowerCase()}`}
        </button>
      </div>
    </Modal>
  )
}
