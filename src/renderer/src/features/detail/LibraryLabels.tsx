// What a person calls a library, in its pane: its customer label (which groups it with the customer's other libraries
// and keys) and, behind "Edit name and customer", a small form changing both with 'libraries.update'. Larder checks
// them again; a refusal is said at its field and nothing changes.
import { useEffect, useId, useRef, useState } from 'react'
import { customerLabelProblem } from '../../../../shared/customer-label.ts'
import { useActions } from '../../store/provider.tsx'
import { CustomerSuggestions } from '../common/CustomerSuggestions.tsx'
import { ErrorText, TextField } from '../common/Field.tsx'

type Field = 'name' | 'customer'

interface Labels {
  readonly id: string
  readonly name: string
  readonly customer: string | undefined
}

export function LibraryLabels({ id, name, customer }: Labels): React.JSX.Element {
  const [editing, setEditing] = useState(false)
  const editButton = useRef<HTMLButtonElement>(null)
  const close = (): void => {
    setEditing(false)
    // Back where the person started, once the button is there again.
    requestAnimationFrame(() => editButton.current?.focus())
  }
  if (editing) return <LabelsForm id={id} name={name} customer={customer} onClose={close} />
  return (
    <p className="detail-labels">
      <span className="muted">Customer</span> {customer !== undefined ? <strong>{customer}</strong> : <span className="muted">none</span>}{' '}
      <button ref={editButton} type="button" className="button ghost small" onClick={() => setEditing(true)}>
        Edit name and customer
      </button>
    </p>
  )
}

function LabelsForm({ id, name, customer, onClose }: Labels & { readonly onClose: () => void }): React.JSX.Element {
  const uid = useId()
  const [draft, setDraft] = useState<Record<Field, string>>({ name, customer: customer ?? '' })
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const { updateLibrary } = useActions()
  useEffect(() => document.getElementById(`${uid}-name`)?.focus(), [uid])

  const set = (field: Field, value: string): void => {
    setDraft((current) => ({ ...current, [field]: value }))
    setErrors((current) => ({ ...current, [field]: undefined }))
  }

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    const found: Partial<Record<Field, string>> = {}
    if (draft.name.trim() === '') found.name = 'Give the library a name.'
    const problem = customerLabelProblem(draft.customer)
    if (problem !== null) found.customer = problem
    const first = (['name', 'customer'] as const).find((field) => found[field] !== undefined)
    if (first !== undefined) {
      setErrors(found)
      document.getElementById(`${uid}-${first}`)?.focus()
      return
    }
    setSaving(true)
    setFormError(null)
    const result = await updateLibrary(id, { name: draft.name, customer: draft.customer })
    setSaving(false)
    if (result.ok) {
      onClose()
      return
    }
    const field = result.error.field === 'name' || result.error.field === 'customer' ? result.error.field : null
    if (field === null) {
      setFormError(result.error.message)
      return
    }
    setErrors({ [field]: result.error.message })
    document.getElementById(`${uid}-${field}`)?.focus()
  }

  return (
    <form className="detail-labels-form" aria-label="Name and customer" onSubmit={(event) => void submit(event)} noValidate>
      <div className="field-grid">
        <TextField id={`${uid}-name`} label="Name" value={draft.name} error={errors.name} disabled={saving} autoComplete="off" onChange={(event) => set('name', event.target.value)} />
        <TextField
          id={`${uid}-customer`}
          label="Customer (optional)"
          help="Groups it with the customer’s other libraries and keys. Empty: none."
          value={draft.customer}
          error={errors.customer}
          list={`${uid}-customers`}
          disabled={saving}
          autoComplete="off"
          onChange={(event) => set('customer', event.target.value)}
        />
        <CustomerSuggestions id={`${uid}-customers`} />
      </div>
      <ErrorText message={formError} glyph />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} disabled={saving}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? <span className="spinner" aria-hidden="true" /> : null}
          Save
        </button>
      </div>
    </form>
  )
}
