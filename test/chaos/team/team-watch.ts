// Every member holding the newest pair within 2 s of a refresh: each pair a member received (world.delivered) is
// watched until every member holds it or a newer one of its family. The clock for a member starts when the pair could
// reach it: the answer's arrival, or later when the refresher was away (killed or cut off, so its pair waited in its
// journal) and came back, or when the member itself came back online. The time the test process itself stood still
// (team-stalls.ts) is taken out of that lateness; the lateness as measured is kept too (`rawLatencies`).
import type { TeamLedger } from './team-ledger.ts'
import type { Stalls } from './team-stalls.ts'
import type { Delivered, TeamWorld } from './team-world.ts'

interface Watched {
  readonly pair: Delivered
  readonly seen: Set<number>
  readonly since: number
}

/** A pair not everywhere after this long (real time) is reported and dropped. */
const GIVE_UP_MS = 25_000
const SLOW_MS = 2_000

export class PairWatch {
  /** Each pair's lateness at each member, less the process's stalls meanwhile. */
  readonly latencies: number[] = []
  /** The same, as measured. */
  readonly rawLatencies: number[] = []
  readonly problems: string[] = []
  /** Pairs that reached a member later than 2 s, said in words (for the report). */
  readonly slow: string[] = []
  /** Per member, the times it came online (a reopen, a reconnect). */
  readonly #ups: number[][]
  readonly #world: TeamWorld
  readonly #ledger: TeamLedger
  readonly #stalls: Stalls
  #taken = 0
  readonly #pending: Watched[] = []

  constructor(world: TeamWorld, ledger: TeamLedger, stalls: Stalls) {
    this.#world = world
    this.#ledger = ledger
    this.#stalls = stalls
    this.#ups = world.members.map(() => [])
  }

  /** Notes members' online transitions; call often (each poll does). */
  #noteUps(): void {
    this.#world.upSince.forEach((since, member) => {
      const ups = this.#ups[member]
      if (since !== null && ups !== undefined && ups.at(-1) !== since) ups.push(since)
    })
  }

  /** The earliest time the pair could be in the row: the answer, or the refresher's first return after it. */
  #availableAt(pair: Delivered, now: number): number {
    const back = this.#ups[pair.by]?.find((at) => at > pair.answeredAt && at <= now)
    return back ?? pair.answeredAt
  }

  async poll(): Promise<void> {
    this.#noteUps()
    const delivered = this.#world.delivered
    for (; this.#taken < delivered.length; this.#taken++) {
      const pair = delivered[this.#taken]
      if (pair !== undefined) this.#pending.push({ pair, seen: new Set(), since: Date.now() })
    }
    for (const watched of [...this.#pending]) {
      const { pair, seen } = watched
      for (const inc of this.#world.live) {
        if (inc === null || !inc.online || seen.has(inc.index)) continue
        const held = (await inc.vault.secrets(pair.id, ['refreshToken']).catch(() => null))?.refreshToken
        if (held === undefined) continue
        const position = this.#ledger.position(pair.id, held)
        if (position === -1) this.problems.push(`${this.#ledger.of(pair.id).name}: member ${inc.index} holds a refresh token the server never issued to it`)
        if (position < pair.position) continue
        const now = Date.now()
        seen.add(inc.index)
        const from = Math.max(this.#availableAt(pair, now), this.#world.upSince[inc.index] ?? now)
        const raw = Math.max(0, now - from)
        const stalled = raw === 0 ? 0 : this.#stalls.within(from, now)
        this.rawLatencies.push(raw)
        this.latencies.push(Math.max(0, raw - stalled))
        if (raw - stalled > SLOW_MS) {
          const at = (t: number | null | undefined): string => (t === null || t === undefined ? '-' : `${t - pair.answeredAt} ms`)
          this.slow.push(`${new Date(pair.answeredAt).toISOString().slice(11, 23)} ${this.#ledger.of(pair.id).name} pair ${pair.position} from member ${pair.by}: member ${inc.index} after ${raw} ms, ${stalled} ms of it the process stalled (available ${at(this.#availableAt(pair, now))}, member up ${at(this.#world.upSince[inc.index])}, seen ${at(now)})`)
        }
      }
      if (seen.size === this.#world.members.length) this.#pending.splice(this.#pending.indexOf(watched), 1)
      else if (Date.now() - watched.since > GIVE_UP_MS) {
        this.#pending.splice(this.#pending.indexOf(watched), 1)
        const missing = this.#world.members.map((_, i) => i).filter((i) => !seen.has(i))
        this.problems.push(`${this.#ledger.of(pair.id).name}: pair ${pair.position} (from member ${pair.by}) not held by member(s) ${missing.join(', ')} after ${GIVE_UP_MS / 1000} s`)
        this.latencies.push(Number.POSITIVE_INFINITY)
        this.rawLatencies.push(Number.POSITIVE_INFINITY)
      }
    }
  }

  get pending(): number {
    return this.#pending.length + this.#world.delivered.length - this.#taken
  }

  /** Polls every 100 ms for `ms`, or until nothing is pending. */
  async drain(ms: number): Promise<void> {
    const until = Date.now() + ms
    do {
      await this.poll()
      if (this.pending === 0) return
      await new Promise((resolve) => setTimeout(resolve, 100))
    } while (Date.now() < until)
  }
}
