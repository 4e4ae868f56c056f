// Adding a key of another system (SafetyCulture, Airtable, an admin's service token): choose the system, fill in what
// that system's key needs with its guidance beside it, and Larder checks the token where it can before anything is
// kept. A failure is shown at the field it names and saves nothing; the saved step says what the check found.
import { useId, useState } from 'react'
import type { KeyView } from '../../../../shared/contract.ts'
import { useActions } from '../../store/provider.tsx'
import { AddFooter } from '../add-library/AddFooter.tsx'
import { DialogHeader } from '../common/DialogHeader.tsx'
import { TextField } from '../common/Field.tsx'
import { Modal } from '../common/Modal.tsx'
import { useFocusRequest } from '../common/useFocusRequest.ts'
import { SYSTEM_CARD } from './guidance.ts'
import {
  DEFAULT_API,
  emptyKeyDraft,
  KEY_FIELDS,
  KEY_SYSTEMS,
  keyFieldOfError,
  keyTarget,
  missingKeyFields,
  toKeyInput,
  type KeyDraft,
  type KeyField,
  type KeySystem
} from './key-form.ts'
import { askedMessage, KeyHostTrust, keyUntickedMessage } from './KeyHostTrust.tsx'
import {
  AirtableFields,
  fieldId,
  SafetyCultureAfterToken,
  SafetyCultureFields,
  ServiceTokenAfterToken,
  ServiceTokenFields,
  Text,
  TokenField,
  type FieldKit
} from './KeyFields.tsx'
import { KeySaved } from './KeySaved.tsx'
import '../add-library/add-library.css'
import './add-key.css'

type Phase = { readonly kind: 'editing' } | { readonly kind: 'checking' } | { readonly kind: 'saved'; readonly key: KeyView }

const TOKEN_HELP: Readonly<Record<KeySystem, string>> = {
  safetyculture: 'Shown once when it was made. Larder checks it with SafetyCulture’s WhoAmI before saving.',
  airtable: 'Any length; Larder checks it with Airtable’s whoami before saving.',
  service_token: 'Larder checks it at the check URL before saving, when there is one.'
}

const CHECKING: Readonly<Record<KeySystem, string>> = {
  safetyculture: 'Checking the token with SafetyCulture…',
  airtable: 'Checking the token with Airtable…',
  service_token: 'Checking the token…'
}

