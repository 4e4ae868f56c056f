// A secret field (client secret, tokens) with a "Show"/"Hide" toggle, so a person can check what they pasted. The
// value stays the caller's: this keeps only whether it is shown, and forgets that when the field goes. Shown, the
// field still asks the browser not to remember it, fill it in or spell-check it (a spell checker may send the text
// to a server).
import { useState, type InputHTMLAttributes } from 'react'
import './masked-input.css'

export interface MaskedInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type' | 'autoComplete' | 'spellCheck'> {
  readonly id: string
  /** The field's name as its label says it, for the toggle's name: "Show client secret". */
  readonly label: string
}

export function MaskedInput({ id, label, disabled, ...input }: MaskedInputProps): React.JSX.Element {
  const [shown, setShown] = useState(false)
  const verb = shown ? 'Hide' : 'Show'
  return (
    <div className="masked-input">
      <input
        {...input}
        id={id}
        type={shown ? 'text' : 'password'}
        autoComplete={shown ? 'off' : 'new-password'}
        spellCheck={false}
        autoCorrect="off"
        autoCapitalize="off"
        disabled={disabled}
      />
      <button
        type="button"
        className="button ghost small masked-toggle"
        aria-controls={id}
        aria-pressed={shown}
        aria-label={`${verb} ${label.toLowerCase()}`}
        disabled={disabled}
        // A press with the pointer leaves the focus where it is (in the field being typed in); a key press keeps it here.
        onMouseDown={(event) => event.preventDefault()}
        onClick={() => setShown((now) => !now)}
      >
        {verb}
      </button>
    </div>
  )
}
