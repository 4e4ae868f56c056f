// The app lock from the window: lock now, lock and forget the key, unlock (passphrase or the OS prompt), the lock
// passphrase. An answer's state is the store's at once (the 'vault.state' event says the same a moment later). While
// Larder is locked the window holds nothing of a library or key: dropHeldData empties it when the vault leaves 'open'
// (connect.ts), and the list is read afresh once it is open again.
import type { StateCreator } from 'zustand'
import type { BridgeClient } from '../bridge/client.ts'
import { DEFAULT_FILTER } from '../lib/library-query.ts'
import { selectCustomers } from './customers.ts'
import { IDLE_IMPORT } from './estate-slice.ts'
import { selectKeyCounts } from './key-counts.ts'
import { selectVisibleRows } from './list-rows.ts'
import { selectLibraryList, selectStatusCounts, selectVisibleIds } from './selectors.ts'
import type { AppState, LockSlice } from './types.ts'

/** What the window holds of libraries and keys, as it is before the first load. */
const NOTHING_HELD = {
  byId: {},
  ids: [],
  loadState: 'idle',
  loadError: null,
  detail: null,
  listing: null,
  keysById: {},
  keyIds: [],
  keysError: null,
  selectedId: null,
  // The search may name a library, and a customer label is a library's.
  filter: DEFAULT_FILTER,
  customerFilter: null,
  addOpen: false,
  toasts: [],
  bulk: null,
  personalDialog: null,
  driftRefusal: null,
  personalActive: {},
  reachable: null,
  auditLog: null,
  auditError: null,
  history: null,
  terminalRequests: [],
  terminalSessions: [],
  terminalError: null,
  lockInfo: null,
  // An import's report names libraries; the schedule names a folder.
  imports: IDLE_IMPORT,
  backupSchedule: null,
  backupScheduleError: null
} as const satisfies Partial<AppState>

/** The shared selectors keep their last answers (rows, labels, counts): asked once about nothing, they let go of them. */
function forgetDerivedViews(state: AppState): void {
  for (const select of [selectLibraryList, selectVisibleIds, selectStatusCounts, selectCustomers, selectVisibleRows, selectKeyCounts]) select(state)
}

export function lockSlice(client: BridgeClient): StateCreator<AppState, [], [], LockSlice> {
  return (set, get) => ({
    lockInfo: null,
    async loadLockInfo() {
      const result = await client.call('lock.info', {})
      if (result.ok) set({ lockInfo: result.value })
      return result
    },
    async lockNow() {
      const result = await client.call('lock.now', {})
      if (result.ok) set({ vault: result.value.state })
      return result
    },
    async lockAndForget() {
      const result = await client.call('lock.forget', {})
      if (result.ok) set({ vault: result.value.state })
      return result
    },
    async unlockLock(how) {
      const result = await client.call('lock.unlock', how)
      if (result.ok) set({ vault: result.value })
      return result
    },
    async setLockPassphrase(passphrase, current) {
      const result = await client.call('lock.setPassphrase', current === undefined ? { passphrase } : { passphrase, current })
      if (result.ok) set({ lockInfo: result.value })
      return result
    },
    dropHeldData() {
      set(NOTHING_HELD)
      forgetDerivedViews(get())
    }
  })
}
