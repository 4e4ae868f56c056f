// Libraries keyed by id, fed by the list once (its first page, then the rest) and by bridge events after that.
import type { StateCreator } from 'zustand'
import type { LibraryListView } from '../../../shared/contract.ts'
import { listViewOf } from '../../../shared/library-list-view.ts'
import type { BridgeClient } from '../bridge/client.ts'
import { FIRST_PAGE_ROWS } from '../../../shared/list-paging.ts'
import { copiesToStandIn, STAND_IN_CLIPBOARD_NOTE } from '../lib/host-abilities.ts'
import { pageLocale } from '../lib/library-query.ts'
import { isDriftRefusal } from '../lib/personal.ts'
import { formatDuration, formatExact } from '../lib/time.ts'
import { noteLibraryChange } from './library-changes.ts'
import type { AppState, KeysAlongside, LibrariesSlice, ListingProgress } from './types.ts'

const FORMAT_NOUN = { token: 'Token', header: 'Authorization header', env: 'Environment variables', curl: 'curl command' } as const

/** The libraries with `changed` rows put in (added or replaced) and `removed` ids taken out; a new byId, never mutated. */
function withRows(state: Pick<AppState, 'byId' | 'ids'>, changed: readonly LibraryListView[], removed: readonly string[]) {
  // Copied key by key in list order: about twice as fast as a spread of 10,000 keys, and it is done per update.
  const byId: Record<string, LibraryListView> = {}
  for (const id of state.ids) {
    const library = state.byId[id]
    if (library !== undefined) byId[id] = library
  }
  let ids = state.ids
  const appended: string[] = []
  for (const library of changed) {
    if (!(library.id in byId)) appended.push(library.id)
    byId[library.id] = library
  }
  if (appended.length > 0) ids = [...ids, ...appended]
  const gone = new Set(removed.filter((id) => id in byId))
  for (const id of gone) delete byId[id]
  if (gone.size > 0) ids = ids.filter((id) => !gone.has(id))
  // What derives from the libraries follows these ids instead of going over all of them again.
  noteLibraryChange(state.byId, byId, [...changed.map((library) => library.id), ...gone])
  return { byId, ids, gone }
}

