// MaskedField: the field frame (Field.tsx's FieldFrame: label, control, error with its ✕ read out at once, help) around
// a secret typed or pasted, with its Show/Hide toggle.
import { FieldFrame } from './Field.tsx'
import { MaskedInput } from './MaskedInput.tsx'

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
