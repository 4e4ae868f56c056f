// A labelled text input with its error and help under it, tied to it for screen readers, and the error line that
// forms show on their own. One place for the ids that aria-describedby points at.
import type { InputHTMLAttributes, ReactNode } from 'react'

export interface ErrorTextProps {
  readonly id?: string
  /** Nothing is shown for null or undefined. */
  readonly message: string | null | undefined
  /** A ✕ before the words, so the error is not told by colour alone where it sits among other notes. */
  readonly glyph?: boolean
  /** Read out at once (role="alert"): an error that came back from Larder rather than from typing. */
  readonly alert?: boolean
}

export function ErrorText({ id, message, glyph = false, alert = true }: ErrorTextProps): React.JSX.Element | null {
  if (message === null || message === undefined) return null
  return (
    <p id={id} className="field-error" role={alert ? 'alert' : undefined}>
      {glyph ? <span aria-hidden="true">✕ </span> : null}
      {message}
    </p>
  )
}

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className' | 'aria-invalid' | 'aria-describedby'> {
  readonly id: string
  readonly label: ReactNode
  /** Shown under the input and marks it invalid. */
  readonly error?: string | null
  readonly help?: ReactNode
  /** Extra classes for the input, e.g. "mono". */
  readonly inputClass?: string
  /** How the error reads: with a ✕ (forms with help beside it), plain, or plain and read out at once. */
  readonly errorStyle?: 'glyph' | 'plain' | 'alert'
}

export function TextField({ id, label, error, help, inputClass, errorStyle = 'glyph', ...input }: TextFieldProps): React.JSX.Element {
  const invalid = error !== null && error !== undefined
  const describedBy = [invalid ? `${id}-error` : null, help !== undefined ? `${id}-help` : null].filter(Boolean).join(' ')
  return (
    <div className={`field${invalid ? ' has-error' : ''}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <input
        id={id}
        className={inputClass === undefined ? 'input' : `input ${inputClass}`}
        aria-invalid={invalid}
        aria-describedby={describedBy === '' ? undefined : describedBy}
        {...input}
      />
      <ErrorText id={`${id}-error`} message={error} glyph={errorStyle === 'glyph'} alert={errorStyle === 'alert'} />
      {help !== undefined ? (
        <p id={`${id}-help`} className="field-help">
          {help}
        </p>
      ) : null}
    </div>
  )
}
