// One table of handlers implementing the bridge contract, built from the contract's data: each call's input is
// checked against its schema here, at the edge, and only then does a use case run with typed values. It answers
// plain data (views) and knows nothing of its transport (Electron IPC, the browser host's WebSocket, a CLI).
import { calls, type AppInfo, type LibraryListView, type LockInfoView, type Settings, type CallName, type CallResult, type CallResults, type CheckedInput, type KeyView, type VaultState } from '../../shared/contract.ts'
import { InputError } from '../core/errors.ts'
import type { KeyMeta } from '../core/keys/key-model.ts'
import type { VaultSettings } from '../core/vault/index.ts'
import type { Actions } from './actions.ts'
import { toBridgeError } from './bridge-errors.ts'
import { checkedCall } from './call-table.ts'
import { keysInListOrder } from '../../shared/library-order.ts'
import { listLocale } from '../../shared/list-paging.ts'
import { ListSnapshots } from './list-snapshots.ts'
import type { FilesPort } from './files-port.ts'
import type { LogPort } from './ports.ts'
import type { TerminalAccess } from './terminal/terminal-access.ts'
import type { ImportRuns } from './import/import-runs.ts'
import { estateHandlers } from './use-cases/backup-handlers.ts'
import { reachingTeamDatabase } from './team/team-database-reach.ts'
import { toConnectedView, toLibraryListView, toLibraryView, toPersonalActiveView, toReachableView } from './views.ts'

export type Handler<N extends CallName> = (input: unknown) => Promise<CallResult<N>>
export type Handlers = { readonly [N in CallName]: Handler<N> }

/** Where the handlers find the use cases: the vault session's, once it is open. */
export interface ActionSource {
  actions(): Actions | null
  state(): VaultState
  unlock(passphrase: string): Promise<VaultState>
  restoreBackup(passphrase?: string): Promise<VaultState>
  /** The app lock's calls; absent where the host has none (they answer so). */
  lock?: LockCalls
}

/** The app lock as the bridge reaches it (src/main/app/lock/). */
export interface LockCalls {
  info(): LockInfoView
  now(): Promise<CallResults['lock.now']>
  forget(): Promise<CallResults['lock.forget']>
  unlock(with_: { readonly passphrase: string } | { readonly presence: true }): Promise<VaultState>
  setPassphrase(passphrase: string, current: string | undefined): Promise<LockInfoView>
}

/** What 'lock.info' says on a host without a lock (the agent). */
export const NO_LOCK: LockInfoView = {
  available: false,
  locked: false,
  passphrase: 'none',
  presence: null,
  idle: 'none',
  canForget: false,
  forgetNote: 'This host has no window to lock.'
}

/** What 'files.choose' answers on a host without file dialogs. */
const NO_FILE_DIALOG = { unavailable: true } as const

/** What to check when the team database did not answer or refused this machine, by where its URL came from. */
const CHECK_GIVEN = 'Check the URL (user, password, host, port, database) and, for your own CA, its certificate.'
const CHECK_SAVED = "Check this machine's network connection to the team database; the Team section says whether it is online."

type Implementations = { readonly [N in CallName]: (input: CheckedInput<N>) => Promise<CallResults[N]> | CallResults[N] }

class VaultNotOpenError extends Error {
  override readonly name = 'VaultNotOpenError'
}

/** `log`: each failed or refused call, by name and kind (never the input, never an error's message). */
/** The terminal sessions a person allows, refuses and revokes from the window. */
export type TerminalSessionsSource = Pick<TerminalAccess, 'list' | 'approve' | 'deny' | 'revoke'>

/** Bulk imports (src/main/app/import/import-runs.ts). */
export type ImportCalls = Pick<ImportRuns, 'dryRun' | 'start' | 'cancel' | 'reportText' | 'saveReport'>

