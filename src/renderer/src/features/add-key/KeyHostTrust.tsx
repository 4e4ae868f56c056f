// The confirm step for a key whose token would go to a host that is not its system's own (or, for a service token,
// to the check URL's host, which the admin chose): Larder asked by name, and the person ticks "I trust <host>" before
// the form sends again with that host. The library form's warning (common/ApiHost.tsx), in a key's words.
import { ErrorText } from '../common/Field.tsx'
import '../common/api-host.css'

export interface KeyHostTrustProps {
  readonly id: string
  /** The host Larder asked about, as it named it (with its port, if any). */
  readonly host: string
  /** The system's own host, when it has one ("api.airtable.com"); null for a service token's check URL. */
  readonly ownHost: string | null
  readonly systemLabel: string
  readonly checked: boolean
  onChange(checked: boolean): void
  readonly error: string | null
  readonly disabled: boolean
}

export function KeyHostTrust({ id, host, ownHost, systemLabel, checked, onChange, error, disabled }: KeyHostTrustProps): React.JSX.Element {
  return (
    <div className="notice notice-warning api-host-notice" role="group" aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`}>
        <strong>
          Send this token to <span className="mono">{host}</span>?
        </strong>{' '}
        {ownHost !== null ? (
          <>
            It is not {systemLabel}’s address (<span className="mono">{ownHost}</span>).{' '}
          </>
        ) : (
          'It is the check URL’s host: Larder sends the token there to check it. '
        )}
        Whoever runs <span className="mono">{host}</span> can use the token.
      </p>
      <div className="check">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          disabled={disabled}
          aria-invalid={error !== null}
          aria-describedby={error !== null ? `${id}-error` : undefined}
          onChange={(event) => onChange(event.target.checked)}
        />
        <label htmlFor={id}>{`I trust ${host} with this token`}</label>
      </div>
      <ErrorText id={`${id}-error`} message={error} glyph />
    </div>
  )
}

/** Said when Larder first asks (its own message names the host too; the notice above already says why). */
export function askedMessage(host: string): string {
  return `Nothing was saved or sent. Tick the box if you trust ${host}, then save again.`
}

/** The form's own refusal, before anything is sent. */
export function keyUntickedMessage(host: string): string {
  return `Tick the box to confirm that you trust ${host}, or change the address. Nothing was sent.`
}
