// The dry run: every row checked as a hand-added library or key would be, with nothing sent and nothing stored. The
// same schemas (addLibraryInput, addKeyInput) and the same core checks (checkNewLibrary: pasted pair, spent token, API
// host, names, a library held already; a key system's parseDetails, labels, token and host) decide, and then what only
// a file can have: a row repeating an earlier row's refresh token, key token, or service-account client ID, and a token
// pair Larder holds already (importing it would spend the pair that library uses).
import { addKeyInput, addLibraryInput } from '../../../../shared/contract.ts'
import { classifyApiBaseUrl } from '../../../../shared/api-host.ts'
import { describeHeld, duplicateWarning, heldWithClientId, type HeldLibrary } from '../../../../shared/duplicate-library.ts'
import { trimPasted } from '../../../../shared/pasted-text.ts'
import type { SystemId } from '../../systems/system.ts'
import { normalizeApiBaseUrl } from '../../apicbase/index.ts'
import { InputError } from '../../errors.ts'
import { checkToken, label } from '../../keys/key-service.ts'
import { checkNewLibrary } from '../../libraries/adding.ts'
import type { LibraryMeta, TokenType } from '../../model.ts'
import { hostToConfirm } from '../../systems/hosts.ts'
import { keySystemOf, type KeySystemId } from '../../systems/registry.ts'
import { spentFingerprint, type Vault } from '../../vault/index.ts'
import { columnLabel, type ColumnId } from './columns.ts'
import { readRow, type ImportProblem, type RowRequest } from './read-row.ts'
import type { Sheet } from './read-sheet.ts'

export type CheckStatus = 'ready' | 'problem' | 'duplicate' | 'spent'

/** What an import sends for a ready row: the input of 'libraries.add' or of 'keys.add', as checked. */
export type CheckedRequest =
  | { readonly system: 'apicbase'; readonly input: Readonly<Record<string, unknown>> }
  | { readonly system: KeySystemId; readonly input: Readonly<Record<string, unknown>> }

export interface PlannedRow {
  readonly row: number
  readonly line: number | null
  readonly name: string
  readonly system: SystemId | null
  readonly status: CheckStatus
  readonly problems: readonly ImportProblem[]
  readonly hostToConfirm: string | null
  /** Null unless ready. Holds secrets: it never leaves the main process. */
  readonly request: CheckedRequest | null
  /** The fingerprint of the row's one-time secret (refresh token, key token): sent at most once per import. */
  readonly once: string | null
  /** The row's secrets, so no message about it can repeat one. */
  readonly secrets: readonly string[]
}

export interface ImportPlan {
  readonly rows: readonly PlannedRow[]
  readonly hostsToConfirm: readonly string[]
}

export interface CheckOptions {
  /** Hosts that are not a system's own which this import may send to (a person confirmed each by name). */
  readonly confirmedHosts: readonly string[]
}

/** The core's field names, as the columns a person sees. */
const COLUMN_OF_FIELD: Readonly<Record<string, ColumnId>> = {
  tokenType: 'tokenType',
  name: 'name',
  clientId: 'clientId',
  clientSecret: 'clientSecret',
  accessToken: 'accessToken',
  refreshToken: 'refreshToken',
  apiBaseUrl: 'apiBaseUrl',
  confirmedHost: 'apiBaseUrl',
  confirmDuplicateOf: 'clientId',
  customer: 'customer',
  token: 'token',
  notes: 'notes',
  system: 'system',
  details: 'apiBaseUrl',
  'details.kind': 'kind',
  'details.organisation': 'organisation',
  'details.owner': 'owner',
  'details.keepAlive': 'keepAlive',
  'details.apiBaseUrl': 'apiBaseUrl',
  'details.scopes': 'scopes',
  'details.bases': 'bases',
  'details.serviceUser': 'serviceUser',
  'details.environment': 'environment',
  'details.expiresAt': 'expires',
  'details.carry': 'carry',
  'details.carry.name': 'headerName',
  'details.checkUrl': 'checkUrl',
  'details.envName': 'envName'
}

