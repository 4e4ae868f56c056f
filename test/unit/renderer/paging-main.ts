// The main side of the list calls for the store's tests: a first page that fixes the order, chunks read from the
// rows as they are when asked for, and an event for every change.
import type { CallResult, LibraryListView, LibraryStatus } from '../../../src/shared/contract.ts'
import { LIBRARY_STATUSES } from '../../../src/shared/contract.ts'
import { countByStatus } from '../../../src/renderer/src/lib/library-query.ts'
import { listViewOf } from '../../../src/shared/library-list-view.ts'
import type { FakeBridge } from './fake-bridge.ts'
import { library } from './fixtures.ts'

/**
 * The main side as the list calls see it: rows that change while the list is read, a first page that fixes the order
 * of every id at that moment, chunks built from the rows as they are when asked for (ids gone since are left out),
 * and an event for every change, sent as it happens.
 */
export class PagingMain {
  readonly rows = new Map<string, LibraryListView>()
  readonly #orders = new Map<string, readonly string[]>()
  #versions = 0
  /** Runs around each chunk's build: the changes that happen while the list is read. */
  aroundChunk: () => void = () => {}
  refuseChunks = false

  readonly bridge: FakeBridge
  constructor(bridge: FakeBridge) {
    this.bridge = bridge
    bridge.answers['libraries.listFirst'] = (input) => this.first(input as { count: number })
    bridge.answers['libraries.listMore'] = (input) => this.more(input as { version: string; from: number; count: number })
    bridge.answers['libraries.list'] = () => ({ ok: true, value: [...this.rows.values()] })
  }

  put(row: LibraryListView): void {
    this.rows.set(row.id, row)
    this.bridge.emit('library.changed', row)
  }
  remove(id: string): void {
    this.rows.delete(id)
    this.bridge.emit('library.removed', { id })
  }

  first({ count }: { count: number }): CallResult<'libraries.listFirst'> {
    const ids = [...this.rows.keys()]
    const version = ids.length > count ? `v${++this.#versions}` : ''
    if (version !== '') this.#orders.set(version, ids)
    const rows = ids.slice(0, count).map((id) => this.rows.get(id) as LibraryListView)
    return { ok: true, value: { version, total: ids.length, counts: countByStatus([...this.rows.values()]), rows } }
  }

  more({ version, from, count }: { version: string; from: number; count: number }): CallResult<'libraries.listMore'> {
    const ids = this.#orders.get(version)
    if (ids === undefined || this.refuseChunks) return { ok: false, error: { kind: 'invalid_input', field: 'version', message: 'The list changed while it was read: read it again.' } }
    this.aroundChunk()
    const rows = ids.slice(from, from + count).flatMap((id) => this.rows.get(id) ?? [])
    this.aroundChunk()
    const done = from + count >= ids.length
    if (done) this.#orders.delete(version)
    return { ok: true, value: { rows, done } }
  }
}

export function seeded(main: PagingMain, n: number): void {
  const statuses: readonly LibraryStatus[] = LIBRARY_STATUSES
  for (let i = 0; i < n; i++) main.rows.set(`lib-${i}`, listViewOf(library({ id: `lib-${i}`, name: `Library ${i}`, status: statuses[i % statuses.length] })))
}

