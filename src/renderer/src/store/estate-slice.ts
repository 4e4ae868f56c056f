// The estate view's calls (issue 17): a bulk import (dry run, the import with its progress from 'import.progress',
// cancel, the report), the scheduled backups' settings, and backup, restore, a move and the configuration without
// secrets. Files are named by path (chosen in the host's dialog, or typed where it has none); the app reads and writes
// them. A passphrase goes from the form into one call and is kept nowhere here.
import type { StateCreator } from 'zustand'
import type { CallInput, ImportProgressView } from '../../../shared/contract.ts'
import type { BridgeClient } from '../bridge/client.ts'
import type { EstateSlice, ImportState } from './estate-types.ts'
import type { AppState } from './types.ts'

export const LOCKED_DURING_IMPORT = 'Larder locked while the import ran. The import went on: what it added is in the list, and the audit log has its summary. Check the file again to see where each row stands now.'

export const IDLE_IMPORT: ImportState = { phase: 'idle', path: '', report: null, progress: null, error: null, hosts: [], confirmedHosts: [], cancelling: false }

export function estateSlice(client: BridgeClient): StateCreator<AppState, [], [], EstateSlice> {
  return (set, get) => {
    /** The last dry run asked for: an older answer (a slow re-check) never replaces a newer one. */
    let checkAsked = 0
    const setImport = (patch: Partial<ImportState>): void => set({ imports: { ...get().imports, ...patch } })
    return {
      imports: IDLE_IMPORT,
      filePicker: null,
      backupSchedule: null,
      backupScheduleError: null,

      async chooseFile(request) {
        const result = await client.call('files.choose', request)
        if (!result.ok) return { error: result.error.message }
        if ('unavailable' in result.value) set({ filePicker: false })
        else if (get().filePicker !== true) set({ filePicker: true })
        return result.value
      },

      async checkImportFile(path) {
        const asked = ++checkAsked
        const before = get().imports
        // Another file starts afresh: its hosts are its own.
        const sameFile = before.path === path && before.report !== null
        set({ imports: sameFile ? { ...before, phase: 'checking', error: null } : { ...IDLE_IMPORT, phase: 'checking', path } })
        const confirmedHosts = get().imports.confirmedHosts
        const result = await client.call('import.dryRun', confirmedHosts.length > 0 ? { path, confirmedHosts: [...confirmedHosts] } : { path })
        if (asked !== checkAsked) return
        if (!result.ok) {
          setImport({ phase: get().imports.report === null ? 'idle' : 'checked', error: result.error.message })
          return
        }
        const hosts = [...get().imports.hosts]
        for (const host of result.value.hostsToConfirm) if (!hosts.includes(host)) hosts.push(host)
        setImport({ phase: 'checked', report: result.value, progress: null, error: null, hosts })
      },

      async confirmImportHost(host, confirmed) {
        const { path, confirmedHosts } = get().imports
        const others = confirmedHosts.filter((known) => known !== host)
        setImport({ confirmedHosts: confirmed ? [...others, host] : others })
        await get().checkImportFile(path)
      },

      async startImport() {
        const { report, confirmedHosts, phase } = get().imports
        if (report === null || !report.dryRun || phase !== 'checked') return
        const importId = report.importId
        setImport({ phase: 'importing', error: null, cancelling: false, progress: { importId, total: report.counts.ready, done: 0, ok: 0, failed: 0, cancelling: false, finished: false } })
        const result = await client.call('import.start', confirmedHosts.length > 0 ? { importId, confirmedHosts: [...confirmedHosts] } : { importId })
        if (get().imports.report?.importId !== importId) return
        if (result.ok) {
          setImport({ phase: 'done', report: result.value, cancelling: false })
          const { imported, failed, cancelled } = result.value.counts
          get().pushToast(failed > 0 || cancelled > 0 ? 'info' : 'success', `Import of ${result.value.fileName} done: ${imported} imported${failed > 0 ? `, ${failed} failed` : ''}${cancelled > 0 ? `, ${cancelled} cancelled` : ''}.`)
        } else if (result.error.kind === 'locked') {
          // Larder locked while the rows were sent: the import went on in Larder, but its answer is not this window's
          // to see. What it added is in the list, and its summary in the audit log; the dry run is no longer current.
          set({ imports: { ...IDLE_IMPORT, path: get().imports.path, error: LOCKED_DURING_IMPORT } })
        } else setImport({ phase: 'checked', progress: null, cancelling: false, error: result.error.message })
      },

      async cancelImport() {
        const { report, phase } = get().imports
        if (report === null || phase !== 'importing') return
        setImport({ cancelling: true })
        const result = await client.call('import.cancel', { importId: report.importId })
        if (!result.ok) setImport({ cancelling: false, error: result.error.message })
      },

      noteImportProgress(progress: ImportProgressView) {
        const { report, phase } = get().imports
        if (report?.importId !== progress.importId || phase !== 'importing') return
        setImport({ progress, cancelling: get().imports.cancelling || progress.cancelling })
      },

      saveImportReport(format, path) {
        const report = get().imports.report
        if (report === null) return Promise.resolve({ ok: false, error: { kind: 'invalid_input', field: 'importId', message: 'There is no report yet.' } })
        return client.call('import.saveReport', { importId: report.importId, format, path })
      },

      resetImport() {
        checkAsked++
        set({ imports: IDLE_IMPORT })
      },

      async loadBackupSchedule() {
        const result = await client.call('backup.schedule', {})
        if (result.ok) set({ backupSchedule: result.value, backupScheduleError: null })
        else set({ backupScheduleError: result.error.message })
      },

      async updateBackupSchedule(change) {
        const result = await client.call('backup.schedule', change)
        if (result.ok) set({ backupSchedule: result.value, backupScheduleError: null })
        return result
      },

      createBackup: (path, passphrase) => client.call('backup.create', { path, passphrase }),
      inspectBackup: (path, passphrase, takeOver, confirmedHosts = []) => client.call('backup.inspect', restoreInput(path, passphrase, takeOver, confirmedHosts)),
      restoreBackup: (path, passphrase, takeOver, confirmedHosts = []) => client.call('backup.restore', restoreInput(path, passphrase, takeOver, confirmedHosts)),

      async resumeLibrary(id) {
        const result = await client.call('backup.resume', { id })
        if (result.ok) {
          get().applyLibraryViews([result.value])
          get().pushToast('success', `${result.value.name} refreshes on this machine again.`)
        }
        return result
      },

      exportForMove: (path, passphrase) => client.call('move.export', { path, passphrase }),
      takeBackLibraries: (ids) => client.call('move.takeBack', { ids: [...ids], acknowledged: true }),
      exportConfig: (path) => client.call('config.export', { path })
    }
  }
}

/** A restore's input with only what is set (the contract's optional fields left out otherwise). */
function restoreInput(path: string, passphrase: string, takeOver: boolean, confirmedHosts: readonly string[]): CallInput<'backup.restore'> {
  return { path, passphrase, ...(takeOver ? { takeOver } : {}), ...(confirmedHosts.length > 0 ? { confirmedHosts: [...confirmedHosts] } : {}) }
}
