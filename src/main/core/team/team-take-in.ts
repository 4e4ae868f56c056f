// How a team vault takes other members' rows in, and keeps its own row work in order (issue 16, step 5). Every write
// or take-in of a row waits for the one before it (`exclusive`), so a row is never written and taken in at once. A
// batch of rows from sync is taken in by the merge rule (team-adopt.ts) and announced once; whoever waits for a row's
// next version (another member refreshing it, team-turns.ts) is woken by it. A row not taken in is said once per
// version.
import type { Clock } from '../time/clock.ts'
import type { ExternalChange, Vault } from '../vault/vault-types.ts'
import type { RowIndex } from './row-index.ts'
import type { RowHead, RowRead } from './row-writes.ts'
import { adoptRow } from './team-adopt.ts'
import type { TeamRowRefusal } from './team-errors.ts'

/** What the team vault lends its take-in. */
export interface TakeInHost {
  readonly local: Vault
  readonly index: RowIndex
  readonly clock: Clock
  /** A take-home under way or made here: the tombstones it wrote are the team's last, not its copies' end. */
  takingHome(): boolean
  /** How far sync has read the team's rows (kept in the row index with each batch); null before the first read. */
  since(): number | null
  /** A batch of rows taken in (announced as the vault's 'changed'). */
  changed(change: ExternalChange): void
  /** A row not taken in, and why (announced as the vault's 'refused'). */
  refused(refusal: TeamRowRefusal): void
}

export class TeamTakeIn {
  readonly #host: TakeInHost
  /** Per id, the end of the last write or take-in: one at a time per row, in order. */
  readonly #tails = new Map<string, Promise<unknown>>()
  /** The version of each row last refused, so a refusal is said once. */
  readonly #reported = new Map<string, number>()
  /** Who waits for a row's next version (another member refreshing it). */
  readonly #waiting = new Map<string, (() => void)[]>()

  constructor(host: TakeInHost) {
    this.#host = host
  }

  /** Rows from sync: libraries before the entries that use them, removals last; one announcement per batch. */
  async takeIn(rows: readonly RowRead[]): Promise<void> {
    const { local, index } = this.#host
    const rank = (row: RowRead): number => (row.deleted ? (row.kind === 'entry' ? 2 : 3) : row.kind === 'library' ? 0 : 1)
    const change = { added: [] as string[], removed: [] as string[], changed: [] as string[] }
    // While this machine takes the team home, the tombstones it wrote are not its copies' end: they are the team's last.
    const taken = this.#host.takingHome() ? rows.filter((row) => !row.deleted) : rows
    // One rank at a time, its rows together: their local writes share one durable write (the vault's group commit).
    for (const group of [0, 1, 2, 3].map((r) => taken.filter((row) => rank(row) === r))) {
      const adopted = await Promise.all(group.map((row) => this.exclusive([row.id], () => adoptRow(local, index, row))))
      adopted.forEach((one, i) => {
        if ('refusal' in one) this.#report(one.refusal)
        else if (one.change !== null) change[one.change].push(group[i]?.id ?? '')
      })
    }
    index.setSince(this.#host.since())
    for (const id of [...change.added, ...change.changed, ...change.removed]) this.wake(id)
    if (change.added.length + change.removed.length + change.changed.length > 0) this.#host.changed({ ...change, keptFromMemory: [], movedAside: null })
  }

  /** Runs `work` once every earlier write or take-in of these ids is through. */
  async exclusive<T>(ids: readonly string[], work: () => Promise<T>): Promise<T> {
    const before = ids.map((id) => this.#tails.get(id) ?? Promise.resolve())
    const run = Promise.allSettled(before).then(work)
    const tail = run.catch(() => undefined)
    for (const id of ids) this.#tails.set(id, tail)
    try {
      return await run
    } finally {
      for (const id of ids) if (this.#tails.get(id) === tail) this.#tails.delete(id)
    }
  }

  /** Resolves once every write or take-in under way now is through (failed ones too). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#tails.values()])
  }

  /** The row's written head, remembered as this machine's knowledge of it. */
  remember(head: RowHead): void {
    this.#host.index.set(head.id, { version: head.version, pairVersion: head.pairVersion, deleted: head.deleted })
  }

  /** Resolves when a newer version of the row is taken in (or its family is freed), or after `ms`. */
  nextVersion(id: string, ms: number): Promise<void> {
    const { clock } = this.#host
    return new Promise((resolve) => {
      const timer = clock.setTimeout(resolve, ms)
      const list = this.#waiting.get(id) ?? []
      list.push(() => {
        clock.clearTimeout(timer)
        resolve()
      })
      this.#waiting.set(id, list)
    })
  }

  /** Wakes whoever waits for this row's next version. */
  wake(id: string): void {
    const list = this.#waiting.get(id)
    this.#waiting.delete(id)
    for (const wake of list ?? []) wake()
  }

  /** Wakes every waiter (the vault closes). */
  wakeAll(): void {
    for (const wake of [...this.#waiting.values()].flat()) wake()
  }

  #report(refusal: TeamRowRefusal): void {
    if (this.#reported.get(refusal.id) === refusal.version) return
    this.#reported.set(refusal.id, refusal.version)
    this.#host.refused(refusal)
  }
}
