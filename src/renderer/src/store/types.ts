// The shape of the one store. Each slice owns its part; components select the smallest piece they need.
import type {
  AddLibraryInput,
  AppInfo,
  AuditEntryView,
  CallInput,
  CallResult,
  CopyFormat,
  KeyView,
  LibraryListView,
  LockInfoView,
  LibraryView,
  PersonalActiveView,
  ReachableLibraryView,
  Settings,
  SettingsPatch,
  StatusCountsView,
  TerminalRequestView,
  TerminalSessionsView,
  TeamView,
  TerminalSessionView,
  VaultState
} from '../../../shared/contract.ts'
import type { AuditFilter } from '../lib/audit-query.ts'
import type { EstateSlice } from './estate-types.ts'
import type { CustomerFilter, SystemFilter } from '../lib/key-query.ts'
import type { FilterState, SortKey, SortState, StatusFilter, TokenTypeFilter } from '../lib/library-query.ts'

/** 'partial': the first page of the list is in and shown, the rest is on its way. */
export type LoadState = 'idle' | 'loading' | 'partial' | 'ready' | 'failed'

/** While the rest of the list is read: the order it is read in, and the whole list's size and counts when it was fixed. */
export interface ListingProgress {
  readonly version: string
  /** Where in that order the rest begins (the first page's length). */
  readonly next: number
  readonly total: number
  readonly counts: StatusCountsView
}

/** The rest of the list as read in chunks, before it joins the store in one update. */
export interface RestOfList {
  readonly byId: Record<string, LibraryListView>
  readonly ids: readonly string[]
}

/** The whole view of the library the detail pane shows, asked for with 'libraries.get' (the list holds rows only). */
export interface LibraryDetailEntry {
  readonly id: string
  /** Null until the first answer for this id: the pane waits quietly rather than show another library's view. */
  readonly view: LibraryView | null
  /** Why the last ask failed (the view, if any, is the last one known). */
  readonly error: string | null
}

export interface LibrariesSlice {
  /** Every library Larder holds, as its list row, by id. Replaced (never mutated) on each change. */
  readonly byId: Readonly<Record<string, LibraryListView>>
  /** Ids in the order Larder first told us about them. */
  readonly ids: readonly string[]
  readonly loadState: LoadState
  readonly loadError: string | null
  /** The open library's whole view; null when none is open. Kept current: a change to its row asks again. */
  readonly detail: LibraryDetailEntry | null
  /** Non-null only while 'partial'. */
  readonly listing: ListingProgress | null
  /** The whole list in one answer ('ready'), or 'failed'; with the keys' list if `alongside` has it by then. */
  loadLibraries(alongside?: KeysAlongside): Promise<void>
  /**
   * The first page of the list: 'partial' with what the rest is read by, or null when the answer was the whole list
   * ('ready') or nothing could be read (the whole list was asked for instead).
   */
  loadFirstPage(alongside?: KeysAlongside): Promise<ListingProgress | null>
  /** The rest of a partial list joins what is shown ('ready'), with `alongside` (the keys' list) in the same update. */
  completeLibraries(rest: RestOfList, alongside?: KeyListPart): void
  /** Asks for one library's whole view (the pane's); null closes it. An answer overtaken by a newer one is dropped. */
  loadDetail(id: string | null): Promise<void>
  /** Applies what the bridge reported: changed libraries' rows (added or updated) and removed ids. */
  applyLibraryChanges(changed: readonly LibraryListView[], removed: readonly string[]): void
  /** Applies whole views a call answered (a refresh, an add): their rows, and the open library's view if among them. */
  applyLibraryViews(views: readonly LibraryView[]): void
  addLibrary(input: AddLibraryInput): Promise<CallResult<'libraries.add'>>
  refreshLibrary(id: string): Promise<CallResult<'libraries.refresh'>>
  reauthorizeLibrary(id: string, pair: { readonly accessToken: string; readonly refreshToken: string; readonly confirmedHost?: string }): Promise<CallResult<'libraries.reauthorize'>>
  /** `announce: false` when the caller shows the receipt itself (no second message for screen readers). */
  copyLibrary(id: string, format: CopyFormat, options?: { readonly announce?: boolean }): Promise<CallResult<'libraries.copy'>>
  revokeLibrary(id: string): Promise<CallResult<'libraries.revoke'>>
  /** Its name and customer label ('' takes the label away); the answer's view goes into the list and the pane. */
  updateLibrary(id: string, change: { readonly name?: string; readonly customer?: string }): Promise<CallResult<'libraries.update'>>
  removeLibrary(id: string, confirmName: string): Promise<CallResult<'libraries.remove'>>
}

