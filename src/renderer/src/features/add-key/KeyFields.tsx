// Each system's own part of the add-key form, with its guidance beside the fields it is about: SafetyCulture's kind,
// organisation, owner, keep-alive and rules; Airtable's noted scopes and bases; a service token's admin details, how
// requests carry it, its check URL and the variable scripts get. The name, customer, token and notes are the dialog's.
import type { ReactNode } from 'react'
import { CheckOption } from '../common/CheckOption.tsx'
import { ErrorText, TextField } from '../common/Field.tsx'
import { MaskedInput } from '../common/MaskedInput.tsx'
import { AIRTABLE_RULES, CHECK_URL_HELP, KEEP_ALIVE_HELP, SAFETYCULTURE_KIND, SAFETYCULTURE_RULES, SERVICE_TOKEN_RULES } from './guidance.ts'
import type { KeyDraft, KeyField } from './key-form.ts'

/** What every field needs from the form: its draft, its errors, a way to change it, and whether it is busy. */
export interface FieldKit {
  readonly uid: string
  readonly draft: KeyDraft
  readonly errors: Partial<Record<KeyField, string>>
  readonly disabled: boolean
  set<K extends keyof KeyDraft>(field: K, value: KeyDraft[K]): void
}

interface TextOptions {
  readonly label: string
  readonly help?: ReactNode
  readonly placeholder?: string
  readonly type?: 'text' | 'url' | 'date'
  readonly mono?: boolean
}

export const fieldId = (kit: FieldKit, field: KeyField): string => `${kit.uid}-${field}`

/** A text field of the draft (the draft's string fields only). */
export function Text({ kit, field, options }: { readonly kit: FieldKit; readonly field: KeyField & keyof KeyDraft; readonly options: TextOptions }): React.JSX.Element {
  const value = kit.draft[field]
  return (
    <TextField
      id={fieldId(kit, field)}
      label={options.label}
      error={kit.errors[field]}
      help={options.help}
      type={options.type ?? 'text'}
      inputClass={options.mono === true ? 'mono' : undefined}
      autoComplete="off"
      spellCheck={false}
      autoCapitalize="off"
      value={typeof value === 'string' ? value : ''}
      placeholder={options.placeholder}
      disabled={kit.disabled}
      onChange={(event) => kit.set(field, event.target.value)}
    />
  )
}

