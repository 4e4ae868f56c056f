// What the team chaos run knows about each family, from the Apicbase client every member's engine goes through: every
// pair the sandbox issued (in order), every refresh token presented and what the server said, and whether a rotation
// the server committed was never answered to anyone (a dead family: the accepted loss, which must be marked needs
// re-authorization within one attempt). Tokens stay in memory only; nothing here is printed but counts and names.
import { SecretIndex } from '../secret-scan.ts'

/** Failures that say nothing of the token: the request never reached the server's judgement. */
const TRANSIENT = new Set(['network', 'timeout', 'server_error', 'malformed_response'])

export interface FamilyRecord {
  readonly id: string
  readonly name: string
  readonly familyId: string
  /** Refresh tokens in the order the server issued them; the last is the one it holds live (unless dead). */
  readonly chain: string[]
  /** Access tokens the server issued, paired with `chain`. */
  readonly access: string[]
  /** The server committed a rotation nobody received: why, and how often the server judged the family since. */
  dead: { readonly cause: 'reset after commit' | 'killed mid-request'; presentedSince: number; readonly verdicts: string[] } | null
  /** Refresh tokens presented that the server had already rotated, outside a dead family (a lost token). */
  stalePresentations: number
  /** A reset-after-commit fault waits for this family's next request (sandbox fault id). */
  armedFault: string | null
}

export class TeamLedger {
  readonly families = new Map<string, FamilyRecord>()
  readonly secrets = new SecretIndex()
  readonly #byFamily = new Map<string, FamilyRecord>()
  readonly #problems: string[] = []
  counts = { presented: 0, answered: 0, answeredLostToKill: 0, resetAfterCommit: 0, invalidGrants: 0, otherFailures: 0 }

  get problems(): readonly string[] {
    return this.#problems
  }

  problem(text: string): void {
    if (this.#problems.length < 50) this.#problems.push(text)
  }

  track(id: string, name: string, familyId: string, tokens: { accessToken: string; refreshToken: string; clientSecret: string }): void {
    const record: FamilyRecord = { id, name, familyId, chain: [tokens.refreshToken], access: [tokens.accessToken], dead: null, stalePresentations: 0, armedFault: null }
    this.families.set(id, record)
    this.#byFamily.set(familyId, record)
    for (const secret of Object.values(tokens)) this.secrets.addSecret(secret)
  }

  of(id: string): FamilyRecord {
    const record = this.families.get(id)
    if (record === undefined) throw new Error(`the ledger does not know ${id}`)
    return record
  }

  /** Where a refresh token stands in its family's chain (-1: not one the server issued to this family). */
  position(id: string, refreshToken: string): number {
    return this.of(id).chain.indexOf(refreshToken)
  }

  /** A refresh token is about to be presented. */
  presented(id: string, refreshToken: string, by: number): void {
    const family = this.of(id)
    this.counts.presented++
    if (family.dead !== null) return
    if (family.chain.at(-1) !== refreshToken) {
      family.stalePresentations++
      this.problem(`${new Date().toISOString().slice(11, 23)} ${family.name}: member ${by} sent a refresh token the server had already rotated (position ${family.chain.indexOf(refreshToken)} of ${family.chain.length})`)
    }
  }

  /** The server answered with a new pair; `delivered` false when the member was killed before it got the answer. */
  answered(id: string, pair: { accessToken: string; refreshToken: string }, delivered: boolean): void {
    const family = this.of(id)
    this.counts.answered++
    family.chain.push(pair.refreshToken)
    family.access.push(pair.accessToken)
    this.secrets.addSecret(pair.refreshToken)
    this.secrets.addSecret(pair.accessToken)
    if (!delivered) {
      this.counts.answeredLostToKill++
      this.#die(family, 'killed mid-request')
    }
  }

  /** The request failed; `committedUnanswered` when the armed reset-after-commit fault took it. */
  failed(id: string, kind: string, committedUnanswered: boolean, by: number): void {
    const family = this.of(id)
    if (kind === 'invalid_grant') this.counts.invalidGrants++
    else this.counts.otherFailures++
    // What the server judged (not a fault before its handler, which says nothing of the token) counts as an attempt.
    if (family.dead !== null && !TRANSIENT.has(kind)) {
      family.dead.presentedSince++
      family.dead.verdicts.push(`member ${by}: ${kind}`)
    }
    if (committedUnanswered) {
      this.counts.resetAfterCommit++
      this.#die(family, 'reset after commit')
    }
  }

  #die(family: FamilyRecord, cause: NonNullable<FamilyRecord['dead']>['cause']): void {
    if (family.dead !== null) return
    // The server holds a pair nobody has: the family's refresh token is gone (the accepted loss).
    family.dead = { cause, presentedSince: 0, verdicts: [] }
  }

  dead(): FamilyRecord[] {
    return [...this.families.values()].filter((family) => family.dead !== null)
  }
}
