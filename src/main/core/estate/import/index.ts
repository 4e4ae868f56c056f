// Bulk import of libraries and keys from CSV or JSON (issue 17, item 1): read the file, check every row as a hand-added
// one would be (the dry run: nothing sent, nothing stored), then send the ready rows a few at a time. The app layer
// (src/main/app/use-cases/import-estate.ts) adds the audit trail, progress events and the bridge's calls.
export { COLUMN_IDS, columnHeaders, columnLabel, columnOf, COLUMNS_OF, normalizeHeader, SECRET_COLUMNS, type ColumnId } from './columns.ts'
export { detectFormat, ImportFileError, readSheet, type Sheet, type SheetRow } from './read-sheet.ts'
export { readImportFile, writeReportFile, type ImportFileText } from './read-import-file.ts'
export { readRow, type ImportProblem } from './read-row.ts'
export { checkRows, redact, type CheckedRequest, type CheckStatus, type ImportPlan, type PlannedRow } from './check-rows.ts'
export { DEFAULT_CONCURRENCY, runRows, type ImportProgress, type RowOutcome, type RowSender } from './run-rows.ts'
export { checkedRows, countRows, fitReport, outcomeRows, reportCsv, reportJson, summary } from './import-report.ts'
