// An import file's text as rows of cells by column: CSV (csv-parse's sync API: a BOM, CRLF, quoted fields with commas
// and line breaks, blank lines; the delimiter read from the header, so a spreadsheet's ';' export works too) or JSON
// (an array of row objects, or { "rows": [...] }). A file that cannot be read as a whole (not CSV or JSON, unknown or
// repeated columns, too many rows) is one ImportFileError naming what to fix; nothing the file holds is ever quoted
// back, since any cell may be a secret (csv-parse's and JSON.parse's own messages can quote the text).
import { CsvError, parse } from 'csv-parse/sync'
import { IMPORT_MAX_ROWS, type ImportFormat } from '../../../../shared/contract/import.ts'
import { InputError } from '../../errors.ts'
import { columnLabel, columnOf, type ColumnId } from './columns.ts'

/** What a cell holds: CSV gives text; JSON may also give a number, a boolean, null or a list of text. */
export type CellValue = string | number | boolean | null | readonly string[]
export type Cells = Partial<Record<ColumnId, CellValue>>

export interface SheetRow {
  /** 1 for the first row after the header (the JSON array's first element). */
  readonly row: number
  /** The CSV line the row starts on (the header is line 1); null for JSON. */
  readonly line: number | null
  readonly cells: Cells
  /** Why the row as a whole cannot be read (a CSV row with more fields than the header, a JSON element that is no object). */
  readonly unreadable: string | null
}

export interface Sheet {
  readonly format: ImportFormat
  readonly columns: readonly ColumnId[]
  readonly rows: readonly SheetRow[]
}

/** The file as a whole cannot be imported; field 'file'. The message never quotes the file. */
export class ImportFileError extends InputError {
  constructor(message: string) {
    super('file', message)
  }
}

/** The format a file is in: as asked, else by its name's extension, else by its first character. */
export function detectFormat(text: string, fileName: string, asked?: ImportFormat): ImportFormat {
  if (asked !== undefined) return asked
  if (/\.json$/i.test(fileName)) return 'json'
  if (/\.(csv|tsv|txt)$/i.test(fileName)) return 'csv'
  const first = /^\uFEFF?\s*(\S)/.exec(text)?.[1]
  return first === '[' || first === '{' ? 'json' : 'csv'
}

export function readSheet(text: string, format: ImportFormat): Sheet {
  const sheet = format === 'json' ? readJson(text) : readCsv(text)
  if (sheet.rows.length === 0) throw new ImportFileError('The file has no rows to import (only a header, or nothing).')
  if (sheet.rows.length > IMPORT_MAX_ROWS) {
    throw new ImportFileError(`The file has ${sheet.rows.length.toLocaleString('en')} rows; an import takes at most ${IMPORT_MAX_ROWS.toLocaleString('en')}. Split it into several files.`)
  }
  return sheet
}

// ── CSV ──

const CSV_WORDS: Readonly<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by something other than a delimiter',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a closing quote is followed by something other than a delimiter',
  INVALID_OPENING_QUOTE: 'a quote appears inside a field that does not start with one (quote the whole field, doubling the quotes inside it)',
  CSV_MAX_RECORD_SIZE: 'a row is too large'
}

function readCsv(text: string): Sheet {
  type Parsed = { readonly record: string[]; readonly info: { readonly lines: number } }
  let parsed: Parsed[]
  try {
    parsed = parse(text, {
      bom: true,
      delimiter: delimiterOf(text),
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      info: true
    }) as unknown as Parsed[]
  } catch (error) {
    if (error instanceof CsvError) {
      const lines: unknown = (error as unknown as { lines?: unknown }).lines
      const line = typeof lines === 'number' ? ` at line ${lines}` : ''
      throw new ImportFileError(`The file is not CSV Larder can read${line}: ${CSV_WORDS[error.code] ?? 'its quoting or delimiters are broken'}.`)
    }
    throw error
  }
  const [header, ...records] = parsed
  if (header === undefined) throw new ImportFileError('The file is empty.')
  const columns = headerColumns(header.record, records)
  // csv-parse counts a CRLF inside a quoted field as two lines; the lines a person sees count it once.
  let overcounted = 0
  const rows = records.map(({ record, info }, index): SheetRow => {
    const cells: Cells = {}
    columns.forEach((column, i) => {
      const value = record[i]
      if (column !== null && value !== undefined && value !== '') cells[column] = value
    })
    const extra = record.slice(columns.length).some((value) => value.trim() !== '')
    let breaks = 0
    for (const value of record) {
      if (!value.includes('\n') && !value.includes('\r')) continue
      breaks += value.match(/\r\n|\r|\n/g)?.length ?? 0
      overcounted += value.match(/\r\n/g)?.length ?? 0
    }
    return {
      row: index + 1,
      line: info.lines - overcounted - breaks,
      cells,
      unreadable: extra ? `The row has ${record.length} fields; the header has ${columns.length} (a comma inside a value that is not quoted?)` : null
    }
  })
  return { format: 'csv', columns: columns.filter((column) => column !== null), rows }
}