/** 'estate': import, backup, restore, a move and the configuration without secrets (issue 17). */
export type View = 'libraries' | 'audit' | 'settings' | 'estate'

export interface UiSlice {
  readonly view: View
  readonly filter: FilterState
  /** Which system's entries the list shows (Apicbase: the libraries); beside `filter`, which the libraries' selector reads. */
  readonly systemFilter: SystemFilter
  /** A customer label: choosing one shows that customer's libraries and keys (libraries' selector and keys' alike). */
  readonly customerFilter: CustomerFilter
  readonly sort: SortState
  readonly selectedId: string | null
  readonly addOpen: boolean
  setView(view: View): void
  setSearch(search: string): void
  setStatusFilter(status: StatusFilter): void
  setTokenTypeFilter(tokenType: TokenTypeFilter): void
  setSystemFilter(system: SystemFilter): void
  setCustomerFilter(customer: CustomerFilter): void
  clearFilters(): void
  /** Sorts by `key`; choosing the current key again flips the direction. */
  sortBy(key: SortKey, direction?: SortState['direction']): void
  select(id: string | null): void
  openAdd(): void
  closeAdd(): void
}

export interface SettingsSlice {
  readonly settings: Settings | null
  readonly settingsError: string | null
  loadSettings(): Promise<void>
  updateSettings(patch: SettingsPatch): Promise<CallResult<'settings.update'>>
}

export type ToastTone = 'info' | 'success' | 'error'
export interface Toast {
  readonly id: number
  readonly tone: ToastTone
  readonly text: string
}

export interface ToastsSlice {
  readonly toasts: readonly Toast[]
  pushToast(tone: ToastTone, text: string): number
  dismissToast(id: number): void
}

export interface BulkRefresh {
  readonly running: boolean
  readonly total: number
  readonly done: number
  readonly failed: number
}

export interface BulkSlice {
  readonly bulk: BulkRefresh | null
  /** Refreshes every library that is expiring soon or expired, a few at a time, with progress. */
  refreshAllExpiring(): Promise<void>
}

export type Connection = 'absent' | 'connected'

export interface ConnectionSlice {
  readonly connection: Connection
  /** What the host is and does (where a copy goes, whether it opens the browser, a demo), once it said. */
  readonly appInfo: AppInfo | null
  loadAppInfo(): Promise<void>
}

export interface VaultSlice {
  /** Null until Larder said; library calls work only once it is 'open'. */
  readonly vault: VaultState | null
  setVaultState(state: VaultState): void
  loadVaultState(): Promise<VaultState | null>
  unlockVault(passphrase: string): Promise<CallResult<'vault.unlock'>>
  restoreVaultBackup(passphrase?: string): Promise<CallResult<'vault.restoreBackup'>>
}

/** The app lock (issue 17): lock now, forget the key, unlock, the lock passphrase; and what a lock makes the window drop. */
export interface LockSlice {
  /** What the lock offers here, once asked ('lock.info'); null until then. */
  readonly lockInfo: LockInfoView | null
  loadLockInfo(): Promise<CallResult<'lock.info'>>
  /** Answered: the state after it ('guarded') is the store's at once. Refused with field 'passphrase': set one first. */
  lockNow(): Promise<CallResult<'lock.now'>>
  /** Closes a passphrase vault ('locked'): refreshes stop until it is unlocked. */
  lockAndForget(): Promise<CallResult<'lock.forget'>>
  unlockLock(how: CallInput<'lock.unlock'>): Promise<CallResult<'lock.unlock'>>
  /** A keychain vault's lock passphrase; `current`: the one set now, to change it. */
  setLockPassphrase(passphrase: string, current?: string): Promise<CallResult<'lock.setPassphrase'>>
  /**
   * Forgets everything of libraries and keys the window held (rows, the pane, keys, the selection, customer labels,
   * dialogs, messages, the audit trail, terminal requests): the vault left 'open'. Read afresh once it is open again.
   */
  dropHeldData(): void
}

/** The personal-token dialog: connecting one through OAuth, or adding the libraries an existing one reaches. */
export type PersonalDialog = { readonly mode: 'connect' } | { readonly mode: 'discover'; readonly connectionId: string }

