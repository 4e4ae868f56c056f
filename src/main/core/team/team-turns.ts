// Whose turn it is to refresh a team credential (issue 16, plan §4): the team vault's answer to the engine's
// refreshTurn, and the team side of a rotation. One member at a time holds a family's lease (leases.ts); the holder
// marks the row just before its refresh token goes out, makes the new pair durable in its own vault (the sent token
// spent in the same write), then writes it to the row (pair-write.ts: only over the pair it sent). Nobody hands out a
// pair the row does not hold yet, except the member that holds it, and only once it is durable here.
// What happens after a crash or a cut between those steps is decided from the row: a mark of this member's whose
// refresh token this machine has spent means this machine holds the answer (written at the next turn or on
// reconnect); a mark whose token is not spent here means no answer came (cleared, the family may be sent again).
import { createHash } from 'node:crypto'
import type { RefreshTurn } from '../engine/ports.ts'
import { InputError } from '../errors.ts'
import type { Clock, TimerHandle } from '../time/clock.ts'
import type { Rotation, Vault } from '../vault/vault-types.ts'
import { sessionLost, type TeamDb } from './db/transaction.ts'
import { acquireLease, clearOwnAwaiting, markSending, ownAwaiting, ownLeases, releaseLease, renewLease, touchMember, type FreedChannel, type LeaseTerms } from './leases.ts'
import type { TeamSession } from './membership.ts'
import type { Roster } from './roster.ts'
import { StalePairError, writePair } from './pair-write.ts'
import { readRow, sealRecord, teamChannel, type RowHead, type RowRead } from './row-writes.ts'
import type { TeamSyncState } from './sync.ts'
import { isConnectionError } from './team-errors.ts'

/** Lease terms in use: 30 s leases; another member takes over a silent sender's family after 15 minutes. */
export const TEAM_LEASE: LeaseTerms = { termSeconds: 30, orphanSeconds: 15 * 60 }
/** Members' timers for one family spread this far apart, in the order rendezvous hashing gives them. */
export const TURN_SPREAD_MS = 90_000
/** How often this member says it is alive (members.last_seen), while online. */
export const HEARTBEAT_MS = 60_000

/** What the team vault lends its turns. */
export interface TurnHost {
  readonly db: TeamDb
  readonly session: TeamSession
  readonly local: Vault
  readonly clock: Clock
  state(): TeamSyncState
  /** Takes rows into the local vault by the merge rule (and announces them), as sync does. */
  takeIn(rows: readonly RowRead[]): Promise<void>
  /** The row's written head, remembered as this machine's knowledge of it. */
  remember(head: RowHead): void
  /** Runs `work` once every earlier write or take-in of `id` is through. */
  exclusive<T>(id: string, work: () => Promise<T>): Promise<T>
  /** Resolves when a newer version of the row is taken in, or after `ms`. */
  nextVersion(id: string, ms: number): Promise<void>
  /** The name a member goes by, for the window ("Dana is refreshing…"). */
  memberName(id: string): string
  /** The engine's verdicts kept here while the row could not be written (team-verdicts.ts). */
  readonly verdicts: { has(id: string): boolean; push(): Promise<void> }
}

interface Held {
  readonly fence: number
  readonly pairVersion: number
  renew: TimerHandle | null
  /** A new pair came for it: the mark stays until the row holds the pair. */
  answered: boolean
  /** That pair is durable in this machine's vault (its row write may be retried from here on). */
  durable: boolean
}

/** Retries of a held pair's row write while online: the first pause, and the longest it grows to. */
const SETTLE_FIRST_MS = 250
const SETTLE_MAX_MS = 2_000

export class TeamTurns {
  readonly #host: TurnHost
  readonly #terms: LeaseTerms
  readonly #held = new Map<string, Held>()
  /** Families whose lease is being asked for from here (between acquireLease and #held): not a crash's leftover. */
  readonly #acquiring = new Set<string>()
  readonly #offsets = new Map<string, number>()
  /** The roster the cached offsets were worked out from. */
  #offsetsOf: Roster | null = null
  #heartbeat: TimerHandle | null = null
  #settleTimer: TimerHandle | null = null
  #closed = false

