// Shown as soon as the client ID typed is one Larder holds for that token type, before anything is sent: the check
// after Save is a refresh, which would spend the pasted pair. It names the entry and offers the two ways on; Larder
// refuses the add too until "Add it anyway" sends the confirmation (see shared/duplicate-library.ts).
import type { LibraryListView, TokenType } from '../../../../shared/contract.ts'
import { duplicateWarning } from '../../../../shared/duplicate-library.ts'
import { ErrorText } from '../common/Field.tsx'

export interface DuplicateWarningProps {
  readonly id: string
  /** The libraries Larder holds with this client ID and token type, oldest first (may be empty). */
  readonly held: readonly LibraryListView[]
  readonly tokenType: TokenType
  /** Why nothing was sent: Save without a choice, or Larder's own refusal. */
  readonly error: string | null
  readonly disabled: boolean
  onOpen(library: LibraryListView): void
  onAddAnyway(library: LibraryListView): void
}

export function DuplicateWarning({ id, held, tokenType, error, disabled, onOpen, onAddAnyway }: DuplicateWarningProps): React.JSX.Element | null {
  const [first] = held
  if (first === undefined) {
    // Larder knew a library the list here did not (yet): its refusal says which.
    return error === null ? null : (
      <div className="notice notice-warning duplicate-warning">
        <ErrorText id={`${id}-error`} message={error} />
      </div>
    )
  }
  return (
    <div className="notice notice-warning duplicate-warning" role="group" aria-labelledby={`${id}-text`}>
      <p id={`${id}-text`}>
        <span aria-hidden="true">⚠ </span>
        {duplicateWarning(held, tokenType)}
      </p>
      <ErrorText id={`${id}-error`} message={error} />
      <div className="duplicate-actions">
        <button id={`${id}-open`} type="button" className="button" onClick={() => onOpen(first)} disabled={disabled}>
          Open the existing one
        </button>
        <button type="button" className="button" onClick={() => onAddAnyway(first)} disabled={disabled}>
          Add it anyway
        </button>
      </div>
    </div>
  )
}
