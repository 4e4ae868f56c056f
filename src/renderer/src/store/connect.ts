// Feeds the store from the bridge: where the vault stands, then (once it is open) one initial load, then
// events only (no polling). The initial load shows the first page of the list at once and reads the rest after that
// page is painted; events wait until the whole list is in, then go on top of it. Library events arrive one by one (a refresh wave sends two per library), so they are
// gathered and applied together: a lone change in the next frame, and while changes keep coming, no more often than
// keeps applying them under a quarter of the page's time. An update costs what the whole list costs (with 10,000
// libraries tens of milliseconds: sorting, counting, rendering), so its cost, measured, sets the pause before the
// next one; frames, scrolling and typing get the rest. Every change is applied: only the latest view of each
// library waits, and nothing is dropped but what the list itself superseded.
import type { KeyView, LibraryListView, VaultState } from '../../../shared/contract.ts'
import { MORE_ROWS } from '../../../shared/list-paging.ts'
import type { BridgeClient } from '../bridge/client.ts'
import { pageLocale, searchText } from '../lib/library-query.ts'
import type { AppStore } from './create-store.ts'
import { selectLibraryList } from './selectors.ts'
import { keyListPart } from './keys-slice.ts'
import type { KeyListPart, ListingProgress, RestOfList } from './types.ts'

export interface Scheduler {
  schedule(callback: () => void, delayMs: number): void
}

/** About one frame. */
export const FRAME_MS = 16
/** While changes keep coming, applying them takes at most this share of the page's time. */
export const MAX_UPDATE_SHARE = 0.25
/** However costly the last update was, the next one waits no longer than this. */
export const MAX_PAUSE_MS = 1_000

/** Plain setTimeout, so it also runs in a hidden window and in Node tests. */
export const frameScheduler: Scheduler = { schedule: (callback, delayMs) => void setTimeout(callback, delayMs) }

export interface ConnectOptions {
  /** Milliseconds, for measuring updates (default performance.now). */
  readonly now?: () => number
  /**
   * Runs a callback once an update's effects are done (default: a microtask, which runs after React's render of
   * the update: React queues that render as a microtask while the store notifies it).
   */
  readonly afterUpdate?: (callback: () => void) => void
  /** Builds the search index once the list is in (default warmSearch, in idle time). */
  readonly warm?: (libraries: readonly LibraryListView[]) => void
  /** Runs a callback once the first page is on screen, before the rest is read (default afterFirstPaint). */
  readonly afterPaint?: (callback: () => void) => void
}

/** How long the rest of the list waits for a frame that may never come (a hidden window gets none). */
const PAINT_WAIT_MS = 100

/** After the next frame (the first page's paint) or, in a window that draws none, after a short wait. */
export function afterFirstPaint(callback: () => void): void {
  let called = false
  const once = (): void => {
    if (called) return
    called = true
    setTimeout(callback, 0)
  }
  const frame = (globalThis as { requestAnimationFrame?: (callback: () => void) => unknown }).requestAnimationFrame
  frame?.(once)
  setTimeout(once, PAINT_WAIT_MS)
}

export interface Connected {
  /** Applies any gathered events now (tests; before reading the store). */
  flush(): void
  /** Resolves once the first look at the vault (and, if open, the first load) is done. */
  readonly ready: Promise<void>
  dispose(): void
}

