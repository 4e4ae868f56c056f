// The library's history from the audit trail: refreshes, copies, failures. Fetched when the library is
// selected and again shortly after it changes (the trail is written just after the change is announced).
import { useEffect, useRef, useState } from 'react'
import type { AuditEntryView } from '../../../../shared/contract.ts'
import { AUDIT_ACTION_LABEL } from '../audit/audit-labels.ts'
import { bridgeClient } from '../../store/app-store.ts'
import { Ago } from '../common/TimeLabels.tsx'

const PAGE = 25
const SETTLE_MS = 600

interface TimelineState {
  readonly entries: readonly AuditEntryView[]
  readonly nextBefore: number | null
  readonly error: string | null
  readonly loading: boolean
}

export function Timeline({ libraryId, version }: { readonly libraryId: string; readonly version: unknown }): React.JSX.Element {
  const [state, setState] = useState<TimelineState>({ entries: [], nextBefore: null, error: null, loading: true })
  const fetchLatest = useRef<() => void>(() => undefined)
  fetchLatest.current = () => {
    void bridgeClient.call('audit.page', { libraryId, limit: PAGE }).then((result) => {
      if (!mounted.current) return
      if (result.ok) setState({ entries: result.value.entries, nextBefore: result.value.nextBefore, error: null, loading: false })
      else setState((previous) => ({ ...previous, error: result.error.message, loading: false }))
    })
  }
  const mounted = useRef(true)
  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
    }
  }, [])
  // At once for a newly selected library (the component is keyed by library).
  useEffect(() => fetchLatest.current(), [])
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
      fetchLatest.current()
    }, SETTLE_MS)
  }, [version])
  useEffect(
    () => () => {
      if (pending.current !== null) clearTimeout(pending.current)
    },
    []
  )

  const older = async (): Promise<void> => {
    if (state.nextBefore === null) return
    const result = await bridgeClient.call('audit.page', { libraryId, limit: PAGE, before: state.nextBefore })
    if (result.ok) setState((previous) => ({ ...previous, entries: [...previous.entries, ...result.value.entries], nextBefore: result.value.nextBefore }))
  }

  return (
    <section className="timeline" aria-labelledby="timeline-title">
      <h3 id="timeline-title">History</h3>
      {state.error !== null ? <p className="error-text">{state.error}</p> : null}
      {state.loading && state.entries.length === 0 ? <p className="muted">Loading…</p> : null}
      {!state.loading && state.entries.length === 0 && state.error === null ? <p className="muted">Nothing recorded yet.</p> : null}
      <ol className="timeline-list">
        {state.entries.map((entry) => (
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
      {state.nextBefore !== null ? (
        <button type="button" className="button ghost small" onClick={() => void older()}>
          Show older
        </button>
      ) : null}
    </section>
  )
}
