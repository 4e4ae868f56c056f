// One library in full: token metadata, what to do when it is in trouble, actions, and its history.
// Copying goes through the core; the page only ever sees the masked preview on the receipt.
import { useEffect, useMemo, useState } from 'react'
import type { CopyFormat, LibraryView } from '../../../../shared/contract.ts'
import { TOKEN_TYPE_LABEL } from '../../lib/status.ts'
import { formatExact } from '../../lib/time.ts'
import { useActions, useApp, useStateReader } from '../../store/provider.tsx'
import { StatusBadge } from '../common/StatusBadge.tsx'
import { HoldNotice } from '../estate/HoldNotice.tsx'
import { PersonalSection } from '../personal/PersonalSection.tsx'
import { DriftItem } from '../personal/DriftBanner.tsx'
import { driftedTokens, viaName } from '../../lib/personal.ts'
import { Ago, TimeLeft } from '../common/TimeLabels.tsx'
import { RemoveDialog, RevokeDialog } from './ConfirmDialogs.tsx'
import { nextStep } from './next-step.ts'
import { ApiChecks } from './ApiChecks.tsx'
import { ApiHostLine } from './ApiHostLine.tsx'
import { CopyFormats } from './CopyFormats.tsx'
import { CopyReceipt, type Receipt } from './CopyReceipt.tsx'
import { LibraryLabels } from './LibraryLabels.tsx'
import { ReauthorizeForm } from './ReauthorizeForm.tsx'
import { Timeline } from './Timeline.tsx'

function Meta({ library }: { readonly library: LibraryView }): React.JSX.Element {
  return (
    <dl className="meta">
      <dt>Token type</dt>
      <dd>{TOKEN_TYPE_LABEL[library.tokenType]}</dd>
      <dt>Scopes</dt>
      <dd>{library.scopes.length > 0 ? library.scopes.join(', ') : <span className="muted">none reported</span>}</dd>
      <dt>Access token</dt>
      <dd>
        <span className="mono">{library.tokenPreview}</span>{' '}
        <span className="muted">(last characters only)</span>
      </dd>
      <dt>Issued</dt>
      <dd>{formatExact(library.issuedAt)}</dd>
      <dt>Expires</dt>
      <dd>
        {formatExact(library.expiresAt)}
        {library.expiresAt !== null ? (
          <>
            {' '}
            <span className="muted">
              (<TimeLeft expiresAt={library.expiresAt} />)
            </span>
          </>
        ) : null}
      </dd>
      <dt>Last refreshed</dt>
      <dd>
        <Ago at={library.lastRefreshedAt} what="Refreshed" />
      </dd>
      <dt>Last used</dt>
      <dd>
        <Ago at={library.lastUsedAt} what="Used" />
      </dd>
      <ApiChecks library={library} />
      <dt>Client ID</dt>
      <dd className="mono wrap">{library.clientId}</dd>
      <dt>API base URL</dt>
      <dd className="mono wrap">{library.apiBaseUrl}</dd>
      <ApiHostLine library={library} />
      <dt>Added</dt>
      <dd>{formatExact(library.addedAt)}</dd>
    </dl>
  )
}

/**
 * The pane of one library: its whole view is asked for when it opens (the list holds rows only) and again whenever
 * its row changes. The heading comes from the row (current, and the same element throughout, so focus on it stays);
 * until the first answer the rest of the pane waits quietly, never showing another library's view.
 */
