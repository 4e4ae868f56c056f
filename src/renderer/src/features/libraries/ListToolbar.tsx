// Search (filters as you type), status and token type filters, sort, and how many rows match.
import { memo, useEffect, useMemo, useRef } from 'react'
import type { StatusFilter, SortKey, TokenTypeFilter } from '../../lib/library-query.ts'
import { isStatus, isTokenType, STATUS_LABEL, STATUSES_BY_URGENCY, TOKEN_TYPE_LABEL, TOKEN_TYPES } from '../../lib/status.ts'
import { selectLoadedCount } from '../../store/selectors.ts'
import { selectEntryCount, selectListFiltered, selectVisibleRows } from '../../store/list-rows.ts'
import { KeyFilters } from '../keys/KeyFilters.tsx'
import { useActions, useApp, useStateReader } from '../../store/provider.tsx'
import type { AppActions } from '../../store/types.ts'
import { InlineSelect, type SelectOption } from '../common/InlineSelect.tsx'
import { dialogOpen, isTyping } from '../shortcuts/keyboard.ts'
import { shortcutAction } from '../shortcuts/shortcuts.ts'

const STATUS_OPTIONS: readonly SelectOption[] = [
  { value: 'all', label: 'All statuses' },
  { value: 'attention', label: 'Needs attention' },
  ...STATUSES_BY_URGENCY.map((status) => ({ value: status, label: STATUS_LABEL[status] }))
]
/** Once keys share the list: their 'Inactive' too, beside 'Expired'. */
const STATUS_OPTIONS_WITH_KEYS: readonly SelectOption[] = STATUS_OPTIONS.flatMap((option) => (option.value === 'expired' ? [option, { value: 'inactive', label: STATUS_LABEL.inactive }] : [option]))
const TOKEN_TYPE_OPTIONS: readonly SelectOption[] = [{ value: 'all', label: 'All types' }, ...TOKEN_TYPES.map((type) => ({ value: type, label: TOKEN_TYPE_LABEL[type] }))]
const SORT_OPTIONS: readonly SelectOption[] = [
  { value: 'urgency', label: 'Urgency' },
  { value: 'name', label: 'Name' },
  { value: 'expiry', label: 'Expiry' }
]

function toStatusFilter(value: string): StatusFilter {
  return value === 'all' || value === 'attention' || value === 'inactive' || isStatus(value) ? value : 'all'
}
function toTokenTypeFilter(value: string): TokenTypeFilter {
  return value === 'all' || isTokenType(value) ? value : 'all'
}
function toSortKey(value: string): SortKey {
  return value === 'name' || value === 'expiry' ? value : 'urgency'
}

/** One formatter for every count ("10,000"): `toLocaleString()` builds a new one on each call. */
const COUNT_FORMAT = new Intl.NumberFormat()

/**
 * "5,000 libraries" or "12 of 5,000 libraries"; while the rest of the list is on its way, how much of it the list and
 * its search cover. The only part of the toolbar that follows the list.
 */
function ResultCount(): React.JSX.Element {
  const shown = useApp((state) => selectVisibleRows(state).length)
  const total = useApp(selectEntryCount)
  const loaded = useApp(selectLoadedCount)
  const filtered = useApp(selectListFiltered)
  const withKeys = useApp((state) => state.keyIds.length > 0)
  const count = (n: number): string => COUNT_FORMAT.format(n)
  const noun = withKeys ? 'libraries and keys' : 'libraries'
  const words =
    loaded !== null
      ? filtered
        ? `${count(shown)} ${shown === 1 ? 'match' : 'matches'} in the first ${count(loaded)} of ${count(total)} libraries (loading the rest…)`
        : `${count(loaded)} of ${count(total)} libraries (loading the rest…)`
      : shown === total
        ? `${count(total)} ${withKeys ? noun : total === 1 ? 'library' : 'libraries'}`
        : `${count(shown)} of ${count(total)} ${noun}`
  return (
    <p className="result-count" role="status" aria-live="polite">
      {words}
    </p>
  )
}

// The drop-downs do not change while the person types: memoised, with handlers that never change.
const Select = memo(InlineSelect)
const onStatus = (store: AppActions) => (value: string) => store.setStatusFilter(toStatusFilter(value))
const onTokenType = (store: AppActions) => (value: string) => store.setTokenTypeFilter(toTokenTypeFilter(value))
const onSort = (store: AppActions) => (value: string) => store.sortBy(toSortKey(value), 'asc')

export function ListToolbar(): React.JSX.Element {
  const filter = useApp((state) => state.filter)
  const filtered = useApp(selectListFiltered)
  const withKeys = useApp((state) => state.keyIds.length > 0)
  const sortKey = useApp((state) => state.sort.key)
  const search = useRef<HTMLInputElement>(null)
  const store = useActions()
  const readState = useStateReader()
  const handlers = useMemo(() => ({ status: onStatus(store), tokenType: onTokenType(store), sort: onSort(store) }), [store])

  // "/" jumps to the search box from anywhere outside a field, as in most developer tools.
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (shortcutAction('anywhere', event) !== 'focusSearch' || isTyping(event.target) || dialogOpen()) return
      event.preventDefault()
      search.current?.focus()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [])

  return (
    <div className="toolbar" role="search" aria-label="Find libraries">
      <label className="visually-hidden" htmlFor="library-search">
        Search libraries
      </label>
      <input
        ref={search}
        id="library-search"
        className="input search"
        type="search"
        placeholder="Search libraries  ( / )"
        autoComplete="off"
        spellCheck={false}
        value={filter.search}
        onChange={(event) => store.setSearch(event.target.value)}
        onKeyDown={(event) => {
          const action = shortcutAction('search', event)
          if (action === 'clearSearch' && filter.search !== '') {
            event.preventDefault()
            store.setSearch('')
          } else if (action === 'searchToResults') {
            // Into the results: the selection if it is one of them, else the first match. Read now, not
            // subscribed to: the search box need not re-render when the list or the selection changes.
            const state = readState()
            const visibleIds = selectVisibleRows(state)
            const first = visibleIds[0]
            if (first === undefined) return
            event.preventDefault()
            if (state.selectedId === null || !visibleIds.includes(state.selectedId)) store.select(first)
            document.getElementById('library-grid')?.focus()
          }
        }}
      />
      <Select id="f-status" label="Status" value={filter.status} options={withKeys ? STATUS_OPTIONS_WITH_KEYS : STATUS_OPTIONS} onChange={handlers.status} />
      <Select id="f-token-type" label="Token type" value={filter.tokenType} options={TOKEN_TYPE_OPTIONS} onChange={handlers.tokenType} />
      <KeyFilters />
      <Select id="f-sort-by" label="Sort by" value={sortKey} options={SORT_OPTIONS} onChange={handlers.sort} />
      {filtered ? (
        <button type="button" className="button ghost" onClick={() => store.clearFilters()}>
          Clear filters
        </button>
      ) : null}
      <ResultCount />
    </div>
  )
}
