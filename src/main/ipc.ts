// One table of handlers implementing the bridge contract. It validates every argument against the contract's
// schema, calls the core, and answers plain data. It knows nothing of its transport (Electron IPC or the
// test host's WebSocket), and never reaches around the core.
import type { z } from 'zod'
import {
  calls,
  type BridgeErrorShape,
  type CallName,
  type CallResult,
  type CallResults,
  type LibraryView,
  type OAuthConnectedView,
  type PersonalActiveView,
  type ReachableLibraryView,
  type VaultState
} from '../shared/contract.ts'
import { ApiError, InputError } from './core/errors.ts'
import { LarderCore } from './core/larder-core.ts'
import type { LibraryWithStatus } from './core/libraries/library-service.ts'
import type { OAuthConnected } from './core/oauth/oauth-service.ts'
import { LibraryDriftError } from './core/personal/errors.ts'
import type { PersonalState, ReachableLibrary } from './core/personal/personal-types.ts'

export type Handler<N extends CallName> = (input: unknown) => Promise<CallResult<N>>
export type Handlers = { readonly [N in CallName]: Handler<N> }

export interface AppInfo {
  readonly name: string
  readonly version: string
  readonly host: 'electron' | 'browser'
}

type Implementations = {
  readonly [N in CallName]: (input: z.output<(typeof calls)[N]>) => Promise<CallResults[N]> | CallResults[N]
}

/** Where the handlers find the core: the vault session (which may still be locked), or an already-open core. */
export interface CoreSource {
  core(): LarderCore | null
  state(): VaultState
  unlock(passphrase: string): Promise<VaultState>
  restoreBackup(passphrase?: string): Promise<VaultState>
}

class VaultNotOpenError extends Error {
  override readonly name = 'VaultNotOpenError'
}

export function createHandlers(source: LarderCore | CoreSource, app: AppInfo): Handlers {
  const session: CoreSource = source instanceof LarderCore ? alwaysOpen(source) : source
  const open = (): LarderCore => {
    const core = session.core()
    if (core) return core
    const state = session.state().state
    throw new VaultNotOpenError(state === 'locked' ? 'Larder is locked: unlock it with your passphrase first.' : `The vault is not open (${state}).`)
  }
  const implementations: Implementations = {
    'app.info': () => app,
    'vault.state': () => session.state(),
    'vault.unlock': ({ passphrase }) => session.unlock(passphrase),
    'vault.restoreBackup': ({ passphrase }) => session.restoreBackup(passphrase),
    'libraries.list': () => open().libraries.list().map(toLibraryView),
    'libraries.add': async (input) => toLibraryView(await open().add(input)),
    'libraries.refresh': async ({ id }) => toLibraryView(await open().refresh(id)),
    'libraries.copy': ({ id, format }) => open().copy(id, format),
    'libraries.revoke': async ({ id }) => toLibraryView(await open().revoke(id)),
    'libraries.reauthorize': async ({ id, accessToken, refreshToken }) => toLibraryView(await open().reauthorize(id, { accessToken, refreshToken })),
    'libraries.remove': async ({ id, confirmName }) => {
      await open().remove(id, confirmName)
      return { removed: id }
    },
    'oauth.start': (input) => open().startOAuth(withoutUndefined(input)),
    'oauth.complete': async ({ flowId, code }) => toConnectedView(await open().oauth.complete(flowId, code)),
    'oauth.wait': async ({ flowId }) => toConnectedView(await open().oauth.wait(flowId)),
    'oauth.cancel': ({ flowId }) => ({ cancelled: open().oauth.cancel(flowId) }),
    'personal.libraries': async ({ connectionId }) => {
      const { state, libraries } = await open().personalLibraries(connectionId)
      return { connectionId: state.connectionId, state: toPersonalActiveView(state), libraries: libraries.map(toReachableView) }
    },
    'personal.add': async ({ connectionId, libraryIds }) => (await open().addPersonal(connectionId, libraryIds)).map(toLibraryView),
    'personal.switch': async ({ id }) => toLibraryView(await open().switchPersonal(id)),
    'personal.check': async ({ id }) => toPersonalActiveView(await open().checkPersonal(id)),
    'settings.get': () => open().settings(),
    'settings.update': (patch) => open().updateSettings(withoutUndefined(patch)),
    'audit.page': async (query) => open().audit.page(withoutUndefined(query)),
    'audit.exportCsv': (filter) => open().exportAuditCsv(withoutUndefined(filter))
  }
  const table: Partial<Record<CallName, Handler<CallName>>> = {}
  for (const name of Object.keys(calls) as CallName[]) table[name] = wrap(name, implementations[name] as (input: unknown) => unknown)
  return table as Handlers
}

