// A member's vault in team mode (issue 16, step 5): the Vault the core uses, over the member's local vault (its
// FileVault, unchanged: journal, seals, spent ledger), which stays the sealed local cache. Reads come from the local
// vault, so a member offline from the team lists and copies as before. A change to a team credential goes to its row
// first (a compare-and-set on the row's version: when another member wrote first, the change is applied again to the
// newer row, up to 3 times) and then into the local vault as the row now stands; offline it is refused by name,
// except `lastUsedAt`, which is this member's own and stays local. Rows other members write arrive through TeamSync
// and are taken in by the merge rule (team-adopt.ts); each batch taken in is announced ('changed', in the local
// vault's ExternalChange shape). Keys of other systems, settings and sealed values stay local (plan §1). A refresh
// takes the family's lease first (team-turns.ts), so no two members refresh one family.
import { InputError } from '../errors.ts'
import { isConnection, type IssuedPair, type LibraryHold, type LibraryMeta, type LibrarySecrets, type PersonalEntryMeta } from '../model.ts'
import { systemClock, type Clock } from '../time/clock.ts'
import { checkEntry, checkEntryPatch, type EntryPatch } from '../vault/entry-checks.ts'
import { checkCredentials, checkHold, checkMeta, checkPatch, checkSecrets, libraryId, withPreview, type ClientCredentials, type LibraryPatch } from '../vault/library-checks.ts'
import type { ExternalChange, Rotation, Vault } from '../vault/vault-types.ts'
import type { TeamLink } from './db/team-link.ts'
import type { TeamDb } from './db/transaction.ts'
import type { TeamSession } from './membership.ts'
import { freedNotice } from './leases.ts'
import { rosterMember } from './roster.ts'
import { RowIndex } from './row-index.ts'
import { currentEpoch, insertRow, readRow, staleEpochError, tombstoneRow, writeRowIfVersion, type RowHead, type RowRead } from './row-writes.ts'
import { TeamSync, type TeamSyncState } from './sync.ts'
import { adoptRow } from './team-adopt.ts'
import { shareLocalRecords, type Shared } from './team-share.ts'
import { isConnectionError, TeamOfflineError, type TeamRowRefusal } from './team-errors.ts'
import { holdLibrary, patchEntryRecord, patchLibrary, replaceClient, splitLastUsed, type RecordChange } from './team-patches.ts'
import { UUID, type TeamRecord } from './team-record.ts'
import { TeamVaultLocal } from './team-vault-local.ts'
import { TeamTurns } from './team-turns.ts'
import { HeldVerdicts, isVerdict } from './team-verdicts.ts'
import { EpochWatch, liveSession, type EpochEvents } from './removal-watch.ts'
import type { RefreshTurn } from '../engine/ports.ts'
import { TeamVaultExit } from './team-vault-exit.ts'
import { readRekey, type RekeyProgress } from './removal.ts'
import { readTeamFile, teamFilePath } from './team-settings.ts'

export interface TeamVaultEvents extends EpochEvents {
  /** Rows other members wrote, taken into the local vault (one batch); the core re-plans and re-announces these ids. */
  changed: [ExternalChange]
  /** A team row not taken in, and why (team-errors.ts). Said once per row version. */
  refused: [TeamRowRefusal]
  /** Online or offline from the team (since when, why). */
  state: [TeamSyncState]
}

export interface TeamVaultOptions {
  /** The member's local vault (openVault as usual): the sealed local cache. Closed with the team vault. */
  readonly local: Vault
  /** Not started yet: the team vault starts it (after listening) and closes it. */
  readonly link: TeamLink
  /** The quoted schema the team's tables are in (the pool is the link's). */
  readonly schema: string
  readonly session: TeamSession
  readonly clock?: Clock
  readonly sync?: { readonly overlapMs?: number; readonly pollMs?: number; readonly offlinePollMs?: number }
}

/** How many times a change is applied again to a row another member wrote first. */
const RETRIES = 3

const NOT_IN_TEAM = (id: string) => new InputError('id', `There is no team credential with id "${id}" (another member may have removed it)`)