export function LibraryDetail({ id }: { readonly id: string }): React.JSX.Element | null {
  const row = useApp((state) => state.byId[id])
  const entry = useApp((state) => (state.detail?.id === id ? state.detail : null))
  const store = useActions()
  const read = useStateReader()
  const { loadDetail } = store
  useEffect(() => {
    if (read().detail?.id !== id) void loadDetail(id)
    return () => void loadDetail(null)
  }, [id, read, loadDetail])
  if (!row) return null
  // Two rows may share a name (a service account and the same library through a personal token): say which this is.
  const via = viaName(row)
  const view = entry?.view ?? null
  const error = entry?.error ?? null

  return (
    <section className="detail-pane" aria-labelledby="detail-title" aria-busy={view === null && error === null}>
      <header className="detail-header">
        <div className="detail-heading">
          <h2 id="detail-title" tabIndex={-1}>
            {row.name}
            {via !== null ? <span className="detail-via"> via {via}</span> : null}
          </h2>
          <StatusBadge status={row.status} />
        </div>
        <button type="button" className="button ghost small" aria-label="Close details" onClick={() => store.select(null)}>
          ×
        </button>
      </header>
      <p className="detail-sub">
        {row.apicbaseLibraryName !== null || row.apicbaseLibraryId !== null ? (
          <>
            Apicbase library <strong>{row.apicbaseLibraryName ?? 'unnamed'}</strong>
            {row.apicbaseLibraryId !== null ? <span className="muted"> #{row.apicbaseLibraryId}</span> : null}
          </>
        ) : (
          <span className="muted">Apicbase did not say which library this token acts on.</span>
        )}
      </p>
      {/* Keyed by library: an edit left open on one library does not carry over to the next. */}
      <LibraryLabels key={id} id={id} name={row.name} customer={row.customer} />
      {/* Moved or paused (issue 17): why nothing is sent for it here, and the person's way out. Keyed: a confirmation half given does not carry to the next library. */}
      {row.hold !== undefined ? <HoldNotice key={`${id}-${row.hold.kind}`} id={id} name={row.name} hold={row.hold} /> : null}
      {view !== null ? (
        <DetailBody id={id} library={view} />
      ) : error !== null ? (
        <p className="notice notice-warning" role="alert">
          Could not read this library’s details. {error}{' '}
          <button type="button" className="button small" onClick={() => void loadDetail(id)}>
            Try again
          </button>
        </p>
      ) : (
        <p className="detail-loading-note muted">Reading the details…</p>
      )}
    </section>
  )
}

/** Everything below the heading, from the library's whole view. */
function DetailBody({ id, library }: { readonly id: string; readonly library: LibraryView }): React.JSX.Element {
  // Only a personal library's details read the whole list (to find the entry to switch back to).
  const personalById = useApp((state) => (state.byId[id]?.personal?.drifted === true ? state.byId : null))
  const allIds = useApp((state) => state.ids)
  const drift = useMemo(() => {
    const connectionId = library.personal?.connectionId
    if (personalById === null || connectionId === undefined) return null
    return driftedTokens(personalById, allIds).find((token) => token.connectionId === connectionId) ?? null
  }, [personalById, allIds, library])
  const clipboardClearMs = useApp((state) => state.settings?.clipboardClearMs ?? null)
  const [busy, setBusy] = useState<'refresh' | CopyFormat | null>(null)
  const [receipt, setReceipt] = useState<Receipt | null>(null)
  const [confirm, setConfirm] = useState<'remove' | 'revoke' | null>(null)
  const store = useActions()

  // A held library is not refreshed here on purpose, and its hold notice says why and offers the way out (take back,
  // or "Refresh it now: no other machine holds it"): no other next step, no plain Refresh now, and for a moved one no
  // form for a new token.
  const held = library.hold !== undefined
  const moved = library.hold?.kind === 'moved'
  const step = held ? null : nextStep(library)
  // Nothing can be refreshed or copied: the customer must issue a new token, the record was changed outside Larder,
  // or it was moved to another machine (which alone uses it now).
  const dead = library.status === 'needs_reauth' || library.status === 'revoked' || moved || library.lastError?.kind === 'tampered'

  const refresh = async (): Promise<void> => {
    setBusy('refresh')
    await store.refreshLibrary(id)
    setBusy(null)
  }
  const copy = async (format: CopyFormat): Promise<void> => {
    setBusy(format)
    setReceipt(null)
    const result = await store.copyLibrary(id, format, { announce: false })
    setBusy(null)
    if (result.ok) {
      // The core's clearsAt is on its own clock; the delay is what matters here.
      const clearsAt = result.value.clearsAt === null ? null : Date.now() + (clipboardClearMs ?? Math.max(0, result.value.clearsAt - Date.now()))
      const { preview, personal } = result.value
      setReceipt({ format, preview, previewWhenCopied: library.tokenPreview, clearsAt, note: personal?.message ?? null })
    }
  }

  return (
    <>

      {step !== null ? (
        <div className={`next-step next-step-${step.tone}`} role={step.tone === 'trouble' ? 'alert' : undefined}>
          <h3>{step.title}</h3>
          <p>{step.text}</p>
          {library.lastError !== null ? (
            <p className="next-step-message">
              <span className="muted">Last error ({formatExact(library.lastError.at)}):</span> {library.lastError.message}
            </p>
          ) : null}
        </div>
      ) : null}

      {dead && !moved && library.personal?.role !== 'library' ? <ReauthorizeForm key={library.id} library={library} /> : null}

      {drift !== null ? (
        <div className="detail-drift">
          <DriftItem token={drift} compact />
        </div>
      ) : null}
      <PersonalSection library={library} />

      <div className="detail-actions" role="group" aria-label="Actions">
        <button type="button" className="button primary" disabled={dead || held || busy !== null || library.status === 'refreshing'} onClick={() => void refresh()}>
          {busy === 'refresh' || library.status === 'refreshing' ? <span className="spinner" aria-hidden="true" /> : null}
          Refresh now
        </button>
      </div>
      <CopyFormats library={library} disabled={dead || busy !== null} onCopy={(format) => void copy(format)} />
      {receipt !== null ? <CopyReceipt receipt={receipt} library={library} busy={busy !== null} onCopyNew={(format) => void copy(format)} /> : null}

      <Meta library={library} />
      <div className="detail-manage" role="group" aria-label="Manage">
        {library.personal?.role === 'library' ? null : (
          <button type="button" className="button small" disabled={library.status === 'revoked' || library.status === 'moved'} onClick={() => setConfirm('revoke')}>
            Revoke
          </button>
        )}
        <button type="button" className="button small danger-text" onClick={() => setConfirm('remove')}>
          Remove
        </button>
      </div>
      <Timeline libraryId={id} version={library} />

      {confirm === 'remove' ? <RemoveDialog library={library} onClose={() => setConfirm(null)} /> : null}
      {confirm === 'revoke' ? <RevokeDialog library={library} onClose={() => setConfirm(null)} /> : null}
    </>
  )
}
