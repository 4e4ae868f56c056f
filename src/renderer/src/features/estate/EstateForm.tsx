// What the estate view's forms that send one call share (back up, move, scheduled backups): their errors and busy
// state, and their foot. A problem found before anything is sent is said at its field and the focus goes there;
// Larder's refusal is said at the field it names, else under the form and read out at once.
import { useState, type ReactNode } from 'react'
import type { BridgeErrorShape } from '../../../../shared/contract.ts'
import { ErrorText } from '../common/Field.tsx'

export type FormErrors<F extends string> = Partial<Record<F | 'form', string>>

type Answer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: BridgeErrorShape }

export interface EstateForm<F extends string> {
  readonly errors: FormErrors<F>
  readonly busy: boolean
  /** A problem found before anything is sent: said at its field (id `${uid}-${field}`), which takes the focus. */
  fail(field: F, message: string): void
  /** The field's error goes once the person changes it. */
  clear(field: F): void
  /** Sends with the form busy; `done` gets the answer, a refusal goes to its field when it is one of `fields`. */
  send<T>(call: () => Promise<Answer<T>>, fields: readonly F[], done: (value: T) => void): Promise<void>
}

export function useEstateForm<F extends string>(uid: string): EstateForm<F> {
  const [errors, setErrors] = useState<FormErrors<F>>({})
  const [busy, setBusy] = useState(false)
  const show = (field: F | 'form', message: string): void => setErrors({ [field]: message } as FormErrors<F>)
  return {
    errors,
    busy,
    fail(field, message) {
      show(field, message)
      document.getElementById(`${uid}-${field}`)?.focus()
    },
    clear(field) {
      setErrors((previous) => ({ ...previous, [field]: undefined }))
    },
    async send(call, fields, done) {
      setErrors({})
      setBusy(true)
      const result = await call()
      setBusy(false)
      if (result.ok) return done(result.value)
      const named = fields.find((field) => field === result.error.field)
      show(named ?? 'form', result.error.message)
    }
  }
}

export interface FormEndProps {
  /** Larder's refusal that names none of the form's fields. */
  readonly error: string | undefined
  readonly busy: boolean
  /** The submit button's words. */
  readonly submit: string
  readonly tone?: 'primary' | 'danger'
  /** A spinner in the button while the form is busy. */
  readonly spinner?: boolean
  /** Beside the button, e.g. a "Saved." note. */
  readonly children?: ReactNode
}

/** The form's refusal (read out at once), then its submit button, disabled while busy. */
export function FormEnd({ error, busy, submit, tone = 'primary', spinner = true, children }: FormEndProps): React.JSX.Element {
  return (
    <>
      <ErrorText message={error} />
      <div className="form-actions">
        <button type="submit" className={`button ${tone}`} disabled={busy}>
          {spinner && busy ? <span className="spinner" aria-hidden="true" /> : null}
          {submit}
        </button>
        {children}
      </div>
    </>
  )
}
