// The estate view's part of the store (issue 17): a bulk import's check, progress and report; the scheduled backups'
// settings; and the calls behind backup, restore, a move and the configuration without secrets. A passphrase is
// never kept here: the form that holds it hands it to one call.
import type { CallResult, ImportFormat, ImportProgressView, ImportReportView } from '../../../shared/contract.ts'
import type { BackupScheduleView } from '../../../shared/contract/estate.ts'
import type { FileChoice, FileChooseRequest } from '../../../shared/contract/files.ts'

/** 'checking': a dry run is on its way (the last report, if any, stays shown); 'importing': the rows are being sent. */
export type ImportPhase = 'idle' | 'checking' | 'checked' | 'importing' | 'done'

export interface ImportState {
  readonly phase: ImportPhase
  /** The file, as chosen or typed. */
  readonly path: string
  /** The dry run's report, then the import's. */
  readonly report: ImportReportView | null
  /** The import's progress ('import.progress' of this report's import). */
  readonly progress: ImportProgressView | null
  readonly error: string | null
  /** Every host a row of this file asked to be confirmed, ticked or not (a ticked one leaves the report's list). */
  readonly hosts: readonly string[]
  readonly confirmedHosts: readonly string[]
  /** Cancel asked: rows not started will not be. */
  readonly cancelling: boolean
}

export type ScheduleChange = {
  readonly enabled?: boolean
  readonly folder?: string
  readonly everyHours?: number
  readonly keep?: number
  readonly passphrase?: string
}

export interface EstateSlice {
  readonly imports: ImportState
  /** Whether the host has file dialogs: null until a pick answered (the window guesses by the host's kind meanwhile). */
  readonly filePicker: boolean | null
  readonly backupSchedule: BackupScheduleView | null
  readonly backupScheduleError: string | null
  /** The host's open, save or folder dialog; unavailable there, the window asks for the path as text from then on. */
  chooseFile(request: FileChooseRequest): Promise<FileChoice | { readonly error: string }>
  /** A dry run of the file at `path` with the hosts confirmed so far: nothing is sent or stored. */
  checkImportFile(path: string): Promise<void>
  /** Ticks (or unticks) a host for this import and checks the file again with it. */
  confirmImportHost(host: string, confirmed: boolean): Promise<void>
  /** Imports the checked file's ready rows; progress comes as 'import.progress', the report when every row is done. */
  startImport(): Promise<void>
  cancelImport(): Promise<void>
  noteImportProgress(progress: ImportProgressView): void
  /** The report (no secret in it) written by Larder at `path` ('import.saveReport'). */
  saveImportReport(format: ImportFormat, path: string): Promise<CallResult<'import.saveReport'>>
  resetImport(): void
  loadBackupSchedule(): Promise<void>
  updateBackupSchedule(change: ScheduleChange): Promise<CallResult<'backup.schedule'>>
  createBackup(path: string, passphrase: string): Promise<CallResult<'backup.create'>>
  /** What a restore would do, library by library; nothing changes. */
  /** `confirmedHosts`: the hosts of the plan's hostsToConfirm the person ticked (sent only when there are some). */
  inspectBackup(path: string, passphrase: string, takeOver: boolean, confirmedHosts?: readonly string[]): Promise<CallResult<'backup.inspect'>>
  restoreBackup(path: string, passphrase: string, takeOver: boolean, confirmedHosts?: readonly string[]): Promise<CallResult<'backup.restore'>>
  /** A paused library's "Refresh it now: no other machine holds it"; its view goes into the list and the pane. */
  resumeLibrary(id: string): Promise<CallResult<'backup.resume'>>
  exportForMove(path: string, passphrase: string): Promise<CallResult<'move.export'>>
  /** Moved libraries taken back here, after the person read the warning. */
  takeBackLibraries(ids: readonly string[]): Promise<CallResult<'move.takeBack'>>
  exportConfig(path: string): Promise<CallResult<'config.export'>>
}
