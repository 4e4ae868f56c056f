// The members of the team chaos run, in one process: each a team vault over its own real local vault (makeTeam),
// reached through a loopback proxy of its own (so a partition cuts only it), with a RefreshEngine on a shared shifted
// clock and the real Apicbase client, wrapped so the ledger sees every refresh token presented and every pair issued.
// A "kill -9" ends an incarnation without closing anything: its engine stops, its proxy cuts every session (as the
// server sees a dead process) and stays cut, an answer arriving later is never handed to it (the request hangs, as in
// a dead process), and the member is opened again from its folder through a new proxy (team.open), as a restart does.
import { ApiError } from '../../../src/main/core/errors.ts'
import type { ApicbaseClient } from '../../../src/main/core/apicbase/index.ts'
import type { EngineClient, RefreshResponse } from '../../../src/main/core/engine/ports.ts'
import { RefreshEngine } from '../../../src/main/core/engine/refresh-engine.ts'
import type { TeamVault } from '../../../src/main/core/team/team-vault.ts'
import type { Vault } from '../../../src/main/core/vault/vault-types.ts'
import type { Sandbox } from '../../sandbox/index.ts'
import type { Member, Team } from '../../integration/team/team-vault-support.ts'
import type { PgServer } from '../../support/postgres-server.ts'
import type { ShiftedClock } from '../../support/shifted-clock.ts'
import { startTcpCut, type TcpCut } from '../../support/tcp-cut.ts'
import type { TeamLedger } from './team-ledger.ts'

/** What a kill does to an answer in flight: dropped (the pair is lost with the process) or delivered first. */
export type KillOnAnswer = 'drop' | 'deliver'

export interface Incarnation {
  readonly index: number
  readonly member: Member
  readonly vault: TeamVault
  readonly engine: RefreshEngine
  readonly proxy: TcpCut
  dead: boolean
  online: boolean
  /** The next answer this incarnation gets kills it (after which the pair is dropped, or delivered first). */
  killOnAnswer: KillOnAnswer | null
}

/** A pair the server issued and a member received: every member must hold it (or newer) within 2 s. */
export interface Delivered {
  readonly id: string
  readonly position: number
  readonly answeredAt: number
  readonly by: number
}

/** How long a member killed on an answer stays down before it is opened again. */
const KILL_DOWN_MS = 1_500

const never = <T>(): Promise<T> => new Promise<T>(() => undefined)

export class TeamWorld {
  readonly live: (Incarnation | null)[]
  readonly zombies: Incarnation[] = []
  /** Per member: since when it is online from the team (null while it is not). */
  readonly upSince: (number | null)[]
  readonly delivered: Delivered[] = []
  /** Rows a live member did not take in, and why (when, who, the vault's words: a name at most, no secret). */
  readonly refusals: string[] = []
  kills = 0
  readonly #server: PgServer
  readonly #team: Team
  readonly #sandbox: Sandbox
  readonly #api: ApicbaseClient
  readonly #ledger: TeamLedger
  readonly #clock: ShiftedClock
  readonly #restarts = new Set<Promise<void>>()

  constructor(parts: { server: PgServer; team: Team; sandbox: Sandbox; api: ApicbaseClient; ledger: TeamLedger; clock: ShiftedClock }) {
    this.#server = parts.server
    this.#team = parts.team
    this.#sandbox = parts.sandbox
    this.#api = parts.api
    this.#ledger = parts.ledger
    this.#clock = parts.clock
    this.live = parts.team.members.map(() => null)
    this.upSince = parts.team.members.map(() => null)
  }

  get members(): readonly Member[] {
    return this.#team.members
  }

  liveOnes(): Incarnation[] {
    return this.live.filter((inc): inc is Incarnation => inc !== null)
  }

