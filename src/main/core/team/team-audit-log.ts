// A member's audit trail in a team (issue 16): every entry is written to this machine's own trail first, exactly as
// without a team (so nothing waits for the server, and an offline member keeps its record), and then pushed to the
// team's trail. What was pushed is remembered as the last local seq (in the team file); each entry's id in the team is
// derived from this member and that seq, so a push repeated after a lost answer, a crash or a time offline stores
// each entry once. Reading, online, is the team's trail (every member's entries, newest first, with who wrote each and
// whether its signature checks); offline, this machine's own, said as such.
import { createHash } from 'node:crypto'
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, type AuditEntry, type AuditQuery } from '../audit/audit-entry.ts'
import type { AuditLog, AuditPage, AuditStats } from '../audit/audit-log.ts'
import type { MemberKeys } from './crypto/member-keys.ts'
import type { TeamDb } from './db/transaction.ts'
import type { TeamSession } from './membership.ts'
import { openRoster, rosterMember, type Roster } from './roster.ts'
import { TOKEN_TYPES } from '../../../shared/contract.ts'
import { pushTeamAudit, readTeamAudit, type TeamAuditEntry, type TeamAuditInput } from './team-audit.ts'

/** Entries pushed per statement. */
const PUSH_BATCH = 500
/** A page of the team's trail that takes longer (a server gone silent, not yet seen as offline) is read here instead. */
const TEAM_READ_MS = 8_000
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Where the team's trail is reachable now; null while offline (entries wait in the local trail). */
export interface TeamAuditLink {
  current(): { readonly db: TeamDb; readonly session: TeamSession; readonly keys: MemberKeys } | null
  /** This member: offline, a member filter naming it is answered from the local trail (which holds only its entries). */
  readonly memberId?: string
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
  /** A roster newer than the session's, read for an entry of a member let in since (same epoch only). */
  #roster: Roster | null = null

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

  /**
   * Online: a page of the team's trail (this machine's newest entries pushed first, so what was just done is in it).
   * Offline, or when the read fails: this machine's own trail, marked 'offline' (the team's entries are not here).
   */
  async page(query: AuditQuery): Promise<AuditPage> {
    const link = this.#link.current()
    if (link !== null) {
      try {
        return await withinTime(
          (async () => {
            await this.push().catch(() => undefined)
            return this.#teamPage(link, query)
          })()
        )
      } catch {
        // The server went away mid-read: what this machine holds, said as offline.
      }
    }
    const { memberId, ...local } = query
    const own = memberId === undefined || memberId === (link?.session.memberId ?? this.#link.memberId)
    if (!own) return { entries: [], nextBefore: null, teamTrail: 'offline' }
    return { ...(await this.#local.page(local)), teamTrail: 'offline' }
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

  async #teamPage(link: NonNullable<ReturnType<TeamAuditLink['current']>>, query: AuditQuery): Promise<AuditPage> {
    const { session, db } = link
    // Row ids and member ids are UUIDs: any other id names nothing in the team's trail.
    if ((query.libraryId !== undefined && !UUID.test(query.libraryId)) || (query.memberId !== undefined && !UUID.test(query.memberId))) {
      return { entries: [], nextBefore: null, teamTrail: 'online' }
    }
    const teamQuery = {
      limit: query.limit,
      ...(query.before === undefined ? {} : { before: query.before }),
      ...(query.memberId === undefined ? {} : { memberId: query.memberId }),
      ...(query.libraryId === undefined ? {} : { credentialId: query.libraryId }),
      ...(query.action === undefined ? {} : { action: query.action }),
      ...(query.since === undefined ? {} : { since: query.since }),
      ...(query.until === undefined ? {} : { until: query.until })
    }
    const read = (roster: Roster) => readTeamAudit(db, { teamId: session.teamId, roster, teamKeyOf: (epoch) => (epoch === session.epoch ? session.teamKey : undefined) }, teamQuery)
    let roster = this.#newerRoster(session.roster)
    let page = await read(roster)
    // A member let in since this machine's roster was read: read the team's roster (sealed under the team key, so the
    // database cannot add anyone to it) before calling their entries unverified.
    if (page.entries.some((entry) => rosterMember(roster, entry.member.id) === undefined)) {
      const fresh = await readRoster(db, session)
      if (fresh !== null && fresh.version > roster.version) {
        this.#roster = fresh
        roster = fresh
        page = await read(roster)
      }
    }
    return { entries: page.entries.flatMap(toAuditEntry), nextBefore: page.nextBefore, teamTrail: 'online' }
  }

  #newerRoster(roster: Roster): Roster {
    return this.#roster !== null && this.#roster.epoch === roster.epoch && this.#roster.version > roster.version ? this.#roster : roster
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

function withinTime<T>(work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('The team database did not answer in time.')), TEAM_READ_MS)
    timer.unref?.()
  })
  return Promise.race([work, late]).finally(() => clearTimeout(timer))
}

/** The team's roster as the database holds it, when it opens under this member's team key; null otherwise. */
async function readRoster(db: TeamDb, session: TeamSession): Promise<Roster | null> {
  const { rows } = await db.pool.query<{ roster_version: string; roster_epoch: number; roster: Buffer }>(`SELECT roster_version, roster_epoch, roster FROM ${db.schema}.team`)
  const row = rows[0]
  if (row === undefined || row.roster_epoch !== session.epoch) return null
  try {
    return openRoster(session.teamKey, session.teamId, { version: Number(row.roster_version), epoch: row.roster_epoch }, row.roster)
  } catch {
    return null
  }
}

const isOneOf = <T extends string>(allowed: readonly T[], value: string | undefined): value is T => value !== undefined && (allowed as readonly string[]).includes(value)

/** A team entry as the audit view reads entries; one whose action or outcome this Larder does not know is left out. */
function toAuditEntry(entry: TeamAuditEntry): (AuditEntry & { readonly member: TeamAuditEntry['member'] })[] {
  if (!isOneOf(AUDIT_ACTIONS, entry.action) || !isOneOf(AUDIT_OUTCOMES, entry.outcome)) return []
  return [
    {
      seq: entry.seq,
      at: entry.at,
      action: entry.action,
      outcome: entry.outcome,
      libraryId: entry.credentialId,
      libraryName: entry.libraryName,
      ...(entry.detail === undefined ? {} : { detail: entry.detail }),
      ...(entry.apicbaseLibraryId === undefined ? {} : { apicbaseLibraryId: entry.apicbaseLibraryId }),
      ...(isOneOf(TOKEN_TYPES, entry.tokenType) ? { tokenType: entry.tokenType } : {}),
      ...(entry.via === undefined ? {} : { via: entry.via }),
      member: entry.member
    }
  ]
}
