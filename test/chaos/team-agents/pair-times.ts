// How soon each member of the team-agents run holds a pair another member got (issue 16: within 2 s of a refresh),
// from the members' own lines (member-lines.ts). A pair is timed from the writer's `ok` (the row is written by then)
// or from when the member came up (started again, or back online to the team), whichever is later, until the member's
// `took` of that pair or a newer one of its family. The time the member's own event loop stood still (its `stall`
// lines: five processes and PostgreSQL share two cores here, which separate machines would not) is taken out; the
// lateness as measured is kept too. A pair a member never took (it was killed, or the run ended) is not timed here:
// the final stores say whether anything was left behind.

interface Pending {
  readonly id: string
  readonly position: number
  readonly by: number
  readonly at: number
  readonly seen: Set<number>
}

const SLOW_MS = 2_000

export class PairTimes {
  /** Each timed pair's lateness at a member, less that member's stalls. */
  readonly latencies: number[] = []
  readonly rawLatencies: number[] = []
  /** Pairs later than 2 s (after stalls), in words. */
  readonly slow: string[] = []
  /** Per family, the refresh tokens' fingerprints in the order the members received them (one refresh in flight at a time). */
  readonly #order = new Map<string, string[]>()
  /** Per member and family, the fingerprint of its last answer (the pair its `ok` is about). */
  readonly #received = new Map<string, string>()
  /** Per member and family: the newest position it took, and when. */
  readonly #taken = new Map<string, { position: number; at: number }>()
  readonly #pending: Pending[] = []
  readonly #upSince = new Map<number, number>()
  readonly #stalls = new Map<number, [number, number][]>()
  readonly #members: number

  constructor(members: number) {
    this.#members = members
  }

  /** A member's process is ready (started, or started again) at this wall time. */
  up(member: number, at: number): void {
    this.#upSince.set(member, at)
  }

  /** A member's line; false when it is not one of the lines timed here. */
  onLine(member: number, words: readonly string[]): boolean {
    const [event, a, b, c] = words
    switch (event) {
      case 'recv':
        if (a === undefined || b === undefined) return true
        this.#received.set(`${member} ${a}`, b)
        this.#order.set(a, [...(this.#order.get(a) ?? []), b])
        return true
      case 'ok':
        if (a !== undefined && c !== undefined) this.#refreshed(member, a, Number(c))
        return true
      case 'took':
        if (a !== undefined && b !== undefined && c !== undefined) this.#took(member, a, b, Number(c))
        return true
      case 'team':
        if (a === 'online' && b !== undefined) this.#upSince.set(member, Math.max(this.#upSince.get(member) ?? 0, Number(b)))
        return true
      case 'stall':
        if (a !== undefined && b !== undefined) this.#stalls.set(member, [...(this.#stalls.get(member) ?? []), [Number(a), Number(b)]])
        return true
      default:
        return false
    }
  }

  #position(id: string, fingerprint: string): number {
    return this.#order.get(id)?.lastIndexOf(fingerprint) ?? -1
  }

  #refreshed(by: number, id: string, at: number): void {
    const fingerprint = this.#received.get(`${by} ${id}`)
    const position = fingerprint === undefined ? -1 : this.#position(id, fingerprint)
    if (position < 0 || !Number.isFinite(at)) return
    const pair: Pending = { id, position, by, at, seen: new Set([by]) }
    // A member may take the row in before the writer's line comes: its lateness is none.
    for (const [key, taken] of this.#taken) {
      const [member, family] = key.split(' ')
      if (family === id && taken.position >= position) this.#time(pair, Number(member), taken.at)
    }
    this.#pending.push(pair)
  }

  #took(member: number, id: string, fingerprint: string, at: number): void {
    const position = this.#position(id, fingerprint)
    if (position < 0 || !Number.isFinite(at)) return
    const key = `${member} ${id}`
    if ((this.#taken.get(key)?.position ?? -1) < position) this.#taken.set(key, { position, at })
    for (const pair of this.#pending) if (pair.id === id && pair.position <= position) this.#time(pair, member, at)
  }

  #time(pair: Pending, member: number, at: number): void {
    if (pair.seen.has(member)) return
    pair.seen.add(member)
    const from = Math.max(pair.at, this.#upSince.get(member) ?? pair.at)
    const raw = Math.max(0, at - from)
    const stalled = (this.#stalls.get(member) ?? []).reduce((sum, [start, end]) => sum + Math.max(0, Math.min(end, at) - Math.max(start, from)), 0)
    const late = Math.max(0, raw - stalled)
    this.rawLatencies.push(raw)
    this.latencies.push(late)
    if (pair.seen.size === this.#members) this.#pending.splice(this.#pending.indexOf(pair), 1)
    if (late > SLOW_MS) this.slow.push(`${new Date(pair.at).toISOString().slice(11, 23)} ${pair.id} pair ${pair.position} from member ${pair.by}: member ${member} after ${raw} ms, ${stalled} ms of it its process stalled`)
  }

  figures(): { readonly pairsTimed: number; readonly slowestPairMs: number; readonly slowestPairRawMs: number; readonly medianPairMs: number; readonly pairsOver2s: number } {
    const sorted = [...this.latencies].sort((x, y) => x - y)
    return {
      pairsTimed: sorted.length,
      slowestPairMs: Math.round(sorted.at(-1) ?? 0),
      slowestPairRawMs: Math.round(Math.max(0, ...this.rawLatencies)),
      medianPairMs: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
      pairsOver2s: sorted.filter((ms) => ms > SLOW_MS).length
    }
  }
}
