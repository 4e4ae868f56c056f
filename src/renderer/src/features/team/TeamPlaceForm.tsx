// A local vault's way into a team: the database's URL, its CA when the system does not trust it, the name colleagues
// will see, then "Make a new team" or "Join a team". The URL may hold the database's password: it lives in this form's
// state only, goes into one call, and is gone once Larder answered yes (the view that follows names the server
// without it). A refusal is said at the field Larder names, which takes the focus.
import { useId, useRef, useState } from 'react'
import type { CallInput, CallResult } from '../../../../shared/contract.ts'
import { useActions } from '../../store/provider.tsx'
import { ErrorText, FieldFrame, TextField } from '../common/Field.tsx'
import { placeFieldOf, TEAM_WORDS, type PlaceField } from './team-words.ts'

type Action = 'create' | 'join'
type Errors = Partial<Record<PlaceField | 'form', string>>

const EMPTY = { url: '', ca: '', name: '' }

export function TeamPlaceForm({ titleId }: { readonly titleId: string }): React.JSX.Element {
  const uid = useId()
  const { teamCall } = useActions()
  const [draft, setDraft] = useState(EMPTY)
  const [caOpen, setCaOpen] = useState(false)
  const [errors, setErrors] = useState<Errors>({})
  const [busy, setBusy] = useState<Action | null>(null)
  /** Which button sent the form (Enter in a field sends it as the first: "Make a new team"). */
  const chosen = useRef<Action>('create')
  const idOf = (field: PlaceField): string => `${uid}-${field}`

  const fail = (field: PlaceField | 'form', message: string): void => {
    setErrors({ [field]: message })
    if (field === 'ca') setCaOpen(true)
    // A refusal for the whole form is read out where it is (role="alert"); the focus stays on the button.
    if (field !== 'form') setTimeout(() => document.getElementById(idOf(field))?.focus(), 0)
  }
  const edit = (field: PlaceField, value: string): void => {
    setDraft((previous) => ({ ...previous, [field]: value }))
    setErrors((previous) => ({ ...previous, [field]: undefined, form: undefined }))
  }

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    if (busy !== null) return
    const action = chosen.current
    if (draft.url.trim() === '') return fail('url', 'Type the team database’s URL: postgresql://USER:PASSWORD@HOST:PORT/DATABASE.')
    if (draft.name.trim() === '') return fail('name', 'Type your name as your colleagues will see it.')
    const input: CallInput<'team.create'> = { databaseUrl: draft.url.trim(), name: draft.name.trim(), ...(draft.ca.trim() === '' ? {} : { caPem: draft.ca.trim() }) }
    setErrors({})
    setBusy(action)
    const result: CallResult<'team.create'> = await teamCall(action === 'create' ? 'team.create' : 'team.requestJoin', input)
    setBusy(null)
    if (result.ok) {
      // The section shows what Larder answered next; nothing of the URL stays behind in this form.
      setDraft(EMPTY)
      return
    }
    fail(placeFieldOf(result.error.field), result.error.message)
  }

  return (
    <form className="team-form" aria-labelledby={titleId} onSubmit={(event) => void submit(event)} noValidate>
      <TextField
        id={idOf('url')}
        label="Team database URL"
        error={errors.url}
        help="postgresql://USER:PASSWORD@HOST:PORT/DATABASE. Larder keeps it sealed on this machine and never shows the password again. A server on another computer must offer TLS with a certificate this machine trusts."
        inputClass="mono"
        spellCheck={false}
        autoComplete="off"
        autoCapitalize="off"
        placeholder="postgresql://…"
        disabled={busy !== null}
        value={draft.url}
        onChange={(event) => edit('url', event.target.value)}
      />
      <details className="advanced" open={caOpen} onToggle={(event) => setCaOpen(event.currentTarget.open)}>
        <summary>The server’s certificate comes from our own CA</summary>
        <FieldFrame id={idOf('ca')} label="CA certificate (PEM)" error={errors.ca} help="Paste the certificate that signed the server’s: -----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----.">
          {({ invalid, describedBy }) => (
            <textarea
              id={idOf('ca')}
              className="input mono team-ca"
              rows={4}
              spellCheck={false}
              autoCapitalize="off"
              aria-invalid={invalid}
              aria-describedby={describedBy}
              disabled={busy !== null}
              value={draft.ca}
              onChange={(event) => edit('ca', event.target.value)}
            />
          )}
        </FieldFrame>
      </details>
      <TextField
        id={idOf('name')}
        label="Your name, as colleagues will see it"
        error={errors.name}
        help="For example: Dana, office laptop."
        autoComplete="off"
        disabled={busy !== null}
        value={draft.name}
        onChange={(event) => edit('name', event.target.value)}
      />
      <ErrorText message={errors.form} glyph />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy !== null} onClick={() => (chosen.current = 'create')}>
          {busy === 'create' ? <span className="spinner" aria-hidden="true" /> : null}
          Make a new team
        </button>
        <button type="submit" className="button" disabled={busy !== null} onClick={() => (chosen.current = 'join')}>
          {busy === 'join' ? <span className="spinner" aria-hidden="true" /> : null}
          Join a team
        </button>
        <span role="status" className="muted">
          {busy === null ? '' : 'Reaching the team database…'}
        </span>
      </div>
      <p className="field-help team-note">{TEAM_WORDS.shareNote}</p>
    </form>
  )
}
