// The audit entries as a table: when, which library, what, how it went, and the detail Larder wrote. Where two
// libraries share a name, the library cell says which one it was.
import { useMemo } from 'react'
import type { AuditEntryView, LibraryListView } from '../../../../shared/contract.ts'
import { formatExact, isoOrUndefined } from '../../lib/time.ts'
import { AUDIT_ACTION_LABEL } from './audit-labels.ts'
import { sharedNames, whichLibrary } from './which-library.ts'

export interface AuditTableProps {
  readonly entries: readonly AuditEntryView[]
  /** The libraries in Larder now, for entries written before entries said which library they were. */
  readonly libraries: Readonly<Record<string, LibraryListView>>
}

export function AuditTable({ entries, libraries }: AuditTableProps): React.JSX.Element {
  const shared = useMemo(() => sharedNames(entries, libraries), [entries, libraries])
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
              <td>
                {entry.libraryName ?? <span className="muted">all libraries</span>}
                {entry.libraryName !== null && shared.has(entry.libraryName) ? <AuditWhich entry={entry} libraries={libraries} /> : null}
              </td>
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

function AuditWhich({ entry, libraries }: { readonly entry: AuditEntryView; readonly libraries: AuditTableProps['libraries'] }): React.JSX.Element | null {
  const which = whichLibrary(entry, libraries)
  return which === null ? null : <span className="audit-which">{which}</span>
}
