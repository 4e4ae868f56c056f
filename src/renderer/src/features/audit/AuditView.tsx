// The audit log: what Larder did, to which library, and how it went. Filter by library, action and time;
// export what is shown as CSV (built by the core, which never puts a secret in the trail).
import { useEffect, useId, useMemo, useState } from 'react'
import type { AuditEntryView } from '../../../../shared/contract.ts'
import { formatExact, isoOrUndefined } from '../../lib/time.ts'
import { compareByName } from '../../lib/library-query.ts'
import { appStore, bridgeClient, useApp } from '../../store/app-store.ts'
import { AUDIT_ACTION_LABEL, AUDIT_ACTIONS, isAuditAction } from './audit-labels.ts'
import { csvFileName, EMPTY_AUDIT_FILTER, toAuditQuery, type AuditFilter } from './audit-query.ts'

const PAGE = 100

interface Page {
  readonly entries: readonly AuditEntryView[]
  readonly nextBefore: number | null
}

function offerDownload(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

function LibraryOptions(): React.JSX.Element {
  const byId = useApp((state) => state.byId)
  const libraries = useMemo(() => Object.values(byId).sort(compareByName), [byId])
  return (
    <>
      {libraries.map((library) => (
        <option key={library.id} value={library.id}>
          {library.name}
        </option>
      ))}
    </>
  )
}

export function AuditView(): React.JSX.Element {
  const uid = useId()
  const [filter, setFilter] = useState<AuditFilter>(EMPTY_AUDIT_FILTER)
  const [page, setPage] = useState<Page | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [exporting, setExporting] = useState(false)
  const query = useMemo(() => toAuditQuery(filter), [filter])
  // Libraries change as Larder works; the log follows (shortly after, once the entries are written).
  const byId = useApp((state) => state.byId)

  useEffect(() => {
    let cancelled = false
    const timer = setTimeout(() => {
      void bridgeClient.call('audit.page', { ...query, limit: PAGE }).then((result) => {
        if (cancelled) return
        if (result.ok) {
          setPage(result.value)
          setError(null)
        } else setError(result.error.message)
      })
    }, 300)
    return () => {
      cancelled = true
      clearTimeout(timer)
    }
  }, [query, byId])

  const older = async (): Promise<void> => {
    if (!page || page.nextBefore === null) return
    const result = await bridgeClient.call('audit.page', { ...query, limit: PAGE, before: page.nextBefore })
    if (result.ok) setPage({ entries: [...page.entries, ...result.value.entries], nextBefore: result.value.nextBefore })
    else setError(result.error.message)
  }

  const exportCsv = async (): Promise<void> => {
    setExporting(true)
    const result = await bridgeClient.call('audit.exportCsv', query)
    setExporting(false)
    if (!result.ok) {
      appStore.getState().pushToast('error', `Could not export the audit log. ${result.error.message}`)
      return
    }
    offerDownload(result.value.csv, csvFileName(new Date()))
    appStore.getState().pushToast('success', `Exported ${result.value.rows.toLocaleString()} audit ${result.value.rows === 1 ? 'entry' : 'entries'} as CSV.`)
  }

  const update = (patch: Partial<AuditFilter>): void => setFilter((previous) => ({ ...previous, ...patch }))
  const filtered = query.libraryId !== undefined || query.action !== undefined || query.since !== undefined || query.until !== undefined

  return (
    <section className="page audit" aria-labelledby="audit-title">
      <div className="page-header">
        <h2 id="audit-title">Audit log</h2>
        <button type="button" className="button" onClick={() => void exportCsv()} disabled={exporting}>
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      <div className="toolbar" role="search" aria-label="Filter the audit log">
        <span className="field-inline">
          <label htmlFor="f-library">Library</label>
          <select id="f-library" className="select" value={filter.libraryId} onChange={(event) => update({ libraryId: event.target.value })}>
            <option value="">All libraries</option>
            <LibraryOptions />
          </select>
        </span>
        <span className="field-inline">
          <label htmlFor="f-action">Action</label>
          <select id="f-action"
            className="select"
            value={filter.action}
            onChange={(event) => update({ action: isAuditAction(event.target.value) ? event.target.value : '' })}
          >
            <option value="">All actions</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {AUDIT_ACTION_LABEL[action]}
              </option>
            ))}
          </select>
        </span>
        <span className="field-inline">
          <label htmlFor={`${uid}-since`}>From</label>
          <input id={`${uid}-since`} className="input" type="datetime-local" value={filter.since} onChange={(event) => update({ since: event.target.value })} />
        </span>
        <span className="field-inline">
          <label htmlFor={`${uid}-until`}>To</label>
          <input id={`${uid}-until`} className="input" type="datetime-local" value={filter.until} onChange={(event) => update({ until: event.target.value })} />
        </span>
        {filtered ? (
          <button type="button" className="button ghost" onClick={() => setFilter(EMPTY_AUDIT_FILTER)}>
            Clear filters
          </button>
        ) : null}
      </div>
      {error !== null ? (
        <div className="notice notice-error" role="alert">
          {error}
        </div>
      ) : null}
      {page === null && error === null ? <p role="status">Loading…</p> : null}
      {page !== null && page.entries.length === 0 ? <p className="muted">No entries{filtered ? ' match these filters' : ' yet'}.</p> : null}
      {page !== null && page.entries.length > 0 ? (
        <div className="table-wrap">
          <table className="audit-table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Library</th>
                <th scope="col">Action</th>
                <th scope="col">Outcome</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {page.entries.map((entry) => (
                <tr key={entry.seq} className={`outcome-${entry.outcome}`}>
                  <td className="nowrap">
                    <time dateTime={isoOrUndefined(entry.at)}>{formatExact(entry.at)}</time>
                  </td>
                  <td>{entry.libraryName ?? <span className="muted">all libraries</span>}</td>
                  <td>{AUDIT_ACTION_LABEL[entry.action]}</td>
                  <td className="nowrap">
                    <span className={`outcome outcome-${entry.outcome}`}>
                      <span aria-hidden="true">{entry.outcome === 'ok' ? '✓ ' : '✕ '}</span>
                      {entry.outcome === 'ok' ? 'OK' : 'Failed'}
                    </span>
                  </td>
                  <td className="detail-cell">{entry.detail ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {page !== null && page.nextBefore !== null ? (
        <button type="button" className="button ghost" onClick={() => void older()}>
          Show older entries
        </button>
      ) : null}
    </section>
  )
}
