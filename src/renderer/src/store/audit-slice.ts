// The audit trail as the window shows it: the audit view (filters, pages, CSV export) and the selected library's
// history. An answer is dropped when a newer question was asked meanwhile, so a slow answer never wins, and older
// entries are added only to the page they were asked for.
import type { StateCreator } from 'zustand'
import type { BridgeClient } from '../bridge/client.ts'
import { EMPTY_AUDIT_FILTER, toAuditQuery } from '../lib/audit-query.ts'
import type { AppState, AuditSlice } from './types.ts'

/** Entries per page in the audit view, and in a library's history. */
const LOG_PAGE = 100
const HISTORY_PAGE = 25

/** The view's filters as a query; the member filter only while this vault is in a team. */
const filterQuery = (state: AppState) => toAuditQuery(state.auditFilter, state.team?.membership === 'member')

export function auditSlice(client: BridgeClient): StateCreator<AppState, [], [], AuditSlice> {
  return (set, get) => {
    let logAsked = 0
    let historyAsked = 0
    return {
      auditFilter: EMPTY_AUDIT_FILTER,
      auditLog: null,
      auditError: null,
      history: null,
      setAuditFilter: (patch) => set({ auditFilter: { ...get().auditFilter, ...patch } }),
      clearAuditFilter: () => set({ auditFilter: EMPTY_AUDIT_FILTER }),

      async loadAuditLog() {
        const asked = ++logAsked
        const result = await client.call('audit.page', { ...filterQuery(get()), limit: LOG_PAGE })
        if (asked !== logAsked) return
        if (result.ok) set({ auditLog: result.value, auditError: null })
        else set({ auditError: result.error.message })
      },

      async loadOlderAuditLog() {
        const page = get().auditLog
        if (page === null || page.nextBefore === null) return
        const result = await client.call('audit.page', { ...filterQuery(get()), limit: LOG_PAGE, before: page.nextBefore })
        if (get().auditLog !== page) return
        // The team's trail and this machine's own count their entries apart: a page from the other one starts afresh.
        if (result.ok && result.value.teamTrail !== page.teamTrail) return get().loadAuditLog()
        if (result.ok) set({ auditLog: { ...result.value, entries: [...page.entries, ...result.value.entries] } })
        else set({ auditError: result.error.message })
      },

      async exportAuditCsv() {
        const result = await client.call('audit.exportCsv', filterQuery(get()))
        if (result.ok) {
          const rows = result.value.rows
          get().pushToast('success', `Exported ${rows.toLocaleString()} audit ${rows === 1 ? 'entry' : 'entries'} as CSV.`)
        } else get().pushToast('error', `Could not export the audit log. ${result.error.message}`)
        return result
      },

      async loadHistory(libraryId) {
        if (get().history?.libraryId !== libraryId) set({ history: { libraryId, entries: [], nextBefore: null, error: null, loading: true } })
        const asked = ++historyAsked
        const result = await client.call('audit.page', { libraryId, limit: HISTORY_PAGE })
        const history = get().history
        if (asked !== historyAsked || history?.libraryId !== libraryId) return
        if (result.ok) set({ history: { libraryId, entries: result.value.entries, nextBefore: result.value.nextBefore, error: null, loading: false } })
        else set({ history: { ...history, error: result.error.message, loading: false } })
      },

      async loadOlderHistory() {
        const history = get().history
        if (history === null || history.nextBefore === null) return
        const result = await client.call('audit.page', { libraryId: history.libraryId, limit: HISTORY_PAGE, before: history.nextBefore })
        if (!result.ok || get().history !== history) return
        set({ history: { ...history, entries: [...history.entries, ...result.value.entries], nextBefore: result.value.nextBefore } })
      }
    }
  }
}