export function connectStore(store: AppStore, client: BridgeClient, scheduler: Scheduler = frameScheduler, options: ConnectOptions = {}): Connected {
  const now = options.now ?? (() => performance.now())
  const afterUpdate = options.afterUpdate ?? queueMicrotask
  const warm = options.warm ?? ((libraries: readonly LibraryListView[]) => warmSearch(libraries))
  const afterPaint = options.afterPaint ?? afterFirstPaint
  const pending = new Map<string, LibraryListView | null>()
  let scheduled = false
  let loaded = false
  let loading: Promise<void> | null = null
  let disposed = false
  /**
   * Counts the times the vault left 'open' (the app lock, or its key forgotten): a load begun before cannot write into
   * the store after, and the next open loads afresh.
   */
  let closings = 0
  /** No update before this (the last one's cost, spread out); a lone change after a quiet spell waits a frame. */
  let nextAt = Number.NEGATIVE_INFINITY

  const schedule = (): void => {
    if (scheduled || !loaded || disposed || pending.size === 0) return
    scheduled = true
    scheduler.schedule(flush, Math.max(FRAME_MS, nextAt - now()))
  }
  const flush = (): void => {
    scheduled = false
    if (disposed || !loaded || pending.size === 0) return
    const changed: LibraryListView[] = []
    const removed: string[] = []
    for (const [id, library] of pending) {
      if (library === null) removed.push(id)
      else changed.push(library)
    }
    pending.clear()
    const started = now()
    store.getState().applyLibraryChanges(changed, removed)
    afterUpdate(() => {
      const cost = now() - started
      nextAt = now() + Math.min(MAX_PAUSE_MS, cost * (1 / MAX_UPDATE_SHARE - 1))
      // What came in while this one was applied waits out the pause.
      schedule()
    })
  }
  const queue = (id: string, library: LibraryListView | null): void => {
    // A later event for the same library replaces an earlier one; order between libraries does not matter.
    pending.delete(id)
    pending.set(id, library)
    schedule()
  }

  /**
   * The rest of a partial list, a chunk at a time (the next one asked for while this one is staged), joining the store
   * in one update. Events keep waiting meanwhile: the rest is read from an order fixed with the first page, and each
   * library changed since has an event on its way, so the events go on top once it is all in. A chunk refused (the
   * order expired, the vault reopened) gives way to the whole list, which is newer than every event so far.
   */
  const readRest = async ({ version, next }: ListingProgress, opening: number): Promise<(RestOfList & { ids: string[] }) | null> => {
    await new Promise<void>((resolve) => afterPaint(resolve))
    if (disposed || opening !== closings) return null
    const rest: RestOfList & { ids: string[] } = { byId: {}, ids: [] }
    let from = next
    let asked = client.call('libraries.listMore', { version, from, count: MORE_ROWS })
    for (;;) {
      const result = await asked
      if (disposed || opening !== closings) return null
      if (!result.ok) {
        await store.getState().loadLibraries()
        pending.clear()
        return null
      }
      from += MORE_ROWS
      if (!result.value.done) asked = client.call('libraries.listMore', { version, from, count: MORE_ROWS })
      for (const library of result.value.rows) {
        rest.byId[library.id] = library
        rest.ids.push(library.id)
      }
      if (result.value.done) break
    }
    return rest
  }

  /**
   * The keys' answer, from its arrival until it goes in with the list's last rows. Key events arriving meanwhile are
   * newer than it (the bridge is ordered), so they change it here; ones from before it arrived are replaced by it.
   */
  let heldKeys: { readonly byId: Map<string, KeyView> } | { readonly error: string } | null = null
  const askKeys = async (opening: number): Promise<void> => {
    // In the page's collation, as the first page is asked: the answer comes in the list's default order.
    const result = await client.call('keys.list', { locale: pageLocale() })
    if (disposed || opening !== closings) return
    heldKeys = result.ok ? { byId: new Map(result.value.keys.map((key) => [key.id, key])) } : { error: result.error.message }
  }
  /** The held answer as the store takes it (a refusal said as the keys' error); null if none came. */
  const heldKeyList = (): KeyListPart | null => {
    const held = heldKeys
    heldKeys = null
    if (held === null) return null
    if ('error' in held) {
      const { keysById, keyIds } = store.getState()
      return { keysById, keyIds, keysError: held.error }
    }
    return keyListPart([...held.byId.values()])
  }
  const heldKeyChanged = (view: KeyView): boolean => {
    if (heldKeys === null || 'error' in heldKeys) return false
    heldKeys.byId.set(view.id, view)
    return true
  }
  const heldKeyRemoved = (id: string): boolean => {
    if (heldKeys === null || 'error' in heldKeys) return false
    heldKeys.byId.delete(id)
    return true
  }

  /** The first time the vault is open: settings and the list; after it, what comes next. */
  const whenOpen = (): Promise<void> => {
    loading ??= (async () => {
      const opening = closings
      const state = store.getState()
      // Open again after a lock: what was said while locked (a refused call's message) goes too.
      if (opening > 0) state.dropHeldData()
      void state.loadSettings()
      // The keys of other systems are asked with the list (after its first page, on the ordered bridge) and go in with
      // the first list update after their answer, at the latest its last rows: one render of the whole list, not a
      // second one of it all when they join.
      const firstPage = state.loadFirstPage(heldKeyList)
      const keysAsked = askKeys(opening)
      const listing = await firstPage
      if (opening !== closings) return
      // The bridge is ordered (IPC, one socket): every event that came before the list's answer was sent before the
      // list was read, so the list is as new as each of them or newer. Applying one now could put an older view back.
      pending.clear()
      const rest = listing === null ? null : await readRest(listing, opening)
      await keysAsked
      if (disposed || opening !== closings) return
      // One update for both, so the whole list renders once.
      const keys = heldKeyList()
      if (rest !== null) store.getState().completeLibraries(rest, keys ?? undefined)
      else if (keys !== null) store.getState().takeKeyList(keys)
      showWantedKey()
      loaded = true
      // The list the sort and counts read too: one array of 10,000 for all of them, not a second copy here.
      warm(selectLibraryList(store.getState()))
      // What changed while the rest was read goes on top.
      schedule()
      // A terminal's request made before this window was there (or while it reloaded) still waits for its answer.
      // Asked once the list is in: a terminal is asked for approval only while the vault is open, and the start's
      // first answers are the list's.
      void store.getState().loadTerminalSessions()
      // Where this machine stands in its team (offline from it, out of it): the libraries view's banner says so from the
      // start, not only once the link changes ('team.changed' keeps it current from then on).
      void store.getState().loadTeam()
    })()
    return loading
  }
  /**
   * A key the host asked to show (its notification clicked) before the keys were in: shown once they are, unless the
   * person selected something else meanwhile. A key that is gone by then is not shown.
   */
  let wantedKey: { readonly id: string; readonly selected: string | null } | null = null
  const showKey = (id: string): void => {
    const state = store.getState()
    state.setView('libraries')
    wantedKey = null
    if (id in state.keysById) state.select(id)
    else wantedKey = { id, selected: state.selectedId }
  }
  const showWantedKey = (): void => {
    const state = store.getState()
    if (disposed || wantedKey === null || !(wantedKey.id in state.keysById)) return
    if (state.selectedId === wantedKey.selected) state.select(wantedKey.id)
    wantedKey = null
  }
  const onVault = (vault: VaultState): void => store.getState().setVaultState(vault)
  /**
   * The vault left 'open' (Larder locked, or forgot its key): the window lets go of every library and key it held, and
   * nothing on its way applies. Larder sends no library or key event while locked; the next open loads afresh.
   */
  const whenClosed = (): void => {
    closings += 1
    loading = null
    loaded = false
    wantedKey = null
    heldKeys = null
    pending.clear()
    store.getState().dropHeldData()
    store.getState().dropTeam()
  }
  // However the vault came to be open (the first look, an event, the answer to an unlock), load once per opening.
  const unsubscribe = store.subscribe((state, previous) => {
    const open = state.vault?.state === 'open'
    const wasOpen = previous.vault?.state === 'open'
    if (open && !wasOpen) void whenOpen()
    else if (!open && wasOpen) whenClosed()
  })

  const disposers = [
    client.on('library.changed', (library) => queue(library.id, library)),
    client.on('library.removed', ({ id }) => queue(id, null)),
    client.on('navigate.library', ({ id }) => {
      const state = store.getState()
      wantedKey = null
      state.setView('libraries')
      state.select(id)
    }),
    // A key's notification clicked: its pane, beside the list (a key's id is never a library's).
    client.on('navigate.key', ({ id }) => showKey(id)),
    client.on('vault.state', onVault),
    // Kept for what the rows do not say; the rows themselves follow the 'library.changed' sent with it.
    client.on('personal.active', (state) => {
      if (!disposed) store.getState().notePersonalActive(state)
    }),
    // A terminal asking for tokens: the approval dialog; the sessions event says when it is answered or gone.
    client.on('terminal.requested', (request) => {
      if (!disposed) store.getState().noteTerminalRequest(request)
    }),
    client.on('terminal.sessions', (view) => {
      if (!disposed) store.getState().noteTerminalSessions(view)
    }),
    // A key's whole view: applied at once (keys are few; no batching needed). Before 'keys.list' answers, the answer
    // replaces them: the bridge is ordered, so the list is newer than every event sent before it.
    client.on('key.changed', (view) => {
      if (disposed || heldKeyChanged(view)) return
      store.getState().noteKey(view)
      if (wantedKey?.id === view.id) showWantedKey()
    }),
    client.on('key.removed', ({ id }) => {
      if (!disposed && !heldKeyRemoved(id)) store.getState().dropKey(id)
    }),
    // A bulk import's progress: the estate view's bar and counts (only its own import's are kept).
    client.on('import.progress', (progress) => {
      if (!disposed) store.getState().noteImportProgress(progress)
    }),
    // This machine's team membership, whole (made, joined, a member let in, withdrawn): the Team section follows it.
    client.on('team.changed', (view) => {
      if (!disposed) store.getState().noteTeam(view)
    }),
    unsubscribe
  ]

  let ready: Promise<void> = Promise.resolve()
  if (client.connected) {
    const state = store.getState()
    void state.loadAppInfo()
    // Subscribed first, so nothing that happens while the state and the list are on their way is missed.
    ready = state.loadVaultState().then((vault) => (vault?.state === 'open' ? whenOpen() : undefined))
  }

  return {
    flush,
    ready,
    dispose() {
      disposed = true
      for (const dispose of disposers) dispose()
    }
  }
}

