// One key of another system in full: where it stands and what to do next, who it acts as and its last check, its last
// use, its system's own actions, its expiry, copy buttons while it works, its history, and Remove. The key's whole
// view is in the store (keys are few), so nothing is asked for when it opens. Never its token.
import { useState } from 'react'
import type { KeyView } from '../../../../shared/contract.ts'
import { SYSTEM_LABEL } from '../../../../shared/status-words.ts'
import { keyNextStep } from '../../lib/key-next-step.ts'
import { formatExact } from '../../lib/time.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import { StatusBadge } from '../common/StatusBadge.tsx'
import { Ago, TimeLeft } from '../common/TimeLabels.tsx'
import { AdminActions, ExpiryForm, KeepAlive, KeyUseButtons, RegenerateForm } from './KeyActions.tsx'
import { KeyCopy } from './KeyCopy.tsx'
import { KeyRemoveDialog } from './KeyDialogs.tsx'
import { KeyHistory, KeySystemMeta } from './KeyMeta.tsx'
import '../detail/detail.css'
import './keys.css'

const CHECK_OUTCOME: Readonly<Record<NonNullable<KeyView['lastCheck']>['outcome'], string>> = {
  ok: 'accepted',
  refused: 'refused',
  forbidden: 'refused for a missing permission',
  rate_limited: 'not answered yet (rate limited)',
  unreachable: 'could not be reached'
}

function ActsAs({ keyView }: { readonly keyView: KeyView }): React.JSX.Element {
  const check = keyView.lastCheck
  const identity = check?.identity ?? null
  if (identity === null) {
    // A service token's check answers yes or no only: who it acts as is what its admin noted.
    if (keyView.system === 'service_token') return <>{keyView.details.serviceUser} <span className="muted">(as noted)</span></>
    const why = check === null ? 'not checked yet' : check.outcome === 'ok' ? 'not reported by its check' : check.outcome === 'refused' || check.outcome === 'forbidden' ? 'not known: the last check was refused' : 'not known: the last check did not get through'
    return <span className="muted">{why}</span>
  }
  // SafetyCulture answers its organisation's id: the name noted for it reads better, the id stays on hover.
  const organisation = keyView.system === 'safetyculture' && keyView.details.organisation !== '' ? keyView.details.organisation : identity.organisation
  return (
    <>
      {identity.who ?? identity.id}
      {organisation !== null ? (
        <span className="muted" title={identity.organisation ?? undefined}>
          {' '}
          · {organisation}
        </span>
      ) : null}
    </>
  )
}

function LastCheck({ keyView }: { readonly keyView: KeyView }): React.JSX.Element {
  const check = keyView.lastCheck
  if (check === null) return <span className="muted">{keyView.actions.includes('check') ? 'never' : 'Larder cannot check it (no check address)'}</span>
  return (
    <>
      <Ago at={check.at} what="Checked" /> <span className={`check-outcome check-${check.outcome}`}>({CHECK_OUTCOME[check.outcome]})</span>
      {/* Refused or failing, the next step above says it already. */}
      {check.message !== null && check.outcome !== 'ok' && keyView.status !== 'needs_reauth' && keyView.status !== 'error' ? <span className="key-check-message">{check.message}</span> : null}
    </>
  )
}

export function KeyDetail({ id }: { readonly id: string }): React.JSX.Element | null {
  const keyView = useApp((state) => state.keysById[id])
  const store = useActions()
  const [removing, setRemoving] = useState(false)
  if (!keyView) return null
  const step = keyNextStep(keyView)
  const customer = keyView.customer !== null && keyView.customer !== '' ? keyView.customer : null

  return (
    <section className="detail-pane key-detail" aria-labelledby="detail-title">
      <header className="detail-header">
        <div className="detail-heading">
          <h2 id="detail-title" tabIndex={-1}>
            {keyView.name}
          </h2>
          <StatusBadge status={keyView.status} />
        </div>
        <button type="button" className="button ghost small" aria-label="Close details" onClick={() => store.select(null)}>
          ×
        </button>
      </header>
      <p className="detail-sub">
        <strong>{SYSTEM_LABEL[keyView.system]}</strong> key{customer !== null ? <> · customer <strong>{customer}</strong></> : null}
      </p>

      {step !== null ? (
        <div className={`next-step next-step-${step.tone}`} role={step.tone === 'trouble' ? 'alert' : undefined}>
          <h3>{step.title}</h3>
          <p>{step.text}</p>
        </div>
      ) : null}

      <KeyUseButtons keyView={keyView} />
      <KeyCopy keyView={keyView} />
      <RegenerateForm keyView={keyView} />

      <dl className="meta">
        <dt>Acts as</dt>
        <dd className="wrap">
          <ActsAs keyView={keyView} />
        </dd>
        <dt>Last check</dt>
        <dd>
          <LastCheck keyView={keyView} />
        </dd>
        <dt>Last used</dt>
        <dd>
          <Ago at={keyView.lastUsedAt} what="Used" />
        </dd>
        <dt>{keyView.byInactivity ? 'Turns inactive' : 'Expires'}</dt>
        <dd>
          {keyView.expiresAt === null ? (
            <span className="muted">never</span>
          ) : (
            <>
              {formatExact(keyView.expiresAt)}{' '}
              <span className="muted">
                (<TimeLeft expiresAt={keyView.expiresAt} />)
              </span>
            </>
          )}
        </dd>
        <dt>Token</dt>
        <dd>
          <span className="mono">{keyView.tokenPreview}</span> <span className="muted">(last characters only)</span>
        </dd>
        <KeySystemMeta keyView={keyView} />
        <dt>Added</dt>
        <dd>{formatExact(keyView.addedAt)}</dd>
        {keyView.notes !== '' ? (
          <>
            <dt>Notes</dt>
            <dd className="wrap">{keyView.notes}</dd>
          </>
        ) : null}
      </dl>

      {keyView.system === 'safetyculture' ? <KeepAlive keyView={keyView} /> : null}
      {keyView.system === 'service_token' ? <ExpiryForm key={keyView.details.expiresAt ?? 'none'} keyView={keyView} /> : null}
      <AdminActions keyView={keyView} />

      <div className="detail-manage" role="group" aria-label="Manage">
        <button type="button" className="button small danger-text" onClick={() => setRemoving(true)}>
          Remove
        </button>
      </div>
      <KeyHistory keyView={keyView} />
      {removing ? <KeyRemoveDialog keyView={keyView} onClose={() => setRemoving(false)} /> : null}
    </section>
  )
}
