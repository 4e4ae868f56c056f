// The vault's keys of other systems in memory: each record with its token sealed, keyed by id, and the ones whose token
// does not open for them (changed outside Larder: key-sealing.ts), kept as found and refused. Merged with a file's copy
// the way library records are: the file wins except where memory holds a change not yet written.
import type { KeyMeta } from '../keys/key-model.ts'
import type { LibrarySecretsError } from './errors.ts'
import type { StoredKey } from './file-format.ts'
import { sameKeySealing, type KeyQuarantine } from './key-sealing.ts'

export class KeyTable {
  #keys: Map<string, StoredKey>
  #quarantined: Map<string, KeyQuarantine>
  #list: readonly KeyMeta[] | null = null

  constructor(initial: ReadonlyMap<string, StoredKey> | undefined, quarantined: ReadonlyMap<string, KeyQuarantine> = new Map()) {
    this.#keys = new Map(initial ?? [])
    this.#quarantined = new Map(quarantined)
  }

  /** For encoding the file. */
  get all(): ReadonlyMap<string, StoredKey> {
    return this.#keys
  }

  /** Every key as the vault shows it (a refused one as the version it last trusted, or as found). */
  list(): readonly KeyMeta[] {
    this.#list ??= Object.freeze([...this.#keys.values()].map((key) => this.#quarantined.get(key.meta.id)?.shown ?? key.meta))
    return this.#list
  }

  /** The record as stored (what is written out). */
  get(id: string): StoredKey | undefined {
    return this.#keys.get(id)
  }

  meta(id: string): KeyMeta | undefined {
    return this.#quarantined.get(id)?.shown ?? this.#keys.get(id)?.meta
  }

  has(id: string): boolean {
    return this.#keys.has(id)
  }

  ids(): IterableIterator<string> {
    return this.#keys.keys()
  }

  quarantined(id: string): KeyQuarantine | undefined {
    return this.#quarantined.get(id)
  }

  /** Its token turned out not to open for it: from now on it is refused. */
  quarantine(id: string, error: LibrarySecretsError): void {
    const key = this.#keys.get(id)
    if (!key || this.#quarantined.has(id)) return
    this.#quarantined.set(id, Object.freeze({ error, shown: key.meta }))
    this.#list = null
  }

  /** A record Larder sealed itself: whatever was found about the one it replaces no longer holds. */
  put(key: StoredKey): void {
    this.#keys.set(key.meta.id, key)
    this.#quarantined.delete(key.meta.id)
    this.#list = null
  }

  delete(id: string): void {
    this.#keys.delete(id)
    this.#quarantined.delete(id)
    this.#list = null
  }

  snapshot(): ReadonlyMap<string, StoredKey> {
    return new Map(this.#keys)
  }

  /**
   * Takes the file's keys, except those with a change here not yet written (`unwritten`): memory's state of those
   * (removal included) is the latest intent. A key taken from the file is checked unless it is sealed exactly as
   * memory's; one that fails is shown as the version memory held, if it had one. Returns the ids memory kept.
   */
  async merge(disk: ReadonlyMap<string, StoredKey>, unwritten: ReadonlySet<string>, check: (key: StoredKey) => Promise<LibrarySecretsError | null>): Promise<string[]> {
    const next = new Map<string, StoredKey>()
    const quarantined = new Map<string, KeyQuarantine>()
    const kept: string[] = []
    for (const [id, onDisk] of disk) {
      const inMemory = this.#keys.get(id)
      if (unwritten.has(id)) {
        if (inMemory) next.set(id, inMemory)
        const found = this.#quarantined.get(id)
        if (inMemory && found) quarantined.set(id, found)
        kept.push(id)
        continue
      }
      next.set(id, onDisk)
      const before = this.#quarantined.get(id)
      if (inMemory && sameKeySealing(inMemory, onDisk)) {
        if (before) quarantined.set(id, before)
        continue
      }
      const error = await check(onDisk)
      if (error) quarantined.set(id, Object.freeze({ error, shown: before?.shown ?? inMemory?.meta ?? onDisk.meta }))
    }
    for (const [id, inMemory] of this.#keys) {
      if (!disk.has(id) && unwritten.has(id)) {
        next.set(id, inMemory)
        kept.push(id)
      }
    }
    this.#keys = next
    this.#quarantined = quarantined
    this.#list = null
    return kept
  }
}
