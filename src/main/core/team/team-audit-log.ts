// A member's audit trail in a team (issue 16): every entry is written to this machine's own trail first, exactly as
// without a team (so nothing waits for the server, and an offline member keeps its record), and then pushed to the
// team's trail. What was pushed is remembered as the last local seq (in the team file); each entry's id in the team is
// derived from this member and that seq, so a push repeated after a lost answer, a crash or a time offline stores
// each entry once.
import { createHash } from 'node:crypto'
import type { AuditEntry } from '../audit/audit-entry.ts'
import type { AuditLog, AuditPage, AuditStats } from '../audit/audit-log.ts'
import type { MemberKeys } from './crypto/member-keys.ts'
import type { TeamDb } from './db/transaction.ts'
import type { TeamSession } from './membership.ts'
import { pushTeamAudit, type TeamAuditInput } from './team-audit.ts'

/** Entries pushed per statement. */
const PUSH_BATCH = 500
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Where the team's trail is reachable now; null while offline (entries wait in the local trail). */
export interface TeamAuditLink {
  current(): { readonly db: TeamDb; readonly session: TeamSession; readonly keys: MemberKeys } | null
}

/** The last local seq pushed to the team. */
export interface PushCursor {
  read(): number
  write(seq: number): void
}

/** The team entry id of a member's local entry: a UUID (version 8, RFC 9562) from SHA-256 of the member and seq. */
export function teamEntryId(memberId: string, seq: number): string {
  const hash = createHash('sha256').update(`larder-team-audit-entry-v1|${memberId}|${seq}`).digest()
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x80
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

export function teamAuditInput(memberId: string, entry: AuditEntry): TeamAuditInput {
  return {
    entryId: teamEntryId(memberId, entry.seq),
    action: entry.action,
    outcome: entry.outcome,
    // A team row's id is a UUID; an entry about the vault as a whole, or a record of this machine only, names none.
    credentialId: entry.libraryId !== null && UUID.test(entry.libraryId) ? entry.libraryId : null,
    at: entry.at,
    libraryName: entry.libraryName,
    ...(entry.detail === undefined ? {} : { detail: entry.detail }),
    ...(entry.via === undefined ? {} : { via: entry.via }),
    ...(entry.tokenType === undefined ? {} : { tokenType: entry.tokenType }),
    ...(entry.apicbaseLibraryId === undefined ? {} : { apicbaseLibraryId: entry.apicbaseLibraryId })
  }
}

export class TeamAuditLog implements AuditLog {
  readonly #local: AuditLog
  readonly #link: TeamAuditLink
  readonly #cursor: PushCursor
  #pushing: Promise<number> | null = null
  #again = false

  constructor(local: AuditLog, link: TeamAuditLink, cursor: PushCursor) {
    this.#local = local
    this.#link = link
    this.#cursor = cursor
  }

  get path(): string {
    return this.#local.path
  }

  async append(input: Parameters<AuditLog['append']>[0]): Promise<AuditEntry> {
    const entry = await this.#local.append(input)
    // Not awaited: an entry is recorded once it is in the local trail; the team's copy follows (or waits for online).
    void this.push().catch(() => undefined)
    return entry
  }

  page(query: Parameters<AuditLog['page']>[0]): Promise<AuditPage> {
    return this.#local.page(query)
  }

  stats(): AuditStats {
    return this.#local.stats()
  }

  /** Pushes what the team lacks; one push at a time, one more if entries came meanwhile. Resolves with entries stored. */
  push(): Promise<number> {
    if (this.#pushing !== null) {
      this.#again = true
      return this.#pushing
    }
    const run = async (): Promise<number> => {
      let stored = 0
      do {
        this.#again = false
        stored += await this.#pushOnce()
      } while (this.#again)
      return stored
    }
    this.#pushing = run().finally(() => {
      this.#pushing = null
    })
    return this.#pushing
  }

  async close(): Promise<void> {
    await this.#pushing?.catch(() => undefined)
    await this.#local.close()
  }

  async #pushOnce(): Promise<number> {
    const link = this.#link.current()
    if (link === null) return 0
    const from = this.#cursor.read()
    const pending = await this.#localAfter(from)
    let stored = 0
    for (let at = 0; at < pending.length; at += PUSH_BATCH) {
      const batch = pending.slice(at, at + PUSH_BATCH)
      stored += await pushTeamAudit(link.db, link.session, link.keys, batch.map((entry) => teamAuditInput(link.session.memberId, entry)))
      const last = batch.at(-1)
      if (last !== undefined) this.#cursor.write(last.seq)
    }
    return stored
  }

  /** Local entries after `seq`, oldest first. */
  async #localAfter(seq: number): Promise<AuditEntry[]> {
    const found: AuditEntry[] = []
    let before: number | undefined
    for (;;) {
      const page = await this.#local.page({ limit: 500, ...(before === undefined ? {} : { before }) })
      const newer = page.entries.filter((entry) => entry.seq > seq)
      found.push(...newer)
      if (newer.length < page.entries.length || page.nextBefore === null) break
      before = page.nextBefore
    }
    return found.reverse()
  }
}