/** 'details.scopes.3' → 'scopes'; a service token's host is its check URL's. */
function fieldLabel(field: string, system: SystemId): string {
  if ((field === 'confirmedHost' || field === 'details') && system === 'service_token') return columnLabel('checkUrl')
  const parts = field.split('.')
  for (let length = parts.length; length > 0; length--) {
    const column = COLUMN_OF_FIELD[parts.slice(0, length).join('.')]
    if (column !== undefined) return columnLabel(column)
  }
  return 'row'
}

export async function checkRows(vault: Vault, sheet: Sheet, options: CheckOptions): Promise<ImportPlan> {
  const checker = new RowChecker(vault, options)
  const rows: PlannedRow[] = []
  for (const row of sheet.rows) rows.push(await checker.check(row))
  return { rows, hostsToConfirm: [...new Set(rows.flatMap((row) => (row.hostToConfirm === null ? [] : [row.hostToConfirm])))] }
}

interface Outcome {
  readonly problems: ImportProblem[]
  status: CheckStatus
  hostToConfirm: string | null
  request: CheckedRequest | null
  once: string | null
}

/** Holds what the rows checked so far claimed (tokens, client IDs) and what Larder holds (read once, when needed). */
class RowChecker {
  readonly #vault: Vault
  readonly #confirmed: ReadonlySet<string>
  /** Fingerprint of a ready row's one-time secret → that row's number. */
  readonly #onceRows = new Map<string, number>()
  /** Ready library rows by client ID, as the duplicate rule reads held libraries. */
  readonly #clientRows = new Map<string, HeldLibrary[]>()
  #heldByClient: Map<string, LibraryMeta[]> | null = null
  readonly #heldTokens = new Map<string, Promise<Map<string, string>>>()
  #heldKeyTokens: Promise<Map<string, string>> | null = null

  constructor(vault: Vault, options: CheckOptions) {
    this.#vault = vault
    this.#confirmed = new Set(options.confirmedHosts)
  }

  async check(row: Sheet['rows'][number]): Promise<PlannedRow> {
    const reading = readRow(row)
    const outcome: Outcome = { problems: [...reading.problems], status: 'problem', hostToConfirm: null, request: null, once: null }
    if (reading.request !== null && reading.system !== null) {
      if (reading.request.system === 'apicbase') await this.#library(reading.request.input, row.row, outcome)
      else await this.#key(reading.request, outcome)
    }
    if (outcome.status !== 'spent' && outcome.status !== 'duplicate') outcome.status = outcome.problems.length === 0 ? 'ready' : 'problem'
    const ready = outcome.status === 'ready'
    if (ready && outcome.once !== null) this.#onceRows.set(outcome.once, row.row)
    return {
      row: row.row,
      line: row.line,
      name: reading.name,
      system: reading.system,
      status: outcome.status,
      problems: outcome.problems.map((problem) => ({ field: problem.field, message: redact(problem.message, reading.secrets) })),
      hostToConfirm: outcome.hostToConfirm,
      request: ready ? outcome.request : null,
      once: outcome.once,
      secrets: reading.secrets
    }
  }

