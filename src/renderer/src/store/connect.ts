// Feeds the store from the bridge: where the vault stands, then (once it is open) one initial load, then
// events only (no polling). Library events arrive one by one (a vault reload sends one per library), so they
// are gathered and applied together at most once a frame.
import type { LibraryView, VaultState } from '../../../shared/contract.ts'
import type { BridgeClient } from '../bridge/client.ts'
import { searchText } from '../lib/library-query.ts'
import type { AppStore } from './create-store.ts'

export interface Scheduler {
  schedule(callback: () => void): void
}

/** About one frame; plain setTimeout so it also runs in a hidden window and in Node tests. */
export const frameScheduler: Scheduler = { schedule: (callback) => void setTimeout(callback, 16) }

export interface Connected {
  /** Applies any gathered events now (tests; before reading the store). */
  flush(): void
  /** Resolves once the first look at the vault (and, if open, the first load) is done. */
  readonly ready: Promise<void>
  dispose(): void
}

export function connectStore(store: AppStore, client: BridgeClient, scheduler: Scheduler = frameScheduler): Connected {
  const pending = new Map<string, LibraryView | null>()
  let scheduled = false
  let loaded = false
  let loading: Promise<void> | null = null
  let disposed = false

  const flush = (): void => {
    scheduled = false
    if (disposed || !loaded || pending.size === 0) return
    const changed: LibraryView[] = []
    const removed: string[] = []
    for (const [id, library] of pending) {
      if (library === null) removed.push(id)
      else changed.push(library)
    }
    pending.clear()
    store.getState().applyLibraryChanges(changed, removed)
  }
  const queue = (id: string, library: LibraryView | null): void => {
    // A later event for the same library replaces an earlier one; order between libraries does not matter.
    pending.delete(id)
    pending.set(id, library)
    if (!scheduled && loaded) {
      scheduled = true
      scheduler.schedule(flush)
    }
  }

  /** The first time the vault is open: settings and the list. Events that came meanwhile go on top. */
  const whenOpen = (): Promise<void> => {
    loading ??= (async () => {
      const state = store.getState()
      void state.loadSettings()
      await state.loadLibraries()
      loaded = true
      flush()
      warmSearch(store.getState().byId)
    })()
    return loading
  }
  const onVault = (vault: VaultState): void => store.getState().setVaultState(vault)
  // However the vault came to be open (the first look, an event, the answer to an unlock), load once.
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.vault?.state === 'open' && previous.vault?.state !== 'open') void whenOpen()
  })

  const disposers = [
    client.on('library.changed', (library) => queue(library.id, library)),
    client.on('library.removed', ({ id }) => queue(id, null)),
    client.on('navigate.library', ({ id }) => {
      const state = store.getState()
      state.setView('libraries')
      state.select(id)
    }),
    client.on('vault.state', onVault),
    // Kept for what the rows do not say; the rows themselves follow the 'library.changed' sent with it.
    client.on('personal.active', (state) => {
      if (!disposed) store.getState().notePersonalActive(state)
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

/** Builds every library's search text while the window is idle, so the first keystroke in search is not slow. */
function warmSearch(byId: Readonly<Record<string, LibraryView>>): void {
  const idle = (globalThis as { requestIdleCallback?: (callback: () => void) => unknown }).requestIdleCallback
  const warm = (): void => {
    for (const library of Object.values(byId)) searchText(library)
  }
  if (idle) idle(warm)
  else setTimeout(warm, 0)
}