/** A list noted by hand (scopes, bases): a small text area, one a line or separated by commas. */
function ListField({ kit, field, label, help }: { readonly kit: FieldKit; readonly field: 'scopes' | 'bases'; readonly label: string; readonly help: string }): React.JSX.Element {
  const id = fieldId(kit, field)
  const error = kit.errors[field]
  return (
    <div className={`field${error !== undefined ? ' has-error' : ''}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <textarea
        id={id}
        className="input mono"
        rows={2}
        spellCheck={false}
        autoCapitalize="off"
        aria-invalid={error !== undefined}
        aria-describedby={[error !== undefined ? `${id}-error` : null, `${id}-help`].filter(Boolean).join(' ')}
        value={kit.draft[field]}
        disabled={kit.disabled}
        onChange={(event) => kit.set(field, event.target.value)}
      />
      <ErrorText id={`${id}-error`} message={error} glyph />
      <p id={`${id}-help`} className="field-help">
        {help}
      </p>
    </div>
  )
}

/** The token, masked, with a Show/Hide toggle; cleared by the dialog once it is saved. */
export function TokenField({ kit, help }: { readonly kit: FieldKit; readonly help: string }): React.JSX.Element {
  const id = fieldId(kit, 'token')
  const error = kit.errors.token
  return (
    <div className={`field${error !== undefined ? ' has-error' : ''}`}>
      <label htmlFor={id} className="field-label">
        Token
      </label>
      <MaskedInput
        id={id}
        label="Token"
        className="input mono"
        aria-invalid={error !== undefined}
        aria-describedby={[error !== undefined ? `${id}-error` : null, `${id}-help`].filter(Boolean).join(' ')}
        value={kit.draft.token}
        disabled={kit.disabled}
        onChange={(event) => kit.set('token', event.target.value)}
      />
      <ErrorText id={`${id}-error`} message={error} glyph />
      <p id={`${id}-help`} className="field-help">
        {help}
      </p>
    </div>
  )
}

export function Rules({ title, rules }: { readonly title: string; readonly rules: readonly string[] }): React.JSX.Element {
  return (
    <div className="notice notice-info key-rules">
      <p>
        <strong>{title}</strong>
      </p>
      <ul>
        {rules.map((rule) => (
          <li key={rule}>{rule}</li>
        ))}
      </ul>
    </div>
  )
}

export function SafetyCultureFields({ kit }: { readonly kit: FieldKit }): React.JSX.Element {
  return (
    <>
      <fieldset className="token-types key-kinds" disabled={kit.disabled}>
        <legend className="field-label">Kind of token</legend>
        {(['user', 'service_user'] as const).map((kind) => {
          const id = `${kit.uid}-kind-${kind}`
          const card = SAFETYCULTURE_KIND[kind]
          return (
            <div key={kind} className={`token-type${kit.draft.kind === kind ? ' checked' : ''}`}>
              <input id={id} type="radio" name={`${kit.uid}-kind`} value={kind} checked={kit.draft.kind === kind} onChange={() => kit.set('kind', kind)} aria-describedby={`${id}-help`} />
              <label htmlFor={id}>{card.label}</label>
              {card.badge !== undefined ? <span className="tag">{card.badge}</span> : null}
              <p id={`${id}-help`} className="field-help">
                {card.text}
              </p>
            </div>
          )
        })}
      </fieldset>
      <div className="key-grid">
        <Text kit={kit} field="organisation" options={{ label: 'Organisation', help: 'The organisation the token was made in.' }} />
        <Text
          kit={kit}
          field="owner"
          options={{ label: kit.draft.kind === 'user' ? 'Owner' : 'Service user', help: kit.draft.kind === 'user' ? 'The person it acts as.' : 'The service user it belongs to.' }}
        />
      </div>
    </>
  )
}

export function SafetyCultureAfterToken({ kit }: { readonly kit: FieldKit }): React.JSX.Element {
  return (
    <>
      <CheckOption id={`${kit.uid}-keepAlive`} type="checkbox" label="Keep it alive" help={KEEP_ALIVE_HELP} checked={kit.draft.keepAlive} onChange={(on) => kit.set('keepAlive', on)} />
      <Rules title="SafetyCulture’s rules" rules={SAFETYCULTURE_RULES} />
    </>
  )
}

export function AirtableFields({ kit }: { readonly kit: FieldKit }): React.JSX.Element {
  return (
    <>
      <div className="key-grid">
        <ListField kit={kit} field="scopes" label="Scopes (as noted)" help="For example data.records:read, schema.bases:read. One a line or separated by commas." />
        <ListField kit={kit} field="bases" label="Bases and workspaces (as noted)" help="Names or ids, one a line. With schema.bases:read, Larder offers the list once it is saved." />
      </div>
      <Rules title="What Larder knows of an Airtable token" rules={AIRTABLE_RULES} />
    </>
  )
}

export function ServiceTokenFields({ kit }: { readonly kit: FieldKit }): React.JSX.Element {
  return (
    <div className="key-grid">
      <Text kit={kit} field="serviceUser" options={{ label: 'Service user', help: 'The account the admin made for automation.' }} />
      <Text kit={kit} field="environment" options={{ label: 'Environment', placeholder: 'production', help: 'Production, staging…' }} />
      <Text kit={kit} field="expiresAt" options={{ label: 'Expiry date', type: 'date', help: 'As the admin set it. Empty: it does not expire.' }} />
      <Text kit={kit} field="envName" options={{ label: 'Variable for scripts', mono: true, help: 'The variable larder exec puts the token in.' }} />
    </div>
  )
}

export function ServiceTokenAfterToken({ kit }: { readonly kit: FieldKit }): React.JSX.Element {
  const headerId = `${kit.uid}-carry-header`
  return (
    <>
      <fieldset className="key-carry" disabled={kit.disabled}>
        <legend className="field-label">How requests carry it</legend>
        <CheckOption id={`${kit.uid}-carry-bearer`} type="radio" name={`${kit.uid}-carry`} label="Authorization: Bearer" help="The usual way." checked={kit.draft.carry === 'bearer'} onChange={() => kit.set('carry', 'bearer')} />
        <CheckOption id={headerId} type="radio" name={`${kit.uid}-carry`} label="A named header" help="The service reads the token from a header of its own." checked={kit.draft.carry === 'header'} onChange={() => kit.set('carry', 'header')} />
        {kit.draft.carry === 'header' ? <Text kit={kit} field="carryName" options={{ label: 'Header name', placeholder: 'X-Api-Token', mono: true }} /> : null}
      </fieldset>
      <Text kit={kit} field="checkUrl" options={{ label: 'Check URL', type: 'url', mono: true, placeholder: 'https://…', help: CHECK_URL_HELP }} />
      <Rules title="An admin’s service token" rules={SERVICE_TOKEN_RULES} />
    </>
  )
}