/** Opens the team vault over an open local vault, starts the link, and resolves once online or found offline. */
export async function openTeamVault(options: TeamVaultOptions): Promise<TeamVault> {
  const vault = new TeamVault(options)
  await vault.start()
  return vault
}

export class TeamVault extends TeamVaultLocal<TeamVaultEvents> implements Vault {
  readonly #db: TeamDb
  readonly #link: TeamLink
  /** Moves to a new epoch when a member is removed (removal-watch.ts); everything below reads it through `live`. */
  #session: TeamSession
  readonly #epochs: EpochWatch
  #removedState: TeamSyncState | null = null
  readonly #verdicts = new HeldVerdicts()
  readonly #index: RowIndex
  readonly #sync: TeamSync
  readonly #clock: Clock | undefined
  /** Per id, the end of the last write or take-in: one at a time per row, in order. */
  readonly #tails = new Map<string, Promise<unknown>>()
  readonly #reported = new Map<string, number>()
  readonly #turns: TeamTurns
  /** Who waits for a row's next version (another member refreshing it). */
  readonly #waiting = new Map<string, (() => void)[]>()
  /** Leaving or taking home: no refresh turn is given from here on. */
  #exiting = false
  /** A take-home under way or made here (team-exit.ts): a tombstone never drops these copies, the team's last. */
  #takingHome: boolean
  readonly #exit: TeamVaultExit

