// What an import tells a person, row by row, and the file they can save (CSV or JSON): numbers, names, systems,
// statuses and Larder's own sentences. Built from the checked rows and their outcomes, never from a row's cells, so no
// secret can reach it (the tests scan every report for every secret of the file).
import type { ImportCounts, ImportReportView, ImportRowView } from '../../../../shared/contract/import.ts'
import { csvCell } from '../../audit/index.ts'
import type { PlannedRow } from './check-rows.ts'
import type { RowOutcome } from './run-rows.ts'

/** The dry run's rows: what an import would do with each. */
export function checkedRows(rows: readonly PlannedRow[]): ImportRowView[] {
  return rows.map((planned) => rowView(planned, planned.status, planned.problems[0]?.message ?? null, planned.problems, null))
}

/** The import's rows: what happened to each. */
export function outcomeRows(outcomes: readonly RowOutcome[]): ImportRowView[] {
  return outcomes.map((outcome) => rowView(outcome.planned, outcome.status, outcome.message, outcome.problems, outcome.id))
}

function rowView(planned: PlannedRow, status: ImportRowView['status'], message: string | null, problems: ImportRowView['problems'], id: string | null): ImportRowView {
  return { row: planned.row, line: planned.line, name: planned.name, system: planned.system, status, message, problems, hostToConfirm: planned.hostToConfirm, id }
}

export function countRows(rows: readonly ImportRowView[]): ImportCounts {
  const counts = { total: rows.length, ready: 0, imported: 0, failed: 0, problem: 0, duplicate: 0, spent: 0, cancelled: 0 }
  for (const row of rows) counts[row.status]++
  return counts
}

/** "120 rows: 100 imported, 5 failed, 10 duplicates, 3 spent, 2 with problems". */
export function summary(counts: ImportCounts): string {
  const parts = [
    counts.ready > 0 ? `${counts.ready} ready` : null,
    counts.imported > 0 ? `${counts.imported} imported` : null,
    counts.failed > 0 ? `${counts.failed} failed` : null,
    counts.duplicate > 0 ? `${counts.duplicate} duplicate${counts.duplicate === 1 ? '' : 's'}` : null,
    counts.spent > 0 ? `${counts.spent} spent` : null,
    counts.problem > 0 ? `${counts.problem} with problems` : null,
    counts.cancelled > 0 ? `${counts.cancelled} cancelled` : null
  ].filter((part) => part !== null)
  return `${counts.total} row${counts.total === 1 ? '' : 's'}${parts.length === 0 ? '' : `: ${parts.join(', ')}`}`
}

const CSV_HEADER = ['row', 'line', 'name', 'system', 'status', 'field', 'message', 'host to confirm', 'larder id']

/** One line per row (its first problem's field with the message; every problem in the JSON report). */
export function reportCsv(report: ImportReportView): string {
  const lines = [CSV_HEADER, ...report.rows.map((row) => [String(row.row), row.line === null ? '' : String(row.line), row.name, row.system ?? '', row.status, row.problems[0]?.field ?? '', row.message ?? '', row.hostToConfirm ?? '', row.id ?? ''])]
  return `${lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`
}

export function reportJson(report: ImportReportView): string {
  const { fileName, format, dryRun, cancelled, startedAt, finishedAt, counts, hostsToConfirm, rows } = report
  return `${JSON.stringify({ fileName, format, dryRun, cancelled, startedAt: new Date(startedAt).toISOString(), finishedAt: new Date(finishedAt).toISOString(), counts, hostsToConfirm, rows }, null, 2)}\n`
}

/**
 * The report within `maxBytes` of JSON (a terminal's answer travels in one line of at most 16 MiB): messages shortened
 * and only each row's first problem, then the rows that went well left out, then the last rows; `rowsLeftOut` says
 * how many. The counts stay whole. A report that fits is answered as it is.
 */
export function fitReport(report: ImportReportView, maxBytes: number): ImportReportView {
  const size = (candidate: ImportReportView): number => Buffer.byteLength(JSON.stringify(candidate))
  if (size(report) <= maxBytes) return report
  const short = (text: string | null, max: number): string | null => (text === null || text.length <= max ? text : `${text.slice(0, max - 1)}…`)
  const trimmed = report.rows.map((row) => ({ ...row, name: short(row.name, 80) ?? '', message: short(row.message, 200), problems: row.problems.slice(0, 1).map((problem) => ({ field: problem.field, message: short(problem.message, 200) ?? '' })) }))
  let fitted: ImportReportView = { ...report, rows: trimmed }
  if (size(fitted) <= maxBytes) return fitted
  const wanting = trimmed.filter((row) => row.status !== 'ready' && row.status !== 'imported')
  fitted = { ...report, rows: wanting, rowsLeftOut: report.rows.length - wanting.length }
  for (let measured = size(fitted); measured > maxBytes; measured = size(fitted)) {
    const keep = Math.floor(fitted.rows.length * (maxBytes / measured) * 0.95)
    fitted = { ...fitted, rows: fitted.rows.slice(0, keep), rowsLeftOut: report.rows.length - keep }
  }
  return fitted
}