function wrap<N extends CallName>(name: N, implementation: (input: unknown) => unknown): Handler<N> {
  const schema = calls[name]
  return async (input) => {
    // Only plain data crosses the bridge. A Date or a Map would read as {} to a schema whose fields are all
    // optional; no argument at all means {}.
    if (input !== undefined && !isPlainObject(input)) {
      return { ok: false, error: { kind: 'invalid_input', field: 'input', message: `${name}: input: must be a plain object, not ${describeValue(input)}` } }
    }
    const parsed = schema.safeParse(input ?? {})
    if (!parsed.success) return { ok: false, error: invalidInput(name, parsed.error) }
    try {
      return { ok: true, value: (await implementation(parsed.data)) as CallResults[N] }
    } catch (error) {
      return { ok: false, error: toBridgeError(error) }
    }
  }
}

function invalidInput(name: CallName, error: z.ZodError): BridgeErrorShape {
  const issue = error.issues[0]
  const field = issue && issue.path.length > 0 ? issue.path.map((part) => short(String(part))).join('.') : 'input'
  // Built from the first problem only, with names shortened: a refusal must not echo a megabyte back.
  const what =
    issue?.code === 'unrecognized_keys'
      ? `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.slice(0, 3).map((key) => short(key)).join(', ')}${issue.keys.length > 3 ? ` and ${issue.keys.length - 3} more` : ''}`
      : short(issue?.message ?? 'invalid', 200)
  return { kind: 'invalid_input', field, message: `${name}: ${field}: ${what}` }
}

function short(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}

function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return `a ${short((value as object).constructor?.name ?? 'special object')}`
  return `a ${typeof value}`
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

export function toBridgeError(error: unknown): BridgeErrorShape {
  if (error instanceof InputError) return { kind: 'invalid_input', field: error.field, message: error.message }
  if (error instanceof ApiError) return { kind: 'api', apiKind: error.kind, message: error.message }
  // Not the API's refusal but Larder's: the personal token's active library was changed outside Larder.
  if (error instanceof LibraryDriftError) return { kind: 'api', apiKind: 'library_drift', message: error.message }
  if (error instanceof Error && /^Vault|^LibrarySecrets|^WrongPassphrase|^DecryptError/.test(error.name)) {
    // Vault messages name files and libraries, never secrets (see core/vault/errors.ts).
    return { kind: 'vault', message: error.message }
  }
  return { kind: 'internal', message: 'Larder hit an unexpected problem; the details are in its log.' }
}

function alwaysOpen(core: LarderCore): CoreSource {
  const state: VaultState = { state: 'open', cipher: 'passphrase' }
  return {
    core: () => core,
    state: () => state,
    unlock: () => Promise.resolve(state),
    restoreBackup: () => Promise.resolve(state)
  }
}

/** Exactly the fields the renderer may see, copied one by one so nothing else can slip through. */
export function toLibraryView(library: LibraryWithStatus): LibraryView {
  return {
    id: library.id,
    name: library.name,
    apicbaseLibraryId: library.apicbaseLibraryId,
    apicbaseLibraryName: library.apicbaseLibraryName,
    tokenType: library.tokenType,
    scopes: [...library.scopes],
    apiBaseUrl: library.apiBaseUrl,
    clientId: library.clientId,
    addedAt: library.addedAt,
    issuedAt: library.issuedAt,
    expiresAt: library.expiresAt,
    lastRefreshedAt: library.lastRefreshedAt,
    lastUsedAt: library.lastUsedAt,
    lastError: library.lastError && {
      kind: library.lastError.kind,
      message: library.lastError.message,
      at: library.lastError.at,
      ...(library.lastError.retryAt === undefined ? {} : { retryAt: library.lastError.retryAt })
    },
    tokenPreview: library.tokenPreview,
    status: library.status,
    ...(library.personal
      ? {
          personal: {
            ...toPersonalActiveView(library.personal),
            role: library.personal.role,
            connectionName: library.personal.connectionName,
            isActive: library.personal.isActive,
            libraryCount: library.personal.libraryCount
          }
        }
      : {})
  }
}

/** A personal token's active library, field by field. */
export function toPersonalActiveView(state: PersonalState): PersonalActiveView {
  return {
    connectionId: state.connectionId,
    activeLibraryId: state.activeLibraryId,
    activeLibraryName: state.activeLibraryName,
    expectedLibraryId: state.expectedLibraryId,
    expectedLibraryName: state.expectedLibraryName,
    drifted: state.drifted,
    checkedAt: state.checkedAt,
    problem: state.problem
  }
}

function toReachableView(library: ReachableLibrary): ReachableLibraryView {
  return {
    apicbaseLibraryId: library.apicbaseLibraryId,
    name: library.name,
    status: library.status,
    active: library.active,
    entryId: library.entryId
  }
}

function toConnectedView(connected: OAuthConnected): OAuthConnectedView {
  return {
    connection: toLibraryView(connected.connection),
    activeLibrary: connected.activeLibrary && { id: connected.activeLibrary.id, name: connected.activeLibrary.name },
    notes: [...connected.notes]
  }
}

/** zod leaves absent optional keys as undefined; the core's exact optional types want them absent. */
function withoutUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> }
}
