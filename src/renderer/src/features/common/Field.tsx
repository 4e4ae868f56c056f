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
  /** How the error reads (a ✕ unless said otherwise). */
  readonly errorStyle?: ErrorStyle
}

/** What the control gets to be tied to the frame's error and help. */
export interface FieldAria {
  readonly invalid: boolean
  readonly describedBy: string | undefined
}

/** How an error reads: with a ✕ (forms with help beside it), plain, or plain and read out at once. */
export type ErrorStyle = 'glyph' | 'plain' | 'alert'

export interface FieldFrameProps {
  /** The control's id; the error and help are `${id}-error` and `${id}-help`. */
  readonly id: string
  readonly label: ReactNode
  /** Shown under the control and marks it invalid. */
  readonly error?: string | null | undefined
  readonly help?: ReactNode
  /** Extra classes for the frame, e.g. "path-field". */
  readonly frameClass?: string
  /** A ✕ and read out at once unless said otherwise. */
  readonly errorStyle?: ErrorStyle | 'glyph-alert'
  children(aria: FieldAria): ReactNode
}

/**
 * A field's frame: its label, the control, then its error and help under it, tied to the control for screen readers
 * (aria-describedby: the error, then the help). TextField puts a plain input in it; MaskedField (FieldFrame.tsx) a secret.
 */
export function FieldFrame({ id, label, error, help, frameClass, errorStyle = 'glyph-alert', children }: FieldFrameProps): React.JSX.Element {
  const invalid = error !== null && error !== undefined
  const describedBy = [invalid ? `${id}-error` : '', help !== undefined ? `${id}-help` : ''].filter(Boolean).join(' ') || undefined
  return (
    <div className={`field${frameClass === undefined ? '' : ` ${frameClass}`}${invalid ? ' has-error' : ''}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children({ invalid, describedBy })}
      <ErrorText id={`${id}-error`} message={error} glyph={errorStyle === 'glyph' || errorStyle === 'glyph-alert'} alert={errorStyle === 'alert' || errorStyle === 'glyph-alert'} />
      {help !== undefined ? (
        <p id={`${id}-help`} className="field-help">
          {help}
        </p>
      ) : null}
    </div>
  )
}

export function TextField({ id, label, error, help, inputClass, errorStyle = 'glyph', ...input }: TextFieldProps): React.JSX.Element {
  return (
    <FieldFrame id={id} label={label} error={error} help={help} errorStyle={errorStyle}>
      {({ invalid, describedBy }) => (
        <input id={id} className={inputClass === undefined ? 'input' : `input ${inputClass}`} aria-invalid={invalid} aria-describedby={describedBy} {...input} />
      )}
    </FieldFrame>
  )
}