/** The libraries a personal token's user can reach, and which of them are in Larder already. */
export type Reachable = { readonly connectionId: string } & (
  | { readonly kind: 'loading' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'ready'; readonly state: PersonalActiveView; readonly libraries: readonly ReachableLibraryView[] }
)

/** A copy (or other act) Larder refused because the token's active library was changed outside Larder. */
export interface DriftRefusal {
  readonly connectionId: string
  readonly libraryId: string
  readonly message: string
}

export interface PersonalSlice {
  readonly personalDialog: PersonalDialog | null
  readonly driftRefusal: DriftRefusal | null
  /**
   * The last 'personal.active' payload (or check or switch answer) per personal token, by connection id. The rows
   * are not rewritten from it: Larder sends a 'library.changed' for every row sharing the token, already right.
   */
  readonly personalActive: Readonly<Record<string, PersonalActiveView>>
  openConnect(): void
  openDiscover(connectionId: string): void
  closePersonal(): void
  /** Keeps where a token's active library stands; a drift that ended also ends a refused copy's message. */
  notePersonalActive(state: PersonalActiveView): void
  noteDriftRefusal(refusal: DriftRefusal): void
  dismissDriftRefusal(): void
  /** An entry's id: switch the token to its library. A connection's id: keep the library active now. */
  switchPersonal(id: string): Promise<CallResult<'personal.switch'>>
  checkPersonal(id: string): Promise<CallResult<'personal.check'>>
  /** The discover list: the libraries one token's user can reach at Apicbase. */
  readonly reachable: Reachable | null
  /** Asks Apicbase (through Larder) again; a list for another token starts afresh. */
  loadReachable(connectionId: string): Promise<void>
  addPersonal(connectionId: string, libraryIds: readonly string[]): Promise<CallResult<'personal.add'>>
}

/** Connecting a personal token through Apicbase's authorization page. A connected token joins the list at once. */
export interface OAuthSlice {
  startOAuth(input: CallInput<'oauth.start'>): Promise<CallResult<'oauth.start'>>
  /** Resolves once a loopback flow came back and its code was exchanged (or failed). */
  waitOAuth(flowId: string): Promise<CallResult<'oauth.wait'>>
  completeOAuth(flowId: string, code: string): Promise<CallResult<'oauth.complete'>>
  /** Tells Larder to stop listening for a flow nobody waits for any more. */
  cancelOAuth(flowId: string): void
}

/** One page of the audit trail as shown, with the answer's cursor for older entries. */
export interface AuditPage {
  readonly entries: readonly AuditEntryView[]
  readonly nextBefore: number | null
  /** A vault in a team: 'online', every member's entries; 'offline', this machine's own only. */
  readonly teamTrail?: 'online' | 'offline'
}

/** The history of one library (the detail pane's timeline). */
export interface LibraryHistory extends AuditPage {
  readonly libraryId: string
  readonly error: string | null
  readonly loading: boolean
}

export interface AuditSlice {
  /** The audit view: its filters, the page shown (null until the first answer) and the last failure. */
  readonly auditFilter: AuditFilter
  readonly auditLog: AuditPage | null
  readonly auditError: string | null
  readonly history: LibraryHistory | null
  setAuditFilter(patch: Partial<AuditFilter>): void
  clearAuditFilter(): void
  /** The newest entries matching the filters; an answer overtaken by a newer question is dropped. */
  loadAuditLog(): Promise<void>
  loadOlderAuditLog(): Promise<void>
  /** The entries matching the filters as CSV (built by Larder), with a message either way. */
  exportAuditCsv(): Promise<CallResult<'audit.exportCsv'>>
  /** The newest entries of one library; switching to another library starts its history afresh. */
  loadHistory(libraryId: string): Promise<void>
  loadOlderHistory(): Promise<void>
}

/** Terminal sessions (the `larder` command): requests waiting for the person's answer and the sessions allowed. */
export interface TerminalSlice {
  /** Oldest first; the approval dialog shows the first. */
  readonly terminalRequests: readonly TerminalRequestView[]
  readonly terminalSessions: readonly TerminalSessionView[]
  /** Why the last look at the sessions failed. */
  readonly terminalError: string | null
  loadTerminalSessions(): Promise<void>
  /** 'terminal.requested': a new request joins the queue. */
  noteTerminalRequest(request: TerminalRequestView): void
  /** 'terminal.sessions' (or the answer to a look): both lists as Larder holds them now. */
  noteTerminalSessions(view: TerminalSessionsView): void
  /** `idleMs` omitted: Larder's default (10 minutes of inactivity). */
  approveTerminal(requestId: string, idleMs?: number): Promise<CallResult<'terminal.approve'>>
  denyTerminal(requestId: string): Promise<CallResult<'terminal.deny'>>
  revokeTerminal(sessionId: string): Promise<CallResult<'terminal.revoke'>>
}