  constructor(host: TurnHost, terms: LeaseTerms = TEAM_LEASE) {
    this.#host = host
    this.#terms = terms
  }

  get #me(): string {
    return this.#host.session.memberId
  }

  async refreshTurn(id: string): Promise<RefreshTurn> {
    const state = this.#host.state()
    if (state.state !== 'online') return { kind: 'offline', since: state.since }
    this.#acquiring.add(id)
    try {
      return await this.#askTurn(id)
    } finally {
      this.#acquiring.delete(id)
    }
  }

  async #askTurn(id: string): Promise<RefreshTurn> {
    const { db } = this.#host
    let outcome
    try {
      outcome = await acquireLease(db, { memberId: this.#me, credentialId: id, ...this.#terms })
    } catch (error) {
      if (isConnectionError(error)) return { kind: 'offline', since: this.#host.clock.now() }
      throw error
    }
    if (outcome.kind === 'gone') return { kind: 'elsewhere', by: 'another member (it was removed from the team)', settled: Promise.resolve() }
    if (outcome.kind === 'elsewhere') {
      const by = outcome.holder ?? outcome.awaitingBy
      const waitMs = outcome.until === null ? this.#terms.termSeconds * 1000 : Math.max(1_000, outcome.until.getTime() - Date.now())
      return { kind: 'elsewhere', by: by === null ? 'another member' : this.#host.memberName(by), settled: this.#host.nextVersion(id, waitMs) }
    }
    const held: Held = { fence: outcome.fence, pairVersion: outcome.pairVersion, renew: null, answered: false, durable: false }
    // The newest row first, so the engine reads the secrets the team holds now.
    const row = await readRow(db, this.#host.session, id)
    if (row !== null) await this.#host.takeIn([row])
    if (outcome.awaiting?.by === this.#me) {
      // This machine sent this family's refresh token before (then crashed, or lost the database): finish that first.
      if (await this.#holdsAnswer(id, row)) {
        await this.#writeHeldPair(id, outcome.pairVersion)
        return { kind: 'elsewhere', by: 'this machine', settled: Promise.resolve() }
      }
      await clearOwnAwaiting(db, { memberId: this.#me, credentialId: id })
    }
    this.#held.set(id, held)
    this.#keepRenewing(id, held)
    return {
      kind: 'mine',
      sending: async () => {
        await markSending(db, { memberId: this.#me, credentialId: id, fence: held.fence })
      },
      release: () => this.#release(id, held)
    }
  }

  /** Milliseconds added to this member's timer for the family: 0 for the first member by rendezvous hashing, then 90 s a place. */
  refreshOffset(id: string): number {
    // A member joined or left: every family's order is worked out again.
    const roster = this.#host.session.roster
    if (this.#offsetsOf !== roster) {
      this.#offsets.clear()
      this.#offsetsOf = roster
    }
    const cached = this.#offsets.get(id)
    if (cached !== undefined) return cached
    const rank = (member: string): string => createHash('sha256').update(`${member}|${id}`).digest('hex')
    const order = this.#host.session.roster.members.map((member) => member.id).sort((a, b) => rank(a).localeCompare(rank(b)))
    const offset = Math.max(0, order.indexOf(this.#me)) * TURN_SPREAD_MS
    this.#offsets.set(id, offset)
    return offset
  }

  /** The new pair: durable in this machine's vault first (the sent token spent with it), then in the row. */
  async commitRotation(id: string, rotation: Rotation): Promise<void> {
    const held = this.#held.get(id)
    if (held === undefined) throw new InputError('id', 'A team credential is refreshed only under its lease; this refresh had none, and its pair was not kept.')
    held.answered = true
    await this.#host.local.commitRotation(id, rotation)
    held.durable = true
    try {
      await this.#writeHeldPair(id, held.pairVersion)
    } catch (error) {
      // Durable here, not in the row yet: tried again at once on reconnect (settleOwnMarks), and within moments while
      // still online (the listening session may have outlived the session that failed), as after a crash.
      if (sessionLost(error)) this.#settleSoon()
      throw error
    }
  }

  /** settleOwnMarks again shortly, the pause growing while it keeps failing; offline, the reconnect does it. */
  #settleSoon(pauseMs = SETTLE_FIRST_MS): void {
    if (this.#closed || this.#settleTimer !== null) return
    this.#settleTimer = this.#host.clock.setTimeout(() => {
      this.#settleTimer = null
      if (this.#closed || this.#host.state().state !== 'online') return
      void this.#settle().then((settled) => (settled ? undefined : this.#settleSoon(Math.min(pauseMs * 2, SETTLE_MAX_MS))))
    }, pauseMs)
  }

  /** A pair the library's owner issued anew (already checked with a refresh): here, then in the row, over the pair there now. */
  async reauthorize(id: string, commit: () => Promise<void>): Promise<void> {
    const row = await readRow(this.#host.db, this.#host.session, id)
    if (row === null || row.deleted) throw new InputError('id', 'This credential is no longer in the team.')
    await commit()
    await this.#writeHeldPair(id, row.pairVersion)
  }

  /**
   * Back online (or at start): the answers this machine holds reach their rows, those of an attempt still under way
   * too once its pair is durable here; marks without an answer are cleared. What cannot be written yet (the database
   * out of reach again) is tried again shortly.
   */
  async settleOwnMarks(): Promise<void> {
    if (!(await this.#settle())) this.#settleSoon()
  }

  /** One pass over this member's marks; false when some answer could not reach its row for want of the database. Never fails. */
  async #settle(): Promise<boolean> {
    const { db, session } = this.#host
    let settled = true
    // Another failure (a newer pair in the row: this machine's is dropped at the next take-in) is not retried.
    const lost = (error: unknown): void => {
      if (sessionLost(error)) settled = false
    }
    // Verdicts first: clearing a mark lets another member send that family's refresh token, so a dead one must be
    // marked in its row by then (the team chaos run met a token judged twice). A verdict still kept keeps its mark.
    await this.#host.verdicts.push()
    let marks
    try {
      marks = await ownAwaiting(db, this.#me)
    } catch (error) {
      lost(error)
      return settled
    }
    for (const mark of marks) {
      const held = this.#held.get(mark.credentialId)
      // An attempt still waiting for its answer (or writing it down here) finishes by itself.
      if (held !== undefined && !held.durable) continue
      try {
        const row = await readRow(db, session, mark.credentialId)
        if (await this.#holdsAnswer(mark.credentialId, row)) await this.#writeHeldPair(mark.credentialId, mark.pairVersion)
        else if (this.#host.verdicts.has(mark.credentialId)) settled = false
        else if (held === undefined) await clearOwnAwaiting(db, { memberId: this.#me, credentialId: mark.credentialId }, this.#freed)
      } catch (error) {
        lost(error)
      }
    }
    try {
      await this.#freeLeftoverLeases()
    } catch (error) {
      lost(error)
    }
    return settled
  }

  /**
   * Leases the row says this member holds that no attempt here holds: left by a crash (or by a release the database
   * never heard). They are freed now, by their fence, and the members waiting for those families are told, instead of
   * waiting out the term. A lease taken meanwhile has a newer fence and stays.
   */
  async #freeLeftoverLeases(): Promise<void> {
    const leases = await ownLeases(this.#host.db, this.#me)
    for (const lease of leases) {
      if (this.#held.has(lease.credentialId) || this.#acquiring.has(lease.credentialId)) continue
      await releaseLease(this.#host.db, { memberId: this.#me, ...lease }, this.#freed)
    }
  }

  get #freed(): FreedChannel {
    return { channel: teamChannel(this.#host.session.teamId) }
  }

  /** Says this member is alive now and every HEARTBEAT_MS while the vault is open (the orphan rule reads it). */
  startHeartbeat(): void {
    const beat = (): void => {
      if (this.#closed) return
      if (this.#host.state().state === 'online') void touchMember(this.#host.db, this.#me).catch(() => undefined)
      this.#heartbeat = this.#host.clock.setTimeout(beat, HEARTBEAT_MS)
    }
    beat()
  }

  close(): void {
    this.#closed = true
    if (this.#heartbeat !== null) this.#host.clock.clearTimeout(this.#heartbeat)
    if (this.#settleTimer !== null) this.#host.clock.clearTimeout(this.#settleTimer)
    for (const held of this.#held.values()) if (held.renew !== null) this.#host.clock.clearTimeout(held.renew)
  }

  /** The row's refresh token is one this machine spent, and it holds another: its own pair is the newer one. */
  async #holdsAnswer(id: string, row: RowRead | null): Promise<boolean> {
    const record = row?.record
    if (record === null || record === undefined || record.kind !== 'library') return false
    const { local } = this.#host
    if (!local.isSpent(record.secrets.refreshToken) || local.get(id) === undefined) return false
    const mine = await local.secrets(id, ['refreshToken'])
    return mine.refreshToken !== record.secrets.refreshToken
  }

  async #writeHeldPair(id: string, sentPairVersion: number): Promise<void> {
    const { db, session, local } = this.#host
    await this.#host.exclusive(id, async () => {
      const meta = local.get(id)
      if (meta === undefined) throw new InputError('id', `There is no library with id "${id}" here`)
      const secrets = await local.secrets(id)
      const record = { kind: 'library' as const, meta: { ...meta, lastUsedAt: null }, secrets }
      try {
        const written = await writePair(db, {
          credentialId: id,
          memberId: this.#me,
          sentPairVersion,
          sealed: sealRecord(session, record, sentPairVersion + 1),
          keyEpoch: session.epoch,
          nextRefreshAt: null,
          channel: teamChannel(session.teamId)
        })
        this.#host.remember({ id, kind: 'library', version: written.version, pairVersion: written.pairVersion, changedAt: Date.now(), deleted: false })
      } catch (error) {
        if (error instanceof StalePairError) {
          // A newer pair is in the row: another member took the family over after this one went silent. Its pair is
          // the team's; this machine's is the older answer and is dropped at the next take-in.
          throw new InputError('id', `${meta.name}: another member refreshed it while this machine was away; its pair is the team's now.`)
        }
        throw error
      }
    })
  }

  #keepRenewing(id: string, held: Held): void {
    const every = (this.#terms.termSeconds * 1000) / 3
    const renew = (): void => {
      held.renew = this.#host.clock.setTimeout(() => {
        if (this.#held.get(id) !== held) return
        renewLease(this.#host.db, { memberId: this.#me, credentialId: id, fence: held.fence, termSeconds: this.#terms.termSeconds }).then(renew, () => undefined)
      }, every)
    }
    renew()
  }

  async #release(id: string, held: Held): Promise<void> {
    if (held.renew !== null) this.#host.clock.clearTimeout(held.renew)
    if (this.#held.get(id) === held) this.#held.delete(id)
    const { db } = this.#host
    // With no pair to write, the mark goes: a failure the engine recorded is on the row already. A verdict the row did
    // not take (the write was cut off) keeps the mark, so nobody sends the dead token again, until it is in the row.
    if (this.#host.verdicts.has(id)) this.#settleSoon()
    else if (!held.answered) await clearOwnAwaiting(db, { memberId: this.#me, credentialId: id }).catch(() => undefined)
    // Freed with no new pair (a written pair released it in its own transaction): whoever waits for it asks again now.
    await releaseLease(db, { memberId: this.#me, credentialId: id, fence: held.fence }, this.#freed).catch(() => undefined)
  }
}
