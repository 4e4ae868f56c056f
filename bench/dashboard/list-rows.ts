// Which rows the dashboard shows for a search, worked out in Node with the renderer's own pure query code — the
// libraries' (library-query.ts) and, for a mixed list, the keys' and their merge into the libraries' order
// (key-query.ts, as the store's visible-rows selector puts them together) — so the bench knows beforehand which
// keystrokes change the rendered rows.
import { mergeRows, visibleKeys } from '../../src/renderer/src/lib/key-query.ts'
import { DEFAULT_FILTER, DEFAULT_SORT, queryTerms, visibleLibraryIds } from '../../src/renderer/src/lib/library-query.ts'
import type { KeyView, LibraryListView, LibraryView } from '../../src/shared/contract.ts'
import { listViewOf } from '../../src/shared/library-list-view.ts'
import { BS } from './settings.ts'

/** The list the page is handed: libraries as their list rows (what `libraries.list` answers) and keys. */
export interface ListedEntries {
  readonly rows: readonly LibraryListView[]
  readonly byId: Readonly<Record<string, LibraryListView>>
  readonly keys: readonly KeyView[]
}

export function listedEntries(libraries: readonly LibraryView[], keys: readonly KeyView[]): ListedEntries {
  const rows = libraries.map(listViewOf)
  const byId: Record<string, LibraryListView> = {}
  for (const row of rows) byId[row.id] = row
  return { rows, byId, keys }
}

/** The ids the list shows for `search` (no other filter, the default sort), libraries and keys merged. */
export function shownRows(entries: ListedEntries, search: string): readonly string[] {
  const filter = { ...DEFAULT_FILTER, search }
  const libraryIds = visibleLibraryIds(entries.rows, filter, DEFAULT_SORT)
  if (entries.keys.length === 0) return libraryIds
  const keys = visibleKeys(entries.keys, filter, 'all', null, queryTerms(search), DEFAULT_SORT)
  return mergeRows(libraryIds, entries.byId, keys, DEFAULT_SORT)
}

/** For each keystroke (BS deletes), whether the rows the grid renders at the top (or their number) change. */
export function expectedChanges(entries: ListedEntries, keystrokes: readonly string[], renderedAtTop: number): boolean[] {
  let search = ''
  let previous = shownRows(entries, search)
  return keystrokes.map((key) => {
    search = key === BS ? search.slice(0, -1) : search + key
    const next = shownRows(entries, search)
    const rendered = Math.min(renderedAtTop, next.length, previous.length)
    let changed = next.length !== previous.length
    for (let i = 0; !changed && i < rendered; i++) changed = next[i] !== previous[i]
    previous = next
    return changed
  })
}