export function AddKeyDialog({ onClose }: { readonly onClose: () => void }): React.JSX.Element {
  const uid = useId()
  const [draft, setDraft] = useState<KeyDraft>(() => emptyKeyDraft())
  const [errors, setErrors] = useState<Partial<Record<KeyField, string>>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [phase, setPhase] = useState<Phase>({ kind: 'editing' })
  const [advancedOpen, setAdvancedOpen] = useState(false)
  // The host Larder asked the person to confirm (a 'confirmedHost' answer) and the host they ticked "I trust" for:
  // both count only while it is the host the form sends the token to.
  const [askedHost, setAskedHost] = useState<string | null>(null)
  const [trustedHost, setTrustedHost] = useState('')
  const [hostError, setHostError] = useState<string | null>(null)
  const targetHost = keyTarget(draft)?.host ?? null
  const asking = askedHost !== null && askedHost === targetHost ? askedHost : null
  const ownApi = DEFAULT_API[draft.system]
  const checking = phase.kind === 'checking'
  const { addKey, select } = useActions()
  const focus = useFocusRequest()

  const kit: FieldKit = {
    uid,
    draft,
    errors,
    disabled: checking,
    set(field, value) {
      setDraft((previous) => ({ ...previous, [field]: value }))
      if (field in errors) setErrors((previous) => ({ ...previous, [field]: undefined }))
    }
  }

  const chooseSystem = (system: KeySystem): void => {
    // What is common stays (name, customer, notes, token); the other system's details are left behind.
    setDraft((previous) => ({ ...emptyKeyDraft(system), name: previous.name, customer: previous.customer, notes: previous.notes, token: previous.token }))
    setErrors({})
    setFormError(null)
    setAskedHost(null)
    setHostError(null)
  }

  const save = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    if (checking) return
    const missing = missingKeyFields(draft)
    const first = KEY_FIELDS.find((field) => missing[field] !== undefined)
    if (first !== undefined) {
      setErrors(missing)
      setFormError(null)
      focus(fieldId(kit, first))
      return
    }
    // A host Larder asked about gets nothing until the person ticks it (Larder checks again).
    if (asking !== null && trustedHost !== asking) {
      setHostError(keyUntickedMessage(asking))
      focus(`${uid}-trust`)
      return
    }
    setErrors({})
    setFormError(null)
    setHostError(null)
    setPhase({ kind: 'checking' })
    const result = await addKey(toKeyInput(draft, asking ?? undefined))
    if (result.ok) {
      // The pasted token has done its job: nothing of it stays in this window.
      setDraft(emptyKeyDraft(draft.system))
      setAskedHost(null)
      setTrustedHost('')
      setPhase({ kind: 'saved', key: result.value })
      return
    }
    setPhase({ kind: 'editing' })
    if (result.error.field === 'confirmedHost' && targetHost !== null) {
      // Larder names the host; the form shows the confirm step for it (the same host, read by the same parser).
      setAskedHost(targetHost)
      setTrustedHost('')
      setHostError(askedMessage(targetHost))
      focus(`${uid}-trust`)
      return
    }
    const field = keyFieldOfError(result.error, draft.system)
    if (field === null) {
      setFormError(result.error.message)
      focus(`${uid}-submit`)
      return
    }
    setErrors({ [field]: result.error.message })
    if (field === 'apiBaseUrl') setAdvancedOpen(true)
    focus(fieldId(kit, field))
  }

  const titleId = `${uid}-title`
  return (
    <Modal labelledBy={titleId} onDismiss={onClose} busy={checking} className="add-dialog add-key-dialog">
      <DialogHeader titleId={titleId} title="Add a key" onClose={onClose} busy={checking} />
      {phase.kind === 'saved' ? (
        <KeySaved
          added={phase.key}
          onAnother={() => setPhase({ kind: 'editing' })}
          onDone={() => {
            select(phase.key.id)
            onClose()
          }}
        />
      ) : (
        <form onSubmit={(event) => void save(event)} noValidate>
          <fieldset className="token-types key-systems" disabled={checking}>
            <legend className="field-label">System</legend>
            {KEY_SYSTEMS.map((system) => {
              const id = `${uid}-system-${system}`
              return (
                <div key={system} className={`token-type${draft.system === system ? ' checked' : ''}`}>
                  <input
                    id={id}
                    type="radio"
                    name={`${uid}-system`}
                    value={system}
                    checked={draft.system === system}
                    data-autofocus={draft.system === system ? true : undefined}
                    onChange={() => chooseSystem(system)}
                    aria-describedby={`${id}-help`}
                  />
                  <label htmlFor={id}>{SYSTEM_CARD[system].label}</label>
                  <p id={`${id}-help`} className="field-help">
                    {SYSTEM_CARD[system].text}
                  </p>
                </div>
              )
            })}
          </fieldset>
          <p className="field-help key-apicbase-note">An Apicbase library has its own dialog: Add library.</p>
          <div className="key-grid">
            <Text kit={kit} field="name" options={{ label: 'Name', help: 'What Larder calls this key, for example the customer and what it is for.' }} />
            <Text kit={kit} field="customer" options={{ label: 'Customer (optional)', help: 'Groups a customer’s keys together in the list.' }} />
          </div>
          {draft.system === 'safetyculture' ? <SafetyCultureFields kit={kit} /> : null}
          {draft.system === 'airtable' ? <AirtableFields kit={kit} /> : null}
          {draft.system === 'service_token' ? <ServiceTokenFields kit={kit} /> : null}
          <TokenField kit={kit} help={TOKEN_HELP[draft.system]} />
          {draft.system === 'safetyculture' ? <SafetyCultureAfterToken kit={kit} /> : null}
          {draft.system === 'service_token' ? <ServiceTokenAfterToken kit={kit} /> : null}
          <TextField
            id={fieldId(kit, 'notes')}
            label="Notes (optional)"
            error={errors.notes}
            autoComplete="off"
            value={draft.notes}
            disabled={checking}
            onChange={(event) => kit.set('notes', event.target.value)}
          />
          {DEFAULT_API[draft.system] !== undefined ? (
            <details className="advanced" open={advancedOpen} onToggle={(event) => setAdvancedOpen(event.currentTarget.open)}>
              <summary>Advanced</summary>
              <Text
                kit={kit}
                field="apiBaseUrl"
                options={{ label: 'API address', type: 'url', mono: true, placeholder: DEFAULT_API[draft.system], help: 'Leave empty for the system’s own. The token is sent there.' }}
              />
            </details>
          ) : null}
          {asking !== null ? (
            <KeyHostTrust
              id={`${uid}-trust`}
              host={asking}
              ownHost={ownApi === undefined ? null : new URL(ownApi).host}
              systemLabel={SYSTEM_CARD[draft.system].label}
              checked={trustedHost === asking}
              onChange={(on) => {
                setTrustedHost(on ? asking : '')
                setHostError(null)
              }}
              error={hostError}
              disabled={checking}
            />
          ) : null}
          <AddFooter submitId={`${uid}-submit`} error={formError} checking={checking} checkingWords={CHECKING[draft.system]} onCancel={onClose} />
        </form>
      )}
    </Modal>
  )
}