/** `files`: the host's file dialogs; absent, 'files.choose' answers unavailable (the window asks for a path as text). */
export function createHandlers(source: ActionSource, info: AppInfo, log?: LogPort, terminal?: TerminalSessionsSource, imports?: ImportCalls, files?: FilesPort): Handlers {
  const open = (): Actions => {
    const actions = source.actions()
    if (actions) return actions
    const state = source.state().state
    throw new VaultNotOpenError(state === 'locked' ? 'Larder is locked: unlock it with your passphrase first.' : `The vault is not open (${state}).`)
  }
  const lock = (): LockCalls => {
    if (source.lock) return source.lock
    throw new InputError('lock', 'This host has no lock: it has no window to lock.')
  }
  const sessions = (): TerminalSessionsSource => {
    if (terminal) return terminal
    throw new InputError('terminal', 'This host serves no terminal sessions.')
  }
  const importer = (): ImportCalls => {
    open()
    if (imports) return imports
    throw new InputError('import', 'This host does not import files.')
  }
  // The orders fixed by 'libraries.listFirst', read on by 'libraries.listMore' (one table for every window).
  const snapshots = new ListSnapshots()
  const implementations: Implementations = {
    // Backups, restore, scheduled backups, a move and the configuration without secrets (issue 17).
    ...estateHandlers(open),
    // A team on one set of tokens (issue 16).
    'team.state': () => open().team.state(),
    'team.create': (input) => reachingTeamDatabase(() => open().team.create(withoutUndefined(input)), CHECK_GIVEN),
    'team.requestJoin': (input) => reachingTeamDatabase(() => open().team.requestJoin(withoutUndefined(input)), CHECK_GIVEN),
    'team.cancelJoin': () => open().team.cancelJoin(),
    'team.approve': ({ code }) => reachingTeamDatabase(() => open().team.approve(code), CHECK_SAVED),
    'team.remove': ({ memberId }) => reachingTeamDatabase(() => open().team.remove(memberId), CHECK_SAVED),
    'team.leave': () => reachingTeamDatabase(() => open().team.leave(), CHECK_SAVED),
    'team.takeHome': () => reachingTeamDatabase(() => open().team.takeHome(), CHECK_SAVED),
    'app.info': () => info,
    'vault.state': () => source.state(),
    'vault.unlock': ({ passphrase }) => source.unlock(passphrase),
    'vault.restoreBackup': ({ passphrase }) => source.restoreBackup(passphrase),
    'libraries.list': () => open().list().map(toLibraryListView),
    'libraries.listFirst': ({ count, locale }) => {
      const actions = open()
      return snapshots.first(actions, actions.list(), count, locale)
    },
    'libraries.listMore': ({ version, from, count }) => {
      const actions = open()
      return snapshots.more(actions, version, from, count, (id) => rowOrUndefined(actions, id))
    },
    'libraries.get': ({ id }) => toLibraryView(open().get(id)),
    'libraries.add': async (input) => toLibraryView(await open().add(input)),
    'libraries.refresh': async ({ id }) => toLibraryView(await open().refresh(id)),
    'libraries.copy': ({ id, format, from }) => open().copy(id, format, from),
    'libraries.revoke': async ({ id }) => toLibraryView(await open().revoke(id)),
    'libraries.reauthorize': async ({ id, ...pair }) => toLibraryView(await open().reauthorize(id, withoutUndefined(pair))),
    'libraries.remove': ({ id, confirmName }) => open().remove(id, confirmName),
    'libraries.update': async ({ id, ...change }) => toLibraryView(await open().update(id, withoutUndefined(change))),
    'oauth.start': (input) => open().startConnecting(withoutUndefined(input)),
    'oauth.complete': async ({ flowId, code }) => toConnectedView(await open().completeWithCode(flowId, code)),
    'oauth.wait': async ({ flowId }) => toConnectedView(await open().waitForLoopback(flowId)),
    'oauth.cancel': ({ flowId }) => open().cancelConnecting(flowId),
    'personal.libraries': async ({ connectionId }) => {
      const { state, libraries } = await open().reachableLibraries(connectionId)
      return { connectionId: state.connectionId, state: toPersonalActiveView(state), libraries: libraries.map(toReachableView) }
    },
    'personal.add': async ({ connectionId, libraryIds }) => (await open().addPersonalLibraries(connectionId, libraryIds)).map(toLibraryView),
    'personal.switch': async ({ id }) => toLibraryView(await open().switchLibrary(id)),
    'personal.check': async ({ id }) => toPersonalActiveView(await open().checkActiveLibrary(id)),
    'settings.get': () => toSettingsView(open().readSettings()),
    'settings.update': async ({ lock, ...patch }) => toSettingsView(await open().updateSettings({ ...withoutUndefined(patch), ...(lock === undefined ? {} : { lock: withoutUndefined(lock) }) })),
    'audit.page': (query) => open().auditPage(withoutUndefined(query)),
    'audit.exportCsv': (filter) => open().exportAuditCsv(withoutUndefined(filter)),
    'terminal.sessions': () => sessions().list(),
    'terminal.approve': ({ requestId, idleMs }) => sessions().approve(requestId, idleMs),
    'terminal.deny': ({ requestId }) => ({ denied: sessions().deny(requestId) }),
    'terminal.revoke': ({ sessionId }) => ({ revoked: sessions().revoke(sessionId) }),
    'import.dryRun': ({ path, format, confirmedHosts }) => importer().dryRun({ path, ...withoutUndefined({ format, confirmedHosts }) }),
    'import.start': ({ importId, confirmedHosts }) => importer().start(importId, confirmedHosts),
    'import.cancel': ({ importId }) => ({ cancelled: importer().cancel(importId) }),
    'import.report': ({ importId, format }) => importer().reportText(importId, format),
    'import.saveReport': ({ importId, format, path }) => importer().saveReport(importId, format, path),
    'keys.list': ({ locale }) => {
      const actions = open()
      // The list's default order, as the first page of libraries is: the page sorts what it gets, and a sorted array
      // costs its sort one look per key instead of every tie compared by name in the window's first render.
      return { keys: keysInListOrder(actions.listKeys().map(actions.keyView), listLocale(locale)) }
    },
    'keys.add': async ({ customer, notes, ...key }) => keyView(open(), await open().keys.add({ ...key, ...withoutUndefined({ customer, notes }) })),
    'keys.update': async ({ id, ...change }) => keyView(open(), await open().keys.update(id, withoutUndefined(change))),
    'keys.check': async ({ id }) => keyView(open(), await open().keys.check(id)),
    'keys.markUsed': async ({ id, at }) => keyView(open(), await open().keys.markUsedElsewhere(id, at)),
    'keys.regenerate': async ({ id, token }) => keyView(open(), await open().keys.regenerate(id, token)),
    'keys.lifecycle': async ({ id, event }) => keyView(open(), await open().keys.recordLifecycle(id, event)),
    'keys.copy': ({ id, format }) => open().copyKey(id, format),
    'keys.remove': async ({ id, confirmName }) => {
      await open().keys.remove(id, confirmName)
      return { removed: id }
    },
    'keys.bases': ({ id }) => open().keyBases(id),
    'lock.info': () => source.lock?.info() ?? NO_LOCK,
    'lock.now': () => lock().now(),
    'lock.forget': () => lock().forget(),
    'lock.unlock': ({ passphrase, presence }) => {
      if (passphrase !== undefined) return lock().unlock({ passphrase })
      if (presence === true) return lock().unlock({ presence })
      throw new InputError('passphrase', 'Enter the passphrase to unlock Larder.')
    },
    'lock.setPassphrase': ({ passphrase, current }) => lock().setPassphrase(passphrase, current),
    'files.choose': (request) => files?.choose(request) ?? NO_FILE_DIALOG
  }
  const table: Partial<Record<CallName, Handler<CallName>>> = {}
  for (const name of Object.keys(calls) as CallName[]) {
    const implementation = implementations[name] as (input: unknown) => unknown
    table[name] = checkedCall(name, calls[name].input, implementation, { log, toError: toBridgeError }) as Handler<CallName>
  }
  return table as Handlers
}

/** A library's row now, or undefined when it is gone (removed since the order was fixed). */
function rowOrUndefined(actions: Actions, id: string): LibraryListView | undefined {
  try {
    return toLibraryListView(actions.get(id))
  } catch (error) {
    if (error instanceof InputError) return undefined
    throw error
  }
}

/** The key as it is once the call is done (the vault's record, read again). */
function keyView(actions: Actions, meta: KeyMeta): KeyView {
  return actions.keyView(meta)
}

/** The settings a window may see: the lock passphrase's verifier stays in main. */
function toSettingsView({ lockVerifier: _verifier, ...settings }: VaultSettings): Settings {
  return settings
}

/** zod leaves absent optional keys as undefined; the core's exact optional types want them absent. */
function withoutUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> }
}