/** ',' unless the header line holds more ';' or tabs (a spreadsheet's export in a locale with decimal commas). */
function delimiterOf(text: string): string {
  const end = text.search(/\r?\n/)
  const header = end === -1 ? text : text.slice(0, end)
  const counts = [',', ';', '\t'].map((delimiter) => [delimiter, header.split(delimiter).length - 1] as const)
  const [best] = [...counts].sort((a, b) => b[1] - a[1])
  return best !== undefined && best[1] > (counts[0]?.[1] ?? 0) ? best[0] : ','
}

/** The column of each header cell; null for a nameless column that holds nothing. Unknown or repeated: the file's error. */
function headerColumns(header: readonly string[], records: readonly { readonly record: readonly string[] }[]): (ColumnId | null)[] {
  const unknown: string[] = []
  const seen = new Map<ColumnId, string>()
  const repeated: string[] = []
  const columns = header.map((name, index): ColumnId | null => {
    if (name.trim() === '') {
      if (records.some(({ record }) => (record[index] ?? '').trim() !== '')) unknown.push(`column ${index + 1} (no name)`)
      return null
    }
    const column = columnOf(name)
    if (column === null) unknown.push(headerName(name, index))
    else if (seen.has(column)) repeated.push(`${headerName(name, index)} and "${seen.get(column) ?? ''}"`)
    else seen.set(column, name)
    return column
  })
  // A first line with no column Larder knows is data, not a header: its cells may be secrets, so none is quoted.
  if (seen.size === 0) throw new ImportFileError('The first line is not a header Larder knows: it names none of the columns the README lists under "Import" (name, system, client id, …).')
  refuseColumns(unknown, repeated)
  return columns
}

// ── JSON ──

function readJson(text: string): Sheet {
  let value: unknown
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    // V8's message quotes the text around the mistake; only the position is said.
    const at = error instanceof Error ? /position (\d+)/.exec(error.message)?.[1] : undefined
    throw new ImportFileError(`The file is not valid JSON${at === undefined ? '' : ` (at character ${at})`}.`)
  }
  const list = Array.isArray(value) ? value : isPlainRecord(value) && Array.isArray(value['rows']) ? (value['rows'] as unknown[]) : null
  if (list === null) throw new ImportFileError('A JSON import is a list of rows ([{…}, …]) or an object with one: {"rows": [{…}, …]}.')
  const unknown = new Set<string>()
  const seenColumns = new Set<ColumnId>()
  const rows = list.map((element, index): SheetRow => {
    if (!isPlainRecord(element)) return { row: index + 1, line: null, cells: {}, unreadable: 'The row is not an object of named fields.' }
    const cells: Cells = {}
    const problems: string[] = []
    const named = new Map<ColumnId, string>()
    for (const [key, cell] of Object.entries(element)) {
      const column = columnOf(key)
      if (column === null) {
        unknown.add(headerName(key, null))
        continue
      }
      if (named.has(column)) problems.push(`"${key}" and "${named.get(column) ?? ''}" are the same field`)
      named.set(column, key)
      seenColumns.add(column)
      const read = jsonCell(cell)
      if (read === undefined) problems.push(`${columnLabel(column)} holds a value no field takes (text, a number, true/false or a list of text)`)
      else if (read !== null && read !== '') cells[column] = read
    }
    return { row: index + 1, line: null, cells, unreadable: problems.length === 0 ? null : `${problems.join('; ')}.` }
  })
  refuseColumns([...unknown], [])
  return { format: 'json', columns: [...seenColumns], rows }
}

function jsonCell(value: unknown): CellValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[]
  return undefined
}

// ── both ──

function refuseColumns(unknown: readonly string[], repeated: readonly string[]): void {
  if (repeated.length > 0) throw new ImportFileError(`These columns name the same field: ${repeated.slice(0, 5).join('; ')}. Keep one of each.`)
  if (unknown.length === 0) return
  const listed = unknown.slice(0, 10).join(', ') + (unknown.length > 10 ? ` and ${unknown.length - 10} more` : '')
  throw new ImportFileError(
    `Unknown column${unknown.length === 1 ? '' : 's'}: ${listed}. Larder reads only the columns the README lists under "Import" ` +
      '(name, system, token type, client id, client secret, access token, refresh token, api base url, customer, token, …); ' +
      'rename or remove the others, so no value is left out unseen.'
  )
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A name Larder may quote: words, not something that could be a token pasted into the header by mistake. */
const WORDS = /^[A-Za-z][A-Za-z ._-]{0,31}$/

/** An unknown header as an error names it: quoted when it reads as words, else by its position only. */
function headerName(text: string, index: number | null): string {
  const name = text.trim()
  if (WORDS.test(name)) return `"${name}"`
  return index === null ? 'a field whose name is not plain words' : `column ${index + 1}`
}
