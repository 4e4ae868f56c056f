// The library's history from the audit trail: refreshes, copies, failures. Fetched when the library is
// selected and again shortly after it changes (the trail is written just after the change is announced).
import { useEffect, useRef } from 'react'
import { useActions, useApp } from '../../store/provider.tsx'
import type { LibraryHistory } from '../../store/types.ts'
import { AUDIT_ACTION_LABEL } from '../audit/audit-labels.ts'
import { Ago } from '../common/TimeLabels.tsx'

const SETTLE_MS = 600

/** Until the first answer for this library: loading, nothing shown yet. */
const FIRST_LOOK: Omit<LibraryHistory, 'libraryId'> = { entries: [], nextBefore: null, error: null, loading: true }

export function Timeline({ libraryId, version }: { readonly libraryId: string; readonly version: unknown }): React.JSX.Element {
  const history = useApp((state) => (state.history?.libraryId === libraryId ? state.history : null)) ?? FIRST_LOOK
  const { loadHistory, loadOlderHistory } = useActions()
  // At once for a newly selected library (the component is keyed by library).
  useEffect(() => void loadHistory(libraryId), [loadHistory, libraryId])
  // Again shortly after each change, at most once per SETTLE_MS however often the library changes.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null)
  const first = useRef(true)
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    if (pending.current !== null) return
    pending.current = setTimeout(() => {
      pending.current = null
      void loadHistory(libraryId)
    }, SETTLE_MS)
  }, [version, loadHistory, libraryId])
  useEffect(
    () => () => {
      if (pending.current !== null) clearTimeout(pending.current)
    },
    []
  )

  return (
    <section className="timeline" aria-labelledby="timeline-title">
      <h3 id="timeline-title">History</h3>
      {history.error !== null ? <p className="error-text">{history.error}</p> : null}
      {history.loading && history.entries.length === 0 ? <p className="muted">Loading…</p> : null}
      {!history.loading && history.entries.length === 0 && history.error === null ? <p className="muted">Nothing recorded yet.</p> : null}
      <ol className="timeline-list">
        {history.entries.map((entry) => (
          <li key={entry.seq} className={`timeline-item outcome-${entry.outcome}`}>
            <span className="timeline-mark" aria-hidden="true">
              {entry.outcome === 'ok' ? '●' : '✕'}
            </span>
            <span className="timeline-what">
              <strong>{AUDIT_ACTION_LABEL[entry.action]}</strong>
              {entry.outcome === 'error' && entry.action !== 'failed' ? <span className="outcome-error-word"> (failed)</span> : null}
              {entry.detail ? <span className="timeline-detail"> — {entry.detail}</span> : null}
            </span>
            <span className="timeline-when">
              <Ago at={entry.at} what="Recorded" />
            </span>
          </li>
        ))}
      </ol>
      {history.nextBefore !== null ? (
        <button type="button" className="button ghost small" onClick={() => void loadOlderHistory()}>
          Show older
        </button>
      ) : null}
    </section>
  )
}
