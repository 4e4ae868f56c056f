// What the team-agents chaos run knows of each credential, from the lines of all five members' processes: which
// member has a refresh of it in flight, whether the server committed a rotation nobody stored (a probe after a lost
// answer says so; a member killed with it in flight may have), how often the server judged its dead token since, and
// whether a member marked it. A member's start lines are not judged here: in a team a member's cache may hold a pair
// another member rotated since (it catches up from the row); the final stores are judged in agents-final.ts.
import type { Ledger } from '../ledger.ts'

const TRANSIENT = new Set(['network', 'timeout', 'server_error', 'malformed_response', 'storage', 'rate_limited'])

export interface AgentLibrary {
  readonly id: string
  /** Members whose current process sent its refresh token and has not settled it yet. */
  readonly open: Set<number>
  /** The server committed a rotation whose answer was lost (probe 0). */
  answerLost: boolean
  /**
   * A member was SIGKILLed with a refresh of it in flight, or could not tell after a lost answer whether the server
   * committed it: a rotation may have been committed and never answered.
   */
  killedInFlight: boolean
  /** Judgements of its token by the server (not transient failures) since it may have died. */
  verdictsSinceDead: number
  /** The member whose judgement was counted last, until it settles the attempt (its fail or needs-reauth line). */
  judgedBy: number | null
  marked: boolean
  attemptedInFinalRound: boolean
}

export class AgentsLedger {
  readonly libraries = new Map<string, AgentLibrary>()
  readonly base: Ledger
  readonly counts = { sends: 0, received: 0, answersLost: 0, killedInFlight: 0, marks: 0, pokesShared: 0, sendsAfterMark: 0, probesUnknown: 0, verdictsCutByKill: 0 }
  finalRound = false

  constructor(base: Ledger) {
    this.base = base
    for (const id of base.tracked.keys()) {
      this.libraries.set(id, { id, open: new Set(), answerLost: false, killedInFlight: false, verdictsSinceDead: 0, judgedBy: null, marked: false, attemptedInFinalRound: false })
    }
  }

  problem(text: string): void {
    this.base.problem(text)
  }

  /** A member's process was SIGKILLed: what it had in flight may have been committed and never answered. */
  memberKilled(member: number): void {
    for (const library of this.libraries.values()) {
      if (!library.open.delete(member)) continue
      if (library.judgedBy === member && !library.marked) {
        // The server's verdict reached this member, which was killed before it was written anywhere: the next member
        // to present the token is judged again, and that judgement is the one that marks it.
        library.verdictsSinceDead = Math.max(0, library.verdictsSinceDead - 1)
        library.judgedBy = null
        this.counts.verdictsCutByKill++
        continue
      }
      if (!library.killedInFlight) this.counts.killedInFlight++
      library.killedInFlight = true
    }
  }

  /**
   * A member holds the library in this state now (its `took` line). A mark shows here too when the member that wrote
   * it was killed before it could say so: the library is marked all the same.
   */
  observed(id: string, state: string): void {
    const library = this.libraries.get(id)
    if (library === undefined || state !== 'needs_reauth' || library.marked) return
    this.counts.marks++
    library.marked = true
  }

  /** One line of member `member` about a library (send, recv, err, probe, ok, fail, needs-reauth, poke, lib). */
  onLine(member: number, words: readonly string[]): void {
    const [event, id, b] = words
    const library = id === undefined ? undefined : this.libraries.get(id)
    if (library === undefined) return this.problem(`member ${member}: a line about an unknown library: ${words.slice(0, 2).join(' ')}`)
    switch (event) {
      case 'lib':
        return
      case 'send':
        this.counts.sends++
        library.open.add(member)
        if (this.finalRound) library.attemptedInFinalRound = true
        if (library.marked) {
          this.counts.sendsAfterMark++
          this.problem(`${library.id}: member ${member} sent its refresh token after it was marked needs re-authorization`)
        }
        return
      case 'poke':
        if (b === '1') this.counts.pokesShared++
        else this.problem(`${library.id}: an extra trigger on member ${member} did not find the refresh in flight`)
        return
      case 'recv':
        this.counts.received++
        return
      case 'err':
        if ((library.answerLost || library.killedInFlight) && b !== undefined && !TRANSIENT.has(b)) {
          library.verdictsSinceDead++
          library.judgedBy = member
        }
        return
      case 'probe':
        if (b === '0' && !library.answerLost) {
          library.answerLost = true
          this.counts.answersLost++
        } else if (b !== '0' && b !== '1') {
          // The member could not tell (its stored access token already expired, or introspection failed): the
          // rotation may have been committed. Counted, and judged at the end like a kill with it in flight.
          this.counts.probesUnknown++
          library.killedInFlight = true
        }
        return
      case 'ok':
        library.open.delete(member)
        // Refreshed: whatever a kill left in flight was not committed (or was taken in), and the family lives.
        if (library.answerLost) this.problem(`${library.id}: refreshed by member ${member} although its rotation was committed and never answered`)
        library.killedInFlight = false
        library.verdictsSinceDead = 0
        return
      case 'fail':
        library.open.delete(member)
        if (library.judgedBy === member) library.judgedBy = null
        return
      case 'needs-reauth':
        library.open.delete(member)
        if (!library.marked) this.counts.marks++
        library.marked = true
        return
      default:
        this.problem(`member ${member}: unexpected line ${String(event)}`)
    }
  }
}
