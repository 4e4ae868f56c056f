// The terminal's handler table (`larder` over the local endpoint): each call's input checked against the terminal
// table like a bridge call, the vault open, the session admitted (asking the person when it is new), then the use
// case. Answers a TerminalResult the command branches on: a locked vault is kind 'vault' with its state, a name that
// matched none or several is 'not_found' with candidates, a refused session 'not_approved'.
import { clientFactsSchema, terminalCalls, type TerminalAnswers, type TerminalCheckedInput, type TerminalRow, type TerminalStatus, type VaultState } from '../../../shared/contract.ts'
import { TERMINAL_CALLS, type ClientFacts, type TerminalCallName, type TerminalError, type TerminalHandler, type TerminalHandlers } from '../../../shared/terminal-words.ts'
import type { LarderCore } from '../../core/larder-core.ts'
import { InputError } from '../../core/errors.ts'
import { HostsToConfirmError } from '../../core/estate/backup/restore-hosts.ts'
import type { KeyMeta } from '../../core/keys/key-model.ts'
import { keyTimeline } from '../../core/keys/key-status.ts'
import type { LibraryWithStatus } from '../../core/libraries/library-service.ts'
import { SYSTEM_LABEL } from '../../../shared/status-words.ts'
import { toBridgeError } from '../bridge-errors.ts'
import { checkedCall } from '../call-table.ts'
import type { LogPort } from '../ports.ts'
import { findLibrary, LibraryChoiceError, type Findable } from '../use-cases/find-library.ts'
import { handOutKeyEnv, handOutKeyToken } from '../use-cases/hand-out-key.ts'
import { handOutEnv, handOutToken } from '../use-cases/hand-out-token.ts'
import { refreshLibrary } from '../use-cases/refresh-library.ts'
import type { EstateActions } from '../use-cases/backup.ts'
import { toLibraryView } from '../views.ts'
import { NotApprovedError, type Grant, type TerminalAccess } from './terminal-access.ts'
import type { ImportRuns } from '../import/import-runs.ts'
import type { TeamActions, TeamPlaceInput } from '../team/team-actions.ts'
import { reachingTeamDatabase } from '../team/team-database-reach.ts'

/** Where the terminal's handlers find the open core and the vault's state. */
export interface TerminalSource {
  core(): LarderCore | null
  state(): VaultState
  /** The open core's backups, restore and exports (issue 17); absent: this host serves none. */
  estate?(): EstateActions | null
  /** The open vault's team calls (issue 16); absent: this host serves none. */
  team?(): TeamActions | null
}

class VaultClosedError extends Error {
  override readonly name = 'VaultClosedError'
  readonly vaultState: string

  constructor(state: VaultState) {
    super(state.state === 'locked' ? 'Larder is locked: unlock it in the app first.' : `Larder's vault is not open (${state.state}).`)
    this.vaultState = state.state
  }
}

class BadClientError extends Error {
  override readonly name = 'BadClientError'
}

type Implementations = {
  readonly [N in TerminalCallName]: (
    input: TerminalCheckedInput<N>,
    core: LarderCore,
    grant: Grant,
    client: ClientFacts,
    pending: (message: string) => void
  ) => Promise<TerminalAnswers[N]> | TerminalAnswers[N]
}

/** `larder import` (src/main/app/import/import-runs.ts). */
export type TerminalImports = Pick<ImportRuns, 'terminal' | 'cancelTerminal'>

