// Audit entries as CSV (RFC 4180) that spreadsheets open safely: every cell is quoted when it needs to be,
// and a cell a spreadsheet would run as a formula is defused with a leading apostrophe.
import type { AuditEntry } from './audit-entry.ts'

// libraryId is Larder's own id; apicbaseLibraryId, tokenType and via say which library that was (issue 19), so two
// rows named alike (a service account, and the same library through a personal token) read apart.
const COLUMNS = ['seq', 'time', 'action', 'libraryId', 'apicbaseLibraryId', 'libraryName', 'tokenType', 'via', 'outcome', 'detail'] as const

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
        entry.apicbaseLibraryId ?? '',
        entry.libraryName ?? '',
        entry.tokenType ?? '',
        entry.via ?? '',
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
