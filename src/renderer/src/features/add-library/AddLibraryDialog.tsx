// Adding a library: choose the token type, paste the credentials, and Larder checks them against Apicbase
// before anything is kept. A failure says what was wrong, next to the field it concerns, and saves nothing.
import { useCallback, useId, useMemo, useRef, useState } from 'react'
import type { LibraryListView, LibraryView, TokenType } from '../../../../shared/contract.ts'
import { heldWithClientId } from '../../../../shared/duplicate-library.ts'
import { TOKEN_TYPE_LABEL, TOKEN_TYPES } from '../../lib/status.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import { PERSONAL_TOKEN_GUIDANCE } from '../../../../shared/personal-guidance.ts'
import { Modal } from '../common/Modal.tsx'
import { EMPTY_DRAFT, FIELD_LABEL, fieldOfError, FIELDS, missingFields, toInput, type Draft, type Field } from './add-form.ts'
import { ApiTarget, effectiveApiHost, HostTrust, trustLabel, untickedMessage } from '../common/ApiHost.tsx'
import { DialogHeader } from '../common/DialogHeader.tsx'
import { CustomerSuggestions } from '../common/CustomerSuggestions.tsx'
import { TextField } from '../common/Field.tsx'
import { MaskedField } from '../common/FieldFrame.tsx'
import { useFocusRequest } from '../common/useFocusRequest.ts'
import { DuplicateWarning } from './DuplicateWarning.tsx'
import { AddFooter } from './AddFooter.tsx'
import { useHeldLibraries } from './held-libraries.ts'
import { SavedStep } from './SavedStep.tsx'
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
  customer: 'Groups it with the customer’s other libraries and keys (SafetyCulture, Airtable…): the list filters by it.',
  clientSecret: 'Stays on this computer, encrypted. Larder never shows it again.',
  accessToken: 'A pasted “Bearer …” or “Authorization: Bearer …” is fine.',
  refreshToken:
    'Apicbase shows the refresh token only once, when the token is created: paste it now. Larder uses it at once to check it and keeps the new one Apicbase gives back, so do not use this pair anywhere else.',
  apiBaseUrl: 'Leave empty for the default from Settings.'
}

const SECRET_FIELDS: ReadonlySet<Field> = new Set(['clientSecret', 'accessToken', 'refreshToken'])

