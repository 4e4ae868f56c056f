// The error and the help under a form field, with the ids its input's aria-describedby points at.
export function FieldNotes({ id, error, help }: { readonly id: string; readonly error: string | undefined; readonly help: string | undefined }): React.JSX.Element {
  return (
    <>
      {error !== undefined ? (
        <p id={`${id}-error`} className="field-error">
          <span aria-hidden="true">✕ </span>
          {error}
        </p>
      ) : null}
      {help !== undefined ? (
        <p id={`${id}-help`} className="field-help">
          {help}
        </p>
      ) : null}
    </>
  )
}
