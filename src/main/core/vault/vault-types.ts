// The vault's contract: what it needs from the store, what it offers the rest of the app.
import type { KeyMeta, KeySecrets } from '../keys/key-model.ts'
import type { IssuedPair, LibraryHold, LibraryMeta, LibrarySecrets, PersonalEntryMeta } from '../model.ts'
import type { Cipher } from './cipher.ts'
import type { EntryPatch } from './entry-checks.ts'
import type { LibrarySecretsError } from './errors.ts'
import type { KeyPatch } from './key-checks.ts'
import type { ClientCredentials, LibraryPatch } from './library-checks.ts'
import type { Migration } from './migrations.ts'
import type { VaultSettings, VaultSettingsPatch } from './settings.ts'

/**
 * The one thing the vault needs from electron-store / conf: where the file is, and a whole-file write
 * (atomic: temporary file, fsync, rename). The vault reads the file itself, before the store exists,
 * because both libraries parse it in their constructor and either throw or (with clearInvalidConfig) wipe it.
 */
export interface JsonFileStore {
  readonly path: string
  set store(value: Record<string, unknown>)
}

/**
 * What a store's whole-file write is, when its factory says so (`StoreFactory.format`): exactly
 * `JSON.stringify(value, undefined, indent)` (compact for ''), written to `<file>.tmp-…` with `mode`, fsynced and renamed
 * over the file (conf's atomic write, and so electron-store's with Larder's options). The vault then makes its
 * compactions itself on a worker thread, byte for byte what the store would write, so serialising and writing a
 * large vault never holds the main thread. Without it every whole-file write goes through the store.
 */
export interface WholeFileFormat {
  readonly indent: '' | '\t'
  readonly mode: number
  /** The worker's script in a bundled app (electron-vite's `?modulePath`); from source, background-worker.ts. */
  readonly worker?: string
}

/** Makes the store (on the vault's first write through it); may say how the store writes (`format`). */
export type StoreFactory = (() => JsonFileStore) & { readonly format?: WholeFileFormat }

export interface ExternalChange {
  readonly added: readonly string[]
  readonly removed: readonly string[]
  readonly changed: readonly string[]
  /**
   * Libraries where memory's version won over the file's: a change not yet written (removal included), or a
   * live refresh token where the file held a spent one or none. They are written back with the next batch.
   */
  readonly keptFromMemory: readonly string[]
  /** A file put in place that could not be read was moved here (kept) and rewritten from memory. */
  readonly movedAside: string | null
}

export interface OpenVaultOptions {
  /** The vault file; must be the file `openStore()` writes. */
  readonly path: string
  /**
   * Called once, on the vault's first write (at open for a new or migrated file), after the file has been
   * checked: never for a damaged file. A store that writes another file is refused then.
   */
  readonly openStore: StoreFactory
  readonly cipher: Cipher
  readonly now?: () => number
  /** Changes within this many milliseconds share one write. Default 4. */
  readonly commitWindowMs?: number
  /** Defaults to this build's list. Tests pass their own. */
  readonly migrations?: readonly Migration[]
  /** The file changed behind the vault's back and was re-read; the app re-plans and re-renders. */
  readonly onExternalChange?: (change: ExternalChange) => void
}

export interface Rotation {
  /** The refresh token that was sent; the server has now consumed it. */
  readonly sentRefreshToken: string
  readonly pair: IssuedPair
}

export interface VaultStats {
  /** Durable writes: batches appended to the journal, and whole-file writes. */
  readonly writes: number
  /** Whole-file writes through the store (new vault, compaction, settings, a file taken from disk). */
  readonly fullWrites: number
  /** The journal's size now: changes not yet compacted into the file. */
  readonly journalBytes: number
  readonly failedWrites: number
  readonly fsyncs: number
  readonly maxWaitMs: number
  /** Of `fullWrites`, those serialised and written on a worker thread (compactions, with a store that declares its format). */
  readonly backgroundWrites: number
}