  constructor(options: TeamVaultOptions) {
    super(options.local)
    this.#db = { pool: options.link.pool, schema: options.schema }
    this.#link = options.link
    this.#session = options.session
    const current = (): TeamSession => this.#session
    const live = liveSession(current)
    this.#clock = options.clock
    this.#takingHome = readTeamFile(teamFilePath(options.local.path))?.takingHomeSince !== undefined
    this.#index = new RowIndex(options.local.path, options.session.teamId)
    this.#sync = new TeamSync({
      link: options.link,
      db: this.#db,
      session: live,
      since: this.#index.since,
      knownVersion: (id) => this.#index.get(id)?.version,
      onRows: (rows) => this.#takeIn(rows),
      ...(options.clock ? { clock: options.clock } : {}),
      ...options.sync
    })
    this.#sync.on('state', (state) => {
      if (this.#removedState !== null) return
      // Back online: the epoch checked first (refreshes wait for it), then the answers held here reach their rows.
      if (state.state === 'online') void this.checkMembership().then(() => (this.#removedState === null ? this.#backOnline() : undefined)).catch(() => undefined)
      this.emit('state', state)
    })
    const clock = options.clock ?? systemClock
    this.#turns = new TeamTurns({
      db: this.#db,
      session: live,
      local: options.local,
      clock,
      state: () => this.#sync.state(),
      takeIn: (rows) => this.#takeIn(rows),
      remember: (head) => this.#remember(head),
      exclusive: (id, work) => this.#exclusive([id], work),
      nextVersion: (id, ms) => this.#nextVersion(id, ms, clock),
      memberName: (id) => rosterMember(current().roster, id)?.label ?? 'another member'
    })
    // A failed read is tried again at the next one; the state says whether the team is reachable.
    this.#sync.on('error', () => undefined)
    // A family freed with no new pair (a failed attempt, a crash's leftover lease): whoever waits for it asks again.
    options.link.on('notification', (payload) => {
      const freed = freedNotice(payload)
      if (freed !== null) this.#woken(freed)
    })
    this.#epochs = new EpochWatch({ local: options.local, db: this.#db, link: options.link, current, live, known: (id) => this.#index.get(id)?.version ?? 0, takeIn: (rows) => this.#takeIn(rows),
      say: { removed: (error) => this.emit('removed', error), rekey: (progress) => this.emit('rekey', progress), state: (state) => this.emit('state', state) },
      moved: (next) => void (this.#session = next),
      removed: (state) => {
        // Out of the team: nothing is read, refreshed or written from here on; the local cache stays readable.
        this.#removedState = state
        this.#turns.close()
        void this.#sync.stop()
      } })
    this.#exit = new TeamVaultExit({
      local: options.local,
      index: this.#index,
      db: this.#db,
      session: current,
      out: () => this.#removedState,
      online: () => this.teamState().state === 'online',
      requireOnline: (what) => this.#online(what),
      checkMembership: () => this.checkMembership(),
      quiet: (step) => this.#quiet(step),
      leftTeam: (why) => this.#out(why),
      takingHome: { now: () => this.#takingHome, set: (on) => void (this.#takingHome = on) }
    })
  }

  /** The session this vault reads and writes under now (the current epoch's key once a removal moved it on). */
  currentSession(): TeamSession {
    return this.#session
  }

  /** Reads this member's membership again: a new epoch is followed, a removal stops the team here. */
  checkMembership(): Promise<void> {
    return this.#epochs.check()
  }

  async start(): Promise<void> {
    this.#sync.start()
    await this.#link.start()
    this.#turns.startHeartbeat()
  }

  // ── refreshing: one member at a time per family (team-turns.ts) ─────────────────────────────────────

  async refreshTurn(id: string): Promise<RefreshTurn> {
    await this.#epochs.idle()
    if (this.#removedState !== null) return { kind: 'offline', since: this.#removedState.since }
    if (this.#exiting) return { kind: 'offline', since: this.#clock?.now() ?? Date.now() }
    return this.#turns.refreshTurn(id)
  }

  refreshOffset(id: string): number {
    return this.#turns.refreshOffset(id)
  }

  /** Where the team's last removal stands (its re-sealing, and when it began); null when there never was one. */
  lastRemoval(): Promise<RekeyProgress | null> {
    return readRekey(this.#db)
  }

  /** Online or offline from the team, since when and why. */
  teamState(): TeamSyncState {
    return this.#removedState ?? this.#sync.state()
  }

  /** Why and since when this machine is out of the team (removed, left, or the team ended); null while in it. */
  outOfTeam(): { readonly why: string; readonly since: number } | null {
    const state = this.#removedState
    return state === null || state.state !== 'offline' ? null : { why: state.why, since: state.since }
  }

  // ── going back to a local vault (team-exit.ts) ────────────────────────────────────────────────────────

  /** This machine leaves the team (team-vault-exit.ts); the caller opens the vault again, local. */
  leave(): Promise<void> {
    return this.#exit.leave()
  }

  /** Ends the team, its credentials taken home to this vault (team-vault-exit.ts); resolves with their count. */
  takeHome(db: TeamDb): Promise<number> {
    return this.#exit.takeHome(db)
  }

  /** No refresh turn from here while `step` runs (answers held here written first, writes under way finished). */
  async #quiet<T>(step: () => Promise<T>): Promise<T> {
    this.#exiting = true
    try {
      await this.#turns.settleOwnMarks()
      await Promise.allSettled([...this.#tails.values()])
      return await step()
    } catch (error) {
      this.#exiting = false
      throw error
    }
  }

  #out(why: string): void {
    const state: TeamSyncState = { state: 'offline', since: this.#clock?.now() ?? Date.now(), why }
    this.#removedState = state
    this.#turns.close()
    this.#epochs.stop()
    void this.#sync.stop()
    this.emit('state', state)
  }

  /** Reads what the team changed since the last row seen and takes it in (the periodic read, now). */
  syncNow(): Promise<void> {
    return this.#sync.catchUp()
  }

  /** Gives every local record without a row one (a team made from a vault holding libraries); offline refused. */
  async shareLocal(): Promise<Shared> {
    this.#online('This vault’s libraries')
    const ids = [...this.local.list().map((meta) => meta.id), ...this.local.entries().map((entry) => entry.id)]
    return this.#exclusive(ids, () => this.#remote('This vault’s libraries', () => shareLocalRecords(this.local, this.#db, this.#session, this.#index, (head) => this.#remember(head))))
  }

  // ── changing team credentials: the row first, then the local record ─────────────────────────────────

  async add(meta: LibraryMeta, secrets: LibrarySecrets, options: { readonly consumedRefreshToken?: string } = {}): Promise<void> {
    const checkedSecrets = checkSecrets('secrets', secrets)
    const checkedMeta = withPreview(checkMeta('meta', meta), checkedSecrets.accessToken)
    this.#teamId('meta.id', checkedMeta.id)
    this.#online(checkedMeta.name)
    // What the local vault would refuse is refused before the row exists.
    if (this.local.get(checkedMeta.id) !== undefined || this.local.entry(checkedMeta.id) !== undefined) throw new InputError('meta.id', `A library with id "${checkedMeta.id}" is already in the vault`)
    if (this.local.isSpent(checkedSecrets.refreshToken)) throw new InputError('secrets.refreshToken', `This refresh token for ${checkedMeta.name} has already been used and no longer works; ask the library's owner for a new one`)
    await this.#exclusive([checkedMeta.id], async () => {
      const head = await this.#remote(checkedMeta.name, () => insertRow(this.#db, this.#session, { kind: 'library', meta: checkedMeta, secrets: checkedSecrets }))
      await this.local.add(checkedMeta, checkedSecrets, options)
      this.#remember(head)
    })
  }

  async remove(id: string): Promise<void> {
    const key = libraryId('id', id)
    const name = this.#nameOf(key)
    const entryIds = this.local.get(key) === undefined ? [] : this.local.entries().filter((entry) => entry.connectionId === key).map((entry) => entry.id)
    this.#online(name)
    await this.#exclusive([key, ...entryIds], async () => {
      // The record first: a member taking in its tombstone drops the entries with it.
      for (const rowId of [key, ...entryIds]) {
        const head = await this.#remote(name, () => tombstoneRow(this.#db, this.#session, rowId))
        if (head !== null) this.#remember(head)
      }
      await this.local.remove(key)
    })
  }

  async addEntries(entries: readonly PersonalEntryMeta[]): Promise<void> {
    if (!Array.isArray(entries)) throw new InputError('entries', 'entries must be a list')
    const checked = entries.map((entry, index) => checkEntry(`entries[${index}]`, entry))
    checked.forEach((entry, index) => {
      this.#teamId(`entries[${index}].id`, entry.id)
      const connection = this.local.get(entry.connectionId)
      if (connection === undefined) throw new InputError(`entries[${index}].connectionId`, `There is no library with id "${entry.connectionId}" in the vault`)
      if (!isConnection(connection)) throw new InputError(`entries[${index}].connectionId`, `${connection.name} does not hold a personal token, so no other library can share it`)
    })
    if (checked.length === 0) return this.local.addEntries([])
    this.#online(checked[0]?.name ?? 'The library')
    await this.#exclusive(
      checked.map((entry) => entry.id),
      async () => {
        const heads: RowHead[] = []
        try {
          for (const entry of checked) heads.push(await this.#remote(entry.name, () => insertRow(this.#db, this.#session, { kind: 'entry', entry })))
          await this.local.addEntries(checked)
        } catch (error) {
          // The local vault refused them (an id taken meanwhile): the rows go too, so no member takes them in.
          for (const head of heads) await tombstoneRow(this.#db, this.#session, head.id).catch(() => null)
          throw error
        }
        for (const head of heads) this.#remember(head)
      }
    )
  }

  async patchEntry(id: string, patch: EntryPatch): Promise<void> {
    const key = libraryId('id', id)
    const { shared, lastUsedAt } = splitLastUsed(checkEntryPatch('patch', patch))
    if (shared !== null) await this.#change(key, patchEntryRecord(shared))
    if (lastUsedAt !== undefined) await this.local.patchEntry(key, { lastUsedAt })
  }

  async patch(id: string, patch: LibraryPatch): Promise<void> {
    const key = libraryId('id', id)
    const { shared, lastUsedAt } = splitLastUsed(checkPatch('patch', patch))
    if (shared !== null) {
      // A verdict judges the pair this machine sent: a row holding another pair by now (refreshed elsewhere) keeps it.
      const judged = isVerdict(shared) ? await this.local.secrets(key, ['refreshToken']).then((held) => held.refreshToken, () => null) : null
      const applies = (record: TeamRecord): boolean => judged === null || record.kind !== 'library' || record.secrets.refreshToken === judged
      try {
        await this.#change(key, patchLibrary(shared), applies)
      } catch (error) {
        // The engine's verdict on the pair it sent outlives a cut (team-verdicts.ts): here now, in the row once back.
        if (!(error instanceof TeamOfflineError) || !isVerdict(shared)) throw error
        await this.local.patch(key, shared)
        this.#verdicts.keep(key)
      }
    }
    if (lastUsedAt !== undefined) await this.local.patch(key, { lastUsedAt })
  }

  async replaceCredentials(id: string, credentials: ClientCredentials): Promise<void> {
    await this.#change(libraryId('id', id), replaceClient(checkCredentials('credentials', credentials)))
  }

  async setHold(id: string, hold: LibraryHold | null): Promise<void> {
    await this.#change(libraryId('id', id), holdLibrary(hold === null ? null : checkHold('hold', hold)))
  }

  async reauthorize(id: string, pair: IssuedPair, options: { readonly consumedRefreshToken?: string } = {}): Promise<void> {
    const key = libraryId('id', id)
    this.#online(this.#nameOf(key))
    await this.#turns.reauthorize(key, () => this.local.reauthorize(key, pair, options))
  }

  async commitRotation(id: string, rotation: Rotation): Promise<void> {
    await this.#turns.commitRotation(libraryId('id', id), rotation)
  }

  restoreLibrary(_meta: LibraryMeta, _secrets: LibrarySecrets, _options: { readonly replace: boolean }): Promise<void> {
    return Promise.reject(new InputError('restore', 'A backup is not restored into a team vault: restore it into a local vault, then share its libraries with the team.'))
  }

  async flush(): Promise<void> {
    await this.local.flush()
    this.#index.flush()
  }

  async close(): Promise<void> {
    this.#turns.close()
    this.#epochs.stop()
    for (const wake of [...this.#waiting.values()].flat()) wake()
    await this.#sync.stop()
    this.#index.setSince(this.#sync.since())
    await Promise.allSettled([...this.#tails.values()])
    this.#index.flush()
    await this.#link.close()
    await this.local.close()
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * Applies `change` to the newest row, written if the row still stands at the version read (else read again and
   * applied again, up to RETRIES times), then takes the written row into the local vault. A row `applies` says no to is
   * left as it is (and taken in by sync as usual).
   */
  async #change(id: string, change: RecordChange, applies: (record: TeamRecord) => boolean = () => true): Promise<void> {
    const name = this.#nameOf(id)
    this.#online(name)
    /** Refused under a key the team left (a removal not followed yet): followed after this turn; the person tries again. */
    const refuseIfStale = async (): Promise<void> => {
      if ((await this.#remote(name, () => currentEpoch(this.#db))) <= this.#session.epoch) return
      void Promise.resolve().then(() => this.checkMembership()).catch(() => undefined)
      throw staleEpochError()
    }
    await this.#exclusive([id], async () => {
      for (let attempt = 0; attempt <= RETRIES; attempt++) {
        const row = await this.#remote(name, () => readRow(this.#db, this.#session, id))
        if (row === null || row.deleted) throw NOT_IN_TEAM(id)
        if (row.record === null) await refuseIfStale()
        if (row.record === null) throw new InputError('id', `${name} in the team database does not open here (${row.refusal ?? 'unreadable'}); nothing was changed`)
        const known = this.#index.get(id)
        if (known !== undefined && row.pairVersion < known.pairVersion) throw new InputError('id', `The team database holds an older version of ${name} than this machine; nothing was changed`)
        if (!applies(row.record)) return
        const next: TeamRecord = change(row.record)
        const head = await this.#remote(name, () => writeRowIfVersion(this.#db, this.#session, row, next))
        if (head === null) await refuseIfStale()
        if (head === null) continue
        const adopted = await adoptRow(this.local, this.#index, { ...head, record: next, refusal: null })
        if ('refusal' in adopted) throw new InputError('id', adopted.refusal.message)
        return
      }
      throw new InputError('id', `${name} was changed by another member each of the ${RETRIES + 1} times this change was tried; nothing was changed. Try again.`)
    })
  }

  /** Rows from sync: libraries before the entries that use them, removals last; one announcement per batch. */
  async #takeIn(rows: readonly RowRead[]): Promise<void> {
    const rank = (row: RowRead): number => (row.deleted ? (row.kind === 'entry' ? 2 : 3) : row.kind === 'library' ? 0 : 1)
    const change = { added: [] as string[], removed: [] as string[], changed: [] as string[] }
    // While this machine takes the team home, the tombstones it wrote are not its copies' end: they are the team's last.
    const taken = this.#takingHome ? rows.filter((row) => !row.deleted) : rows
    // One rank at a time, its rows together: their local writes share one durable write (the vault's group commit).
    for (const group of [0, 1, 2, 3].map((r) => taken.filter((row) => rank(row) === r))) {
      const adopted = await Promise.all(group.map((row) => this.#exclusive([row.id], () => adoptRow(this.local, this.#index, row))))
      adopted.forEach((one, i) => {
        if ('refusal' in one) this.#report(one.refusal)
        else if (one.change !== null) change[one.change].push(group[i]?.id ?? '')
      })
    }
    this.#index.setSince(this.#sync.since())
    for (const id of [...change.added, ...change.changed, ...change.removed]) this.#woken(id)
    if (change.added.length + change.removed.length + change.changed.length > 0) this.emit('changed', { ...change, keptFromMemory: [], movedAside: null })
  }

  #nextVersion(id: string, ms: number, clock: Clock): Promise<void> {
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

  #woken(id: string): void {
    const list = this.#waiting.get(id)
    this.#waiting.delete(id)
    for (const wake of list ?? []) wake()
  }

  #report(refusal: TeamRowRefusal): void {
    if (this.#reported.get(refusal.id) === refusal.version) return
    this.#reported.set(refusal.id, refusal.version)
    this.emit('refused', refusal)
  }

  /**
   * The verdicts kept while cut off reach their rows, then the answers held here; then a verdict on a pair just
   * written. Verdicts first: settling clears a mark without an answer, letting another member send that family's
   * refresh token, so a dead one must be marked in the row by then (the team chaos run met a token judged twice).
   */
  async #backOnline(): Promise<void> {
    const push = (): Promise<void> => this.#verdicts.push({ db: this.#db, session: () => this.#session, local: this.local, exclusive: (id, work) => this.#exclusive([id], work), remember: (head) => this.#remember(head) })
    await push()
    await this.#turns.settleOwnMarks()
    await push()
  }

  #remember(head: RowHead): void {
    this.#index.set(head.id, { version: head.version, pairVersion: head.pairVersion, deleted: head.deleted })
  }

  /** Runs `work` once every earlier write or take-in of these ids is through. */
  async #exclusive<T>(ids: readonly string[], work: () => Promise<T>): Promise<T> {
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

  /** Refuses a change while offline from the team, naming it. */
  #online(what: string): void {
    const state = this.teamState()
    if (state.state !== 'online') throw new TeamOfflineError(what, state.since, state.why)
  }

  /** A call to the team database; a connection that fails on the way is said as offline. */
  async #remote<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      if (isConnectionError(error)) throw new TeamOfflineError(what, this.#clock?.now() ?? Date.now(), error instanceof Error ? error.message : String(error))
      throw error
    }
  }

  #teamId(field: string, id: string): void {
    if (!UUID.test(id)) throw new InputError(field, `"${id}" cannot be a team credential's id (a team row's id is a UUID)`)
  }

  #nameOf(id: string): string {
    const name = this.local.get(id)?.name ?? this.local.entry(id)?.name
    if (name === undefined) throw new InputError('id', `There is no library with id "${id}" in the vault`)
    return name
  }
}