type Phase = { readonly kind: 'editing' } | { readonly kind: 'checking' } | { readonly kind: 'saved'; readonly library: LibraryView }

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
  const [removing, setRemoving] = useState(false)
  // The host the person ticked "I trust …" for; it counts only while it is the host the form sends to.
  const [trustedHost, setTrustedHost] = useState('')
  const [hostError, setHostError] = useState<string | null>(null)
  const target = effectiveApiHost(draft.apiBaseUrl, defaultBase)
  const untrusted = target?.kind === 'other' ? target.host : null
  const formRef = useRef<HTMLFormElement>(null)
  const checking = phase.kind === 'checking'
  const { closeAdd: close, addLibrary, select, setView, openConnect } = useActions()
  // A library Larder already holds with this client ID and token type: said before anything is sent.
  const held = useHeldLibraries()
  const duplicates = useMemo(() => heldWithClientId(held, draft), [held, draft])
  const [duplicateError, setDuplicateError] = useState<string | null>(null)

  // After a failed check, keyboard users land on the field that was wrong.
  const focus = useFocusRequest()
  const setFocusField = (field: Field | 'submit'): void => focus(`${uid}-${field}`)

  const set = (field: Field, value: string): void => {
    setDraft((previous) => ({ ...previous, [field]: value }))
    if (errors[field] !== undefined) setErrors((previous) => ({ ...previous, [field]: undefined }))
    if (field === 'apiBaseUrl') setHostError(null)
    if (field === 'clientId') setDuplicateError(null)
  }

  const submit = (event: React.FormEvent): void => {
    event.preventDefault()
    void save()
  }

  /** Checks what needs no network, then asks Larder; `confirmDuplicateOf` when the person chose "Add it anyway". */
  const save = async (confirmDuplicateOf?: string): Promise<void> => {
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
    // Nothing is sent for a library Larder holds until the person chooses (Larder refuses it too).
    if (duplicates.length > 0 && confirmDuplicateOf === undefined) {
      setDuplicateError('Not saved yet. Open the existing one, or add it anyway.')
      focus(`${uid}-duplicate-open`)
      return
    }
    setErrors({})
    setFormError(null)
    setHostError(null)
    setDuplicateError(null)
    setPhase({ kind: 'checking' })
    const result = await addLibrary(toInput(draft, untrusted ?? undefined, confirmDuplicateOf))
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
    if (result.error.field === 'confirmDuplicateOf') {
      setDuplicateError(result.error.message)
      setFocusField('clientId')
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
    if (SECRET_FIELDS.has(field)) return secretInput(field)
    return (
      <TextField
        id={`${uid}-${field}`}
        label={FIELD_LABEL[field]}
        error={errors[field]}
        help={FIELD_HELP[field]}
        type={field === 'apiBaseUrl' ? 'url' : 'text'}
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="off"
        value={draft[field]}
        placeholder={options.placeholder}
        list={field === 'customer' ? `${uid}-customers` : undefined}
        disabled={checking}
        onChange={(event) => set(field, event.target.value)}
      />
    )
  }

  /** A secret field: as TextField lays out a field, with the input masked and a Show/Hide toggle. */
  const secretInput = (field: Field): React.JSX.Element => (
    <MaskedField
      id={`${uid}-${field}`}
      label={FIELD_LABEL[field]}
      inputClass="mono"
      value={draft[field]}
      onChange={(value) => set(field, value)}
      error={errors[field]}
      help={FIELD_HELP[field]}
      disabled={checking}
    />
  )

  const openExisting = (library: LibraryListView): void => {
    setView('libraries')
    select(library.id)
    close()
  }
  const removed = useCallback(() => close(), [close])

  const titleId = `${uid}-title`
  return (
    // It stays open while a check or a removal is under way (the remove confirmation's Escape is that dialog's own).
    <Modal labelledBy={titleId} onDismiss={close} busy={checking || removing} className="add-dialog">
      <DialogHeader titleId={titleId} title="Add library" onClose={close} busy={checking} />
      {phase.kind === 'saved' ? (
        <SavedStep
          library={phase.library}
          onAnother={() => setPhase({ kind: 'editing' })}
          onDone={() => {
            select(phase.library.id)
            close()
          }}
          onRemoved={removed}
          removing={removing}
          setRemoving={setRemoving}
        />
      ) : (
        <form ref={formRef} onSubmit={submit} noValidate>
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
                    onChange={() => {
                      setDraft((previous) => ({ ...previous, tokenType: type }))
                      setDuplicateError(null)
                    }}
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
          <div className="field-grid field-pairs">
            {input('name')}
            {input('customer')}
            {input('clientId')}
            {input('clientSecret')}
          </div>
          <CustomerSuggestions id={`${uid}-customers`} />
          {/* Right under the client ID it is about, before the tokens are pasted. */}
          <DuplicateWarning
            id={`${uid}-duplicate`}
            held={duplicates}
            tokenType={draft.tokenType}
            error={duplicateError}
            disabled={checking}
            onOpen={openExisting}
            onAddAnyway={(library) => void save(library.id)}
          />
          <p className="visually-hidden" role="status">
            {duplicates[0] !== undefined ? `Already in Larder: ${duplicates[0].name}.` : ''}
          </p>
          <div className="field-grid token-fields">
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
          <AddFooter
            submitId={`${uid}-submit`}
            error={formError === null ? null : formError.replace(/\s*Nothing was saved\.\s*/, ' ').trim()}
            checking={checking}
            checkingWords="Checking the token with Apicbase…"
            onCancel={close}
          />
        </form>
      )}
    </Modal>
  )
}
