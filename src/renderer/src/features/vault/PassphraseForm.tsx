// The passphrase form the vault screen, the lock screen and the lock passphrase dialogs share: one passphrase to
// unlock, or a new one typed twice with the rule (and, to change one, the one set now). What is typed goes to Larder
// through `submit` and is cleared from the form once Larder took it; a refusal is said at the field it names.
import { useId, useState, type ReactNode } from 'react'
import { longEnoughPassphrase, PASSPHRASE_TOO_SHORT } from '../../../../shared/passphrase-rule.ts'
import { TextField } from '../common/Field.tsx'

/** What Larder answered (a CallResult of any call fits). */
export type PassphraseAnswer = { readonly ok: true } | { readonly ok: false; readonly error: { readonly message: string; readonly field?: string | undefined } }

export interface PassphraseWords {
  readonly passphrase: string
  readonly repeat: string
  readonly current: string
  readonly submit: string
  readonly busy: string
}

const UNLOCK_WORDS: PassphraseWords = { passphrase: 'Passphrase', repeat: '', current: '', submit: 'Unlock', busy: 'Unlocking…' }
const CREATE_WORDS: PassphraseWords = { passphrase: 'New passphrase', repeat: 'Repeat the passphrase', current: '', submit: 'Create vault', busy: 'Creating the vault…' }

export interface PassphraseFormProps {
  /** 'unlock': one passphrase. 'create': a new one, typed twice, at least MIN_PASSPHRASE_LENGTH characters. */
  readonly mode: 'unlock' | 'create'
  /** `current`: the passphrase set now, when `askCurrent`. */
  submit(passphrase: string, current?: string): Promise<PassphraseAnswer>
  readonly words?: Partial<PassphraseWords>
  /** 'create' only: first ask for the passphrase set now (to change it). */
  readonly askCurrent?: boolean
  /** The first field's autocomplete (an unlock's default: current-password; 'off' where nothing should offer one). */
  readonly autoComplete?: string
  /** Nothing can be sent now (Larder waits after wrong passphrases): the button is disabled, the fields are not. */
  readonly blocked?: boolean
  /** A Cancel button beside the submit (a dialog's). */
  readonly onCancel?: () => void
  /** Said under the button while nothing is being sent (the lock screen's wait). */
  readonly status?: ReactNode
}

type FieldName = 'current' | 'passphrase' | 'repeat'

export function PassphraseForm({ mode, submit, words, askCurrent = false, autoComplete, blocked = false, onCancel, status }: PassphraseFormProps): React.JSX.Element {
  const uid = useId()
  const said = { ...(mode === 'create' ? CREATE_WORDS : UNLOCK_WORDS), ...words }
  const [values, setValues] = useState<Record<FieldName, string>>({ current: '', passphrase: '', repeat: '' })
  const [error, setError] = useState<{ readonly field: FieldName; readonly message: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const creating = mode === 'create'
  const asksCurrent = creating && askCurrent
  const idOf = (name: FieldName): string => `${uid}-${name}`

  const refuse = (field: FieldName, message: string): void => {
    setError({ field, message })
    document.getElementById(idOf(field))?.focus()
  }

  const send = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    if (busy || blocked) return
    const { current, passphrase, repeat } = values
    if (asksCurrent && current === '') return refuse('current', 'Enter the passphrase set now.')
    if (passphrase === '') return refuse('passphrase', 'Enter the passphrase.')
    // Larder's rule (the main process checks it again): said here without a round trip.
    if (creating && !longEnoughPassphrase(passphrase)) return refuse('passphrase', PASSPHRASE_TOO_SHORT)
    if (creating && passphrase !== repeat) return refuse('repeat', 'The two passphrases are not the same.')
    setError(null)
    setBusy(true)
    const result = await submit(passphrase, asksCurrent ? current : undefined)
    setBusy(false)
    if (result.ok) {
      setValues({ current: '', passphrase: '', repeat: '' })
      return
    }
    refuse(result.error.field === 'current' && asksCurrent ? 'current' : 'passphrase', result.error.message)
  }

  const input = (name: FieldName, label: string, autoFocus: boolean, complete: string): React.JSX.Element => (
    <TextField
      id={idOf(name)}
      label={label}
      error={error?.field === name ? error.message : null}
      errorStyle="alert"
      type="password"
      autoComplete={complete}
      autoFocus={autoFocus}
      data-autofocus={autoFocus ? true : undefined}
      spellCheck={false}
      value={values[name]}
      disabled={busy}
      onChange={(event) => {
        const value = event.target.value
        setValues((previous) => ({ ...previous, [name]: value }))
      }}
    />
  )

  return (
    <form onSubmit={(event) => void send(event)} noValidate className="vault-form">
      {asksCurrent ? input('current', said.current, true, 'current-password') : null}
      {input('passphrase', said.passphrase, !asksCurrent, autoComplete ?? (creating ? 'new-password' : 'current-password'))}
      {creating ? input('repeat', said.repeat, false, 'new-password') : null}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy || blocked}>
          {busy ? <span className="spinner" aria-hidden="true" /> : null}
          {said.submit}
        </button>
        {onCancel ? (
          <button type="button" className="button ghost" disabled={busy} onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        <span role="status" className="muted">
          {busy ? said.busy : status}
        </span>
      </div>
    </form>
  )
}
