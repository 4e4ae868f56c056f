// The steps after the form: the authorization Larder started (paste the code, or wait for Apicbase to send the
// person back), a failure with the way to start again, and the connected token with the libraries it reaches.
import type { BridgeErrorShape, OAuthConnectedView, OAuthStartedView } from '../../../../shared/contract.ts'
import { PERSONAL_TOKEN_GUIDANCE } from '../../../../shared/personal-guidance.ts'
import { opensBrowser } from '../../lib/host-abilities.ts'
import { actsOnLabel, isCodeRefusal } from '../../lib/personal.ts'
import { useApp } from '../../store/provider.tsx'
import { TextField } from '../common/Field.tsx'
import { DiscoverLibraries } from './DiscoverLibraries.tsx'
import { PersonalMeaning } from './Guidance.tsx'
import type { OAuthFlow } from './useOAuthFlow.ts'

interface StepProps {
  readonly uid: string
  readonly flow: OAuthFlow
  onCancel(): void
}

function PasteCode({ uid, flow, finishing }: Omit<StepProps, 'onCancel'> & { readonly finishing: boolean }): React.JSX.Element {
  return (
    <form onSubmit={(event) => void flow.finish(event)} noValidate>
      <TextField
        id={`${uid}-code`}
        label="Authorization code"
        error={flow.codeError}
        errorStyle="plain"
        help={
          <>
            <strong>{PERSONAL_TOKEN_GUIDANCE.codeLifetime}</strong> You may also paste the whole address the browser went to after approving;
            Larder checks that it belongs to this authorization.
          </>
        }
        inputClass="mono"
        type="text"
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="off"
        value={flow.code}
        disabled={finishing}
        onChange={(event) => flow.setCode(event.target.value)}
      />
      <p className="checking" role="status">
        {finishing ? 'Exchanging the code with Apicbase…' : ''}
      </p>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={() => void flow.start()} disabled={finishing}>
          Start again
        </button>
        <button type="submit" className="button primary" disabled={finishing}>
          {finishing ? <span className="spinner" aria-hidden="true" /> : null}
          Finish
        </button>
      </div>
    </form>
  )
}

export function StartedStep({ uid, flow, onCancel, started, finishing }: StepProps & { readonly started: OAuthStartedView; readonly finishing: boolean }): React.JSX.Element {
  const opened = useApp((state) => opensBrowser(state.appInfo))
  return (
    <div className="oauth-started">
      {opened ? (
        <p>
          Larder opened Apicbase’s authorization page in your browser. If nothing opened, open this link yourself (or copy it into the
          browser where you are signed in to Apicbase):
        </p>
      ) : (
        // This host opens no browser (the browser host): say so, rather than claim a page opened.
        <p>Open this address in your browser (the one where you are signed in to Apicbase) to approve Larder:</p>
      )}
      <p className="authorize-link">
        <a id={`${uid}-link`} href={started.authorizeUrl} target="_blank" rel="noreferrer" className="mono wrap">
          {started.authorizeUrl}
        </a>
      </p>
      {started.redirectUri === null ? (
        <PasteCode uid={uid} flow={flow} finishing={finishing} />
      ) : (
        <>
          <p className="checking" role="status">
            <span className="spinner" aria-hidden="true" /> Waiting for Apicbase to send the person back to Larder…
          </p>
          <p className="field-help">{PERSONAL_TOKEN_GUIDANCE.loopbackNote}</p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
            <button type="button" className="button" onClick={() => void flow.start()}>
              Start again
            </button>
          </div>
        </>
      )}
    </div>
  )
}

export function FailedStep({ uid, flow, onCancel, error }: StepProps & { readonly error: BridgeErrorShape }): React.JSX.Element {
  const code = isCodeRefusal(error)
  return (
    <div className="oauth-failed">
      <div className="notice notice-error" role="alert">
        <p>
          <strong>{code ? 'The code did not work.' : 'Connecting did not work.'}</strong> {error.message}
        </p>
        {code ? <p>{PERSONAL_TOKEN_GUIDANCE.codeExpired}</p> : null}
      </div>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button id={`${uid}-again`} type="button" className="button primary" onClick={() => void flow.start()}>
          Start again
        </button>
      </div>
    </div>
  )
}

export function ConnectedStep({ connected, onDone }: { readonly connected: OAuthConnectedView; readonly onDone: () => void }): React.JSX.Element {
  const connection = useApp((state) => state.byId[connected.connection.id] ?? connected.connection)
  const personal = connection.personal
  const actsOn = personal ? `, ${actsOnLabel(personal)}` : connected.activeLibrary !== null ? `, acts on: ${connected.activeLibrary.name ?? connected.activeLibrary.id}` : ''
  return (
    <div className="oauth-connected">
      <p className="add-saved-title" role="status">
        <span aria-hidden="true">✓ </span>
        {connection.name} is connected: a personal token
        {actsOn}.
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
