// What the person is looking at: the view, the list's filters (status, type, system, customer, search) and sort, the selected library, the add dialog.
import type { StateCreator } from 'zustand'
import { DEFAULT_FILTER, DEFAULT_SORT } from '../lib/library-query.ts'
import type { AppState, UiSlice } from './types.ts'

export const uiSlice: StateCreator<AppState, [], [], UiSlice> = (set, get) => ({
  view: 'libraries',
  filter: DEFAULT_FILTER,
  systemFilter: 'all',
  customerFilter: null,
  sort: DEFAULT_SORT,
  selectedId: null,
  addOpen: false,
  setView: (view) => set({ view }),
  setSearch: (search) => set({ filter: { ...get().filter, search } }),
  setStatusFilter: (status) => set({ filter: { ...get().filter, status } }),
  setTokenTypeFilter: (tokenType) => set({ filter: { ...get().filter, tokenType } }),
  setSystemFilter: (systemFilter) => set({ systemFilter }),
  setCustomerFilter: (customerFilter) => set({ customerFilter }),
  clearFilters: () => set({ filter: DEFAULT_FILTER, systemFilter: 'all', customerFilter: null }),
  sortBy: (key, direction) => {
    const current = get().sort
    const next = direction ?? (current.key === key ? (current.direction === 'asc' ? 'desc' : 'asc') : 'asc')
    set({ sort: { key, direction: next } })
  },
  select: (id) => set({ selectedId: id }),
  openAdd: () => set({ addOpen: true }),
  closeAdd: () => set({ addOpen: false })
})