  /** Opens member `index` from its folder through a new proxy, with a new engine. */
  async open(index: number): Promise<Incarnation> {
    const member = this.#team.members[index]
    if (member === undefined) throw new Error(`no member ${index}`)
    const proxy = await startTcpCut({ host: this.#server.host, port: this.#server.port })
    const url = this.#team.url.replace(`:${this.#server.port}/`, `:${proxy.port}/`)
    const vault = await this.#team.open(member, { url, sync: { pollMs: 10_000, offlinePollMs: 1_000 } })
    const slot: { inc: Incarnation | null } = { inc: null }
    const engine = new RefreshEngine({
      vault,
      client: this.#client(index, () => slot.inc),
      clock: this.#clock,
      audit: { append: async () => undefined },
      random: () => 0.5
    })
    const inc: Incarnation = { index, member, vault, engine, proxy, dead: false, online: vault.teamState().state === 'online', killOnAnswer: null }
    slot.inc = inc
    if (inc.online) this.upSince[index] = Date.now()
    vault.on('state', (state) => {
      if (inc.dead) return
      inc.online = state.state === 'online'
      this.upSince[index] = inc.online ? Date.now() : null
      if (inc.online) engine.reevaluate()
    })
    vault.on('refused', (refusal) => {
      if (!inc.dead) this.refusals.push(`${new Date().toISOString().slice(11, 23)} member ${index} refused a row (${refusal.reason}): ${refusal.message}`)
    })
    vault.on('changed', (change) => {
      if (inc.dead) return
      for (const id of [...change.added, ...change.changed]) engine.track(id)
      for (const id of change.removed) engine.untrack(id)
    })
    engine.start()
    this.live[index] = inc
    return inc
  }

  /** kill -9 of member `index`'s incarnation: nothing is closed, nothing more reaches it; opened again after `downMs`. */
  kill(index: number, downMs: number): Promise<void> {
    const inc = this.live[index]
    if (inc === null || inc === undefined) return Promise.resolve()
    this.#end(inc)
    return this.#openAfter(index, downMs)
  }

  /** Every restart still under way (a kill's member opened again after its down time). */
  async restarted(): Promise<void> {
    while (this.#restarts.size > 0) await Promise.all([...this.#restarts])
  }

  #openAfter(index: number, downMs: number): Promise<void> {
    const restart = new Promise((resolve) => setTimeout(resolve, downMs))
      .then(() => this.#silence(index))
      .then(() => this.open(index))
      .then(() => undefined)
    this.#restarts.add(restart)
    return restart.finally(() => this.#restarts.delete(restart))
  }

  /** Member `index` cut off from the team database for `ms` (its sessions reset, new ones refused), then healed. */
  async partition(index: number, ms: number): Promise<void> {
    const inc = this.live[index]
    if (inc === null || inc === undefined) return
    inc.proxy.cut()
    await new Promise((resolve) => setTimeout(resolve, ms))
    inc.proxy.heal()
  }

  /** Every live member online from the team (after a restart, a partition, a kill), or throws after `ms`. */
  async allOnline(ms: number): Promise<void> {
    const until = Date.now() + ms
    while (!(this.live.every((inc) => inc !== null && inc.online))) {
      if (Date.now() > until) throw new Error(`members offline after ${ms} ms: ${this.live.map((inc, i) => (inc?.online ? '' : String(i))).join(' ')}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  /** Closes what is open and what was abandoned (after the checks). */
  async close(): Promise<void> {
    for (const inc of [...this.liveOnes(), ...this.zombies]) {
      inc.engine.stop()
      await inc.vault.close().catch(() => undefined)
      await inc.proxy.close()
    }
  }

  /**
   * A killed process writes nothing more; an abandoned incarnation in this process would (its store compacts its
   * journal on a timer, rewriting the whole vault file from what it held at the kill), and the member opened again
   * from the same folder would read that back and lose the pairs it took in since. So before the member is opened
   * again, the local vaults of its earlier incarnations are closed (what they held written first, as if the process
   * had died right after its last write); their team sides stay as they were.
   */
  async #silence(index: number): Promise<void> {
    for (const zombie of this.zombies) {
      if (zombie.index !== index) continue
      const local = (zombie.vault as unknown as { readonly local: Vault }).local
      await Promise.race([local.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2_000))])
    }
  }

  #end(inc: Incarnation): void {
    inc.dead = true
    inc.online = false
    inc.engine.stop()
    inc.proxy.cut()
    this.live[inc.index] = null
    this.upSince[inc.index] = null
    this.zombies.push(inc)
    this.kills++
  }

  /** The Apicbase client one incarnation's engine uses: every presentation and answer goes into the ledger. */
  #client(index: number, incarnation: () => Incarnation | null): EngineClient {
    return {
      refresh: async (target, credentials, refreshToken): Promise<RefreshResponse> => {
        const inc = incarnation()
        if (inc === null || inc.dead) return never()
        const id = target.rateKey
        const family = this.#ledger.of(id)
        this.#ledger.presented(id, refreshToken, index)
        const armed = family.armedFault
        let response: RefreshResponse
        try {
          response = await this.#api.refresh(target, credentials, refreshToken)
        } catch (error) {
          const committed = armed !== null && this.#faultTook(armed)
          if (committed) family.armedFault = null
          this.#ledger.failed(id, error instanceof ApiError ? error.kind : 'unknown', committed, index)
          if (inc.dead) return never()
          throw error
        }
        const killing = inc.killOnAnswer
        if (killing !== null && !inc.dead) {
          inc.killOnAnswer = null
          this.#end(inc)
          void this.#openAfter(index, KILL_DOWN_MS).catch(() => undefined)
          if (killing === 'deliver') {
            // The pair reaches the dead process's journal (as if it died right after the local write); its row waits.
            this.#ledger.answered(id, response, true)
            this.delivered.push({ id, position: family.chain.length - 1, answeredAt: Date.now(), by: index })
            return response
          }
        }
        if (inc.dead) {
          this.#ledger.answered(id, response, false)
          return never()
        }
        this.#ledger.answered(id, response, true)
        this.delivered.push({ id, position: family.chain.length - 1, answeredAt: Date.now(), by: index })
        return response
      }
    }
  }

  #faultTook(faultId: string): boolean {
    // A fault of `times: 1` retires once applied: gone from the list means it took this request.
    const fault = this.#sandbox.faults.list().find((f) => f.id === faultId)
    return fault === undefined || fault.applied > 0
  }
}
