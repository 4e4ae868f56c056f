// What a key's system holds besides its token (SafetyCulture's kind and organisation, Airtable's scopes and bases, a
// service token's service user, environment and carry), and its history with dates.
import type { KeyView } from '../../../../shared/contract.ts'
import { formatExact } from '../../lib/time.ts'

const HISTORY_WORD: Readonly<Record<KeyView['history'][number]['event'], string>> = {
  added: 'Added',
  regenerated: 'Regenerated value pasted (the old one replaced)',
  revoked: 'Revoked by its admin',
  restored: 'Restored by its admin',
  expired: 'Expired by its admin',
  deleted: 'Deleted by its admin',
  used_elsewhere: 'Used elsewhere',
  expiry_changed: 'Expiry date changed',
  details_changed: 'Details changed'
}

function Listed({ items, none }: { readonly items: readonly string[]; readonly none: string }): React.JSX.Element {
  return items.length > 0 ? <>{items.join(', ')}</> : <span className="muted">{none}</span>
}

export function KeySystemMeta({ keyView }: { readonly keyView: KeyView }): React.JSX.Element {
  switch (keyView.system) {
    case 'safetyculture':
      return (
        <>
          <dt>Kind</dt>
          <dd>{keyView.details.kind === 'user' ? 'User API token' : 'Service user API token'}</dd>
          <dt>Organisation</dt>
          <dd>{keyView.details.organisation || <span className="muted">not noted</span>}</dd>
          <dt>Keep-alive</dt>
          <dd>{keyView.details.keepAlive ? 'on' : 'off'}</dd>
        </>
      )
    case 'airtable':
      return (
        <>
          <dt>Scopes</dt>
          <dd>
            <Listed items={keyView.details.scopes} none="not noted" />
          </dd>
          <dt>Bases</dt>
          <dd>
            <Listed items={keyView.details.bases} none="not noted" />
          </dd>
        </>
      )
    case 'service_token':
      return (
        <>
          <dt>Service user</dt>
          <dd>{keyView.details.serviceUser}</dd>
          <dt>Environment</dt>
          <dd>{keyView.details.environment || <span className="muted">not noted</span>}</dd>
          <dt>Carried as</dt>
          <dd className="mono">{keyView.details.carry.kind === 'bearer' ? 'Authorization: Bearer' : `${keyView.details.carry.name} header`}</dd>
          <dt>Check address</dt>
          <dd className="mono wrap">{keyView.details.checkUrl ?? <span className="muted">none: Larder cannot check it</span>}</dd>
          <dt>Variable</dt>
          <dd className="mono">{keyView.details.envName}</dd>
        </>
      )
  }
}

export function KeyHistory({ keyView }: { readonly keyView: KeyView }): React.JSX.Element {
  const events = [...keyView.history].sort((a, b) => b.at - a.at)
  return (
    <section className="timeline" aria-labelledby={`history-${keyView.id}`}>
      <h3 id={`history-${keyView.id}`}>History</h3>
      {events.length === 0 ? <p className="muted">Nothing recorded yet.</p> : null}
      <ol className="timeline-list">
        {events.map((item, index) => (
          <li key={`${item.at}-${index}`} className="timeline-item outcome-ok">
            <span className="timeline-mark" aria-hidden="true">
              ●
            </span>
            <span className="timeline-what">
              <strong>{HISTORY_WORD[item.event]}</strong>
            </span>
            <span className="timeline-when">{formatExact(item.at)}</span>
          </li>
        ))}
      </ol>
    </section>
  )
}
