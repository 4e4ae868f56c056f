// How a member learns what the team changed (issue 16, step 5). Through the link's listening session: a NOTIFY
// `{id, v}` newer than what this member holds → that row is read. A NOTIFY reaches only those listening at that
// moment, so each time the link is online again (and at start) the rows changed since the last one seen, less an
// overlap, are read (catch-up); and every `pollMs` the same read runs anyway (a lost notification, a dead socket),
// every `offlinePollMs` while the listening session is down (the pool may still work). Notifications that arrive while
// a read or a take-in is under way are gathered and read together once it is through, and handed over as one batch (a
// burst after a restart costs a few batches, not one read and one durable write per row). Rows are handed to `onRows`
// one batch at a time, in order, never two at once. What is newer is the caller's to decide (`knownVersion` only
// spares reads): the team vault adopts by its merge rule.
import { EventEmitter } from 'node:events'
import { systemClock, type Clock, type TimerHandle } from '../time/clock.ts'
import type { TeamLink } from './db/team-link.ts'
import type { TeamDb } from './db/transaction.ts'
import type { TeamSession } from './membership.ts'
import { readRow, readRowsSince, type RowRead } from './row-writes.ts'

export type TeamSyncState = { readonly state: 'online'; readonly since: number } | { readonly state: 'offline'; readonly since: number; readonly why: string }

export interface TeamSyncEvents {
  /** Online or offline from the team, with since when and why. */
  state: [TeamSyncState]
  /** A read or a hand-over failed (it is tried again at the next read); says what, never a secret. */
  error: [Error]
}

export interface TeamSyncOptions {
  readonly link: TeamLink
  readonly db: TeamDb
  readonly session: TeamSession
  /** The newest `changed_at` (server ms) already taken in; null: read every row. */
  readonly since: number | null
  /** The row version this member holds, if any (a NOTIFY at or below it is not read). */
  knownVersion(id: string): number | undefined
  /** Rows read, oldest first; the next batch waits for this one. `since` moves past them once it resolves. */
  onRows(rows: readonly RowRead[]): Promise<void>
  readonly clock?: Clock
  /** How far before `since` a catch-up reads (a write stamped earlier may commit later). Default 60 s. */
  readonly overlapMs?: number
  readonly pollMs?: number
  readonly offlinePollMs?: number
}

interface Notice {
  readonly id: string
  readonly v: number
}

function noticeOf(payload: string): Notice | null {
  try {
    const parsed = JSON.parse(payload) as { id?: unknown; v?: unknown }
    return typeof parsed.id === 'string' && typeof parsed.v === 'number' ? { id: parsed.id, v: parsed.v } : null
  } catch {
    return null
  }
}

export class TeamSync extends EventEmitter<TeamSyncEvents> {
  readonly #options: TeamSyncOptions
  readonly #clock: Clock
  #since: number | null
  #state: TeamSyncState
  #queue: Promise<void> = Promise.resolve()
  /** Notified rows not read yet (id → newest version heard), read together by the next batch. */
  readonly #noticed = new Map<string, number>()
  /** A batch of noticed rows is queued and has not started yet (notices join it). */
  #batchQueued = false
  #timer: TimerHandle | null = null
  #stopped = false
  readonly #unsubscribe: (() => void)[] = []

  constructor(options: TeamSyncOptions) {
    super()
    this.#options = options
    this.#clock = options.clock ?? systemClock
    this.#since = options.since
    const link = options.link.state()
    this.#state = link.state === 'online' ? link : { state: 'offline', since: this.#clock.now(), why: link.state === 'offline' ? link.reason : 'not connected to the team database yet' }
  }

  state(): TeamSyncState {
    return this.#state
  }

  /** The newest `changed_at` taken in (server ms), to keep for the next start. */
  since(): number | null {
    return this.#since
  }

