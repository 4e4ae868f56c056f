// Adding a library: choose the token type, paste the credentials, and Larder checks them against Apicbase
// before anything is kept. A failure says what was wrong, next to the field it concerns, and saves nothing.
import { useId, useRef, useState } from 'react'
import type { LibraryView, TokenType } from '../../../../shared/contract.ts'
import { TOKEN_TYPE_LABEL, TOKEN_TYPES } from '../../lib/status.ts'
import { formatExact } from '../../lib/time.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import { PERSONAL_TOKEN_GUIDANCE } from '../../../../shared/personal-guidance.ts'
import { Modal } from '../common/Modal.tsx'
import { EMPTY_DRAFT, FIELD_LABEL, fieldOfError, FIELDS, missingFields, toInput, type Draft, type Field } from './add-form.ts'
import { ApiTarget, effectiveApiHost, HostTrust, trustLabel, untickedMessage } from '../common/ApiHost.tsx'
import { DialogHeader } from '../common/DialogHeader.tsx'
import { TextField } from '../common/Field.tsx'
import { useFocusRequest } from '../common/useFocusRequest.ts'
import './add-library.css'

const TYPE_HELP: Readonly<Record<TokenType, { readonly badge?: string; readonly text: string }>> = {
  service_account: {
    badge: 'Recommended',
    text: 'Belongs to the library, not to a person, so it keeps working when staff change. The owner creates it under Library Settings → API Settings.'
  },
  connected_application: {
    text: 'Issued to your application from the customer’s Connected Applications page. Bound to that library.'
  },
  personal: {
    text: 'Acts as one user, in the library they have active (Larder switches it first). Stops working when that user leaves.'
  }
}

const FIELD_HELP: Partial<Record<Field, string>> = {
  name: 'What Larder calls this library, for example the customer’s name.',
  clientSecret: 'Stays on this computer, encrypted. Larder never shows it again.',
  accessToken: 'A pasted “Bearer …” or “Authorization: Bearer …” is fine.',
  refreshToken:
    'Apicbase shows the refresh token only once, when the token is created: paste it now. Larder uses it at once to check it and keeps the new one Apicbase gives back, so do not use this pair anywhere else.',
  apiBaseUrl: 'Leave empty for the default from Settings.'
}

const SECRET_FIELDS: ReadonlySet<Field> = new Set(['clientSecret', 'accessToken', 'refreshToken'])

type Phase = { readonly kind: 'editing' } | { readonly kind: 'checking' } | { readonly kind: 'saved'; readonly library: LibraryView }

function Saved({ library, onDone, onAnother }: { readonly library: LibraryView; readonly onDone: () => void; readonly onAnother: () => void }): React.JSX.Element {
  return (
    <div className="add-saved">
      <p className="add-saved-title" role="status">
        <span aria-hidden="true">✓ </span>
        {library.name} is saved. The token works.
      </p>
      {library.apicbaseLibraryName !== null || library.apicbaseLibraryId !== null ? (
        <p>
          Apicbase says this token acts on the library <strong>{library.apicbaseLibraryName ?? 'without a name'}</strong>
          {library.apicbaseLibraryId !== null ? ` (id ${library.apicbaseLibraryId})` : ''}. If that is not the customer you meant,
          remove it now.
        </p>
      ) : (
        <p>Apicbase did not say which library this token acts on (the token may lack the “accounts” scope).</p>
      )}
      <dl className="meta compact">
        <dt>Token type</dt>
        <dd>{TOKEN_TYPE_LABEL[library.tokenType]}</dd>
        <dt>Scopes</dt>
        <dd>{library.scopes.join(', ') || 'none reported'}</dd>
        <dt>Good until</dt>
        <dd>{formatExact(library.expiresAt)}</dd>
      </dl>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onAnother}>
          Add another
        </button>
        <button type="button" className="button primary" onClick={onDone} autoFocus>
          Done
        </button>
      </div>
    </div>
  )
}

export function AddLibraryDialog(): React.JSX.Element | null {
  const open = useApp((state) => state.addOpen)
  return open ? <AddLibraryForm /> : null
}