/** The longest slice of the search index built in one idle period, ms. */
export const WARM_SLICE_MS = 8

export interface IdleDeadline {
  timeRemaining(): number
}
export type IdleScheduler = (callback: (deadline: IdleDeadline) => void) => void

/** The window's idle callbacks; elsewhere a timer with a few milliseconds' budget. */
const idleScheduler: IdleScheduler = (callback) => {
  const idle = (globalThis as { requestIdleCallback?: (callback: (deadline: IdleDeadline) => void) => unknown }).requestIdleCallback
  if (idle) {
    idle(callback)
    return
  }
  setTimeout(() => {
    const started = performance.now()
    callback({ timeRemaining: () => Math.max(0, 8 - (performance.now() - started)) })
  }, 0)
}

/**
 * Builds every library's search text in the window's idle time, so the first keystroke in search is not slow: a
 * slice per idle period, as long as the period lasts (with 10,000 libraries the whole is a task of 100 ms or more,
 * which would hold up the frame that first shows the list).
 */
export function warmSearch(libraries: readonly LibraryListView[], idle: IdleScheduler = idleScheduler): void {
  let next = 0
  const slice = (deadline: IdleDeadline): void => {
    // An idle period can last 50 ms; a slice stops well before, so a key pressed meanwhile is not kept waiting.
    const stopAt = deadline.timeRemaining() - WARM_SLICE_MS
    // At least one a slice, so it always ends.
    do searchText(libraries[next++] as LibraryListView)
    while (next < libraries.length && deadline.timeRemaining() > Math.max(1, stopAt))
    if (next < libraries.length) idle(slice)
  }
  if (libraries.length > 0) idle(slice)
}
