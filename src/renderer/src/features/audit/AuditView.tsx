// The audit log: what Larder did, to which library, and how it went. Filter by library, action and time (and, in a
// team, by member); export what is shown as CSV (built by the core, which never puts a secret in the trail).
import { useEffect, useId, useMemo, useState } from 'react'
import { csvFileName, toAuditQuery } from '../../lib/audit-query.ts'
import { compareByName } from '../../lib/library-query.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import { InlineSelect, type SelectOption } from '../common/InlineSelect.tsx'
import { AUDIT_ACTION_LABEL, AUDIT_ACTIONS, isAuditAction } from './audit-labels.ts'
import { memberOptions } from './audit-members.ts'
import { AuditTable } from './AuditTable.tsx'
import './audit.css'

const ACTION_OPTIONS: readonly SelectOption[] = [{ value: '', label: 'All actions' }, ...AUDIT_ACTIONS.map((action) => ({ value: action, label: AUDIT_ACTION_LABEL[action] }))]

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

function TimeBound({ id, label, value, onChange }: { readonly id: string; readonly label: string; readonly value: string; onChange(value: string): void }): React.JSX.Element {
  return (
    <span className="field-inline">
      <label htmlFor={id}>{label}</label>
      <input id={id} className="input" type="datetime-local" value={value} onChange={(event) => onChange(event.target.value)} />
    </span>
  )
}

export function AuditView(): React.JSX.Element {
  const uid = useId()
  const filter = useApp((state) => state.auditFilter)
  const page = useApp((state) => state.auditLog)
  const error = useApp((state) => state.auditError)
  // Libraries change as Larder works; the log follows (shortly after, once the entries are written).
  const byId = useApp((state) => state.byId)
  const team = useApp((state) => state.team)
  const inTeam = team?.membership === 'member'
  const { setAuditFilter, clearAuditFilter, loadAuditLog, loadOlderAuditLog, exportAuditCsv, loadTeam } = useActions()
  const [exporting, setExporting] = useState(false)
  const libraryOptions = useMemo<SelectOption[]>(
    () => [{ value: '', label: 'All libraries' }, ...Object.values(byId).sort(compareByName).map((library) => ({ value: library.id, label: library.name }))],
    [byId]
  )

  useEffect(() => {
    const timer = setTimeout(() => void loadAuditLog(), 300)
    return () => clearTimeout(timer)
  }, [filter, byId, inTeam, loadAuditLog])

  // Whether this vault is in a team decides the member column and filter; asked once if nobody asked yet.
  const teamKnown = team !== null
  useEffect(() => {
    if (!teamKnown) void loadTeam()
  }, [teamKnown, loadTeam])
  const members = useMemo(() => memberOptions(team, page?.entries ?? [], filter.memberId ?? ''), [team, page, filter.memberId])

  const exportCsv = async (): Promise<void> => {
    setExporting(true)
    const result = await exportAuditCsv()
    setExporting(false)
    if (result.ok) offerDownload(result.value.csv, csvFileName(new Date()))
  }

  const query = toAuditQuery(filter, inTeam)
  const filtered = query.libraryId !== undefined || query.action !== undefined || query.since !== undefined || query.until !== undefined || query.memberId !== undefined

  return (
    <section className="page audit" aria-labelledby="audit-title">
      <div className="page-header">
        <h2 id="audit-title">Audit log</h2>
        <button type="button" className="button" onClick={() => void exportCsv()} disabled={exporting}>
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      <div className="toolbar" role="search" aria-label="Filter the audit log">
        <InlineSelect id="f-library" label="Library" value={filter.libraryId} options={libraryOptions} onChange={(libraryId) => setAuditFilter({ libraryId })} />
        <InlineSelect
          id="f-action"
          label="Action"
          value={filter.action}
          options={ACTION_OPTIONS}
          onChange={(action) => setAuditFilter({ action: isAuditAction(action) ? action : '' })}
        />
        {inTeam ? <InlineSelect id="f-member" label="Member" value={filter.memberId ?? ''} options={members} onChange={(memberId) => setAuditFilter({ memberId })} /> : null}
        <TimeBound id={`${uid}-since`} label="From" value={filter.since} onChange={(since) => setAuditFilter({ since })} />
        <TimeBound id={`${uid}-until`} label="To" value={filter.until} onChange={(until) => setAuditFilter({ until })} />
        {filtered ? (
          <button type="button" className="button ghost" onClick={clearAuditFilter}>
            Clear filters
          </button>
        ) : null}
      </div>
      {error !== null ? (
        <div className="notice notice-error" role="alert">
          {error}
        </div>
      ) : null}
      {inTeam && page?.teamTrail === 'offline' ? (
        <div className="notice notice-warning" role="status">
          This machine is offline from the team database: team entries are not available offline. Shown here are this machine’s own entries; the others’ appear once it is back online.
        </div>
      ) : null}
      {page === null && error === null ? <p role="status">Loading…</p> : null}
      {page !== null && page.entries.length === 0 ? <p className="muted">No entries{filtered ? ' match these filters' : ' yet'}.</p> : null}
      {page !== null && page.entries.length > 0 ? <AuditTable entries={page.entries} libraries={byId} team={inTeam ? team : null} /> : null}
      {page !== null && page.nextBefore !== null ? (
        <button type="button" className="button ghost" onClick={() => void loadOlderAuditLog()}>
          Show older entries
        </button>
      ) : null}
    </section>
  )
}