  async #library(raw: Record<string, unknown>, rowNumber: number, outcome: Outcome): Promise<void> {
    const parsed = addLibraryInput.safeParse(raw)
    if (!parsed.success) return schemaProblems(parsed.error.issues, 'apicbase', outcome)
    const input: Record<string, unknown> = { ...parsed.data }
    const host = this.#libraryHost(input)
    if (host !== null) {
      if (this.#confirmed.has(host)) input['confirmedHost'] = host
      else outcome.hostToConfirm = host
    }
    const refreshToken = trimPasted(parsed.data.refreshToken)
    if (this.#isSpent(refreshToken)) {
      // Most often the row was imported (or added) before: say which library holds its client ID, if one does.
      const [held] = heldWithClientId(this.#heldWithClient(parsed.data.clientId), { clientId: parsed.data.clientId, tokenType: parsed.data.tokenType })
      const hint = held === undefined ? 'ask the library owner for a new token' : `Larder holds ${describeHeld(held)} with this client ID, most likely this row added before`
      return mark(outcome, 'spent', 'refreshToken', `Larder already used this refresh token (it was exchanged for a new pair), so it no longer works: ${hint}. Nothing is sent.`)
    }
    // The core's own checks, shown only the libraries of this client ID: its held-library rule reads no others.
    const sameClient = this.#heldWithClient(parsed.data.clientId)
    const vault = { isSpent: (token: string) => this.#vault.isSpent(token), settings: () => this.#vault.settings(), list: () => sameClient }
    let checked: ReturnType<typeof checkNewLibrary>
    try {
      checked = checkNewLibrary({ vault }, input)
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      if (error.field === 'confirmDuplicateOf') {
        const tokenType = parsed.data.tokenType
        const held = heldWithClientId(sameClient, { clientId: parsed.data.clientId, tokenType })
        return mark(outcome, 'duplicate', 'clientId', `${duplicateWarning(held, tokenType)} Not imported; add it by hand to keep a second entry.`)
      }
      if (error.field === 'confirmedHost' && host !== null) return hostProblem(outcome, 'api base url', host)
      outcome.problems.push({ field: fieldLabel(error.field, 'apicbase'), message: error.message })
      return
    }
    outcome.once = spentFingerprint(checked.refreshToken)
    const earlier = this.#onceRows.get(outcome.once)
    if (earlier !== undefined) return mark(outcome, 'duplicate', 'refreshToken', `Row ${earlier} has the same refresh token; it is sent once, for row ${earlier}.`)
    const [first] = heldWithClientId(this.#clientRows.get(checked.clientId) ?? [], checked)
    if (first !== undefined) {
      return mark(outcome, 'duplicate', 'clientId', `Row ${first.name} has the same client ID and token type: most likely the same library. Only the first is imported; add a second entry by hand.`)
    }
    const holder = (await this.#heldRefreshTokens(checked.clientId)).get(outcome.once)
    if (holder !== undefined) {
      return mark(outcome, 'duplicate', 'refreshToken', `Larder already holds this token pair (${holder}). Importing it would spend the pair that library uses; nothing is sent.`)
    }
    // (checkNewLibrary refuses an unconfirmed host itself; this keeps such a row from ever reading as ready.)
    if (outcome.hostToConfirm !== null) return hostProblem(outcome, 'api base url', outcome.hostToConfirm)
    const rows = this.#clientRows.get(checked.clientId) ?? []
    rows.push(rowAsHeld(rowNumber, checked.clientId, checked.tokenType))
    this.#clientRows.set(checked.clientId, rows)
    outcome.request = { system: 'apicbase', input }
  }

  async #key(request: Extract<RowRequest, { readonly system: KeySystemId }>, outcome: Outcome): Promise<void> {
    const parsed = addKeyInput.safeParse(request.input)
    if (!parsed.success) return schemaProblems(parsed.error.issues, request.system, outcome)
    const system = keySystemOf(request.system)
    const input: Record<string, unknown> = { ...parsed.data }
    let token: string
    try {
      const details = system.parseDetails(parsed.data.details)
      label('name', parsed.data.name, 200, true)
      if (parsed.data.customer !== undefined) label('customer', parsed.data.customer, 200, false)
      if (parsed.data.notes !== undefined) label('notes', parsed.data.notes, 2_000, false)
      token = checkToken(parsed.data.token)
      const host = hostToConfirm(system, details)
      if (host !== null) {
        if (this.#confirmed.has(host.host)) input['confirmedHost'] = host.host
        else hostProblem(outcome, fieldLabel('confirmedHost', request.system), host.host)
      }
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      outcome.problems.push({ field: fieldLabel(error.field, request.system), message: error.message })
      return
    }
    if (this.#isSpent(token)) return mark(outcome, 'spent', 'token', 'This token was replaced by a newer one and no longer works: paste the current token.')
    outcome.once = spentFingerprint(token)
    const earlier = this.#onceRows.get(outcome.once)
    if (earlier !== undefined) return mark(outcome, 'duplicate', 'token', `Row ${earlier} has the same token; only row ${earlier} is imported.`)
    const holder = (await this.#heldKeys()).get(outcome.once)
    if (holder !== undefined) return mark(outcome, 'duplicate', 'token', `Larder already holds this token (key "${holder}"). Not imported.`)
    if (outcome.problems.length === 0) outcome.request = { system: request.system, input }
  }

  /** The host a library's API base URL (or the default) sends to, when it is not Apicbase's or this computer. */
  #libraryHost(input: Record<string, unknown>): string | null {
    const base = input['apiBaseUrl']
    try {
      const url = normalizeApiBaseUrl(typeof base === 'string' && base.trim() !== '' ? base.trim() : this.#vault.settings().defaultApiBaseUrl)
      const host = classifyApiBaseUrl(url)
      return host?.kind === 'other' ? host.host : null
    } catch {
      return null // checkNewLibrary says what is wrong with it
    }
  }

  #isSpent(token: string): boolean {
    try {
      return this.#vault.isSpent(token)
    } catch {
      return false // not a token at all: its own check says so
    }
  }

  /** The refresh tokens Larder holds for libraries of this client ID: fingerprint → which library. Read once per ID. */
  #heldRefreshTokens(clientId: string): Promise<Map<string, string>> {
    let found = this.#heldTokens.get(clientId)
    if (found === undefined) {
      found = this.#readHeldTokens(clientId)
      this.#heldTokens.set(clientId, found)
    }
    return found
  }

  /** The libraries Larder holds with this client ID (read once per dry run: every row's checks see the same vault). */
  #heldWithClient(clientId: string): readonly LibraryMeta[] {
    this.#heldByClient ??= groupByClient(this.#vault.list())
    return this.#heldByClient.get(trimPasted(clientId)) ?? []
  }

  async #readHeldTokens(clientId: string): Promise<Map<string, string>> {
    const held = new Map<string, string>()
    for (const library of this.#heldWithClient(clientId)) {
      try {
        const { refreshToken } = await this.#vault.secrets(library.id, ['refreshToken'])
        held.set(spentFingerprint(refreshToken), describeHeld(library))
      } catch {
        // A record whose secrets do not open (changed outside Larder) holds nothing this row could repeat.
      }
    }
    return held
  }

  #heldKeys(): Promise<Map<string, string>> {
    this.#heldKeyTokens ??= (async () => {
      const held = new Map<string, string>()
      for (const key of this.#vault.keys()) {
        try {
          held.set(spentFingerprint((await this.#vault.keySecret(key.id)).token), key.name)
        } catch {
          // A refused key (its record was changed outside Larder) cannot be compared.
        }
      }
      return held
    })()
    return this.#heldKeyTokens
  }
}

function groupByClient<T extends HeldLibrary>(held: readonly T[]): Map<string, T[]> {
  const byClient = new Map<string, T[]>()
  for (const library of held) {
    const group = byClient.get(library.clientId) ?? []
    group.push(library)
    byClient.set(library.clientId, group)
  }
  return byClient
}

/** An earlier row as the held-library rule reads one (its name is its row number, for the message). */
function rowAsHeld(row: number, clientId: string, tokenType: TokenType): HeldLibrary {
  return { id: `row-${row}`, name: String(row), tokenType, clientId, apicbaseLibraryId: null, apicbaseLibraryName: null, addedAt: row }
}

function mark(outcome: Outcome, status: 'spent' | 'duplicate', column: ColumnId, message: string): void {
  outcome.status = status
  outcome.problems.unshift({ field: columnLabel(column), message })
}

function hostProblem(outcome: Outcome, field: string, host: string): void {
  outcome.hostToConfirm = host
  outcome.problems.push({
    field,
    message: `${host} is not the system's own address. An import sends secrets there only when told to trust that host (larder import --confirm-host ${host}, or confirm it in the window).`
  })
}

function schemaProblems(issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[], system: SystemId, outcome: Outcome): void {
  for (const issue of issues.slice(0, 10)) {
    const field = fieldLabel(issue.path.map(String).join('.'), system)
    outcome.problems.push({ field, message: `The ${field}: ${issue.message}` })
  }
}

/** A message with none of the row's secrets in it (the core's words never hold one; this makes sure). */
export function redact(message: string, secrets: readonly string[]): string {
  let clean = message
  for (const secret of secrets) if (secret.length >= 4 && clean.includes(secret)) clean = clean.split(secret).join('…')
  return clean
}
