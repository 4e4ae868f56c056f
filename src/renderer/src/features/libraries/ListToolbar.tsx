// Search (filters as you type), status and token type filters, sort, and how many rows match.
import { useEffect, useRef } from 'react'
import type { StatusFilter, SortKey, TokenTypeFilter } from '../../lib/library-query.ts'
import { isFiltered } from '../../lib/library-query.ts'
import { isStatus, isTokenType, STATUS_LABEL, STATUSES_BY_URGENCY, TOKEN_TYPE_LABEL, TOKEN_TYPES } from '../../lib/status.ts'
import { selectLibraryCount, selectVisibleIds } from '../../store/selectors.ts'
import { appStore, useApp } from '../../store/app-store.ts'

function toStatusFilter(value: string): StatusFilter {
  return value === 'all' || value === 'attention' || isStatus(value) ? value : 'all'
}
function toTokenTypeFilter(value: string): TokenTypeFilter {
  return value === 'all' || isTokenType(value) ? value : 'all'
}
function toSortKey(value: string): SortKey {
  return value === 'name' || value === 'expiry' ? value : 'urgency'
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

export function ListToolbar(): React.JSX.Element {
  const filter = useApp((state) => state.filter)
  const sortKey = useApp((state) => state.sort.key)
  const shown = useApp(selectVisibleIds).length
  const total = useApp(selectLibraryCount)
  const search = useRef<HTMLInputElement>(null)

  // "/" jumps to the search box from anywhere outside a field, as in most developer tools.
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return
      if (document.querySelector('dialog[open]')) return
      event.preventDefault()
      search.current?.focus()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [])

  const store = appStore.getState()
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
          if (event.key === 'Escape' && filter.search !== '') {
            event.preventDefault()
            store.setSearch('')
          } else if (event.key === 'ArrowDown') {
            event.preventDefault()
            document.getElementById('library-grid')?.focus()
          }
        }}
      />
      <span className="field-inline">
        <label htmlFor="f-status">Status</label>
        <select id="f-status" className="select" value={filter.status} onChange={(event) => store.setStatusFilter(toStatusFilter(event.target.value))}>
          <option value="all">All statuses</option>
          <option value="attention">Needs attention</option>
          {STATUSES_BY_URGENCY.map((status) => (
            <option key={status} value={status}>
              {STATUS_LABEL[status]}
            </option>
          ))}
        </select>
      </span>
      <span className="field-inline">
        <label htmlFor="f-token-type">Token type</label>
        <select id="f-token-type" className="select" value={filter.tokenType} onChange={(event) => store.setTokenTypeFilter(toTokenTypeFilter(event.target.value))}>
          <option value="all">All types</option>
          {TOKEN_TYPES.map((type) => (
            <option key={type} value={type}>
              {TOKEN_TYPE_LABEL[type]}
            </option>
          ))}
        </select>
      </span>
      <span className="field-inline">
        <label htmlFor="f-sort-by">Sort by</label>
        <select id="f-sort-by" className="select" value={sortKey} onChange={(event) => store.sortBy(toSortKey(event.target.value), 'asc')}>
          <option value="urgency">Urgency</option>
          <option value="name">Name</option>
          <option value="expiry">Expiry</option>
        </select>
      </span>
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
