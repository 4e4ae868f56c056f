// The columns a bulk import reads (README "Import"): one per field of a hand-added library or key, named as a person
// writes them. Header names are read case-insensitively, with spaces, underscores and hyphens alike and camelCase
// split ("clientId" is "client id"), so a CSV written by hand and a JSON export of field names both work.
import type { SystemId } from '../../systems/system.ts'

export const COLUMN_IDS = [
  'name',
  'system',
  'tokenType',
  'clientId',
  'clientSecret',
  'accessToken',
  'refreshToken',
  'apiBaseUrl',
  'customer',
  'token',
  'notes',
  'kind',
  'organisation',
  'owner',
  'keepAlive',
  'scopes',
  'bases',
  'serviceUser',
  'environment',
  'expires',
  'carry',
  'headerName',
  'checkUrl',
  'envName'
] as const
export type ColumnId = (typeof COLUMN_IDS)[number]

/** What a column is called in problems and the README (the first), and the other names it is read under. */
const HEADERS: { readonly [C in ColumnId]: readonly [string, ...string[]] } = {
  name: ['name'],
  system: ['system', 'token system', 'provider'],
  tokenType: ['token type', 'type'],
  clientId: ['client id'],
  clientSecret: ['client secret'],
  accessToken: ['access token'],
  refreshToken: ['refresh token'],
  apiBaseUrl: ['api base url', 'base url', 'api url'],
  customer: ['customer', 'customer label'],
  token: ['token', 'api token', 'api key'],
  notes: ['notes'],
  kind: ['kind'],
  organisation: ['organisation', 'organization'],
  owner: ['owner'],
  keepAlive: ['keep alive'],
  scopes: ['scopes'],
  bases: ['bases'],
  serviceUser: ['service user'],
  environment: ['environment'],
  expires: ['expires', 'expires at'],
  carry: ['carry'],
  headerName: ['header name'],
  checkUrl: ['check url'],
  envName: ['env name', 'variable']
}

/** Columns whose values are secrets: never in a report, a message or the audit trail. */
export const SECRET_COLUMNS: readonly ColumnId[] = ['clientSecret', 'accessToken', 'refreshToken', 'token']

const common: readonly ColumnId[] = ['name', 'system']
const keyCommon: readonly ColumnId[] = [...common, 'customer', 'notes', 'token']

/** The columns a row of each system may fill; a value in any other is a problem (a shifted column, a mixed-up row). */
export const COLUMNS_OF: { readonly [S in SystemId]: ReadonlySet<ColumnId> } = {
  apicbase: new Set<ColumnId>([...common, 'tokenType', 'clientId', 'clientSecret', 'accessToken', 'refreshToken', 'apiBaseUrl', 'customer']),
  safetyculture: new Set<ColumnId>([...keyCommon, 'kind', 'organisation', 'owner', 'keepAlive', 'apiBaseUrl']),
  airtable: new Set<ColumnId>([...keyCommon, 'scopes', 'bases', 'apiBaseUrl']),
  service_token: new Set<ColumnId>([...keyCommon, 'serviceUser', 'environment', 'expires', 'carry', 'headerName', 'checkUrl', 'envName'])
}

const BY_HEADER = new Map<string, ColumnId>(COLUMN_IDS.flatMap((id) => HEADERS[id].map((header) => [header, id] as const)))

/** "API_base-URL", "apiBaseUrl", " Api Base Url " → "api base url". */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKC')
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim()
}

/** The column a header names, or null. */
export function columnOf(header: string): ColumnId | null {
  return BY_HEADER.get(normalizeHeader(header)) ?? null
}

/** The column's name in problems and the README. */
export function columnLabel(column: ColumnId): string {
  return HEADERS[column][0]
}

/** Every name each column is read under, for the README's table and a file-level error. */
export function columnHeaders(column: ColumnId): readonly string[] {
  return HEADERS[column]
}
