// A checkbox or radio with its label and a line of help beside it, tied together for screen readers.
import type { ReactNode } from 'react'

export interface CheckOptionProps {
  readonly id: string
  readonly type: 'checkbox' | 'radio'
  /** Radios of one group share a name. */
  readonly name?: string
  readonly label: ReactNode
  readonly help: ReactNode
  readonly checked: boolean
  onChange(checked: boolean): void
  /** The help on the same line as the label (settings) rather than under it. */
  readonly inlineHelp?: boolean
}

export function CheckOption({ id, type, name, label, help, checked, onChange, inlineHelp = false }: CheckOptionProps): React.JSX.Element {
  return (
    <div className="check">
      <input id={id} type={type} name={name} checked={checked} aria-describedby={`${id}-help`} onChange={(event) => onChange(event.target.checked)} />
      <label htmlFor={id}>{label}</label>
      <span id={`${id}-help`} className={inlineHelp ? 'field-help inline' : 'field-help'}>
        {help}
      </span>
    </div>
  )
}