export function createTerminalHandlers(source: TerminalSource, access: TerminalAccess, log?: LogPort, imports?: TerminalImports): TerminalHandlers {
  const implementations: Implementations = {
    ls: (_input, core) => {
      const now = core.clock.now()
      const rows = [...core.libraries.list().map((library) => toTerminalRow(library, now)), ...core.vault.keys().map((key) => keyRow(core, key))]
      return { libraries: rows.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)) }
    },
    status: ({ library }, core) => {
      const found = find(core, library)
      return found.kind === 'library' ? toTerminalStatus(found.library, core.clock.now()) : keyStatus(core, found.key)
    },
    token: ({ library, format }, core, grant, client) => {
      const found = find(core, library)
      const to = { session: grant.label, pid: client.pid }
      return found.kind === 'library' ? handOutToken(handOutPorts(core), found.library.id, format, to) : handOutKeyToken(core.keys, found.key, format, to)
    },
    env: async ({ libraries, command }, core, grant, client) => {
      const to = { session: grant.label, pid: client.pid }
      const chosen = libraries.map(({ library, prefix }) => ({ found: find(core, library), ...(prefix === undefined ? {} : { prefix }) }))
      const prefixed = libraries.length > 1 || libraries.some((library) => library.prefix !== undefined)
      const apicbase = chosen.flatMap(({ found, prefix }) => (found.kind === 'library' ? [{ id: found.library.id, ...(prefix === undefined ? {} : { prefix }) }] : []))
      const keys = chosen.flatMap(({ found, prefix }) => (found.kind === 'key' ? [{ meta: found.key, ...(prefix === undefined ? {} : { prefix }) }] : []))
      // Apicbase's names are built first (its own scheme); the keys' may not reuse any of them.
      const env = apicbase.length === 0 ? {} : await handOutEnv(handOutPorts(core), apicbase, command, to, prefixed)
      return { env: { ...env, ...(keys.length === 0 ? {} : await handOutKeyEnv(core.keys, keys, prefixed, command, to, new Set(Object.keys(env)))) } }
    },
    // Adds secrets like a hand-added library: only a session the person allowed gets here (admit, below).
    import: ({ path, dryRun, confirmedHosts, format, importId }, _core, grant, _client, pending) => {
      if (imports === undefined) throw new InputError('import', 'This Larder does not import files.')
      return imports.terminal({ path, dryRun, confirmedHosts, ...(format === undefined ? {} : { format }), ...(importId === undefined ? {} : { importId }) }, pending, grant.sessionId)
    },
    // Ctrl-C of `larder import`: admitted like the import itself, and only for an import its own session started.
    'import-cancel': ({ importId }, _core, grant) => {
      if (imports === undefined) throw new InputError('import', 'This Larder does not import files.')
      return imports.cancelTerminal(importId, grant.sessionId)
    },
    // Answered by the app lock's guard (lock/guard-terminal.ts), with no approval asked; never reached through here.
    lock: () => {
      throw new InputError('lock', 'This Larder has no lock.')
    },
    forget: () => {
      throw new InputError('lock', 'This Larder has no lock.')
    },
    refresh: async ({ library }, core) => {
      const found = find(core, library)
      if (found.kind === 'key') {
        throw new InputError('library', `${found.key.name} is a ${SYSTEM_LABEL[found.key.system]} key: Larder keeps it as given and does not refresh it. \`larder status\` shows its last check.`)
      }
      return toTerminalRow(await refreshLibrary(core, found.library.id), core.clock.now())
    },
    // Backups, restore and the configuration without secrets (issue 17): the same use cases as the window's.
    backup: ({ path, passphrase }) => estate(source).createBackup(path, passphrase),
    // A long restore says how far it is (pending lines), which keeps the command's silence timeout from ending it.
    restore: ({ path, passphrase, dryRun, takeOver, confirmedHosts }, _core, _grant, _client, pending) => {
      const request = { takeOver, confirmedHosts: confirmedHosts ?? [], progress: pending }
      return dryRun ? estate(source).inspectBackup(path, passphrase, request) : estate(source).restoreBackup(path, passphrase, request)
    },
    'export-config': ({ path }) => estate(source).exportConfig(path),
    // The team (issue 16): the window's Team calls, for a machine without a window (`larder agent`).
    'team-status': () => team(source).state(),
    'team-create': (input) => reachingTeamDatabase(() => team(source).create(placeOf(input)), CHECK_GIVEN),
    'team-join': (input) => reachingTeamDatabase(() => team(source).requestJoin(placeOf(input)), CHECK_GIVEN),
    'team-approve': ({ code }) => reachingTeamDatabase(() => team(source).approve(code), CHECK_SAVED),
    'team-leave': () => reachingTeamDatabase(() => team(source).leave(), CHECK_SAVED),
    'team-take-home': () => reachingTeamDatabase(() => team(source).takeHome(), CHECK_SAVED)
  }
  const table: Partial<Record<TerminalCallName, TerminalHandler>> = {}
  for (const name of TERMINAL_CALLS) {
    const implementation = implementations[name] as (input: unknown, core: LarderCore, grant: Grant, client: ClientFacts, pending: (message: string) => void) => unknown
    const run = async (input: unknown, rawClient: ClientFacts, pending: (message: string) => void): Promise<unknown> => {
      const client = clientFactsSchema.safeParse(rawClient)
      if (!client.success) throw new BadClientError('The terminal did not say who it is in a form Larder reads.')
      const core = openCore(source)
      const grant = await access.admit(client.data, pending, namedLibrary(input))
      // The vault may have been locked while the person was asked.
      return implementation(input, openCore(source) ?? core, grant, client.data, pending)
    }
    table[name] = checkedCall(name, terminalCalls[name].input, run, { log, toError: toTerminalError })
  }
  return table as TerminalHandlers
}

function estate(source: TerminalSource): EstateActions {
  const actions = source.estate?.() ?? null
  if (actions === null) throw new VaultClosedError(source.state())
  return actions
}

const CHECK_GIVEN = 'Check LARDER_TEAM_DATABASE_URL (user, password, host, port, database) and --ca.'
const CHECK_SAVED = "Check this machine's network connection to the team database; `larder team status` says whether it is online."

function team(source: TerminalSource): TeamActions {
  const actions = source.team?.() ?? null
  if (actions === null) throw new VaultClosedError(source.state())
  return actions
}

