// After an add: what Larder found (the library Apicbase says the token acts on), whether another entry of the same
// token type already reaches that library, and a way to remove the library at once if it is not the one meant
// (behind the usual confirmation: the library's name typed).
import { useEffect, useId } from 'react'
import type { LibraryView } from '../../../../shared/contract.ts'
import { describeHeld, sameApicbaseLibrary } from '../../../../shared/duplicate-library.ts'
import { TOKEN_TYPE_LABEL } from '../../lib/status.ts'
import { formatExact } from '../../lib/time.ts'
import { useApp } from '../../store/provider.tsx'
import { useFocusRequest } from '../common/useFocusRequest.ts'
import { RemoveDialog } from '../detail/ConfirmDialogs.tsx'
import { useHeldLibraries } from './held-libraries.ts'

export interface SavedStepProps {
  readonly library: LibraryView
  onDone(): void
  onAnother(): void
  /** The library was removed from here: the dialog has nothing left to say. */
  onRemoved(): void
  /** The remove confirmation is open (a dialog over this one, whose Escape must not close this one too). */
  readonly removing: boolean
  setRemoving(removing: boolean): void
}

export function SavedStep({ library: added, onDone, onAnother, onRemoved, removing, setRemoving }: SavedStepProps): React.JSX.Element {
  // The list's row is kept current by events; the rest (the scopes) comes from the add's answer.
  const row = useApp((state) => state.byId[added.id])
  const library = row === undefined ? added : { ...added, ...row }
  const present = useApp((state) => added.id in state.byId)
  const held = useHeldLibraries()
  const same = sameApicbaseLibrary(held, library)
  useEffect(() => {
    if (!present) onRemoved()
  }, [present, onRemoved])
  // The confirmation was dismissed: back to the button that opened it (a dialog removed from the page gives none back).
  const removeId = `${useId()}-remove`
  const focus = useFocusRequest()
  const closeConfirmation = (): void => {
    setRemoving(false)
    focus(removeId)
  }

  return (
    <div className="add-saved">
      <p className="add-saved-title" role="status">
        <span aria-hidden="true">✓ </span>
        {library.name} is saved. The token works.
      </p>
      {library.apicbaseLibraryName !== null || library.apicbaseLibraryId !== null ? (
        <p>
          Apicbase says this token acts on the library <strong>{library.apicbaseLibraryName ?? 'without a name'}</strong>
          {library.apicbaseLibraryId !== null ? ` (id ${library.apicbaseLibraryId})` : ''}. If that is not the customer you meant,
          remove it now.
        </p>
      ) : (
        <p>Apicbase did not say which library this token acts on (the token may lack the “accounts” scope).</p>
      )}
      {same.length > 0 ? (
        <div className="notice notice-info same-library">
          <p>
            Larder already reaches this Apicbase library with a {TOKEN_TYPE_LABEL[library.tokenType].toLowerCase()} token:{' '}
            {same.map((other) => describeHeld(other)).join(', ')}. Each entry keeps its own token fresh; if you meant to replace it, remove
            one of them.
          </p>
        </div>
      ) : null}
      <dl className="meta compact">
        <dt>Token type</dt>
        <dd>{TOKEN_TYPE_LABEL[library.tokenType]}</dd>
        <dt>Scopes</dt>
        <dd>{library.scopes.join(', ') || 'none reported'}</dd>
        <dt>Good until</dt>
        <dd>{formatExact(library.expiresAt)}</dd>
      </dl>
      <div className="dialog-actions">
        <button id={removeId} type="button" className="button danger-text saved-remove" onClick={() => setRemoving(true)}>
          Remove {library.name}…
        </button>
        <button type="button" className="button" onClick={onAnother}>
          Add another
        </button>
        <button type="button" className="button primary" onClick={onDone} autoFocus>
          Done
        </button>
      </div>
      {removing ? <RemoveDialog library={library} onClose={closeConfirmation} /> : null}
    </div>
  )
}
