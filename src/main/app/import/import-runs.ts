// The imports one app serves, for the window's calls ('import.dryRun', 'import.start', 'import.cancel',
// 'import.report', and the 'import.progress' event) and the terminal's `larder import`. A dry run keeps the file it
// read (in the main process only, never longer than 30 minutes) so that the import sends exactly the rows the person
// saw; starting it takes them, so one check is imported at most once. Closing the app cancels what runs and waits
// for the rows in flight.
import { randomUUID } from 'node:crypto'
import type { ImportFormat, ImportProgressView, ImportReportView, TerminalImportCancelView } from '../../../shared/contract/import.ts'
import { fitReport, readImportFile, reportCsv, reportJson, writeReportFile, type ImportProgress } from '../../core/estate/import/index.ts'
import { InputError } from '../../core/errors.ts'
import type { Clock } from '../../core/time/clock.ts'
import { dryRunImport, readImport, runImport, type ImportPorts, type ImportReport, type ReadImport } from '../use-cases/import-estate.ts'

/** How long a dry run's file is kept for the import that follows it. */
export const CHECKED_FILE_TTL_MS = 30 * 60_000
const MAX_CHECKED_FILES = 2
const MAX_REPORTS = 3
/** Progress lines to a terminal, at most this often. */
const TERMINAL_PROGRESS_MS = 500
/** A terminal's answer, well within the endpoint's 16 MiB line (MAX_RESPONSE_BYTES) with the frame around it. */
const TERMINAL_ANSWER_BYTES = 12 * 1024 * 1024

export interface ImportRunsOptions {
  /** The open core; null while the vault is locked or closed. */
  readonly ports: () => ImportPorts | null
  readonly clock: Clock
  /** 'import.progress' for the app's event stream. */
  readonly emit: (progress: ImportProgressView) => void
  readonly newId?: () => string
}

export interface DryRunRequest {
  readonly path: string
  readonly format?: ImportFormat
  readonly confirmedHosts?: readonly string[]
}

export interface TerminalImportRequest extends DryRunRequest {
  readonly dryRun: boolean
  /** The command's own name for the import, so that its Ctrl-C can cancel it (`cancelTerminal`). */
  readonly importId?: string
}

/** Cancels asked for imports not begun yet (the session still waited for approval), kept this many at most. */
const MAX_EARLY_CANCELS = 16

interface CheckedFile {
  readonly file: ReadImport
  readonly at: number
}

export class ImportRuns {
  readonly #options: ImportRunsOptions
  readonly #checked = new Map<string, CheckedFile>()
  readonly #running = new Map<string, { readonly abort: AbortController; readonly done: Promise<unknown> }>()
  readonly #reports = new Map<string, ImportReportView>()
  /** The terminal session that started each terminal import: only it may cancel (by import id). */
  readonly #terminalOwners = new Map<string, string>()
  /** Cancels that came before their import began, by import id: the session that asked, and when. */
  readonly #earlyCancels = new Map<string, { readonly owner: string; readonly at: number }>()

  constructor(options: ImportRunsOptions) {
    this.#options = options
  }

