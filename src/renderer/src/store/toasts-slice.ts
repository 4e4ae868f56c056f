import type { StateCreator } from 'zustand'
import type { AppState, ToastsSlice } from './types.ts'

/** At most this many messages at once; the oldest go first. */
const MAX_TOASTS = 4

export const toastsSlice: StateCreator<AppState, [], [], ToastsSlice> = (set, get) => {
  let next = 1
  return {
    toasts: [],
    pushToast(tone, text) {
      const id = next++
      set({ toasts: [...get().toasts, { id, tone, text }].slice(-MAX_TOASTS) })
      return id
    },
    dismissToast(id) {
      set({ toasts: get().toasts.filter((toast) => toast.id !== id) })
    }
  }
}
