// The vault's personal entries in memory: plain metadata (no secrets), keyed by id, merged with the file's copy the
// same way library records are: the file wins except where memory holds a change not yet written.
import type { PersonalEntryMeta } from '../model.ts'

export class EntryTable {
  #entries: Map<string, PersonalEntryMeta>
  #list: readonly PersonalEntryMeta[] | null = null

  constructor(initial: ReadonlyMap<string, PersonalEntryMeta> | undefined) {
    this.#entries = new Map(initial ?? [])
  }

  /** For encoding the file. */
  get all(): ReadonlyMap<string, PersonalEntryMeta> {
    return this.#entries
  }

  list(): readonly PersonalEntryMeta[] {
    this.#list ??= Object.freeze([...this.#entries.values()])
    return this.#list
  }

  get(id: string): PersonalEntryMeta | undefined {
    return this.#entries.get(id)
  }

  has(id: string): boolean {
    return this.#entries.has(id)
  }

  ids(): IterableIterator<string> {
    return this.#entries.keys()
  }

  /** The ids of the entries that use this connection's token. */
  ofConnection(connectionId: string): string[] {
    const ids: string[] = []
    for (const entry of this.#entries.values()) if (entry.connectionId === connectionId) ids.push(entry.id)
    return ids
  }

  set(entry: PersonalEntryMeta): void {
    this.#entries.set(entry.id, entry)
    this.#list = null
  }

  delete(id: string): void {
    if (this.#entries.delete(id)) this.#list = null
  }

  snapshot(): ReadonlyMap<string, PersonalEntryMeta> {
    return new Map(this.#entries)
  }

  /**
   * Takes the file's entries, except those with a change here not yet written (`unwritten`): memory's state of
   * those (removal included) is the latest intent. Returns the ids memory kept.
   */
  merge(disk: ReadonlyMap<string, PersonalEntryMeta>, unwritten: ReadonlySet<string>): string[] {
    const next = new Map<string, PersonalEntryMeta>()
    const kept: string[] = []
    for (const [id, onDisk] of disk) {
      if (unwritten.has(id)) {
        const inMemory = this.#entries.get(id)
        if (inMemory) next.set(id, inMemory)
        kept.push(id)
      } else {
        next.set(id, onDisk)
      }
    }
    for (const [id, inMemory] of this.#entries) {
      if (!disk.has(id) && unwritten.has(id)) {
        next.set(id, inMemory)
        kept.push(id)
      }
    }
    this.#entries = next
    this.#list = null
    return kept
  }
}
