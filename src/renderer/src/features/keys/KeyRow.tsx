// One key's row in the one list, in the libraries' columns: its name, its customer where a library names its Apicbase
// library, its system where a library says its token type, the same status badge ('Inactive' too) and time left.
// Subscribes to its own key only.
import { memo } from 'react'
import { SYSTEM_LABEL } from '../../../../shared/status-words.ts'
import { useApp } from '../../store/provider.tsx'
import { StatusBadge } from '../common/StatusBadge.tsx'
import { Ago, TimeLeft } from '../common/TimeLabels.tsx'
import { ROW_HEIGHT } from '../libraries/list-geometry.ts'
import { rowDomId } from '../libraries/LibraryRow.tsx'
import './keys.css'

export interface KeyRowProps {
  readonly id: string
  readonly index: number
  readonly selected: boolean
}

export const KeyRow = memo(function KeyRow({ id, index, selected }: KeyRowProps): React.JSX.Element | null {
  const key = useApp((state) => state.keysById[id])
  if (!key) return null
  const stopped = key.status === 'revoked' || key.status === 'inactive' || key.state !== 'active'
  return (
    <div
      id={selected ? rowDomId(id) : undefined}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-id={id}
      data-kind="key"
      className={`grid-row library-row key-row status-${key.status}${selected ? ' selected' : ''}`}
      style={{ top: index * ROW_HEIGHT }}
    >
      <div role="gridcell" className="cell col-name" title={key.name}>
        {key.name}
      </div>
      <div role="gridcell" className="cell col-apicbase">
        {key.customer !== null && key.customer !== '' ? key.customer : <span className="muted">no customer</span>}
      </div>
      <div role="gridcell" className="cell col-type">
        <span className={`system-tag system-${key.system}`}>{SYSTEM_LABEL[key.system]}</span>
      </div>
      <div role="gridcell" className="cell col-status">
        <StatusBadge status={key.status} />
      </div>
      {stopped ? (
        <div role="gridcell" className="cell col-left">
          <span className="muted">—</span>
        </div>
      ) : key.expiresAt === null ? (
        <div role="gridcell" className="cell col-left">
          <span className="muted">no expiry</span>
        </div>
      ) : (
        <TimeLeft cell="cell col-left" expiresAt={key.expiresAt} />
      )}
      {/* Keys are kept as given, never refreshed: the column holds their last check instead. */}
      <Ago cell="cell col-refreshed" at={key.lastCheck?.at ?? null} what="Last checked" />
      <Ago cell="cell col-used" at={key.lastUsedAt} what="Last used" />
    </div>
  )
})
