// Connecting a personal token through Apicbase's authorization page (OAuth authorization code), then adding the
// libraries its user can reach. Larder opens the page in the system browser; the link is always shown too (the
// browser host opens nothing). Two ways back: paste the code Apicbase shows, or let Larder catch it on 127.0.0.1.
import { useEffect, useId, useRef, useState } from 'react'
import type { BridgeErrorShape, OAuthConnectedView, OAuthStartedView } from '../../../../shared/contract.ts'
import { PERSONAL_TOKEN_GUIDANCE } from '../../../../shared/personal-guidance.ts'
import {
  actsOnLabel,
  EMPTY_OAUTH_DRAFT,
  isCodeRefusal,
  missingOAuthFields,
  oauthFieldOfError,
  toOAuthStart,
  type OAuthDraft,
  type OAuthField
} from '../../lib/personal.ts'
import { appStore, bridgeClient, useApp } from '../../store/app-store.ts'
import { Modal } from '../common/Modal.tsx'
import { DiscoverLibraries } from './DiscoverLibraries.tsx'
import { PersonalMeaning } from './Guidance.tsx'
import { FieldNotes } from '../common/FieldNotes.tsx'

const SCOPES: readonly { readonly scope: string; readonly help: string }[] = [
  { scope: 'accounts', help: 'List and switch the user’s libraries (needed to add several).' },
  { scope: 'library', help: 'Recipes, ingredients and the rest of the library.' }
]

type Phase =
  | { readonly kind: 'editing' }
  | { readonly kind: 'starting' }
  | { readonly kind: 'started'; readonly flow: OAuthStartedView; readonly finishing: boolean }
  | { readonly kind: 'failed'; readonly error: BridgeErrorShape }
  | { readonly kind: 'connected'; readonly connected: OAuthConnectedView }

export function ConnectPersonalDialog(): React.JSX.Element | null {
  const dialog = useApp((state) => state.personalDialog)
  if (dialog === null) return null
  if (dialog.mode === 'discover') return <DiscoverDialog connectionId={dialog.connectionId} />
  return <ConnectDialog />
}

function DiscoverDialog({ connectionId }: { readonly connectionId: string }): React.JSX.Element {
  const titleId = useId()
  const name = useApp((state) => state.byId[connectionId]?.personal?.connectionName ?? state.byId[connectionId]?.name ?? 'personal token')
  const close = (): void => appStore.getState().closePersonal()
  return (
    <Modal labelledBy={titleId} onDismiss={close} className="personal-dialog">
      <div className="dialog-header">
        <h2 id={titleId}>Add libraries from {name}</h2>
        <button type="button" className="button ghost small" aria-label="Close" onClick={close}>
          ×
        </button>
      </div>
      <DiscoverLibraries connectionId={connectionId} onDone={close} />
    </Modal>
  )
}