  /** Reads the file and checks every row (nothing sent, nothing stored); keeps the file for 'start'. */
  async dryRun(request: DryRunRequest): Promise<ImportReportView> {
    const ports = this.#ports()
    const file = await this.#read(request)
    const importId = (this.#options.newId ?? randomUUID)()
    this.#forgetOld()
    for (const id of this.#checked.keys()) if (this.#checked.size >= MAX_CHECKED_FILES) this.#checked.delete(id)
    this.#checked.set(importId, { file, at: this.#options.clock.now() })
    return this.#keep(importId, await dryRunImport(ports, file, withHosts(request.confirmedHosts)))
  }

  /** Imports a dry run's rows (checked again now); resolves with the report once every row has ended. */
  async start(importId: string, confirmedHosts?: readonly string[]): Promise<ImportReportView> {
    this.#forgetOld()
    const checked = this.#checked.get(importId)
    if (checked === undefined) {
      throw new InputError('importId', 'That check is no longer known (it was imported already, is over 30 minutes old, or Larder restarted). Check the file again.')
    }
    this.#checked.delete(importId)
    return this.#run(importId, checked.file, withHosts(confirmedHosts), false, (progress, finished) => this.#options.emit({ importId, ...progress, finished }))
  }

  /** Rows not started yet will not be; rows in flight finish. False when no such import is running. */
  cancel(importId: string): boolean {
    const running = this.#running.get(importId)
    if (running === undefined) return false
    running.abort.abort()
    return true
  }

  /** A kept report as the text of a file (no secret: rows, names, statuses and Larder's words). */
  reportText(importId: string, format: ImportFormat): { text: string; fileName: string } {
    const report = this.#reports.get(importId)
    if (report === undefined) throw new InputError('importId', 'There is no report of that import any more; run the check or the import again.')
    const stem = report.fileName.replace(/\.[^.]*$/, '') || 'import'
    return { text: format === 'csv' ? reportCsv(report) : reportJson(report), fileName: `${stem} ${report.dryRun ? 'check' : 'import'} report.${format}` }
  }

  /** Writes a kept report to `path` (absolute; a new file, or one the person chose to replace in the save dialog). */
  async saveReport(importId: string, format: ImportFormat, path: string): Promise<{ path: string; bytes: number }> {
    const { text } = this.reportText(importId, format)
    return writeReportFile(path, text)
  }

  /**
   * `larder import`: the check, then (without dryRun) the import, in one call; progress as pending lines. The answer
   * fits the endpoint's one line (a very large file's report leaves out the rows that went well, and says so).
   */
  async terminal(request: TerminalImportRequest, pending: (message: string) => void, owner: string): Promise<ImportReportView> {
    const ports = this.#ports()
    const importId = request.importId ?? (this.#options.newId ?? randomUUID)()
    if (this.#running.has(importId) || this.#reports.has(importId) || this.#checked.has(importId)) throw new InputError('importId', 'An import of that name exists already; run the command again.')
    this.#terminalOwners.set(importId, owner)
    try {
      const file = await this.#read(request)
      if (request.dryRun) return fitReport(this.#keep(importId, await dryRunImport(ports, file, withHosts(request.confirmedHosts))), TERMINAL_ANSWER_BYTES)
      const early = this.#earlyCancels.get(importId)
      this.#earlyCancels.delete(importId)
      let lastAt = -Infinity
      const report = await this.#run(importId, file, withHosts(request.confirmedHosts), early?.owner === owner, (progress, finished) => {
        const now = this.#options.clock.now()
        if (!finished && now - lastAt < TERMINAL_PROGRESS_MS && progress.done !== 0) return
        lastAt = now
        pending(`Importing: ${progress.done} of ${progress.total} rows done (${progress.ok} imported, ${progress.failed} failed)`)
      })
      return fitReport(report, TERMINAL_ANSWER_BYTES)
    } finally {
      // Kept while its report is (a late Ctrl-C hears 'finished'); a file that could not be read leaves nothing.
      if (!this.#reports.has(importId)) this.#terminalOwners.delete(importId)
    }
  }

  /**
   * `larder import`'s Ctrl-C: cancels the import `owner` (a terminal session) started as `importId`, as 'cancel' does.
   * One not begun yet (its session still waits for approval, or its file is being read) is remembered and will start
   * cancelled: nothing of it is sent. Another session's import is refused as if unknown.
   */
  cancelTerminal(importId: string, owner: string): TerminalImportCancelView {
    const started = this.#terminalOwners.get(importId)
    const known = this.#running.has(importId) || this.#reports.has(importId) || this.#checked.has(importId)
    if ((started !== undefined && started !== owner) || (started === undefined && known)) {
      throw new InputError('importId', 'No import of that name was started from this terminal session.')
    }
    if (started === owner && this.cancel(importId)) return { outcome: 'cancelling' }
    if (started === owner && this.#reports.has(importId)) return { outcome: 'finished' }
    const now = this.#options.clock.now()
    for (const [id, early] of this.#earlyCancels) if (now - early.at > CHECKED_FILE_TTL_MS || this.#earlyCancels.size >= MAX_EARLY_CANCELS) this.#earlyCancels.delete(id)
    this.#earlyCancels.set(importId, { owner, at: now })
    return { outcome: 'not_started' }
  }

  /** Cancels every import and waits for the rows in flight (the app is closing). */
  async close(): Promise<void> {
    this.#checked.clear()
    for (const running of this.#running.values()) running.abort.abort()
    await Promise.allSettled([...this.#running.values()].map((running) => running.done))
  }

  async #run(importId: string, file: ReadImport, options: { confirmedHosts?: readonly string[] }, cancelledBefore: boolean, progress: (progress: ImportProgress, finished: boolean) => void): Promise<ImportReportView> {
    const ports = this.#ports()
    const abort = new AbortController()
    if (cancelledBefore) abort.abort()
    let last: ImportProgress = { total: 0, done: 0, ok: 0, failed: 0, cancelling: false }
    const done = runImport(ports, file, options, (now) => progress((last = now), false), abort.signal)
    this.#running.set(importId, { abort, done })
    try {
      const report = await done
      progress({ ...last, cancelling: report.cancelled }, true)
      return this.#keep(importId, report)
    } finally {
      this.#running.delete(importId)
    }
  }

  async #read(request: DryRunRequest): Promise<ReadImport> {
    const { text, fileName } = await readImportFile(request.path)
    return readImport({ text, fileName, ...(request.format === undefined ? {} : { format: request.format }) })
  }

  #ports(): ImportPorts {
    const ports = this.#options.ports()
    if (ports === null) throw new InputError('vault', 'Larder is locked or its vault is not open: unlock it first.')
    return ports
  }

  #keep(importId: string, report: ImportReport): ImportReportView {
    const view = { importId, ...report }
    this.#reports.delete(importId)
    this.#reports.set(importId, view)
    for (const old of this.#reports.keys()) {
      if (this.#reports.size <= MAX_REPORTS) break
      this.#reports.delete(old)
      this.#terminalOwners.delete(old)
    }
    return view
  }

  #forgetOld(): void {
    const now = this.#options.clock.now()
    for (const [id, checked] of this.#checked) if (now - checked.at > CHECKED_FILE_TTL_MS) this.#checked.delete(id)
  }
}

function withHosts(confirmedHosts: readonly string[] | undefined): { confirmedHosts?: readonly string[] } {
  return confirmedHosts === undefined ? {} : { confirmedHosts }
}
