// The list read in pages: the first call fixes the default order of every library at that moment (a snapshot of
// ids), answers its first rows with the whole list's total and counts, and the page reads the rest of that order in
// chunks. A chunk's rows are built when it is asked for, from the current records (a library removed since is left
// out); the page applies the events it queued meanwhile on top, so it ends exactly at the main side's state.
import { randomBytes } from 'node:crypto'
import { LIBRARY_STATUSES, type LibraryListView, type ListFirstView, type ListMoreView, type StatusCountsView } from '../../shared/contract.ts'
import { urgencyOrder } from '../../shared/library-order.ts'
import { InputError } from '../core/errors.ts'
import type { LibraryWithStatus } from '../core/libraries/library-service.ts'
import type { Actions } from './actions.ts'
import { toLibraryListView } from './views.ts'

/** A snapshot unread this long is dropped: a page that never asks for the rest does not hold it for ever. */
const KEEP_MS = 60_000
/** Snapshots kept at once (windows, reloads): past this the least recently used goes. */
const MAX_SNAPSHOTS = 4

interface Snapshot {
  /** The open vault's use cases it was taken from: a vault closed and reopened since makes it stale. */
  readonly owner: Actions
  readonly ids: readonly string[]
  lastUsedAt: number
}

export interface ListSnapshotOptions {
  readonly now?: () => number
  readonly keepMs?: number
  readonly max?: number
}

const STALE = 'The list changed while it was read: read it again.'

export class ListSnapshots {
  readonly #snapshots = new Map<string, Snapshot>()
  readonly #now: () => number
  readonly #keepMs: number
  readonly #max: number
  #counter = 0

  constructor(options: ListSnapshotOptions = {}) {
    this.#now = options.now ?? Date.now
    this.#keepMs = options.keepMs ?? KEEP_MS
    this.#max = options.max ?? MAX_SNAPSHOTS
  }

  get size(): number {
    return this.#snapshots.size
  }

  /**
   * Sorts `libraries` in the default order for `locale`, answers the first `count` rows (only those are built) with
   * the total and counts of all of them, and keeps the order's ids under a new version when there is more to read.
   */
  first(owner: Actions, libraries: readonly LibraryWithStatus[], count: number, locale: string): ListFirstView {
    this.#dropExpired()
    const sorted = [...libraries].sort(urgencyOrder(locale))
    const rows = sorted.slice(0, count).map(toLibraryListView)
    const answer = { total: sorted.length, counts: countStatuses(sorted), rows }
    if (sorted.length <= count) return { version: '', ...answer }
    // Not guessable from another window's version; not a secret either (it reads nothing a page cannot list).
    const version = `s${++this.#counter}-${randomBytes(6).toString('base64url')}`
    while (this.#snapshots.size >= this.#max) this.#dropLeastRecentlyUsed()
    this.#snapshots.set(version, { owner, ids: sorted.map((library) => library.id), lastUsedAt: this.#now() })
    return { version, ...answer }
  }

  /**
   * The rows at positions [from, from + count) of the order `version` fixed, built now by `row` (undefined: the
   * library is gone, left out). The snapshot is dropped once its end is read.
   */
  more(owner: Actions, version: string, from: number, count: number, row: (id: string) => LibraryListView | undefined): ListMoreView {
    this.#dropExpired()
    const snapshot = this.#snapshots.get(version)
    if (snapshot === undefined || snapshot.owner !== owner) {
      this.#snapshots.delete(version)
      throw new InputError('version', STALE)
    }
    snapshot.lastUsedAt = this.#now()
    const end = Math.min(from + count, snapshot.ids.length)
    const rows: LibraryListView[] = []
    for (let i = from; i < end; i++) {
      const built = row(snapshot.ids[i] as string)
      if (built !== undefined) rows.push(built)
    }
    const done = end >= snapshot.ids.length
    if (done) this.#snapshots.delete(version)
    return { rows, done }
  }

  #dropExpired(): void {
    const now = this.#now()
    for (const [version, snapshot] of this.#snapshots) if (now - snapshot.lastUsedAt >= this.#keepMs) this.#snapshots.delete(version)
  }

  #dropLeastRecentlyUsed(): void {
    let oldest: [string, Snapshot] | undefined
    for (const entry of this.#snapshots) if (oldest === undefined || entry[1].lastUsedAt < oldest[1].lastUsedAt) oldest = entry
    if (oldest) this.#snapshots.delete(oldest[0])
  }
}

/** How many libraries are in each status, keys in `LIBRARY_STATUSES` order (as the contract's schema lists them). */
export function countStatuses(libraries: readonly { readonly status: LibraryWithStatus['status'] }[]): StatusCountsView {
  const counts = Object.fromEntries(LIBRARY_STATUSES.map((status) => [status, 0])) as Record<keyof StatusCountsView, number>
  for (const library of libraries) counts[library.status] += 1
  return counts
}
