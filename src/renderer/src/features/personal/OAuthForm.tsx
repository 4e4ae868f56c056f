// The first step of connecting a personal token: the partner application's client ID and secret, the scopes, and
// how the code comes back from Apicbase.
import { PERSONAL_TOKEN_GUIDANCE } from '../../../../shared/personal-guidance.ts'
import { ApiTarget, effectiveApiHost, HostTrust } from '../common/ApiHost.tsx'
import { CheckOption } from '../common/CheckOption.tsx'
import { ErrorText, TextField } from '../common/Field.tsx'
import { PersonalMeaning } from './Guidance.tsx'
import type { OAuthDraft } from './oauth-form.ts'
import type { OAuthFlow } from './useOAuthFlow.ts'

const SCOPES: readonly { readonly scope: string; readonly help: string }[] = [
  { scope: 'accounts', help: 'List and switch the user’s libraries (needed to add several).' },
  { scope: 'library', help: 'Recipes, ingredients and the rest of the library.' }
]

const REDIRECTS: readonly { readonly redirect: OAuthDraft['redirect']; readonly label: string; readonly help: string }[] = [
  { redirect: 'paste', label: 'Paste the code Apicbase shows', help: `Works with any application. ${PERSONAL_TOKEN_GUIDANCE.codeLifetime}` },
  { redirect: 'loopback', label: 'Let Larder catch it on this computer', help: PERSONAL_TOKEN_GUIDANCE.loopbackNote }
]

const TEXT_FIELDS: readonly { readonly name: 'name' | 'clientId' | 'clientSecret'; readonly label: string; readonly help?: string }[] = [
  { name: 'name', label: 'Name', help: 'What Larder calls this token, for example the person’s name. Optional.' },
  {
    name: 'clientId',
    label: 'Client ID',
    help: 'The client ID of your partner application: the one Apicbase gave you as an integration partner, not the client ID of a library’s own application.'
  },
  { name: 'clientSecret', label: 'Client secret', help: 'The secret of the same partner application. Stays on this computer, encrypted; Larder never shows it again.' }
]

export interface OAuthFormProps {
  readonly uid: string
  readonly flow: OAuthFlow
  /** The API base URL used when the field is left empty. */
  readonly defaultBase: string
  onCancel(): void
}

export function OAuthForm({ uid, flow, defaultBase, onCancel }: OAuthFormProps): React.JSX.Element {
  const { draft, errors, busy, edit } = flow
  const target = effectiveApiHost(draft.apiBaseUrl, defaultBase)
  const untrusted = target?.kind === 'other' ? target.host : null
  return (
    <form onSubmit={(event) => void flow.start(event)} noValidate>
      <p className="field-help lead">
        Larder signs in at Apicbase as your partner application, with the client ID and secret Apicbase gave you as an integration
        partner. The person whose token it is approves at Apicbase, and Larder receives a personal token.
      </p>
      <div className="field-grid">
        {TEXT_FIELDS.map(({ name, label, help }) => (
          <TextField
            key={name}
            id={`${uid}-${name}`}
            label={label}
            error={errors[name]}
            help={help}
            inputClass={name === 'clientSecret' ? 'mono' : undefined}
            type={name === 'clientSecret' ? 'password' : 'text'}
            autoComplete={name === 'clientSecret' ? 'new-password' : 'off'}
            spellCheck={false}
            autoCapitalize="off"
            value={draft[name]}
            placeholder={name === 'name' ? 'Personal token' : undefined}
            disabled={busy}
            onChange={(event) => edit({ [name]: event.target.value })}
          />
        ))}
      </div>
      <fieldset className="plain-fieldset" disabled={busy} aria-describedby={errors.scopes !== undefined ? `${uid}-scopes-error` : undefined}>
        <legend className="field-label">Scopes</legend>
        {SCOPES.map(({ scope, help }) => (
          <CheckOption
            key={scope}
            id={scope === 'accounts' ? `${uid}-scopes` : `${uid}-scope-${scope}`}
            type="checkbox"
            label={scope}
            help={help}
            checked={draft.scopes.includes(scope)}
            onChange={(on) => edit({ scopes: on ? [...draft.scopes, scope] : draft.scopes.filter((s) => s !== scope) })}
          />
        ))}
        <ErrorText id={`${uid}-scopes-error`} message={errors.scopes} alert={false} />
      </fieldset>
      <fieldset className="plain-fieldset" disabled={busy}>
        <legend className="field-label">How the code comes back</legend>
        {REDIRECTS.map(({ redirect, label, help }) => (
          <CheckOption
            key={redirect}
            id={`${uid}-${redirect}`}
            type="radio"
            name={`${uid}-redirect`}
            label={label}
            help={help}
            checked={draft.redirect === redirect}
            onChange={() => edit({ redirect })}
          />
        ))}
      </fieldset>
      <ApiTarget typed={draft.apiBaseUrl} fallback={defaultBase} />
      {untrusted !== null ? (
        <HostTrust
          id={`${uid}-trust`}
          host={untrusted}
          what="the client secret and the personal token"
          label={`I trust ${untrusted} with this client secret and the personal token`}
          checked={draft.confirmedHost === untrusted}
          onChange={(on) => edit({ confirmedHost: on ? untrusted : '' })}
          disabled={busy}
        />
      ) : null}
      <details className="advanced">
        <summary>Advanced</summary>
        <TextField
          id={`${uid}-apiBaseUrl`}
          label="API base URL"
          error={errors.apiBaseUrl}
          errorStyle="plain"
          type="url"
          autoComplete="off"
          spellCheck={false}
          placeholder={defaultBase}
          value={draft.apiBaseUrl}
          disabled={busy}
          onChange={(event) => edit({ apiBaseUrl: event.target.value })}
        />
      </details>
      <PersonalMeaning />
      <p className="checking" role="status">
        {flow.phase.kind === 'starting' ? 'Preparing the authorization…' : ''}
      </p>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={busy}>
          {flow.phase.kind === 'starting' ? <span className="spinner" aria-hidden="true" /> : null}
          Open Apicbase
        </button>
      </div>
    </form>
  )
}
