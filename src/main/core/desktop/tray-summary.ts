// The tray's summary of every library, kept up to date change by change: each status group stays sorted in its menu
// order, so a change costs a binary search and one splice, and the model (counts, worst level, the first entries of
// the menu) is read off the groups whatever their size. Rebuilding it from every library instead made each change
// of a refresh wave cost O(libraries) (buildTrayModel sorts them all). Holds only what the tray shows of a library.
import type { LibraryStatus } from '../../../shared/contract.ts'
import { STATUSES_WORST_FIRST } from './status-words.ts'
import { comparatorFor, libraryIdOf, trayModelOf, type TrayLibrary, type TrayModel, type TrayModelOptions } from './tray-model.ts'

export interface TraySnapshot {
  readonly model: TrayModel
  /** The names of the libraries the menu lists, by id: what a click on one of them that fails is announced with. */
  readonly names: ReadonlyMap<string, string>
}

export class TraySummary {
  readonly #options: TrayModelOptions
  readonly #byId = new Map<string, TrayLibrary>()
  readonly #groups = new Map<LibraryStatus, TrayLibrary[]>()

  constructor(options: TrayModelOptions = {}) {
    this.#options = options
    this.#clearGroups()
  }

  get size(): number {
    return this.#byId.size
  }

  /** Every library at once (the vault opened): sorted once. */
  reset(libraries: readonly TrayLibrary[]): void {
    this.#byId.clear()
    this.#clearGroups()
    for (const library of libraries) this.#byId.set(library.id, trayFields(library))
    for (const library of this.#byId.values()) this.#groups.get(library.status)?.push(library)
    for (const [status, members] of this.#groups) members.sort(comparatorFor(status))
  }

  /** Some libraries changed, some are gone: O(changes × log libraries). */
  apply(changed: readonly TrayLibrary[], removed: readonly string[]): void {
    for (const library of changed) {
      this.#remove(library.id)
      const fields = trayFields(library)
      this.#byId.set(fields.id, fields)
      const group = this.#groups.get(fields.status)
      if (group) group.splice(insertionIndex(group, fields, comparatorFor(fields.status)), 0, fields)
    }
    for (const id of removed) this.#remove(id)
  }

  /** What the tray shows now; reads only the group sizes and the entries the menu lists. */
  snapshot(): TraySnapshot {
    const model = trayModelOf(this.#groups, this.#byId.size, this.#options)
    const names = new Map<string, string>()
    for (const node of model.menu) {
      const id = libraryIdOf(node)
      const name = id === null ? undefined : this.#byId.get(id)?.name
      if (id !== null && name !== undefined) names.set(id, name)
    }
    return { model, names }
  }

  #remove(id: string): void {
    const old = this.#byId.get(id)
    if (old === undefined) return
    this.#byId.delete(id)
    const group = this.#groups.get(old.status)
    if (!group) return
    // The comparators end on the id, so each entry has exactly one place in its group.
    const at = insertionIndex(group, old, comparatorFor(old.status))
    const index = group[at] === old ? at : group.indexOf(old)
    if (index >= 0) group.splice(index, 1)
  }

  #clearGroups(): void {
    for (const status of STATUSES_WORST_FIRST) this.#groups.set(status, [])
  }
}

/** The first index whose entry does not sort before `library`. */
function insertionIndex(group: readonly TrayLibrary[], library: TrayLibrary, compare: (a: TrayLibrary, b: TrayLibrary) => number): number {
  let low = 0
  let high = group.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (compare(group[middle]!, library) < 0) low = middle + 1
    else high = middle
  }
  return low
}

/** Only the fields the tray reads, so a view's other fields (and the view itself) are not kept alive here. */
function trayFields(library: TrayLibrary): TrayLibrary {
  const { id, name, status, expiresAt, lastError, personal } = library
  return {
    id,
    name,
    status,
    expiresAt,
    ...(lastError ? { lastError: { kind: lastError.kind } } : {}),
    ...(personal
      ? {
          personal: {
            role: personal.role,
            connectionName: personal.connectionName,
            activeLibraryName: personal.activeLibraryName,
            activeLibraryId: personal.activeLibraryId,
            isActive: personal.isActive,
            drifted: personal.drifted
          }
        }
      : {})
  }
}
