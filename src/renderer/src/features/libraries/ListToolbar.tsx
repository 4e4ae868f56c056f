// Search (filters as you type), status and token type filters, sort, and how many rows match.
import { useEffect, useRef } from 'react'
import type { StatusFilter, SortKey, TokenTypeFilter } from '../../lib/library-query.ts'
import { isFiltered } from '../../lib/library-query.ts'
import { isStatus, isTokenType, STATUS_LABEL, STATUSES_BY_URGENCY, TOKEN_TYPE_LABEL, TOKEN_TYPES } from '../../lib/status.ts'
import { selectLibraryCount, selectVisibleIds } from '../../store/selectors.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import { InlineSelect, type SelectOption } from '../common/InlineSelect.tsx'
import { dialogOpen, isTyping } from '../shortcuts/keyboard.ts'
import { shortcutAction } from '../shortcuts/shortcuts.ts'

const STATUS_OPTIONS: readonly SelectOption[] = [
  { value: 'all', label: 'All statuses' },
  { value: 'attention', label: 'Needs attention' },
  ...STATUSES_BY_URGENCY.map((status) => ({ value: status, label: STATUS_LABEL[status] }))
]
const TOKEN_TYPE_OPTIONS: readonly SelectOption[] = [{ value: 'all', label: 'All types' }, ...TOKEN_TYPES.map((type) => ({ value: type, label: TOKEN_TYPE_LABEL[type] }))]
const SORT_OPTIONS: readonly SelectOption[] = [
  { value: 'urgency', label: 'Urgency' },
  { value: 'name', label: 'Name' },
  { value: 'expiry', label: 'Expiry' }
]

function toStatusFilter(value: string): StatusFilter {
  return value === 'all' || value === 'attention' || isStatus(value) ? value : 'all'
}
function toTokenTypeFilter(value: string): TokenTypeFilter {
  return value === 'all' || isTokenType(value) ? value : 'all'
}
function toSortKey(value: string): SortKey {
  return value === 'name' || value === 'expiry' ? value : 'urgency'
}

export function ListToolbar(): React.JSX.Element {
  const filter = useApp((state) => state.filter)
  const sortKey = useApp((state) => state.sort.key)
  const visibleIds = useApp(selectVisibleIds)
  const shown = visibleIds.length
  const selectedId = useApp((state) => state.selectedId)
  const total = useApp(selectLibraryCount)
  const search = useRef<HTMLInputElement>(null)
  const store = useActions()

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
          } else if (action === 'searchToResults' && visibleIds.length > 0) {
            // Into the results: the selection if it is one of them, else the first match.
            event.preventDefault()
            const first = visibleIds[0]
            if (first !== undefined && (selectedId === null || !visibleIds.includes(selectedId))) store.select(first)
            document.getElementById('library-grid')?.focus()
          }
        }}
      />
      <InlineSelect id="f-status" label="Status" value={filter.status} options={STATUS_OPTIONS} onChange={(value) => store.setStatusFilter(toStatusFilter(value))} />
      <InlineSelect id="f-token-type" label="Token type" value={filter.tokenType} options={TOKEN_TYPE_OPTIONS} onChange={(value) => store.setTokenTypeFilter(toTokenTypeFilter(value))} />
      <InlineSelect id="f-sort-by" label="Sort by" value={sortKey} options={SORT_OPTIONS} onChange={(value) => store.sortBy(toSortKey(value), 'asc')} />
      {isFiltered(filter) ? (
        <button type="button" className="button ghost" onClick={() => store.clearFilters()}>
          Clear filters
        </button>
      ) : null}
      <p className="result-count" role="status" aria-live="polite">
        {shown === total ? `${total.toLocaleString()} ${total === 1 ? 'library' : 'libraries'}` : `${shown.toLocaleString()} of ${total.toLocaleString()} libraries`}
      </p>
    </div>
  )
}
