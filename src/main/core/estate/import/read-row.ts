// One row's cells as the input a person would have typed into the add dialog: an Apicbase library (addLibraryInput's
// fields) or a key of another system (addKeyInput's, its details by its system). Only how cells become fields is
// decided here (which columns a system takes, lists, dates, yes/no); what the fields mean is checked afterwards by the
// same schemas and core checks as a hand-added library or key (check-rows.ts). Values are never quoted in a problem.
import { SYSTEM_LABEL } from '../../../../shared/status-words.ts'
import type { SystemId } from '../../systems/system.ts'
import { TOKEN_TYPES } from '../../model.ts'
import { columnLabel, COLUMNS_OF, SECRET_COLUMNS, type ColumnId } from './columns.ts'
import type { CellValue, Cells, SheetRow } from './read-sheet.ts'

export interface ImportProblem {
  /** A column's name as the README gives it ('refresh token'), or 'row'. */
  readonly field: string
  readonly message: string
}

/** What a row asks for, as the add dialog would send it (before the schemas and the core have checked it). */
export type RowRequest =
  | { readonly system: 'apicbase'; readonly input: Record<string, unknown> }
  | { readonly system: Exclude<SystemId, 'apicbase'>; readonly input: Record<string, unknown> & { readonly details: Record<string, unknown> } }

export interface RowReading {
  readonly name: string
  readonly system: SystemId | null
  /** Null when a problem already stops the row (its system unknown, a field missing or unreadable). */
  readonly request: RowRequest | null
  readonly problems: readonly ImportProblem[]
  /** Every secret the row holds, so no message about it can repeat one. */
  readonly secrets: readonly string[]
}

const SYSTEM_WORDS: Readonly<Record<string, SystemId>> = { apicbase: 'apicbase', safetyculture: 'safetyculture', airtable: 'airtable', servicetoken: 'service_token' }
const TOKEN_TYPE_WORDS: Readonly<Record<string, (typeof TOKEN_TYPES)[number]>> = {
  ...Object.fromEntries(TOKEN_TYPES.map((type) => [type, type])),
  personal_token: 'personal',
  connected_app: 'connected_application'
}
const YES = new Set(['true', 'yes', 'y', '1', 'on'])
const NO = new Set(['false', 'no', 'n', '0', 'off'])
const REQUIRED: { readonly [S in SystemId]: readonly ColumnId[] } = {
  apicbase: ['name', 'tokenType', 'clientId', 'clientSecret', 'accessToken', 'refreshToken'],
  safetyculture: ['name', 'token'],
  airtable: ['name', 'token'],
  service_token: ['name', 'token']
}

export function readRow(row: SheetRow): RowReading {
  const { cells } = row
  const problems: ImportProblem[] = []
  const problem = (column: ColumnId | 'row', message: string): void => void problems.push({ field: column === 'row' ? 'row' : columnLabel(column), message })
  const secrets = SECRET_COLUMNS.flatMap((column) => secretTexts(cells[column]))
  const name = displayName(cells.name)
  if (row.unreadable !== null) problem('row', row.unreadable)
  const system = systemOf(cells.system)
  if (system === null) {
    problem('system', `The system is not one of apicbase, safetyculture, airtable, service-token.`)
    return { name, system, request: null, problems, secrets }
  }
  for (const column of Object.keys(cells) as ColumnId[]) {
    if (!COLUMNS_OF[system].has(column)) problem(column, `${SYSTEM_LABEL[system]} rows have no ${columnLabel(column)}; leave it empty.`)
  }
  for (const column of REQUIRED[system]) if (cells[column] === undefined) problem(column, `The ${columnLabel(column)} is missing.`)
  const reader = new CellReader(cells, problem)
  const request = system === 'apicbase' ? libraryRequest(reader) : keyRequest(system, reader)
  return { name, system, request: problems.length === 0 ? request : null, problems, secrets }
}

function libraryRequest(read: CellReader): RowRequest {
  const tokenType = read.text('tokenType')
  const word = tokenType === undefined ? undefined : TOKEN_TYPE_WORDS[tokenType.trim().toLowerCase().replace(/[\s-]+/g, '_')]
  if (tokenType !== undefined && word === undefined) read.problem('tokenType', `The token type is not one of ${TOKEN_TYPES.join(', ')}.`)
  const input: Record<string, unknown> = {
    tokenType: word ?? '',
    name: read.text('name') ?? '',
    clientId: read.text('clientId') ?? '',
    clientSecret: read.text('clientSecret') ?? '',
    accessToken: read.text('accessToken') ?? '',
    refreshToken: read.text('refreshToken') ?? ''
  }
  const apiBaseUrl = read.text('apiBaseUrl')
  if (apiBaseUrl !== undefined) input['apiBaseUrl'] = apiBaseUrl
  const customer = read.text('customer')
  if (customer !== undefined) input['customer'] = customer
  return { system: 'apicbase', input }
}

