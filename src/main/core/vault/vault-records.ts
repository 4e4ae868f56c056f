// What the open vault holds in memory: its cipher header, library records (secrets sealed), personal entries, keys of
// other systems (token sealed) and settings. The repository changes them; the store engine writes them (the whole file, or one id's state to the
// journal) and merges into them a file changed behind the vault's back.
import type { LibraryMeta, PersonalEntryMeta } from '../model.ts'
import { EntryTable } from './entry-table.ts'
import { encodeFile, type StoredCipherHeader, type StoredKey, type StoredLibrary, type VaultContent } from './file-format.ts'
import type { JournalOp } from './journal.ts'
import type { KeyQuarantine } from './key-sealing.ts'
import { KeyTable } from './key-table.ts'
import { quarantine, sameSealing, type Quarantine } from './quarantine.ts'
import type { LibrarySecretsError } from './errors.ts'
import type { VaultSettings } from './settings.ts'

/** Library records and entries by id: as a file and its journal hold them, or memory's as they were. */
export interface RecordMaps {
  readonly libraries: ReadonlyMap<string, StoredLibrary>
  readonly entries: ReadonlyMap<string, PersonalEntryMeta>
  readonly keys: ReadonlyMap<string, StoredKey>
}

/** The ids a re-read file added, removed and changed: library records first, then entries, then keys. */
export interface RecordChanges {
  readonly added: string[]
  readonly removed: string[]
  readonly changed: string[]
}

export class VaultRecords {
  #cipherHeader: StoredCipherHeader
  #libraries: Map<string, StoredLibrary>
  #list: readonly LibraryMeta[] | null = null
  /** Records changed outside Larder (quarantine.ts): kept as found in #libraries, shown and refused as here. */
  #quarantined: Map<string, Quarantine>
  /** Libraries reached through a personal token: metadata only, they use their connection's secrets. */
  readonly entries: EntryTable
  /** Keys of other systems, with the ones refused as changed outside Larder. */
  readonly keys: KeyTable
  #settings: VaultSettings

  constructor(content: VaultContent, quarantined: ReadonlyMap<string, Quarantine> = new Map(), keysQuarantined?: ReadonlyMap<string, KeyQuarantine>) {
    this.#cipherHeader = content.cipher
    this.#libraries = new Map(content.libraries)
    this.#quarantined = new Map(quarantined)
    this.entries = new EntryTable(content.entries)
    this.keys = new KeyTable(content.keys, keysQuarantined)
    this.#settings = content.settings
  }

  list(): readonly LibraryMeta[] {
    this.#list ??= Object.freeze([...this.#libraries.values()].map((library) => this.#quarantined.get(library.meta.id)?.shown ?? library.meta))
    return this.#list
  }

  /** The record as stored (what is written out). */
  library(id: string): StoredLibrary | undefined {
    return this.#libraries.get(id)
  }

  /** The record as the vault shows and acts on it. */
  meta(id: string): LibraryMeta | undefined {
    return this.#quarantined.get(id)?.shown ?? this.#libraries.get(id)?.meta
  }

  quarantined(id: string): Quarantine | undefined {
    return this.#quarantined.get(id)
  }

