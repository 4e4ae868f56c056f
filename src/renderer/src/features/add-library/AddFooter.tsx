// The foot of the add dialogs (Add library, Add a key): Larder's refusal that names no field, then what is being
// checked, Cancel and Save, kept in view at the foot of the dialog however far the form scrolls (add-library.css).
export interface AddFooterProps {
  /** Save's id: the focus goes there after a refusal that names no field. */
  readonly submitId: string
  /** That refusal, said after "Nothing was saved.". */
  readonly error: string | null
  readonly checking: boolean
  /** Said while checking, e.g. "Checking the token with Apicbase…". */
  readonly checkingWords: string
  onCancel(): void
}

export function AddFooter({ submitId, error, checking, checkingWords, onCancel }: AddFooterProps): React.JSX.Element {
  return (
    <>
      {error !== null ? (
        <div className="notice notice-error" role="alert">
          <strong>Nothing was saved.</strong> {error}
        </div>
      ) : null}
      <div className="add-footer dialog-actions">
        <p className="checking" role="status">
          {checking ? checkingWords : ''}
        </p>
        <button type="button" className="button" onClick={onCancel} disabled={checking}>
          Cancel
        </button>
        <button id={submitId} type="submit" className="button primary" disabled={checking}>
          {checking ? <span className="spinner" aria-hidden="true" /> : null}
          Save
        </button>
      </div>
    </>
  )
}