function keyRequest(system: Exclude<SystemId, 'apicbase'>, read: CellReader): RowRequest {
  const details: Record<string, unknown> = {}
  const put = (field: string, value: unknown): void => {
    if (value !== undefined) details[field] = value
  }
  put('apiBaseUrl', read.text('apiBaseUrl'))
  if (system === 'safetyculture') {
    const kind = read.text('kind')
    put('kind', kind === undefined ? undefined : kind.trim().toLowerCase().replace(/[\s-]+/g, '_'))
    put('organisation', read.text('organisation'))
    put('owner', read.text('owner'))
    put('keepAlive', read.yesNo('keepAlive'))
  } else if (system === 'airtable') {
    put('scopes', read.list('scopes', /[\s,;]+/))
    put('bases', read.list('bases', /[;\n]+/))
  } else {
    put('serviceUser', read.text('serviceUser'))
    put('environment', read.text('environment'))
    // Absent: the token does not expire (the add dialog's "no expiry").
    details['expiresAt'] = read.date('expires') ?? null
    put('carry', read.carry())
    put('checkUrl', read.text('checkUrl'))
    put('envName', read.text('envName'))
  }
  const input: Record<string, unknown> & { details: Record<string, unknown> } = { system, name: read.text('name') ?? '', token: read.text('token') ?? '', details }
  const customer = read.text('customer')
  if (customer !== undefined) input['customer'] = customer
  const notes = read.text('notes')
  if (notes !== undefined) input['notes'] = notes
  return { system, input }
}

/** Reads cells as text, lists, yes/no and dates, saying what it could not read (never the value itself). */
class CellReader {
  readonly #cells: Cells
  readonly problem: (column: ColumnId, message: string) => void

  constructor(cells: Cells, problem: (column: ColumnId, message: string) => void) {
    this.#cells = cells
    this.problem = problem
  }

  text(column: ColumnId): string | undefined {
    const value = this.#cells[column]
    if (value === undefined || value === null) return undefined
    if (typeof value === 'string') return value
    if (typeof value === 'number' && column !== 'expires') return String(value)
    this.problem(column, `The ${columnLabel(column)} must be text.`)
    return undefined
  }

  list(column: ColumnId, separator: RegExp): string[] | undefined {
    const value = this.#cells[column]
    if (value === undefined || value === null) return undefined
    if (Array.isArray(value)) return value.map((item: string) => item.trim()).filter((item) => item !== '')
    if (typeof value === 'string') return value.split(separator).map((item) => item.trim()).filter((item) => item !== '')
    this.problem(column, `The ${columnLabel(column)} must be text or a list of text.`)
    return undefined
  }

  yesNo(column: ColumnId): boolean | undefined {
    const value = this.#cells[column]
    if (value === undefined || value === null) return undefined
    if (typeof value === 'boolean') return value
    const word = String(value).trim().toLowerCase()
    if (YES.has(word)) return true
    if (NO.has(word)) return false
    this.problem(column, `The ${columnLabel(column)} must be yes or no (true/false, 1/0).`)
    return undefined
  }

  /** An ISO 8601 date or date-time (a date alone is midnight UTC), or a number of ms since 1970. */
  date(column: ColumnId): number | undefined {
    const value = this.#cells[column]
    if (value === undefined || value === null) return undefined
    const text = typeof value === 'string' ? value.trim() : value
    const at = typeof text === 'number' ? text : /^\d{1,16}$/.test(String(text)) ? Number(text) : /^\d{4}-\d{2}-\d{2}/.test(String(text)) ? Date.parse(String(text)) : NaN
    if (Number.isSafeInteger(at) && at >= 0) return at
    this.problem(column, `The ${columnLabel(column)} must be a date like 2027-03-31 (or 2027-03-31T12:00:00Z), or empty for none.`)
    return undefined
  }

  /** `carry` (bearer or header) and `header name`: a header name alone means the token goes in that header. */
  carry(): { kind: 'bearer' } | { kind: 'header'; name: string } | undefined {
    const carry = this.text('carry')?.trim().toLowerCase()
    const name = this.text('headerName')?.trim()
    if (carry !== undefined && carry !== 'bearer' && carry !== 'header') {
      this.problem('carry', 'The carry must be bearer (Authorization: Bearer) or header (the header name column says which).')
      return undefined
    }
    if (name !== undefined && name !== '') {
      if (carry === 'bearer') this.problem('headerName', 'A header name goes with carry header, not bearer.')
      return { kind: 'header', name }
    }
    if (carry === 'header') this.problem('headerName', 'The header name is missing (carry header needs one).')
    return carry === undefined ? undefined : { kind: 'bearer' }
  }
}

function systemOf(value: CellValue | undefined): SystemId | null {
  if (value === undefined || value === null) return 'apicbase'
  if (typeof value !== 'string') return null
  return SYSTEM_WORDS[value.trim().toLowerCase().replace(/[\s_-]+/g, '')] ?? (value.trim() === '' ? 'apicbase' : null)
}

/** The row's name for the report: one line, at most 200 characters; '' when it has none. */
function displayName(value: CellValue | undefined): string {
  if (typeof value !== 'string' && typeof value !== 'number') return ''
  const line = String(value).replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim()
  return line.length > 200 ? `${line.slice(0, 199)}…` : line
}

function secretTexts(value: CellValue | undefined): string[] {
  if (value === undefined || value === null || typeof value === 'boolean') return []
  if (Array.isArray(value)) return value.filter((item: string) => item.trim() !== '')
  const text = String(value).trim()
  return text === '' ? [] : [text, String(value)]
}