function AddLibraryForm(): React.JSX.Element {
  const defaultBase = useApp((state) => state.settings?.defaultApiBaseUrl ?? 'https://api.apicbase.com')
  const uid = useId()
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT)
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [phase, setPhase] = useState<Phase>({ kind: 'editing' })
  const [advancedOpen, setAdvancedOpen] = useState(false)
  // The host the person ticked "I trust …" for; it counts only while it is the host the form sends to.
  const [trustedHost, setTrustedHost] = useState('')
  const [hostError, setHostError] = useState<string | null>(null)
  const target = effectiveApiHost(draft.apiBaseUrl, defaultBase)
  const untrusted = target?.kind === 'other' ? target.host : null
  const formRef = useRef<HTMLFormElement>(null)
  const checking = phase.kind === 'checking'
  const { closeAdd: close, addLibrary, select, openConnect } = useActions()

  // After a failed check, keyboard users land on the field that was wrong.
  const focus = useFocusRequest()
  const setFocusField = (field: Field | 'submit'): void => focus(`${uid}-${field}`)

  const set = (field: Field, value: string): void => {
    setDraft((previous) => ({ ...previous, [field]: value }))
    if (errors[field] !== undefined) setErrors((previous) => ({ ...previous, [field]: undefined }))
    if (field === 'apiBaseUrl') setHostError(null)
  }

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    if (checking) return
    const missing = missingFields(draft)
    const first = FIELDS.find((field) => missing[field] !== undefined)
    if (first !== undefined) {
      setErrors(missing)
      setFormError(null)
      setFocusField(first)
      return
    }
    // Nothing goes to a host that is not Apicbase's until the person says they trust it (Larder checks again).
    if (untrusted !== null && trustedHost !== untrusted) {
      setHostError(untickedMessage(untrusted))
      focus(`${uid}-trust`)
      return
    }
    setErrors({})
    setFormError(null)
    setHostError(null)
    setPhase({ kind: 'checking' })
    const result = await addLibrary(toInput(draft, untrusted ?? undefined))
    if (result.ok) {
      // The pasted secrets have done their job; nothing of them stays in this window.
      setDraft(EMPTY_DRAFT)
      setTrustedHost('')
      setPhase({ kind: 'saved', library: result.value })
      return
    }
    setPhase({ kind: 'editing' })
    if (result.error.field === 'confirmedHost') {
      setHostError(result.error.message)
      focus(`${uid}-trust`)
      return
    }
    const field = fieldOfError(result.error)
    if (field === null) {
      setFormError(result.error.message)
      setFocusField('submit')
      return
    }
    setErrors({ [field]: result.error.message })
    if (field === 'apiBaseUrl') setAdvancedOpen(true)
    setFocusField(field)
  }

  const input = (field: Field, options: { readonly placeholder?: string } = {}): React.JSX.Element => {
    const secret = SECRET_FIELDS.has(field)
    return (
      <TextField
        id={`${uid}-${field}`}
        label={FIELD_LABEL[field]}
        error={errors[field]}
        help={FIELD_HELP[field]}
        inputClass={secret ? 'mono' : undefined}
        type={secret ? 'password' : field === 'apiBaseUrl' ? 'url' : 'text'}
        autoComplete={secret ? 'new-password' : 'off'}
        spellCheck={false}
        autoCapitalize="off"
        value={draft[field]}
        placeholder={options.placeholder}
        disabled={checking}
        onChange={(event) => set(field, event.target.value)}
      />
    )
  }

  const titleId = `${uid}-title`
  return (
    <Modal labelledBy={titleId} onDismiss={close} busy={checking} className="add-dialog">
      <DialogHeader titleId={titleId} title="Add library" onClose={close} busy={checking} />
      {phase.kind === 'saved' ? (
        <Saved
          library={phase.library}
          onAnother={() => setPhase({ kind: 'editing' })}
          onDone={() => {
            select(phase.library.id)
            close()
          }}
        />
      ) : (
        <form ref={formRef} onSubmit={(event) => void submit(event)} noValidate>
          <fieldset className="token-types" disabled={checking}>
            <legend className="field-label">Token type</legend>
            {TOKEN_TYPES.map((type) => {
              const id = `${uid}-type-${type}`
              const help = TYPE_HELP[type]
              return (
                <div key={type} className={`token-type${draft.tokenType === type ? ' checked' : ''}`}>
                  <input
                    id={id}
                    type="radio"
                    name={`${uid}-token-type`}
                    value={type}
                    checked={draft.tokenType === type}
                    data-autofocus={draft.tokenType === type ? true : undefined}
                    onChange={() => setDraft((previous) => ({ ...previous, tokenType: type }))}
                    aria-describedby={`${id}-help`}
                  />
                  <label htmlFor={id}>{TOKEN_TYPE_LABEL[type]}</label>
                  {help.badge !== undefined ? <span className="tag">{help.badge}</span> : null}
                  <p id={`${id}-help`} className="field-help">
                    {help.text}
                  </p>
                </div>
              )
            })}
          </fieldset>
          {draft.tokenType === 'personal' ? (
            <div className="notice notice-info personal-way-in">
              <p>
                <strong>Connect through Apicbase (OAuth)</strong> is the way in for a personal token: sign in with a partner
                application’s client ID and secret, approve, and pick the libraries the user can reach. Each becomes a library here,
                sharing the one token.
              </p>
              <p>{PERSONAL_TOKEN_GUIDANCE.stableChoice}</p>
              <button type="button" className="button primary" onClick={openConnect}>
                Connect through Apicbase (OAuth)
              </button>
              <p className="field-help">Or, if you already have a personal token pair, paste it below.</p>
            </div>
          ) : null}
          <div className="field-grid">
            {input('name')}
            {input('clientId')}
            {input('clientSecret')}
            {input('accessToken')}
            {input('refreshToken')}
          </div>
          <p className="field-help">Spaces, line breaks and quotes around pasted values are removed.</p>
          <ApiTarget typed={draft.apiBaseUrl} fallback={defaultBase} />
          {untrusted !== null ? (
            <HostTrust
              id={`${uid}-trust`}
              host={untrusted}
              what="this library’s client secret and tokens"
              label={trustLabel(untrusted)}
              checked={trustedHost === untrusted}
              onChange={(on) => {
                setTrustedHost(on ? untrusted : '')
                setHostError(null)
              }}
              error={hostError}
              disabled={checking}
            />
          ) : null}
          <details className="advanced" open={advancedOpen} onToggle={(event) => setAdvancedOpen(event.currentTarget.open)}>
            <summary>Advanced</summary>
            {input('apiBaseUrl', { placeholder: defaultBase })}
          </details>
          {formError !== null ? (
            <div className="notice notice-error" role="alert">
              <strong>Nothing was saved.</strong> {formError.replace(/\s*Nothing was saved\.\s*/, ' ').trim()}
            </div>
          ) : null}
          <p className="checking" role="status">
            {checking ? 'Checking the token with Apicbase…' : ''}
          </p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={close} disabled={checking}>
              Cancel
            </button>
            <button id={`${uid}-submit`} type="submit" className="button primary" disabled={checking}>
              {checking ? <span className="spinner" aria-hidden="true" /> : null}
              Save
            </button>
          </div>
        </form>
      )}
    </Modal>
  )
}
