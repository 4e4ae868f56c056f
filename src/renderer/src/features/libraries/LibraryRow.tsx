// One row of the list. Subscribes to its own library only, so a change to one library re-renders one row.
import { memo } from 'react'
import { actsOnLabel, plural } from '../../lib/personal.ts'
import { TOKEN_TYPE_LABEL } from '../../lib/status.ts'
import { useApp } from '../../store/provider.tsx'
import { StatusBadge } from '../common/StatusBadge.tsx'
import { Ago, TimeLeft } from '../common/TimeLabels.tsx'
import { HoldTag } from '../estate/HoldTag.tsx'
import { ROW_HEIGHT } from './list-geometry.ts'

export function rowDomId(id: string): string {
  return `library-row-${id}`
}

export interface LibraryRowProps {
  readonly id: string
  readonly index: number
  readonly selected: boolean
}

export const LibraryRow = memo(function LibraryRow({ id, index, selected }: LibraryRowProps): React.JSX.Element | null {
  const library = useApp((state) => state.byId[id])
  if (!library) return null
  const personal = library.personal ?? null
  const apicbase =
    personal?.role === 'connection' ? (
      <span className="row-acts-on">{actsOnLabel(personal)}</span>
    ) : library.apicbaseLibraryName !== null || library.apicbaseLibraryId !== null ? (
      <>
        {library.apicbaseLibraryName ?? 'Unnamed'}
        {/* One text node each: a keystroke in search rewrites every row's text, and each node is laid out again. */}
        {library.apicbaseLibraryId !== null ? <span className="muted">{` #${library.apicbaseLibraryId}`}</span> : null}
      </>
    ) : (
      <span className="muted">not identified</span>
    )
  const via =
    personal === null ? null : personal.role === 'library' ? (
      <span className="row-via">{` via ${personal.connectionName}`}</span>
    ) : (
      <span className="row-via">{` · personal token, ${plural(personal.libraryCount, 'library', 'libraries')}`}</span>
    )
  return (
    <div
      // Only the selected row needs an id (the grid's aria-activedescendant); on every row it was one more attribute
      // rewritten in each row at each keystroke in search.
      id={selected ? rowDomId(id) : undefined}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-id={id}
      className={`grid-row library-row status-${library.status}${selected ? ' selected' : ''}`}
      style={{ top: index * ROW_HEIGHT }}
    >
      <div role="gridcell" className="cell col-name" title={personal?.role === 'library' ? `${library.name} via ${personal.connectionName}` : library.name}>
        {library.name}
        {via}
      </div>
      <div role="gridcell" className="cell col-apicbase">
        {/* A customer's libraries and keys share this column's first words (keys show their customer here too). */}
        {library.customer !== undefined ? (
          <>
            <span className="row-customer">{library.customer}</span>
            <span className="muted">{' · '}</span>
          </>
        ) : null}
        {apicbase}
      </div>
      <div role="gridcell" className="cell col-type">
        {TOKEN_TYPE_LABEL[library.tokenType]}
        {personal?.role === 'library' && personal.isActive ? <span className="tag tag-active">active</span> : null}
      </div>
      <div role="gridcell" className="cell col-status">
        <StatusBadge status={library.status} />
        {personal?.drifted === true ? (
          <span className="tag tag-drift" title="The active library was changed outside Larder">
            <span aria-hidden="true">⇄ </span>drifted
          </span>
        ) : null}
        {/* Moved to another machine, or paused after a restore: Larder sends nothing for it here. */}
        {library.hold !== undefined ? <HoldTag hold={library.hold} /> : null}
      </div>
      {library.status === 'revoked' || library.status === 'moved' ? (
        <div role="gridcell" className="cell col-left">
          <span className="muted">—</span>
        </div>
      ) : (
        <TimeLeft cell="cell col-left" expiresAt={library.expiresAt} />
      )}
      <Ago cell="cell col-refreshed" at={library.lastRefreshedAt} what="Last refreshed" />
      <Ago cell="cell col-used" at={library.lastUsedAt} what="Last used" />
    </div>
  )
})
