// The library list: a virtualised grid. Only the rows in view (plus a few) are in the page, so 5,000
// libraries scroll as smoothly as 5. One tab stop; arrows move the selection, which the detail pane shows.
import { memo, useCallback, useEffect, useEffectEvent, useMemo, useRef } from 'react'
import type { SortKey } from '../../lib/library-query.ts'
import { rowsPerPage, scrollToReveal } from '../../virtual/visible-range.ts'
import { useVirtualRows } from '../../virtual/useVirtualRows.ts'
import { selectCustomers } from '../../store/customers.ts'
import { selectVisibleRows } from '../../store/list-rows.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import { showShortcuts } from '../shortcuts/keyboard.ts'
import { Keys } from '../shortcuts/ShortcutsDialog.tsx'
import { LIST_HINT, shortcutAction, shortcutOf } from '../shortcuts/shortcuts.ts'
import { HEADER_HEIGHT, OVERSCAN, ROW_HEIGHT } from './list-geometry.ts'
import { LibraryRow, rowDomId } from './LibraryRow.tsx'
import { KeyRow } from '../keys/KeyRow.tsx'
import './library-grid.css'


interface Column {
  readonly label: string
  /** Its name once keys of other systems share the list. */
  readonly withKeys?: string
  /** Its name once libraries carry customer labels (keys there or not). */
  readonly withCustomers?: string
  readonly className: string
  /** Columns with a key sort the list when their header is pressed. */
  readonly sortKey?: SortKey
}

const COLUMNS: readonly Column[] = [
  { label: 'Library', withKeys: 'Name', className: 'col-name', sortKey: 'name' },
  { label: 'Apicbase library', withKeys: 'Customer / library', withCustomers: 'Customer / library', className: 'col-apicbase' },
  { label: 'Token type', withKeys: 'Type / system', className: 'col-type' },
  { label: 'Status', className: 'col-status', sortKey: 'urgency' },
  { label: 'Time left', className: 'col-left', sortKey: 'expiry' },
  { label: 'Last refreshed', withKeys: 'Refresh/check', className: 'col-refreshed' },
  { label: 'Last used', className: 'col-used' }
]

function SortButton({ sortKey, label }: { readonly sortKey: SortKey; readonly label: string }): React.JSX.Element {
  const { sortBy } = useActions()
  const arrow = useApp((state) => (state.sort.key === sortKey ? (state.sort.direction === 'asc' ? ' ▲' : ' ▼') : ''))
  return (
    <button type="button" className="sort-button" onClick={() => sortBy(sortKey)}>
      {label}
      <span aria-hidden="true" className="sort-arrow">
        {arrow}
      </span>
    </button>
  )
}

function ColumnHeader({ column }: { readonly column: Column }): React.JSX.Element {
  const { sortKey } = column
  // Once keys share the list (or libraries carry customer labels), the columns say what both hold.
  const label = useApp((state) =>
    state.keyIds.length > 0 ? (column.withKeys ?? column.label) : column.withCustomers !== undefined && selectCustomers(state).length > 0 ? column.withCustomers : column.label
  )
  const ariaSort = useApp((state) => (sortKey === undefined ? undefined : state.sort.key !== sortKey ? 'none' : state.sort.direction === 'asc' ? 'ascending' : 'descending'))
  return (
    <div role="columnheader" className={`cell ${column.className}`} aria-sort={ariaSort}>
      {sortKey === undefined ? label : <SortButton sortKey={sortKey} label={label} />}
    </div>
  )
}

/** The column headers: they follow the sort only, not the rows, so a keystroke in search does not render them. */
const GridHead = memo(function GridHead(): React.JSX.Element {
  return (
    <div role="rowgroup" className="grid-head">
      <div role="row" aria-rowindex={1} className="grid-row grid-header-row">
        {COLUMNS.map((column) => (
          <ColumnHeader key={column.className} column={column} />
        ))}
      </div>
    </div>
  )
})

/** The keys under the list (the grid's description): fixed text, rendered once. */
const KeysHint = memo(function KeysHint(): React.JSX.Element {
  return (
    <p id="grid-keys" className="keys-hint">
      {LIST_HINT.map(({ actions, words }) => (
        <span key={words}>
          {actions.map((action, index) => (
            <span key={action}>
              {index > 0 ? ' ' : null}
              <Keys shortcut={shortcutOf(action)} />
            </span>
          ))}{' '}
          {words} ·{' '}
        </span>
      ))}
      <button type="button" className="shortcuts-link" onClick={showShortcuts}>
        <kbd>?</kbd> <span>all shortcuts</span>
      </button>
    </p>
  )
})

export function focusDetail(): void {
  document.getElementById('detail-title')?.focus()
}

