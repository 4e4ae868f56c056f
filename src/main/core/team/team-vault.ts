// A member's vault in team mode (issue 16, step 5): the Vault the core uses, over the member's local vault (its
// FileVault, unchanged: journal, seals, spent ledger), which stays the sealed local cache. Reads come from the local
// vault (team-vault-local.ts), so a member offline from the team lists and copies as before. A change to a team
// credential goes to its row first, then into the local vault (team-vault-writes.ts); offline it is refused by name.
// Rows other members write arrive through TeamSync and are taken in (team-take-in.ts), each batch announced
// ('changed'). A refresh takes the family's lease first (team-turns.ts), so no two members refresh one family. This
// class ties those parts together and keeps where this machine stands: online, offline, or out of the team.
import { InputError } from '../errors.ts'
import type { IssuedPair, LibraryHold, LibraryMeta, LibrarySecrets, PersonalEntryMeta } from '../model.ts'
import { systemClock, type Clock } from '../time/clock.ts'
import type { EntryPatch } from '../vault/entry-checks.ts'
import { libraryId, type ClientCredentials, type LibraryPatch } from '../vault/library-checks.ts'
import type { ExternalChange, Rotation, Vault } from '../vault/vault-types.ts'
import type { TeamLink } from './db/team-link.ts'
import type { TeamDb } from './db/transaction.ts'
import type { TeamSession } from './membership.ts'
import { freedNotice } from './leases.ts'
import { rosterMember } from './roster.ts'
import { RowIndex } from './row-index.ts'
import { TeamSync, type TeamSyncState } from './sync.ts'
import type { Shared } from './team-share.ts'
import type { TeamRowRefusal } from './team-errors.ts'
import { TeamTakeIn } from './team-take-in.ts'
import { TeamVaultLocal } from './team-vault-local.ts'
import { TeamVaultWrites } from './team-vault-writes.ts'
import { TeamTurns } from './team-turns.ts'
import { HeldVerdicts } from './team-verdicts.ts'
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
  readonly #rows: TeamTakeIn
  readonly #writes: TeamVaultWrites
  readonly #turns: TeamTurns
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
    const clock = options.clock ?? systemClock
    this.#takingHome = readTeamFile(teamFilePath(options.local.path))?.takingHomeSince !== undefined
    this.#index = new RowIndex(options.local.path, options.session.teamId)
    this.#rows = new TeamTakeIn({
      local: options.local,
      index: this.#index,
      clock,
      takingHome: () => this.#takingHome,
      since: () => this.#sync.since(),
      changed: (change) => this.emit('changed', change),
      refused: (refusal) => this.emit('refused', refusal)
    })
    const exclusive = <T>(ids: readonly string[], work: () => Promise<T>): Promise<T> => this.#rows.exclusive(ids, work)
    this.#writes = new TeamVaultWrites({
      local: options.local,
      db: this.#db,
      index: this.#index,
      verdicts: this.#verdicts,
      session: current,
      state: () => this.teamState(),
      now: () => this.#now(),
      exclusive,
      remember: (head) => this.#rows.remember(head),
      checkMembership: () => this.checkMembership()
    })
    this.#sync = new TeamSync({
      link: options.link,
      db: this.#db,
      session: live,
      since: this.#index.since,
      knownVersion: (id) => this.#index.get(id)?.version,
      onRows: (rows) => this.#rows.takeIn(rows),
      ...(options.clock ? { clock: options.clock } : {}),
      ...options.sync
    })
    this.#sync.on('state', (state) => {
      if (this.#removedState !== null) return
      // Back online: the epoch checked first (refreshes wait for it), then the answers held here reach their rows.
      if (state.state === 'online') void this.checkMembership().then(() => (this.#removedState === null ? this.#backOnline() : undefined)).catch(() => undefined)
      this.emit('state', state)
    })
    this.#turns = new TeamTurns({
      db: this.#db,
      session: live,
      local: options.local,
      clock,
      state: () => this.#sync.state(),
      takeIn: (rows) => this.#rows.takeIn(rows),
      remember: (head) => this.#rows.remember(head),
      exclusive: (id, work) => exclusive([id], work),
      nextVersion: (id, ms) => this.#rows.nextVersion(id, ms),
      memberName: (id) => rosterMember(current().roster, id)?.label ?? 'another member',
      verdicts: { has: (id) => this.#verdicts.has(id), push: () => this.#pushVerdicts() }
    })
    // A failed read is tried again at the next one; the state says whether the team is reachable.
    this.#sync.on('error', () => undefined)
    // A family freed with no new pair (a failed attempt, a crash's leftover lease): whoever waits for it asks again.
    options.link.on('notification', (payload) => {
      const freed = freedNotice(payload)
      if (freed !== null) this.#rows.wake(freed)
    })
    this.#epochs = new EpochWatch({ local: options.local, db: this.#db, link: options.link, current, live, known: (id) => this.#index.get(id)?.version ?? 0, takeIn: (rows) => this.#rows.takeIn(rows),
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
      requireOnline: (what) => this.#writes.requireOnline(what),
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
    if (this.#exiting) return { kind: 'offline', since: this.#now() }
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
      await this.#rows.settled()
      return await step()
    } catch (error) {
      this.#exiting = false
      throw error
    }
  }

  #out(why: string): void {
    const state: TeamSyncState = { state: 'offline', since: this.#now(), why }
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

  // ── changing team credentials: the row first, then the local record (team-vault-writes.ts) ──────────

  /** Gives every local record without a row one (a team made from a vault holding libraries); offline refused. */
  shareLocal(): Promise<Shared> {
    return this.#writes.shareLocal()
  }

  add(meta: LibraryMeta, secrets: LibrarySecrets, options: { readonly consumedRefreshToken?: string } = {}): Promise<void> {
    return this.#writes.add(meta, secrets, options)
  }

  remove(id: string): Promise<void> {
    return this.#writes.remove(id)
  }

  addEntries(entries: readonly PersonalEntryMeta[]): Promise<void> {
    return this.#writes.addEntries(entries)
  }

  patchEntry(id: string, patch: EntryPatch): Promise<void> {
    return this.#writes.patchEntry(id, patch)
  }

  patch(id: string, patch: LibraryPatch): Promise<void> {
    return this.#writes.patch(id, patch)
  }

  replaceCredentials(id: string, credentials: ClientCredentials): Promise<void> {
    return this.#writes.replaceCredentials(id, credentials)
  }

  setHold(id: string, hold: LibraryHold | null): Promise<void> {
    return this.#writes.setHold(id, hold)
  }

  async reauthorize(id: string, pair: IssuedPair, options: { readonly consumedRefreshToken?: string } = {}): Promise<void> {
    const key = libraryId('id', id)
    this.#writes.requireOnline(this.#writes.nameOf(key))
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
    this.#rows.wakeAll()
    await this.#sync.stop()
    this.#index.setSince(this.#sync.since())
    await this.#rows.settled()
    this.#index.flush()
    await this.#link.close()
    await this.local.close()
  }

  /**
   * The verdicts kept while cut off reach their rows, then the answers held here (settleOwnMarks does both, verdicts
   * first); then a verdict on a pair just written.
   */
  async #backOnline(): Promise<void> {
    await this.#turns.settleOwnMarks()
    await this.#pushVerdicts()
  }

  #pushVerdicts(): Promise<void> {
    return this.#verdicts.push({ db: this.#db, session: () => this.#session, local: this.local, exclusive: (id, work) => this.#rows.exclusive([id], work), remember: (head) => this.#rows.remember(head) })
  }

  #now(): number {
    return this.#clock?.now() ?? Date.now()
  }
}
