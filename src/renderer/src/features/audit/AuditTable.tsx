// The audit entries as a table: when, which library, what, how it went, and the detail Larder wrote. Where two
// libraries share a name, the library cell says which one it was. In a team, who did it, and "unverified" on an entry
// whose signature does not check (the database changed it, or made it up).
import { useMemo } from 'react'
import type { AuditEntryView, LibraryListView, TeamView } from '../../../../shared/contract.ts'
import { formatExact, isoOrUndefined } from '../../lib/time.ts'
import { AUDIT_ACTION_LABEL } from './audit-labels.ts'
import { memberLabel } from './audit-members.ts'
import { sharedNames, whichLibrary } from './which-library.ts'

export interface AuditTableProps {
  readonly entries: readonly AuditEntryView[]
  /** The libraries in Larder now, for entries written before entries said which library they were. */
  readonly libraries: Readonly<Record<string, LibraryListView>>
  /** This machine's team when it is in one: the table then says who wrote each entry. */
  readonly team?: TeamView | null
}

const UNVERIFIED_TITLE = 'Its signature does not check against the team’s member list: the team database changed or made up this entry.'

export function AuditTable({ entries, libraries, team = null }: AuditTableProps): React.JSX.Element {
  const shared = useMemo(() => sharedNames(entries, libraries), [entries, libraries])
  return (
    <div className="table-wrap">
      <table className={team === null ? 'audit-table' : 'audit-table audit-table-team'}>
        <thead>
          <tr>
            <th scope="col">Time</th>
            {team === null ? null : <th scope="col">Member</th>}
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
              {team === null ? null : (
                <td className="member-cell">
                  {memberLabel(entry, team)}
                  {entry.member?.verified === false ? (
                    <span className="tag tag-unverified" title={UNVERIFIED_TITLE}>
                      unverified
                    </span>
                  ) : null}
                </td>
              )}
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