/** This machine's team (issue 16): its membership as Larder said last, and the calls that change it. */
/** The calls the Team section makes. */
export type TeamCallName = 'team.create' | 'team.requestJoin' | 'team.cancelJoin' | 'team.approve' | 'team.remove' | 'team.leave' | 'team.takeHome'

export interface TeamSlice {
  /** Null until 'team.state' answered (the Team section asks when it is shown), or after the vault closed. */
  readonly team: TeamView | null
  /** Why the last 'team.state' failed. */
  readonly teamError: string | null
  loadTeam(): Promise<void>
  /** 'team.changed': the whole view, newer than any answer asked before it. */
  noteTeam(view: TeamView): void
  /**
   * A team call: make, ask to join, withdraw, approve (the code as typed; answers who was let in), remove a member
   * (progress in `team.removal`). An answered view is the store's at once; a refusal is the caller's to say.
   */
  teamCall<N extends TeamCallName>(name: N, input: CallInput<N>): Promise<CallResult<N>>
  /** The vault left 'open': the window forgets the team's view (its code, its members) until asked again. */
  dropTeam(): void
}

/** Keys of other token systems: their views (never a token), kept current by events, and the calls on them. */
/** The store's keys as a 'keys.list' answer sets them (keyListPart), to go in alone or with the list's last rows. */
export type KeyListPart = Pick<KeysSlice, 'keysById' | 'keyIds' | 'keysError'>
/** The keys' list if it has arrived (taken once: later key events apply directly), else null. */
export type KeysAlongside = () => KeyListPart | null

export interface KeysSlice {
  /** Keys of the systems kept as given (SafetyCulture, Airtable, service tokens), as their whole views, by id. */
  readonly keysById: Readonly<Record<string, KeyView>>
  /** In the order Larder listed them (new ones at the end). */
  readonly keyIds: readonly string[]
  readonly keysError: string | null
  /** 'keys.list' answered (connect.ts asks it with the library list): the whole set, replacing what was there. */
  takeKeyList(part: KeyListPart): void
  /** A key's whole view ('key.changed', or a call's answer): added or replaced. */
  noteKey(view: KeyView): void
  /** 'key.removed', or a remove answered. */
  dropKey(id: string): void
  /** A new key, its token checked first where its system can: answered, it is in the list at once. A refusal is the form's to say. */
  addKey(input: CallInput<'keys.add'>): Promise<CallResult<'keys.add'>>
  /** The bases an Airtable key reaches (its token needs schema.bases:read), to offer for noting; nothing is kept. */
  listKeyBases(id: string): Promise<CallResult<'keys.bases'>>
  checkKey(id: string): Promise<CallResult<'keys.check'>>
  /** Used outside Larder just now: an inactivity rule counts from now. */
  markKeyUsed(id: string): Promise<CallResult<'keys.markUsed'>>
  regenerateKey(id: string, token: string): Promise<CallResult<'keys.regenerate'>>
  keyLifecycle(id: string, event: CallInput<'keys.lifecycle'>['event']): Promise<CallResult<'keys.lifecycle'>>
  updateKey(input: CallInput<'keys.update'>): Promise<CallResult<'keys.update'>>
  /** `announce: false` when the caller shows the receipt itself. */
  copyKey(id: string, format: CopyFormat, options?: { readonly announce?: boolean }): Promise<CallResult<'keys.copy'>>
  removeKey(id: string, confirmName: string): Promise<CallResult<'keys.remove'>>
}

export type AppState = LibrariesSlice &
  KeysSlice &
  UiSlice &
  SettingsSlice &
  ToastsSlice &
  BulkSlice &
  ConnectionSlice &
  VaultSlice &
  PersonalSlice &
  OAuthSlice &
  AuditSlice &
  TerminalSlice &
  LockSlice &
  EstateSlice &
  TeamSlice

/** Every action of the store: functions that stay the same for the store's life, so holding them re-renders nothing. */
export type AppActions = { readonly [K in keyof AppState as AppState[K] extends (...args: never[]) => unknown ? K : never]: AppState[K] }
