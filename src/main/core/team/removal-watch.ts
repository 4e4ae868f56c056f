// How a team vault follows removals (issue 16, plan §3): when the team moves to a new epoch (a NOTIFY {rekey}, or on
// coming back online), this member reads its membership again (team-membership.ts refreshMembership: the new key
// unwrapped and kept sealed in the team file), the vault goes on under the new session, and an unfinished re-sealing
// is carried on (removal.ts continueRekey). A member that finds it was removed stops using the team: no more reads,
// refreshes or writes of team credentials; its local cache stays readable (the tokens in it die at Apicbase with the
// refresh of every credential that follows a removal).
import type { Vault } from '../vault/vault-types.ts'
import type { TeamLink } from './db/team-link.ts'
import type { TeamDb } from './db/transaction.ts'
import type { TeamSession } from './membership.ts'
import { continueRekey, type RekeyProgress } from './removal.ts'
import { readRowsSince, type RowRead } from './row-writes.ts'
import type { TeamSyncState } from './sync.ts'
import { openTeamKey, readTeamFile, teamFilePath } from './team-settings.ts'
import { refreshMembership, TeamEndedError, TeamRemovedError } from './team-membership.ts'

export interface EpochEvents {
  /** Another member removed this one: the team is no longer used from here. */
  removed: [TeamRemovedError]
  /** A removal's re-sealing went on from here (its progress after a batch). */
  rekey: [RekeyProgress]
  /** Offline for good: removed (said as the reason). */
  state: [TeamSyncState]
}

export interface EpochWatchHost {
  readonly local: Pick<Vault, 'path' | 'sealValue' | 'openValue'>
  readonly db: TeamDb
  readonly link: Pick<TeamLink, 'on'>
  current(): TeamSession
  /** The vault's live session (liveSession over `current`), for reading rows under the new key. */
  readonly live: TeamSession
  /** The row version the vault holds (0: none). */
  known(id: string): number
  takeIn(rows: readonly RowRead[]): Promise<void>
  /** The session moved on (a new epoch or roster): the vault reads and writes under it from now on. */
  moved(next: TeamSession): void
  /** This member is out of the team: the state it shows from now on. */
  removed(state: TeamSyncState): void
  /** Tells the vault's listeners. */
  readonly say: { readonly [K in keyof EpochEvents]: (...args: EpochEvents[K]) => void }
}

/** A session that reads `current()` on every use: what a team vault hands its parts, so a new epoch reaches them all. */
export function liveSession(current: () => TeamSession): TeamSession {
  return {
    get teamId() {
      return current().teamId
    },
    get memberId() {
      return current().memberId
    },
    get teamKey() {
      return current().teamKey
    },
    get epoch() {
      return current().epoch
    },
    get roster() {
      return current().roster
    }
  }
}

/** Is a NOTIFY payload a re-key notice ({"rekey": epoch})? */
export function rekeyNotice(payload: string): number | null {
  try {
    const parsed = JSON.parse(payload) as { rekey?: unknown }
    return typeof parsed.rekey === 'number' ? parsed.rekey : null
  } catch {
    return null
  }
}

export class EpochWatch {
  readonly #host: EpochWatchHost
  #queue: Promise<void> = Promise.resolve()
  #removed = false
  #stopped = false

  constructor(host: EpochWatchHost) {
    this.#host = host
    host.link.on('notification', (payload) => {
      if (rekeyNotice(payload) !== null) void this.check().catch(() => undefined)
    })
  }

  get removed(): boolean {
    return this.#removed
  }

  stop(): void {
    this.#stopped = true
  }

  /** Resolves once no check is under way (a refresh waits for it: no pair is sealed under a key the team left). */
  idle(): Promise<void> {
    return this.#queue
  }

  /** Reads the membership again (one check at a time); resolves once the session stands where the database does. */
  check(): Promise<void> {
    const run = this.#queue.then(() => this.#check())
    this.#queue = run.catch(() => undefined)
    return run
  }

  async #check(): Promise<void> {
    if (this.#removed || this.#stopped) return
    const { local, db } = this.#host
    // A vault without a team file (tests that build sessions by hand) has nothing to follow.
    if (readTeamFile(teamFilePath(local.path))?.state !== 'member') return
    const before = this.#host.current()
    let next: TeamSession
    try {
      next = await refreshMembership(local, db, before)
    } catch (error) {
      if (!(error instanceof TeamRemovedError)) throw error
      // A team ended by another member: every row is a tombstone now, taken in so this machine's copies go.
      if (error instanceof TeamEndedError && !error.byThisMachine) await this.#host.takeIn(await readRowsSince(db, this.#host.live, null, 0))
      this.#removed = true
      const state: TeamSyncState = { state: 'offline', since: error.removedAt ?? Date.now(), why: error.message }
      this.#host.removed(state)
      this.#host.say.state(state)
      this.#host.say.removed(error)
      return
    }
    if (next.epoch !== before.epoch || next.roster.version !== before.roster.version) this.#host.moved(next)
    if (next.epoch !== before.epoch) {
      // Rows sealed under the new key were refused while this member held the old one: all read again.
      const rows = await readRowsSince(db, this.#host.live, null, 0)
      await this.#host.takeIn(rows.filter((row) => row.version > this.#host.known(row.id)))
    }
    // A removal's re-sealing left unfinished (its member crashed or went offline) goes on here.
    await continueRekey(db, next, {
      keyOf: async (epoch) => {
        const team = readTeamFile(teamFilePath(local.path))
        return team === null ? undefined : openTeamKey(local, team, epoch)
      },
      onProgress: (progress) => this.#host.say.rekey(progress)
    })
  }
}
