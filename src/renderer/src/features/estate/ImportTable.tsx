// Every row of an import's dry run or report: its number, name, system, status and what Larder found in it. A page of
// rows at a time (a file may hold 100,000 rows; a page keeps the table a real, readable table of a hundred), and
// "Only rows with problems" to see what needs fixing.
import { useId, useMemo, useState } from 'react'
import type { ImportRowView } from '../../../../shared/contract.ts'
import { SYSTEM_LABEL } from '../../../../shared/status-words.ts'
import { IMPORT_STATUS_WORD, isFine, rowFindings } from './estate-words.ts'

/** Rows on one page of the table. */
export const IMPORT_PAGE_ROWS = 100

export interface ImportTableProps {
  readonly rows: readonly ImportRowView[]
  /** The file's name, for the table's caption. */
  readonly fileName: string
}

export function ImportTable({ rows, fileName }: ImportTableProps): React.JSX.Element {
  const uid = useId()
  const [onlyProblems, setOnlyProblems] = useState(false)
  const [page, setPage] = useState(0)
  const shown = useMemo(() => (onlyProblems ? rows.filter((row) => !isFine(row.status)) : rows), [rows, onlyProblems])
  const pages = Math.max(1, Math.ceil(shown.length / IMPORT_PAGE_ROWS))
  // A new report (or the filter) may have fewer pages than the one shown.
  const current = Math.min(page, pages - 1)
  const first = current * IMPORT_PAGE_ROWS
  const pageRows = shown.slice(first, first + IMPORT_PAGE_ROWS)
  const range = shown.length === 0 ? 'No rows' : `Rows ${(first + 1).toLocaleString()}–${(first + pageRows.length).toLocaleString()} of ${shown.length.toLocaleString()}`

  return (
    <div className="import-table-wrap">
      <div className="import-table-bar">
        <div className="check">
          <input
            id={`${uid}-only`}
            type="checkbox"
            checked={onlyProblems}
            onChange={(event) => {
              setOnlyProblems(event.target.checked)
              setPage(0)
            }}
          />
          <label htmlFor={`${uid}-only`}>Only rows with problems</label>
        </div>
        <span className="import-table-range" aria-live="polite">
          {range}
        </span>
        {pages > 1 ? (
          <span className="import-table-pages" role="group" aria-label="Pages of rows">
            <button type="button" className="button small" disabled={current === 0} onClick={() => setPage(current - 1)}>
              Previous rows
            </button>
            <button type="button" className="button small" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
              Next rows
            </button>
          </span>
        ) : null}
      </div>
      <table className="import-table">
        <caption className="visually-hidden">Rows of {fileName}</caption>
        <thead>
          <tr>
            <th scope="col" className="col-row">
              Row
            </th>
            <th scope="col">Name</th>
            <th scope="col">System</th>
            <th scope="col">Status</th>
            <th scope="col">What Larder found</th>
          </tr>
        </thead>
        <tbody>
          {pageRows.map((row) => (
            <tr key={row.row} className={`import-row import-row-${row.status}`}>
              <td className="col-row">
                {row.row.toLocaleString()}
                {row.line !== null && row.line !== row.row + 1 ? <span className="muted"> (line {row.line.toLocaleString()})</span> : null}
              </td>
              <th scope="row" className="col-name">
                {row.name === '' ? <span className="muted">no name</span> : row.name}
              </th>
              <td>{row.system === null ? <span className="muted">unknown</span> : SYSTEM_LABEL[row.system]}</td>
              <td>
                <span className={`import-status import-status-${row.status}`}>{IMPORT_STATUS_WORD[row.status]}</span>
              </td>
              <td className="col-findings">{rowFindings(row)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {onlyProblems && shown.length === 0 ? <p className="muted">No row has a problem.</p> : null}
    </div>
  )
}
