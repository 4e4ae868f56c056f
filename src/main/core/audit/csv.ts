// Audit entries as CSV (RFC 4180) that spreadsheets open safely: every cell is quoted when it needs to be,
// and a cell a spreadsheet would run as a formula is defused with a leading apostrophe.
import type { AuditEntry } from './audit-entry.ts'

const COLUMNS = ['seq', 'time', 'action', 'libraryId', 'libraryName', 'outcome', 'detail'] as const

// = + - @ start formulas in Excel, LibreOffice and Sheets; a leading tab or CR can hide one (OWASP).
const FORMULA_START = /^[=+\-@\t\r]/

export function toCsv(entries: readonly AuditEntry[]): string {
  const rows = [COLUMNS.join(',')]
  for (const entry of entries) {
    rows.push(
      [
        String(entry.seq),
        new Date(entry.at).toISOString(),
        entry.action,
        entry.libraryId ?? '',
        entry.libraryName ?? '',
        entry.outcome,
        entry.detail ?? ''
      ]
        .map(csvCell)
        .join(',')
    )
  }
  return rows.join('\r\n') + '\r\n'
}

export function csvCell(value: string): string {
  const defused = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(defused) ? `"${defused.replace(/"/g, '""')}"` : defused
}