  /** Listens to the link; reads now if it is online. Call before the link starts, so its first 'online' is heard. */
  start(): void {
    const link = this.#options.link
    const online = (since: number): void => {
      this.#set({ state: 'online', since })
      void this.catchUp()
    }
    const offline = (since: number, reason: string): void => {
      this.#set({ state: 'offline', since, why: reason })
      this.#plan()
    }
    const notification = (payload: string): void => this.#heard(payload)
    link.on('online', online)
    link.on('offline', offline)
    link.on('notification', notification)
    this.#unsubscribe.push(() => link.off('online', online), () => link.off('offline', offline), () => link.off('notification', notification))
    if (link.state().state === 'online') void this.catchUp()
    else this.#plan()
  }

  /** Stops listening and reading; resolves once the batch in hand is through. */
  async stop(): Promise<void> {
    this.#stopped = true
    for (const off of this.#unsubscribe.splice(0)) off()
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer)
    this.#timer = null
    await this.#queue
  }

  /** Reads what changed since the last row seen (less the overlap) and hands it over; resolves once taken in. */
  catchUp(): Promise<void> {
    return this.#enqueue(async () => {
      const rows = await readRowsSince(this.#options.db, this.#options.session, this.#since, this.#options.overlapMs ?? 60_000)
      const fresh = rows.filter((row) => row.version > (this.#options.knownVersion(row.id) ?? 0))
      if (fresh.length > 0) await this.#options.onRows(fresh)
      this.#advance(rows)
    }, true)
  }

  #heard(payload: string): void {
    const notice = noticeOf(payload)
    if (notice === null || notice.v <= (this.#options.knownVersion(notice.id) ?? 0)) return
    this.#noticed.set(notice.id, Math.max(notice.v, this.#noticed.get(notice.id) ?? 0))
    if (this.#batchQueued) return
    this.#batchQueued = true
    void this.#enqueue(() => this.#readNoticed(), false)
  }

  /** Reads every noticed row still newer than what is held (when this batch's turn comes) and hands them over together. */
  async #readNoticed(): Promise<void> {
    this.#batchQueued = false
    const wanted = [...this.#noticed].filter(([id, v]) => v > (this.#options.knownVersion(id) ?? 0))
    this.#noticed.clear()
    if (wanted.length === 0) return
    try {
      const rows = await Promise.all(wanted.map(([id]) => readRow(this.#options.db, this.#options.session, id)))
      const fresh = rows.filter((row): row is RowRead => row !== null && row.version > (this.#options.knownVersion(row.id) ?? 0))
      if (fresh.length > 0) await this.#options.onRows(fresh.sort((a, b) => a.changedAt - b.changedAt))
    } catch (error) {
      // Not read (or not taken in): noticed still, so the next batch or read tries them again.
      for (const [id, v] of wanted) this.#noticed.set(id, Math.max(v, this.#noticed.get(id) ?? 0))
      throw error
    }
  }

  /** Runs `work` after everything before it; a read's failure is said and the next one tried. */
  #enqueue(work: () => Promise<void>, replan: boolean): Promise<void> {
    const run = this.#queue.then(async () => {
      if (this.#stopped) return
      try {
        await work()
      } catch (error) {
        // Offline, a failed read is expected (the state already says so); online, it is news.
        if (this.#state.state === 'online') this.emit('error', error instanceof Error ? error : new Error(String(error)))
      } finally {
        if (replan) this.#plan()
      }
    })
    this.#queue = run
    return run
  }

  #advance(rows: readonly RowRead[]): void {
    for (const row of rows) if (this.#since === null || row.changedAt > this.#since) this.#since = row.changedAt
  }

  /** The next periodic read: soon while the listening session is down, else every pollMs. */
  #plan(): void {
    if (this.#stopped) return
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer)
    const every = this.#state.state === 'online' ? (this.#options.pollMs ?? 30_000) : (this.#options.offlinePollMs ?? 1_000)
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null
      void this.catchUp()
    }, every)
    this.#timer.unref?.()
  }

  #set(state: TeamSyncState): void {
    this.#state = state
    this.emit('state', state)
  }
}
