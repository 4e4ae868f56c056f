// A field's frame for a control other than a plain input: its label, the control, then its error (with a ✕, read out
// at once) and help under it, tied to the control for screen readers (aria-describedby: the error, then the help).
// TextField (Field.tsx) lays out the same frame around a plain input. MaskedField is the frame around a secret.
import type { ReactNode } from 'react'
import { ErrorText } from './Field.tsx'
import { MaskedInput } from './MaskedInput.tsx'

/** What the control gets to be tied to the frame's error and help. */
export interface FieldAria {
  readonly invalid: boolean
  readonly describedBy: string | undefined
}

export interface FieldFrameProps {
  /** The control's id; the error and help are `${id}-error` and `${id}-help`. */
  readonly id: string
  readonly label: ReactNode
  /** Shown under the control and marks it invalid. */
  readonly error?: string | null | undefined
  readonly help?: ReactNode
  /** Extra classes for the frame, e.g. "path-field". */
  readonly frameClass?: string
  children(aria: FieldAria): ReactNode
}

export function FieldFrame({ id, label, error, help, frameClass, children }: FieldFrameProps): React.JSX.Element {
  const invalid = error !== null && error !== undefined
  const describedBy = [invalid ? `${id}-error` : '', help !== undefined ? `${id}-help` : ''].filter(Boolean).join(' ') || undefined
  return (
    <div className={`field${frameClass === undefined ? '' : ` ${frameClass}`}${invalid ? ' has-error' : ''}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children({ invalid, describedBy })}
      <ErrorText id={`${id}-error`} message={error} glyph />
      {help !== undefined ? (
        <p id={`${id}-help`} className="field-help">
          {help}
        </p>
      ) : null}
    </div>
  )
}

export interface MaskedFieldProps {
  readonly id: string
  /** Also names the Show/Hide toggle: "Show client secret". */
  readonly label: string
  readonly value: string
  onChange(value: string): void
  readonly error?: string | null | undefined
  readonly help?: string | undefined
  readonly disabled?: boolean
  /** Extra classes for the input, e.g. "mono". */
  readonly inputClass?: string
}

/** A secret typed or pasted (a client secret, a token, a passphrase): masked, with its Show/Hide toggle. */
export function MaskedField({ id, label, value, onChange, error, help, disabled = false, inputClass }: MaskedFieldProps): React.JSX.Element {
  return (
    <FieldFrame id={id} label={label} error={error} help={help}>
      {({ invalid, describedBy }) => (
        <MaskedInput
          id={id}
          label={label}
          className={inputClass === undefined ? 'input' : `input ${inputClass}`}
          value={value}
          disabled={disabled}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </FieldFrame>
  )
}