export function LibraryGrid(): React.JSX.Element {
  const ids = useApp(selectVisibleRows)
  const keysById = useApp((state) => state.keysById)
  const selectedId = useApp((state) => state.selectedId)
  // The first page of a long list is shown while the rest is read: the grid says it is still filling.
  const partial = useApp((state) => state.listing !== null)
  const sortKey = useApp((state) => state.sort.key)
  const grid = useRef<HTMLDivElement>(null)
  const store = useActions()
  const range = useVirtualRows(grid, { count: ids.length, rowHeight: ROW_HEIGHT, headerHeight: HEADER_HEIGHT, overscan: OVERSCAN })
  const selectedIndex = useMemo(() => (selectedId === null ? -1 : ids.indexOf(selectedId)), [ids, selectedId])

  const reveal = useCallback((index: number) => {
    const element = grid.current
    if (!element || index < 0) return
    const top = scrollToReveal(index, element.scrollTop, element.clientHeight - HEADER_HEIGHT, ROW_HEIGHT)
    if (top !== element.scrollTop) element.scrollTop = top
  }, [])

  // When the selection changes (a click, a key, a notification), bring it into view. Not when the list
  // merely re-sorts: a person scrolling elsewhere is not pulled back.
  const revealSelected = useEffectEvent(() => reveal(selectedIndex))
  useEffect(() => revealSelected(), [selectedId])

  const selectIndex = (index: number): void => {
    const id = ids[Math.max(0, Math.min(ids.length - 1, index))]
    if (id === undefined) return
    store.select(id)
  }

  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>): void => {
    if (event.target !== event.currentTarget) return
    const page = rowsPerPage((grid.current?.clientHeight ?? 400) - HEADER_HEIGHT, ROW_HEIGHT)
    // Which key does what is the shortcuts table's (the "?" overlay lists the same).
    const handled = ((): boolean => {
      switch (shortcutAction('list', event)) {
        case 'selectNext':
          selectIndex(selectedIndex < 0 ? 0 : selectedIndex + 1)
          return true
        case 'selectPrevious':
          selectIndex(selectedIndex < 0 ? 0 : selectedIndex - 1)
          return true
        case 'pageDown':
          selectIndex(Math.max(0, selectedIndex) + page)
          return true
        case 'pageUp':
          selectIndex(Math.max(0, selectedIndex) - page)
          return true
        case 'selectFirst':
          selectIndex(0)
          return true
        case 'selectLast':
          selectIndex(ids.length - 1)
          return true
        case 'openDetails':
          if (selectedId === null) selectIndex(0)
          else focusDetail()
          return true
        case 'closeDetails':
          if (selectedId === null) return false
          store.select(null)
          return true
        case 'copyToken':
          if (selectedId !== null) void (selectedId in keysById ? store.copyKey(selectedId, 'token') : store.copyLibrary(selectedId, 'token'))
          return selectedId !== null
        case 'refreshNow':
          // A key is never refreshed: the same key checks it with its system.
          if (selectedId !== null) void (selectedId in keysById ? store.checkKey(selectedId) : store.refreshLibrary(selectedId))
          return selectedId !== null
        default:
          return false
      }
    })()
    if (handled) event.preventDefault()
  }

  const onClick = (event: React.MouseEvent<HTMLDivElement>): void => {
    const row = (event.target as HTMLElement).closest<HTMLElement>('[data-id]')
    const id = row?.dataset['id']
    if (id === undefined) return
    store.select(id)
    grid.current?.focus({ preventScroll: true })
  }

  const indices: number[] = []
  for (let i = range.start; i < Math.min(range.end, ids.length); i++) indices.push(i)
  // The selected row stays in the page even when scrolled away, so the grid's active descendant exists.
  if (selectedIndex >= 0 && (selectedIndex < range.start || selectedIndex >= range.end)) indices.push(selectedIndex)

  return (
    <div className="list-pane">
      <div
        ref={grid}
        id="library-grid"
        role="grid"
        aria-label="Libraries"
        aria-rowcount={ids.length + 1}
        aria-busy={partial}
        aria-activedescendant={selectedIndex >= 0 && selectedId !== null ? rowDomId(selectedId) : undefined}
        aria-describedby="grid-keys"
        tabIndex={0}
        className={`grid sorted-${sortKey}`}
        onKeyDown={onKeyDown}
        onClick={onClick}
      >
        <GridHead />
        <div role="rowgroup" className="grid-body" style={{ height: ids.length * ROW_HEIGHT }}>
          {indices.map((index) => {
            const id = ids[index]
            // Keyed by position: a filtered list reuses the row elements instead of unmounting and mounting them.
            if (id === undefined) return null
            return id in keysById ? <KeyRow key={`k${index}`} id={id} index={index} selected={id === selectedId} /> : <LibraryRow key={index} id={id} index={index} selected={id === selectedId} />
          })}
        </div>
      </div>
      {ids.length === 0 ? <p className="grid-empty">No library matches. Clear the search or the filters to see them all.</p> : null}
      <KeysHint />
    </div>
  )
}