  /** The record's secrets turned out not to open for it: from now on it is shown with the failure and refused. */
  quarantine(id: string, error: LibrarySecretsError, now: number): void {
    const library = this.#libraries.get(id)
    if (!library || this.#quarantined.has(id)) return
    this.#quarantined.set(id, quarantine(error, library.meta, true, now))
    this.#list = null
  }

  hasLibrary(id: string): boolean {
    return this.#libraries.has(id)
  }

  /** Whether the id names a library record, an entry or a key (ids are unique across the three). */
  has(id: string): boolean {
    return this.#libraries.has(id) || this.entries.has(id) || this.keys.has(id)
  }

  /** A record Larder sealed itself: whatever was found about the one it replaces no longer holds. */
  putLibrary(library: StoredLibrary): void {
    this.#libraries.set(library.meta.id, library)
    this.#quarantined.delete(library.meta.id)
    this.#list = null
  }

  deleteLibrary(id: string): void {
    this.#libraries.delete(id)
    this.#quarantined.delete(id)
    this.#list = null
  }

  get settings(): VaultSettings {
    return this.#settings
  }

  get cipherHeader(): StoredCipherHeader {
    return this.#cipherHeader
  }

  /** How many records the file holds for memory as it is now. */
  counts(): { readonly libraries: number; readonly entries: number; readonly keys: number } {
    return { libraries: this.#libraries.size, entries: this.entries.all.size, keys: this.keys.all.size }
  }

  replaceSettings(settings: VaultSettings): void {
    this.#settings = settings
  }

  /** Every id: library records, then entries, then keys. */
  *ids(): Generator<string> {
    yield* this.#libraries.keys()
    yield* this.entries.ids()
    yield* this.keys.ids()
  }

  /** The whole file, naming the journal generation that continues it. */
  encode(generation: string): Record<string, unknown> {
    return encodeFile({ cipher: this.#cipherHeader, libraries: this.#libraries, entries: this.entries.all, keys: this.keys.all, settings: this.#settings, journalId: generation })
  }

  /** The journal line that carries this id's present state: its record, or its removal. */
  journalOp(id: string): JournalOp {
    const library = this.#libraries.get(id)
    if (library) return { library }
    const entry = this.entries.get(id)
    if (entry) return { entry }
    const key = this.keys.get(id)
    return key ? { key } : { drop: id }
  }

  snapshot(): RecordMaps {
    return { libraries: new Map(this.#libraries), entries: this.entries.snapshot(), keys: this.keys.snapshot() }
  }

  changesSince(before: RecordMaps): RecordChanges {
    const changes: RecordChanges = { added: [], removed: [], changed: [] }
    const removedLibraries = diffInto(changes, before.libraries, this.#libraries)
    const removedEntries = diffInto(changes, before.entries, this.entries.all)
    const removedKeys = diffInto(changes, before.keys, this.keys.all)
    changes.removed.push(...removedLibraries, ...removedEntries, ...removedKeys)
    return changes
  }

  /**
   * Takes the records of a file read from disk. The file wins, except where it would lose something newer that
   * memory holds: a change made here and not yet durable (memory's state of that id, removal included, is the
   * latest intent), or a live refresh token where the file's copy holds a spent one or none. Returns the ids memory
   * kept.
   */
  async merge(disk: RecordMaps, notDurable: ReadonlySet<string>, checks: MergeChecks): Promise<string[]> {
    const next = new Map<string, StoredLibrary>()
    const quarantined = new Map<string, Quarantine>()
    const kept: string[] = []
    const keep = (id: string, inMemory: StoredLibrary | undefined): void => {
      if (inMemory) next.set(id, inMemory)
      const found = this.#quarantined.get(id)
      if (inMemory && found) quarantined.set(id, found)
      kept.push(id)
    }
    for (const [id, onDisk] of disk.libraries) {
      const inMemory = this.#libraries.get(id)
      if (notDurable.has(id)) keep(id, inMemory)
      else if (inMemory && inMemory.secrets.refreshToken !== onDisk.secrets.refreshToken && (await checks.holdsLiveToken(inMemory)) && !(await checks.holdsLiveToken(onDisk))) {
        keep(id, inMemory)
      } else {
        next.set(id, onDisk)
        const found = await this.#checkFromDisk(id, onDisk, inMemory, checks)
        if (found) quarantined.set(id, found)
      }
    }
    for (const [id, inMemory] of this.#libraries) {
      if (!disk.libraries.has(id) && (notDurable.has(id) || (await checks.holdsLiveToken(inMemory)))) keep(id, inMemory)
    }
    this.#libraries = next
    this.#quarantined = quarantined
    this.#list = null
    kept.push(...this.entries.merge(disk.entries, notDurable))
    kept.push(...(await this.keys.merge(disk.keys, notDurable, checks.checkKey)))
    return kept
  }

  /**
   * A record taken from disk is checked unless it is sealed exactly as memory's (then what was found about memory's
   * holds). One that fails is shown as the version memory held, if it had one: the version anything in flight used.
   */
  async #checkFromDisk(id: string, onDisk: StoredLibrary, inMemory: StoredLibrary | undefined, checks: MergeChecks): Promise<Quarantine | undefined> {
    const before = this.#quarantined.get(id)
    if (inMemory && sameSealing(inMemory, onDisk)) return before
    const error = await checks.check(onDisk)
    if (!error) return undefined
    if (before) return quarantine(error, before.shown, before.trusted, checks.now())
    return inMemory ? quarantine(error, inMemory.meta, true, checks.now()) : quarantine(error, onDisk.meta, false, checks.now())
  }

  /** The file's cipher header, and its settings unless memory's are newer (`settings` null). */
  adoptHeader(cipherHeader: StoredCipherHeader, settings: VaultSettings | null): void {
    this.#cipherHeader = cipherHeader
    if (settings !== null) this.#settings = settings
  }
}

/** What a merge needs to know about records: which hold a live token, and which do not open for themselves. */
export interface MergeChecks {
  holdsLiveToken(library: StoredLibrary): Promise<boolean>
  check(library: StoredLibrary): Promise<LibrarySecretsError | null>
  checkKey(key: StoredKey): Promise<LibrarySecretsError | null>
  now(): number
}

/** Adds to `changes` what `now` added and changed against `before`; returns the ids it no longer has. */
function diffInto<T>(changes: RecordChanges, before: ReadonlyMap<string, T>, now: ReadonlyMap<string, T>): string[] {
  for (const [id, value] of now) {
    const previous = before.get(id)
    if (previous === undefined) changes.added.push(id)
    else if (previous !== value) changes.changed.push(id)
  }
  return [...before.keys()].filter((id) => !now.has(id))
}