/** The checked input without the optional fields left out (the team's actions take no undefined). */
function placeOf(input: TerminalCheckedInput<'team-join'>): TeamPlaceInput {
  return { databaseUrl: input.databaseUrl, name: input.name, ...(input.caPem === undefined ? {} : { caPem: input.caPem }), ...(input.schema === undefined ? {} : { schema: input.schema }) }
}

function openCore(source: TerminalSource): LarderCore {
  const core = source.core()
  if (core && source.state().state === 'open') return core
  throw new VaultClosedError(source.state())
}

function handOutPorts(core: LarderCore): Parameters<typeof handOutToken>[0] {
  return { vault: core.vault, libraries: core.libraries, personal: core.personal, engine: core.engine, health: core.health, audit: core.audit, clock: core.clock }
}

/** The library a call named, for the approval prompt ("asked for Acme"). */
function namedLibrary(input: unknown): string | null {
  const record = input as { library?: unknown; libraries?: readonly { library?: unknown }[] }
  if (typeof record.library === 'string') return record.library
  const first = record.libraries?.[0]?.library
  return typeof first === 'string' ? first : null
}

export function toTerminalError(error: unknown): TerminalError {
  if (error instanceof NotApprovedError) return { kind: 'not_approved', message: error.message }
  if (error instanceof VaultClosedError) return { kind: 'vault', message: error.message, vaultState: error.vaultState }
  if (error instanceof BadClientError) return { kind: 'invalid_input', message: error.message, field: 'client' }
  if (error instanceof LibraryChoiceError) return { kind: 'not_found', message: error.message, candidates: error.candidates }
  const answer = toBridgeError(error)
  return {
    kind: answer.kind,
    message: answer.message,
    ...(answer.field === undefined ? {} : { field: answer.field }),
    // A restore refused for hosts not confirmed: `larder restore` asks about each on its terminal.
    ...(error instanceof HostsToConfirmError ? { hosts: [...error.hosts] } : {}),
    ...(answer.apiKind === undefined ? {} : { apiKind: answer.apiKind })
  }
}

type Found = { readonly kind: 'library'; readonly library: LibraryWithStatus } | { readonly kind: 'key'; readonly key: KeyMeta }

/** What LIB names, among the libraries and the keys of other systems (one namespace: ids are unique across both). */
function find(core: LarderCore, wanted: string): Found {
  const libraries = core.libraries.list()
  const keys = core.vault.keys()
  const found = findLibrary<Findable>([...libraries, ...keys.map((key) => ({ id: key.id, name: key.name, apicbaseLibraryId: null }))], wanted)
  const library = libraries.find((candidate) => candidate.id === found.id)
  if (library !== undefined) return { kind: 'library', library }
  return { kind: 'key', key: keys.find((key) => key.id === found.id) as KeyMeta }
}

function keyRow(core: LarderCore, key: KeyMeta): TerminalRow {
  const now = core.clock.now()
  const expiresAt = keyTimeline(key).expiresAt
  return {
    id: key.id,
    name: key.name,
    apicbaseLibraryId: null,
    tokenType: null,
    provider: key.system,
    customer: key.customer,
    status: core.vault.keyRefusal(key.id) === undefined ? core.keys.status(key) : 'error',
    expiresAt,
    timeLeftMs: expiresAt === null ? null : expiresAt - now
  }
}

function keyStatus(core: LarderCore, key: KeyMeta): TerminalStatus {
  const check = key.lastCheck
  const identity = check?.identity ?? null
  const actsAs = identity === null ? null : [identity.who ?? identity.id, identity.organisation === null ? null : `organisation ${identity.organisation}`].filter((part) => part !== null).join(', ')
  return {
    ...keyRow(core, key),
    lastRefreshedAt: null,
    lastError: null,
    health: null,
    rateLimit: null,
    key: { customer: key.customer, lastUsedAt: key.lastUsedAt, actsAs, lastCheck: check === null ? null : { at: check.at, outcome: check.outcome, message: check.message } }
  }
}

export function toTerminalRow(library: LibraryWithStatus, now: number): TerminalRow {
  return {
    id: library.id,
    name: library.name,
    apicbaseLibraryId: library.apicbaseLibraryId,
    tokenType: library.tokenType,
    provider: 'apicbase',
    customer: library.customer ?? null,
    status: library.status,
    expiresAt: library.expiresAt,
    timeLeftMs: library.expiresAt === null ? null : library.expiresAt - now,
    ...(library.hold !== undefined && library.tokenState === library.hold.kind ? { hold: { kind: library.hold.kind, at: library.hold.at, message: library.hold.message, to: library.hold.to } } : {})
  }
}

function toTerminalStatus(library: LibraryWithStatus, now: number): TerminalStatus {
  const view = toLibraryView(library)
  return { ...toTerminalRow(library, now), lastRefreshedAt: library.lastRefreshedAt, lastError: view.lastError, health: view.health ?? null, rateLimit: view.rateLimit ?? null }
}
