// A labelled drop-down that sits in a toolbar row (filters, sort): the label beside the select, not above it.
export interface SelectOption {
  readonly value: string
  readonly label: string
}

export interface InlineSelectProps {
  readonly id: string
  readonly label: string
  readonly value: string
  readonly options: readonly SelectOption[]
  onChange(value: string): void
}

export function InlineSelect({ id, label, value, options, onChange }: InlineSelectProps): React.JSX.Element {
  return (
    <span className="field-inline">
      <label htmlFor={id}>{label}</label>
      <select id={id} className="select" value={value} onChange={(event) => onChange(event.target.value)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </span>
  )
}
