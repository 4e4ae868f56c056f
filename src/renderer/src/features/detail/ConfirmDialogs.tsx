// Confirmations for the two actions that cannot be undone. Remove asks for the library's name, as the
// core does: removing the wrong library loses a token only its owner can replace.
import { useId, useState } from 'react'
import type { LibraryView } from '../../../../shared/contract.ts'
import { removeConsequence } from '../../lib/personal.ts'
import { useActions } from '../../store/provider.tsx'
import { ErrorText } from '../common/Field.tsx'
import { Modal } from '../common/Modal.tsx'

/** What removing does at Apicbase: a working token keeps working there (so revoke first), a revoked one already stopped. */
function removeWords(library: LibraryView): string {
  const name = library.name
  if (library.personal?.role === 'library') return `Larder forgets this row; nothing changes at Apicbase. You can add ${name} again from its personal token.`
  const forgets = 'Larder forgets this library’s client secret and token pair.'
  const again = `To connect ${name} again you need a new token from its owner.`
  // No "revoke first": the other machine uses the token now, and revoking it would stop it there too.
  if (library.status === 'moved') return `${forgets} It was moved to another machine, where its token keeps working: nothing changes there or at Apicbase.`
  if (library.status === 'revoked') return `${forgets} Its token is already revoked: Apicbase no longer accepts it, so there is nothing to revoke first. ${again}`
  return `${forgets} The token itself keeps working at Apicbase until it is revoked; use Revoke first if nobody should use it any more. ${again}`
}

export function RemoveDialog({ library, onClose }: { readonly library: LibraryView; readonly onClose: () => void }): React.JSX.Element {
  const titleId = useId()
  const inputId = useId()
  const [typed, setTyped] = useState('')
  const { removeLibrary } = useActions()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const matches = typed.trim() === library.name
  const consequence = removeConsequence(library)
  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    if (!matches || busy) return
    setBusy(true)
    const result = await removeLibrary(library.id, typed.trim())
    setBusy(false)
    if (result.ok) onClose()
    else setError(result.error.message)
  }
  return (
    <Modal labelledBy={titleId} onDismiss={onClose} busy={busy} className="confirm">
      <form onSubmit={(event) => void submit(event)}>
        <h2 id={titleId}>Remove {library.name}?</h2>
        <p>{removeWords(library)}</p>
        {consequence !== null ? (
          <p className="remove-consequence">
            <strong>{consequence}</strong>
          </p>
        ) : null}
        <label htmlFor={inputId} className="field-label">
          Type <strong className="mono">{library.name}</strong> to confirm
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
            {busy ? 'Removing…' : `Remove ${library.name}`}
          </button>
        </div>
      </form>
    </Modal>
  )
}

export function RevokeDialog({ library, onClose }: { readonly library: LibraryView; readonly onClose: () => void }): React.JSX.Element {
  const titleId = useId()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const { revokeLibrary } = useActions()
  const revoke = async (): Promise<void> => {
    setBusy(true)
    const result = await revokeLibrary(library.id)
    setBusy(false)
    if (result.ok) onClose()
    else setError(result.error.message)
  }
  return (
    <Modal labelledBy={titleId} onDismiss={onClose} busy={busy} className="confirm">
      <h2 id={titleId}>Revoke the token of {library.name}?</h2>
      <p>
        Apicbase stops accepting this token and its refresh token at once, for everyone who uses them. Larder keeps the library,
        marked Revoked. To connect it again, its owner has to issue a new token.
      </p>
      <ErrorText message={error} />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} disabled={busy} data-autofocus>
          Cancel
        </button>
        <button type="button" className="button danger" onClick={() => void revoke()} disabled={busy}>
          {busy ? 'Revoking…' : 'Revoke token'}
        </button>
      </div>
    </Modal>
  )
}
