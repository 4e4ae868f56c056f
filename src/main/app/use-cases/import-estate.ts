// Importing libraries and keys from a file a person names (issue 17, item 1). The dry run reads the file and checks
// every row as a hand-added one would be, sending and storing nothing; the import checks again (Larder may have
// changed since), then adds each ready row through the same use cases as the add dialog (addLibrary, keys.add), a few
// at a time, and records one audit entry per imported row ("imported from FILE, row N") and one summary of the file.
import type { ImportFormat, ImportReportView } from '../../../shared/contract/import.ts'
import { ignoreAuditFailure } from '../../core/audit/index.ts'
import {
  checkedRows,
  checkRows,
  countRows,
  detectFormat,
  outcomeRows,
  readSheet,
  runRows,
  summary,
  type CheckedRequest,
  type ImportProgress,
  type Sheet
} from '../../core/estate/import/index.ts'
import type { NewKey } from '../../core/keys/key-service.ts'
import type { LarderCore } from '../../core/larder-core.ts'
import { addLibrary } from './add-library.ts'

export type ImportPorts = Pick<LarderCore, 'vault' | 'libraries' | 'connected' | 'audit' | 'keys' | 'clock'>

/** A report as the use case answers it; a host names it (importId) to keep it. */
export type ImportReport = Omit<ImportReportView, 'importId'>

/** A file's text as read, with its name (for reports and the audit trail) and, when known, its format. */
export interface ImportSource {
  readonly text: string
  readonly fileName: string
  readonly format?: ImportFormat
}

/** A file read and split into rows: what a dry run keeps for the import that follows it. */
export interface ReadImport {
  readonly fileName: string
  readonly format: ImportFormat
  readonly sheet: Sheet
}

export interface ImportOptions {
  /** Hosts that are not a system's own which this import may send to (each confirmed by a person, by name). */
  readonly confirmedHosts?: readonly string[]
}

export interface RunImportOptions extends ImportOptions {
  /** Rows in flight at once (default 4). */
  readonly concurrency?: number
}

/** Reads the text as CSV or JSON; a file that cannot be read as a whole throws ImportFileError (field 'file'). */
export function readImport(source: ImportSource): ReadImport {
  const format = detectFormat(source.text, source.fileName, source.format)
  return { fileName: source.fileName, format, sheet: readSheet(source.text, format) }
}

/** Every row checked, nothing sent, nothing stored. */
export async function dryRunImport(ports: ImportPorts, source: ImportSource | ReadImport, options: ImportOptions = {}): Promise<ImportReport> {
  const file = 'sheet' in source ? source : readImport(source)
  const startedAt = ports.clock.now()
  const plan = await checkRows(ports.vault, file.sheet, { confirmedHosts: options.confirmedHosts ?? [] })
  const rows = checkedRows(plan.rows)
  return { fileName: file.fileName, format: file.format, dryRun: true, rows, counts: countRows(rows), hostsToConfirm: plan.hostsToConfirm, cancelled: false, startedAt, finishedAt: ports.clock.now() }
}

/**
 * Checks every row again and adds the ready ones; resolves once every row has ended (after a cancel too: the rows
 * not started are 'cancelled', those in flight finish). One row failing never stops or undoes another.
 */
export async function runImport(
  ports: ImportPorts,
  source: ImportSource | ReadImport,
  options: RunImportOptions = {},
  onProgress?: (progress: ImportProgress) => void,
  signal?: AbortSignal
): Promise<ImportReport> {
  const file = 'sheet' in source ? source : readImport(source)
  const startedAt = ports.clock.now()
  const plan = await checkRows(ports.vault, file.sheet, { confirmedHosts: options.confirmedHosts ?? [] })
  const outcomes = await runRows(plan, {
    send: (request) => sendRow(ports, request),
    clock: ports.clock,
    claims: claimsOf(ports),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(signal === undefined ? {} : { signal }),
    ...(onProgress === undefined ? {} : { onProgress }),
    onRow: (outcome) => {
      if (outcome.status !== 'imported' || outcome.id === null) return
      const detail = `imported from ${file.fileName}, row ${outcome.planned.row}`
      ports.audit.append({ action: 'imported', libraryId: outcome.id, libraryName: outcome.planned.name || null, outcome: 'ok', detail }).catch(ignoreAuditFailure)
    }
  })
  const rows = outcomeRows(outcomes)
  const counts = countRows(rows)
  const cancelled = signal?.aborted === true
  const complete = counts.imported === counts.total
  const detail = `${file.fileName}: ${summary(counts)}${cancelled ? ' (cancelled)' : ''}`
  ports.audit.append({ action: 'imported', libraryId: null, libraryName: null, outcome: complete ? 'ok' : 'error', detail }).catch(ignoreAuditFailure)
  return { fileName: file.fileName, format: file.format, dryRun: false, rows, counts, hostsToConfirm: plan.hostsToConfirm, cancelled, startedAt, finishedAt: ports.clock.now() }
}

/** One row, added exactly as the add dialog adds it. */
async function sendRow(ports: ImportPorts, request: CheckedRequest): Promise<{ id: string; name: string }> {
  if (request.system === 'apicbase') {
    const added = await addLibrary(ports, request.input)
    return { id: added.id, name: added.name }
  }
  // The row was checked against addKeyInput, the bridge's own schema for 'keys.add'.
  const meta = await ports.keys.add(request.input as unknown as NewKey)
  return { id: meta.id, name: meta.name }
}

/** The one-time secrets sent (or being sent) by any import of this vault: a token goes out once, whatever runs. */
const claims = new WeakMap<object, Set<string>>()

function claimsOf(ports: ImportPorts): Set<string> {
  let set = claims.get(ports.vault)
  if (set === undefined) {
    set = new Set()
    claims.set(ports.vault, set)
  }
  return set
}
