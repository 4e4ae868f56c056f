// "Refresh all expiring": every library that is expiring soon or expired and not held back (refreshable.ts), a few at
// a time, with progress.
import type { StateCreator } from 'zustand'
import type { BridgeClient } from '../bridge/client.ts'
import { refreshableIds } from './refreshable.ts'
import type { AppState, BulkSlice } from './types.ts'

/** The core refreshes at most 8 at once anyway; 4 keeps room for the timer and for Refresh now. */
const CONCURRENCY = 4

export function bulkSlice(client: BridgeClient): StateCreator<AppState, [], [], BulkSlice> {
  return (set, get) => ({
    bulk: null,
    async refreshAllExpiring() {
      // Only the whole list names every expiring library (the button waits for it too).
      if (get().bulk?.running || get().listing !== null) return
      const state = get()
      // Only what the core would refresh: a held (paused) library is refused there, so it is not sent.
      const targets = refreshableIds(state)
      if (targets.length === 0) {
        get().pushToast('info', 'Nothing is expiring: every token is refreshed on schedule.')
        return
      }
      let done = 0
      let failed = 0
      set({ bulk: { running: true, total: targets.length, done, failed } })
      const queue = [...targets]
      const worker = async (): Promise<void> => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
          const result = await client.call('libraries.refresh', { id })
          if (result.ok) get().applyLibraryViews([result.value])
          else failed += 1
          done += 1
          set({ bulk: { running: true, total: targets.length, done, failed } })
        }
      }
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, targets.length) }, worker))
      set({ bulk: { running: false, total: targets.length, done, failed } })
      const refreshed = done - failed
      if (failed === 0) get().pushToast('success', `Refreshed ${refreshed} ${refreshed === 1 ? 'library' : 'libraries'}.`)
      else get().pushToast('error', `Refreshed ${refreshed} of ${done}; ${failed} failed. Their rows say why.`)
    }
  })
}