function ConnectDialog(): React.JSX.Element {
  const defaultBase = useApp((state) => state.settings?.defaultApiBaseUrl ?? 'https://api.apicbase.com')
  const uid = useId()
  const [draft, setDraft] = useState<OAuthDraft>(EMPTY_OAUTH_DRAFT)
  const [errors, setErrors] = useState<Partial<Record<OAuthField, string>>>({})
  const [phase, setPhase] = useState<Phase>({ kind: 'editing' })
  const [code, setCode] = useState('')
  const [codeError, setCodeError] = useState<string | null>(null)
  const [focus, setFocus] = useState<string | null>(null)
  // The flow this dialog is on; answers for an older one (after Start again) are ignored.
  const flowRef = useRef<string | null>(null)
  const busy = phase.kind === 'starting' || (phase.kind === 'started' && phase.finishing)

  useEffect(() => {
    if (focus === null) return
    document.getElementById(focus)?.focus()
    setFocus(null)
  }, [focus])

  // Closing while a flow waits tells Larder to stop listening for it.
  useEffect(
    () => () => {
      if (flowRef.current !== null) void bridgeClient.call('oauth.cancel', { flowId: flowRef.current })
    },
    []
  )

  const close = (): void => appStore.getState().closePersonal()

  const connected = (value: OAuthConnectedView): void => {
    flowRef.current = null
    // The secret has done its job; nothing of it stays in this window.
    setDraft((previous) => ({ ...previous, clientSecret: '' }))
    setCode('')
    appStore.getState().applyLibraryChanges([value.connection], [])
    setPhase({ kind: 'connected', connected: value })
  }

  const failed = (error: BridgeErrorShape): void => {
    flowRef.current = null
    setPhase({ kind: 'failed', error })
    setFocus(`${uid}-again`)
  }

  const start = async (event?: React.FormEvent): Promise<void> => {
    event?.preventDefault()
    if (busy) return
    const missing = missingOAuthFields(draft)
    const first = (['clientId', 'clientSecret', 'scopes'] as const).find((field) => missing[field] !== undefined)
    if (first !== undefined) {
      setErrors(missing)
      setPhase({ kind: 'editing' })
      setFocus(`${uid}-${first}`)
      return
    }
    if (flowRef.current !== null) void bridgeClient.call('oauth.cancel', { flowId: flowRef.current })
    flowRef.current = null
    setErrors({})
    setCode('')
    setCodeError(null)
    setPhase({ kind: 'starting' })
    const result = await bridgeClient.call('oauth.start', toOAuthStart(draft))
    if (!result.ok) {
      const field = oauthFieldOfError(result.error)
      if (field !== null) {
        setPhase({ kind: 'editing' })
        setErrors({ [field]: result.error.message })
        setFocus(`${uid}-${field}`)
      } else failed(result.error)
      return
    }
    const flow = result.value
    flowRef.current = flow.flowId
    setPhase({ kind: 'started', flow, finishing: false })
    if (draft.redirect === 'paste') {
      setFocus(`${uid}-code`)
      return
    }
    setFocus(`${uid}-link`)
    const answer = await bridgeClient.call('oauth.wait', { flowId: flow.flowId })
    if (flowRef.current !== flow.flowId) return
    if (answer.ok) connected(answer.value)
    else failed(answer.error)
  }

  const finish = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    if (phase.kind !== 'started' || phase.finishing) return
    if (code.trim() === '') {
      setCodeError('Paste the code Apicbase showed (or the whole address the browser went to).')
      setFocus(`${uid}-code`)
      return
    }
    setCodeError(null)
    const flow = phase.flow
    setPhase({ kind: 'started', flow, finishing: true })
    const result = await bridgeClient.call('oauth.complete', { flowId: flow.flowId, code })
    if (flowRef.current !== flow.flowId) return
    if (result.ok) connected(result.value)
    else failed(result.error)
  }

  const field = (name: 'name' | 'clientId' | 'clientSecret', label: string, help?: string): React.JSX.Element => {
    const id = `${uid}-${name}`
    const error = errors[name]
    const describedBy = [error !== undefined ? `${id}-error` : null, help !== undefined ? `${id}-help` : null].filter(Boolean).join(' ')
    const secret = name === 'clientSecret'
    return (
      <div className={`field${error !== undefined ? ' has-error' : ''}`}>
        <label htmlFor={id} className="field-label">
          {label}
        </label>
        <input
          id={id}
          className={`input${secret ? ' mono' : ''}`}
          type={secret ? 'password' : 'text'}
          autoComplete={secret ? 'new-password' : 'off'}
          spellCheck={false}
          autoCapitalize="off"
          value={draft[name]}
          placeholder={name === 'name' ? 'Personal token' : undefined}
          disabled={busy}
          aria-invalid={error !== undefined}
          aria-describedby={describedBy === '' ? undefined : describedBy}
          onChange={(event) => {
            const value = event.target.value
            setDraft((previous) => ({ ...previous, [name]: value }))
            if (error !== undefined) setErrors((previous) => ({ ...previous, [name]: undefined }))
          }}
        />
        <FieldNotes id={id} error={error} help={help} />
      </div>
    )
  }

  const editing = phase.kind === 'editing' || phase.kind === 'starting'
  const titleId = `${uid}-title`
  return (
    <Modal labelledBy={titleId} onDismiss={close} busy={busy} className="personal-dialog">
      <div className="dialog-header">
        <h2 id={titleId}>Connect personal token</h2>
        <button type="button" className="button ghost small" aria-label="Close" onClick={close} disabled={busy}>
          ×
        </button>
      </div>

      {editing ? (
        <form onSubmit={(event) => void start(event)} noValidate>
          <p className="field-help lead">
            Sign in at Apicbase with a partner application’s (or a library’s) client ID and secret. Apicbase asks the person to approve,
            and Larder receives a personal token.
          </p>
          <div className="field-grid personal-grid">
            {field('name', 'Name', 'What Larder calls this token, for example the person’s name. Optional.')}
            {field('clientId', 'Client ID')}
            {field('clientSecret', 'Client secret', 'Stays on this computer, encrypted. Larder never shows it again.')}
          </div>
          <fieldset className="plain-fieldset" disabled={busy} aria-describedby={errors.scopes !== undefined ? `${uid}-scopes-error` : undefined}>
            <legend className="field-label">Scopes</legend>
            {SCOPES.map(({ scope, help }) => {
              const id = scope === 'accounts' ? `${uid}-scopes` : `${uid}-scope-${scope}`
              return (
                <div key={scope} className="check">
                  <input
                    id={id}
                    type="checkbox"
                    checked={draft.scopes.includes(scope)}
                    onChange={(event) => {
                      const on = event.target.checked
                      setDraft((previous) => ({ ...previous, scopes: on ? [...previous.scopes, scope] : previous.scopes.filter((s) => s !== scope) }))
                      setErrors((previous) => ({ ...previous, scopes: undefined }))
                    }}
                    aria-describedby={`${id}-help`}
                  />
                  <label htmlFor={id}>{scope}</label>
                  <span id={`${id}-help`} className="field-help">
                    {help}
                  </span>
                </div>
              )
            })}
            {errors.scopes !== undefined ? (
              <p id={`${uid}-scopes-error`} className="field-error">
                {errors.scopes}
              </p>
            ) : null}
          </fieldset>
          <fieldset className="plain-fieldset" disabled={busy}>
            <legend className="field-label">How the code comes back</legend>
            <div className="check">
              <input
                id={`${uid}-paste`}
                type="radio"
                name={`${uid}-redirect`}
                checked={draft.redirect === 'paste'}
                onChange={() => setDraft((previous) => ({ ...previous, redirect: 'paste' }))}
                aria-describedby={`${uid}-paste-help`}
              />
              <label htmlFor={`${uid}-paste`}>Paste the code Apicbase shows</label>
              <span id={`${uid}-paste-help`} className="field-help">
                Works with any application. {PERSONAL_TOKEN_GUIDANCE.codeLifetime}
              </span>
            </div>
            <div className="check">
              <input
                id={`${uid}-loopback`}
                type="radio"
                name={`${uid}-redirect`}
                checked={draft.redirect === 'loopback'}
                onChange={() => setDraft((previous) => ({ ...previous, redirect: 'loopback' }))}
                aria-describedby={`${uid}-loopback-help`}
              />
              <label htmlFor={`${uid}-loopback`}>Let Larder catch it on this computer</label>
              <span id={`${uid}-loopback-help`} className="field-help">
                {PERSONAL_TOKEN_GUIDANCE.loopbackNote}
              </span>
            </div>
          </fieldset>
          <details className="advanced">
            <summary>Advanced</summary>
            <div className="field">
              <label htmlFor={`${uid}-apiBaseUrl`} className="field-label">
                API base URL
              </label>
              <input
                id={`${uid}-apiBaseUrl`}
                className="input"
                type="url"
                autoComplete="off"
                spellCheck={false}
                placeholder={defaultBase}
                value={draft.apiBaseUrl}
                disabled={busy}
                aria-invalid={errors.apiBaseUrl !== undefined}
                onChange={(event) => {
                  const value = event.target.value
                  setDraft((previous) => ({ ...previous, apiBaseUrl: value }))
                }}
              />
              {errors.apiBaseUrl !== undefined ? <p className="field-error">{errors.apiBaseUrl}</p> : null}
            </div>
          </details>
          <PersonalMeaning />
          <p className="checking" role="status">
            {phase.kind === 'starting' ? 'Preparing the authorization…' : ''}
          </p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={close} disabled={busy}>
              Cancel
            </button>
            <button type="submit" className="button primary" disabled={busy}>
              {phase.kind === 'starting' ? <span className="spinner" aria-hidden="true" /> : null}
              Open Apicbase
            </button>
          </div>
        </form>
      ) : phase.kind === 'started' ? (
        <div className="oauth-started">
          <p>
            Larder opened Apicbase’s authorization page in your browser. If nothing opened, open this link yourself (or copy it into the
            browser where you are signed in to Apicbase):
          </p>
          <p className="authorize-link">
            <a id={`${uid}-link`} href={phase.flow.authorizeUrl} target="_blank" rel="noreferrer" className="mono wrap">
              {phase.flow.authorizeUrl}
            </a>
          </p>
          {phase.flow.redirectUri === null ? (
            <form onSubmit={(event) => void finish(event)} noValidate>
              <div className={`field${codeError !== null ? ' has-error' : ''}`}>
                <label htmlFor={`${uid}-code`} className="field-label">
                  Authorization code
                </label>
                <input
                  id={`${uid}-code`}
                  className="input mono"
                  type="text"
                  autoComplete="off"
                  spellCheck={false}
                  autoCapitalize="off"
                  value={code}
                  disabled={phase.finishing}
                  aria-invalid={codeError !== null}
                  aria-describedby={`${codeError !== null ? `${uid}-code-error ` : ''}${uid}-code-help`}
                  onChange={(event) => {
                    setCode(event.target.value)
                    setCodeError(null)
                  }}
                />
                {codeError !== null ? (
                  <p id={`${uid}-code-error`} className="field-error">
                    {codeError}
                  </p>
                ) : null}
                <p id={`${uid}-code-help`} className="field-help">
                  <strong>{PERSONAL_TOKEN_GUIDANCE.codeLifetime}</strong> The whole address the browser went to works too.
                </p>
              </div>
              <p className="checking" role="status">
                {phase.finishing ? 'Exchanging the code with Apicbase…' : ''}
              </p>
              <div className="dialog-actions">
                <button type="button" className="button" onClick={() => void start()} disabled={phase.finishing}>
                  Start again
                </button>
                <button type="submit" className="button primary" disabled={phase.finishing}>
                  {phase.finishing ? <span className="spinner" aria-hidden="true" /> : null}
                  Finish
                </button>
              </div>
            </form>
          ) : (
            <>
              <p className="checking" role="status">
                <span className="spinner" aria-hidden="true" /> Waiting for Apicbase to send the person back to Larder…
              </p>
              <p className="field-help">{PERSONAL_TOKEN_GUIDANCE.loopbackNote}</p>
              <div className="dialog-actions">
                <button type="button" className="button" onClick={close}>
                  Cancel
                </button>
                <button type="button" className="button" onClick={() => void start()}>
                  Start again
                </button>
              </div>
            </>
          )}
        </div>
      ) : phase.kind === 'failed' ? (
        <div className="oauth-failed">
          <div className="notice notice-error" role="alert">
            <p>
              <strong>{isCodeRefusal(phase.error) ? 'The code did not work.' : 'Connecting did not work.'}</strong> {phase.error.message}
            </p>
            {isCodeRefusal(phase.error) ? <p>{PERSONAL_TOKEN_GUIDANCE.codeExpired}</p> : null}
          </div>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={close}>
              Cancel
            </button>
            <button id={`${uid}-again`} type="button" className="button primary" onClick={() => void start()}>
              Start again
            </button>
          </div>
        </div>
      ) : (
        <ConnectedStep connected={phase.connected} onDone={close} />
      )}
    </Modal>
  )
}

function ConnectedStep({ connected, onDone }: { readonly connected: OAuthConnectedView; readonly onDone: () => void }): React.JSX.Element {
  const connection = useApp((state) => state.byId[connected.connection.id] ?? connected.connection)
  const personal = connection.personal
  return (
    <div className="oauth-connected">
      <p className="add-saved-title" role="status">
        <span aria-hidden="true">✓ </span>
        {connection.name} is connected: a personal token
        {personal ? `, ${actsOnLabel(personal)}` : connected.activeLibrary !== null ? `, acts on: ${connected.activeLibrary.name ?? connected.activeLibrary.id}` : ''}.
      </p>
      {connected.notes.length > 0 ? (
        <div className="notice notice-warning">
          {connected.notes.map((note) => (
            <p key={note}>{note}</p>
          ))}
        </div>
      ) : null}
      <PersonalMeaning compact />
      <DiscoverLibraries connectionId={connection.id} onDone={onDone} />
    </div>
  )
}
