// The audit entries as a table: when, which library, what, how it went, and the detail Larder wrote.
import type { AuditEntryView } from '../../../../shared/contract.ts'
import { formatExact, isoOrUndefined } from '../../lib/time.ts'
import { AUDIT_ACTION_LABEL } from './audit-labels.ts'

export function AuditTable({ entries }: { readonly entries: readonly AuditEntryView[] }): React.JSX.Element {
  return (
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
          {entries.map((entry) => (
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
  )
}