export interface Vault {
  readonly path: string
  /** The records holding a token pair (a personal token's record is its "connection"). */
  list(): readonly LibraryMeta[]
  get(id: string): LibraryMeta | undefined
  /** Libraries reached through a personal token: no secrets of their own, they use their connection's. */
  entries(): readonly PersonalEntryMeta[]
  entry(id: string): PersonalEntryMeta | undefined
  /**
   * Decrypts on demand (only `fields`, when given: each value costs a decryption), after re-reading the file if
   * it changed behind the vault's back.
   */
  secrets<F extends keyof LibrarySecrets = keyof LibrarySecrets>(id: string, fields?: readonly F[]): Promise<Pick<LibrarySecrets, F>>
  /** Whether the server has already consumed this refresh token. */
  isSpent(refreshToken: string): boolean
  /**
   * `consumedRefreshToken`: the token the server just exchanged for these secrets (adding a library checks its
   * pasted pair with a refresh); it is recorded as spent in the same write, so pasting it again is caught here
   * instead of being sent to a server that would revoke the whole token family.
   */
  add(meta: LibraryMeta, secrets: LibrarySecrets, options?: { readonly consumedRefreshToken?: string }): Promise<void>
  /** A library record (with the entries that use its token, in the same write), or one entry. */
  remove(id: string): Promise<void>
  /** Entries of personal-token records, all in one write; ids unique across records and entries. */
  addEntries(entries: readonly PersonalEntryMeta[]): Promise<void>
  patchEntry(id: string, patch: EntryPatch): Promise<void>
  patch(id: string, patch: LibraryPatch): Promise<void>
  /** A new client ID and secret for the library (the two always change together). */
  replaceCredentials(id: string, credentials: ClientCredentials): Promise<void>
  /** A token pair the library's owner issued anew (after needs_reauth or revoked). */
  /**
   * `consumedRefreshToken`: the pasted token a refresh just exchanged for `pair`, recorded as spent in the same write;
   * the library then counts as refreshed at `pair.issuedAt`.
   */
  reauthorize(id: string, pair: IssuedPair, options?: { readonly consumedRefreshToken?: string }): Promise<void>
  /** Stores a rotated pair and records the sent refresh token as spent; resolves once durable. */
  commitRotation(id: string, rotation: Rotation): Promise<void>
  /** Keys of other systems (SafetyCulture, Airtable, service tokens), each with its token sealed and bound. */
  keys(): readonly KeyMeta[]
  key(id: string): KeyMeta | undefined
  /** Why the key's token is refused (its record was changed outside Larder: a VaultTamperedError), or undefined. */
  keyRefusal(id: string): LibrarySecretsError | undefined
  /** The key's token, once its latest change is durable; refused (the keyRefusal error) for a tampered record. */
  keySecret(id: string): Promise<KeySecrets>
  /** Ids unique across libraries, entries and keys; a token recorded as replaced is refused. */
  addKey(meta: KeyMeta, secrets: KeySecrets): Promise<void>
  /** Its id, system and token stay; a change to a bound field (name, destinations) seals the token again. */
  patchKey(id: string, patch: KeyPatch): Promise<void>
  /** A regenerated token in place of the old one (recorded as spent in the same write); a 'regenerated' history item. */
  replaceKeyToken(id: string, token: string): Promise<void>
  /** Removes a key; resolves once the whole file is written without it. */
  removeKey(id: string): Promise<void>
  /** Holds the library's refreshes back (moved, paused), or lets them go on again (null); vault-estate.ts. */
  setHold(id: string, hold: LibraryHold | null): Promise<void>
  /** Puts back a record from a backup, new or in place of its id's (`replace`); a spent token only where it is never sent. */
  restoreLibrary(meta: LibraryMeta, secrets: LibrarySecrets, options: { readonly replace: boolean }): Promise<void>
  /** A value of Larder's own sealed with the vault's key for one purpose (the scheduled backups' passphrase). */
  sealValue(purpose: string, value: string): Promise<string>
  openValue(purpose: string, sealed: string): Promise<string>
  settings(): VaultSettings
  updateSettings(patch: VaultSettingsPatch): Promise<VaultSettings>
  /** Re-reads the file if it changed behind the vault's back. Resolves to whether it had. */
  reloadIfChanged(): Promise<boolean>
  /** Writes anything not yet durable now. */
  flush(): Promise<void>
  stats(): VaultStats
  /** Writes what is pending and refuses further calls. */
  close(): Promise<void>
}