export function librariesSlice(client: BridgeClient): StateCreator<AppState, [], [], LibrariesSlice> {
  /** Bumped by every ask for the detail and every whole view applied: only the newest may set the detail. */
  let detailAsked = 0
  return (set, get) => {
    /**
     * A freshly read list (whole, or its first page) replaces what was shown; a selection it lacks is let go.
     * `alongside` gives the keys' list if it has arrived, to go in with the rows (one render for both).
     */
    const showList = (rows: readonly LibraryListView[], listing: ListingProgress | null, alongside?: KeysAlongside): void => {
      const byId: Record<string, LibraryListView> = {}
      for (const library of rows) byId[library.id] = library
      const keys = alongside?.() ?? null
      const { selectedId, detail } = get()
      const keysById = keys?.keysById ?? get().keysById
      set({
        ...keys,
        byId,
        ids: rows.map((library) => library.id),
        loadState: listing === null ? 'ready' : 'partial',
        listing,
        // Only once the whole list is in is a selection known to be gone.
        ...(listing === null && selectedId !== null && !(selectedId in byId) && !(selectedId in keysById) ? { selectedId: null } : {}),
        ...(listing === null && detail !== null && !(detail.id in byId) ? { detail: null } : {})
      })
    }
    return {
      byId: {},
      ids: [],
      loadState: 'idle',
      loadError: null,
      detail: null,
      listing: null,

      async loadLibraries(alongside) {
        set({ loadState: 'loading', loadError: null, listing: null })
        const result = await client.call('libraries.list', {})
        if (!result.ok) {
          set({ loadState: 'failed', loadError: result.error.message })
          return
        }
        showList(result.value, null, alongside)
      },

      async loadFirstPage(alongside) {
        set({ loadState: 'loading', loadError: null, listing: null })
        // The same input the bridge asked for before the page ran (early calls), so that answer is the one taken.
        const result = await client.call('libraries.listFirst', { count: FIRST_PAGE_ROWS, locale: pageLocale() })
        if (!result.ok) {
          // The whole list says why, or works where the first page did not.
          await get().loadLibraries(alongside)
          return null
        }
        const { version, total, counts, rows } = result.value
        const listing: ListingProgress | null = version !== '' && rows.length < total ? { version, next: rows.length, total, counts } : null
        showList(rows, listing, alongside)
        return listing
      },

      completeLibraries(rest, alongside) {
        const state = get()
        if (state.listing === null) return
        // The rest was read after the first page: a row shown now (first page, or a call's answer since) is as new.
        const byId = rest.byId
        for (const id of state.ids) {
          const library = state.byId[id]
          if (library !== undefined) byId[id] = library
        }
        // A fresh list for the selectors (as after a whole load): they sort and count it once, afresh.
        set({ ...alongside, byId, ids: [...state.ids, ...rest.ids.filter((id) => !(id in state.byId))], loadState: 'ready', listing: null })
      },

      async loadDetail(id) {
        const asked = ++detailAsked
        if (id === null) {
          if (get().detail !== null) set({ detail: null })
          return
        }
        // Asking again for the library shown keeps its view on screen until the answer (no flash of a loading state).
        if (get().detail?.id !== id) set({ detail: { id, view: null, error: null } })
        const result = await client.call('libraries.get', { id })
        const detail = get().detail
        if (asked !== detailAsked || detail?.id !== id) return
        set({ detail: result.ok ? { id, view: result.value, error: null } : { id, view: detail.view, error: result.error.message } })
      },

      applyLibraryChanges(changed, removed) {
        if (changed.length === 0 && removed.length === 0) return
        const state = get()
        const { byId, ids, gone } = withRows(state, changed, removed)
        const { detail } = state
        const detailGone = detail !== null && gone.has(detail.id)
        set({ byId, ids, ...(state.selectedId !== null && gone.has(state.selectedId) ? { selectedId: null } : {}), ...(detailGone ? { detail: null } : {}) })
        // The open library changed: its whole view is asked for again (events carry rows only).
        if (detail !== null && !detailGone && changed.some((library) => library.id === detail.id)) void get().loadDetail(detail.id)
      },

      applyLibraryViews(views) {
        if (views.length === 0) return
        const state = get()
        const { detail } = state
        const whole = detail === null ? undefined : views.findLast((view) => view.id === detail.id)
        // A call's answer is as new as any ask for the detail sent before it: those answers are dropped, none is needed.
        if (whole !== undefined) detailAsked++
        const { byId, ids } = withRows(state, views.map(listViewOf), [])
        set({ byId, ids, ...(whole !== undefined ? { detail: { id: whole.id, view: whole, error: null } } : {}) })
      },

      async addLibrary(input) {
        const result = await client.call('libraries.add', input)
        if (result.ok) get().applyLibraryViews([result.value])
        return result
      },

      async refreshLibrary(id) {
        const name = get().byId[id]?.name ?? 'the library'
        const result = await client.call('libraries.refresh', { id })
        if (result.ok) {
          get().applyLibraryViews([result.value])
          get().pushToast('success', `Refreshed ${result.value.name}. The new token is good until ${formatExact(result.value.expiresAt)}.`)
        } else {
          get().pushToast('error', `Could not refresh ${name}. ${result.error.message}`)
        }
        return result
      },

      async reauthorizeLibrary(id, pair) {
        const result = await client.call('libraries.reauthorize', { id, ...pair })
        if (result.ok) {
          get().applyLibraryViews([result.value])
          get().pushToast('success', `${result.value.name} has its new token. It is good until ${formatExact(result.value.expiresAt)}.`)
        }
        return result
      },

      async copyLibrary(id, format, options) {
        const name = get().byId[id]?.name ?? 'the library'
        const result = await client.call('libraries.copy', { id, format })
        if (result.ok && options?.announce !== false) {
          const clearMs = get().settings?.clipboardClearMs
          const clears = result.value.clearsAt === null ? '' : clearMs === undefined ? ' It clears itself shortly.' : ` Clears in ${formatDuration(clearMs)}.`
          const personal = result.value.personal?.switched === true ? ` ${result.value.personal.message}` : ''
          const where = copiesToStandIn(get().appInfo) ? ` ${STAND_IN_CLIPBOARD_NOTE}` : ''
          get().pushToast('success', `${FORMAT_NOUN[format]} for ${name} copied (${result.value.preview}).${clears}${where}${personal}`)
        } else if (!result.ok && isDriftRefusal(result.error)) {
          // The drift banner says it, with the way out; no second message.
          const connectionId = get().byId[id]?.personal?.connectionId ?? id
          get().noteDriftRefusal({ connectionId, libraryId: id, message: result.error.message })
        } else if (!result.ok) {
          get().pushToast('error', `Could not copy a token for ${name}. ${result.error.message}`)
        }
        return result
      },

      async revokeLibrary(id) {
        const result = await client.call('libraries.revoke', { id })
        if (result.ok) {
          get().applyLibraryViews([result.value])
          get().pushToast('success', `Revoked the token of ${result.value.name} at Apicbase.`)
        }
        return result
      },

      async updateLibrary(id, change) {
        const result = await client.call('libraries.update', { id, ...change })
        if (result.ok) get().applyLibraryViews([result.value])
        return result
      },

      async removeLibrary(id, confirmName) {
        const name = get().byId[id]?.name ?? confirmName
        const result = await client.call('libraries.remove', { id, confirmName })
        if (result.ok) {
          get().applyLibraryChanges([], [id])
          get().pushToast('success', `Removed ${name} from Larder.`)
        }
        return result
      }
    }
  }
}
