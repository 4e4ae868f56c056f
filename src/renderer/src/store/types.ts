// The shape of the one store. Each slice owns its part; components select the smallest piece they need.
import type {
  AddLibraryInput,
  CallResult,
  CopyFormat,
  LibraryView,
  PersonalActiveView,
  Settings,
  SettingsPatch,
  VaultState
} from '../../../shared/contract.ts'
import type { FilterState, SortKey, SortState, StatusFilter, TokenTypeFilter } from '../lib/library-query.ts'

export type LoadState = 'idle' | 'loading' | 'ready' | 'failed'

export interface LibrariesSlice {
  /** Every library Larder holds, by id. Replaced (never mutated) on each change. */
  readonly byId: Readonly<Record<string, LibraryView>>
  /** Ids in the order Larder first told us about them. */
  readonly ids: readonly string[]
  readonly loadState: LoadState
  readonly loadError: string | null
  loadLibraries(): Promise<void>
  /** Applies what the bridge reported: changed libraries (added or updated) and removed ids. */
  applyLibraryChanges(changed: readonly LibraryView[], removed: readonly string[]): void
  addLibrary(input: AddLibraryInput): Promise<CallResult<'libraries.add'>>
  refreshLibrary(id: string): Promise<CallResult<'libraries.refresh'>>
  reauthorizeLibrary(id: string, pair: { readonly accessToken: string; readonly refreshToken: string }): Promise<CallResult<'libraries.reauthorize'>>
  /** `announce: false` when the caller shows the receipt itself (no second message for screen readers). */
  copyLibrary(id: string, format: CopyFormat, options?: { readonly announce?: boolean }): Promise<CallResult<'libraries.copy'>>
  revokeLibrary(id: string): Promise<CallResult<'libraries.revoke'>>
  removeLibrary(id: string, confirmName: string): Promise<CallResult<'libraries.remove'>>
}

export type View = 'libraries' | 'audit' | 'settings'

export interface UiSlice {
  readonly view: View
  readonly filter: FilterState
  readonly sort: SortState
  readonly selectedId: string | null
  readonly addOpen: boolean
  setView(view: View): void
  setSearch(search: string): void
  setStatusFilter(status: StatusFilter): void
  setTokenTypeFilter(tokenType: TokenTypeFilter): void
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
  readonly appInfo: { readonly name: string; readonly version: string; readonly host: 'electron' | 'browser' } | null
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

/** The personal-token dialog: connecting one through OAuth, or adding the libraries an existing one reaches. */
export type PersonalDialog = { readonly mode: 'connect' } | { readonly mode: 'discover'; readonly connectionId: string }

/** A copy (or other act) Larder refused because the token's active library was changed outside Larder. */
export interface DriftRefusal {
  readonly connectionId: string
  readonly libraryId: string
  readonly message: string
}

export interface PersonalSlice {
  readonly personalDialog: PersonalDialog | null
  readonly driftRefusal: DriftRefusal | null
  openConnect(): void
  openDiscover(connectionId: string): void
  closePersonal(): void
  /** A 'personal.active' event (or a check's answer): laid over the connection and its entries. */
  applyPersonalActive(state: PersonalActiveView): void
  noteDriftRefusal(refusal: DriftRefusal): void
  dismissDriftRefusal(): void
  /** An entry's id: switch the token to its library. A connection's id: keep the library active now. */
  switchPersonal(id: string): Promise<CallResult<'personal.switch'>>
  checkPersonal(id: string): Promise<CallResult<'personal.check'>>
  addPersonal(connectionId: string, libraryIds: readonly string[]): Promise<CallResult<'personal.add'>>
}

export type AppState = LibrariesSlice & UiSlice & SettingsSlice & ToastsSlice & BulkSlice & ConnectionSlice & VaultSlice & PersonalSlice
