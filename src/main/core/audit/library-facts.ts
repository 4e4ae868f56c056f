// Which library an audit entry is about, in words that outlive it: its Apicbase library id, its token type and, for a
// library reached through a personal token, that token's name. Two rows may both be called "Trattoria Oost" (a service
// account, and the same library through Pat's personal token); these tell them apart in the trail and its CSV, after
// either is removed too. Only names and ids: never a secret.
import type { TokenType } from '../../../shared/contract.ts'
import { isConnection } from '../model.ts'
import type { Vault } from '../vault/index.ts'
import type { AuditEntry, AuditInput } from './audit-entry.ts'
import type { AuditLog, AuditPage, AuditStats } from './audit-log.ts'

export interface LibraryFacts {
  readonly tokenType: TokenType
  /** Absent for a personal token's own record (it acts on whichever library its user has active). */
  readonly apicbaseLibraryId?: string
  /** The personal token a library is reached through. */
  readonly via?: string
}

export type FactsSource = Pick<Vault, 'get' | 'entry' | 'list' | 'entries'>

/** What the vault says of a record or entry now; null when it holds no such id. */
export function libraryFacts(vault: FactsSource, id: string): LibraryFacts | null {
  const entry = vault.entry(id)
  if (entry) {
    const connection = vault.get(entry.connectionId)
    return { tokenType: 'personal', apicbaseLibraryId: entry.apicbaseLibraryId, ...(connection ? { via: connection.name } : {}) }
  }
  const meta = vault.get(id)
  if (!meta) return null
  if (isConnection(meta) || meta.apicbaseLibraryId === null) return { tokenType: meta.tokenType }
  return { tokenType: meta.tokenType, apicbaseLibraryId: meta.apicbaseLibraryId }
}

/** Facts worked out from a record (and, for an entry, its connection's record) as they were then. */
interface RecentFacts {
  readonly facts: LibraryFacts
  /** The record objects they were read from: records are frozen and replaced on change, so the same objects mean the same facts. */
  readonly from: object
  readonly via: object | undefined
}

/** Records whose facts were worked out last: a refresh notes its record several times within a few turns. */
const RECENT_KEPT = 64

/**
 * The audit log, writing each entry about a library with its facts. It remembers the facts of every library it has
 * seen, so the entry that records a removal (written once the library is gone) still says what it was. Every change
 * of a record passes through `note` (several times per refresh), so the facts of the records noted last are worked
 * out again only when the record object changed.
 */
export class FactualAuditLog implements AuditLog {
  readonly #log: AuditLog
  readonly #vault: FactsSource
  readonly #known = new Map<string, LibraryFacts>()
  readonly #recent = new Map<string, RecentFacts>()

  constructor(log: AuditLog, vault: FactsSource) {
    this.#log = log
    this.#vault = vault
    for (const meta of vault.list()) this.note(meta.id)
    for (const entry of vault.entries()) this.note(entry.id)
  }

  get path(): string {
    return this.#log.path
  }

  /** A record or entry was written: keep what it is now, for entries written after it is gone. */
  note(id: string): void {
    this.#current(id)
  }

  append(input: AuditInput): Promise<AuditEntry> {
    if (input.libraryId === null || input.tokenType !== undefined) return this.#log.append(input)
    const facts = this.#current(input.libraryId) ?? this.#known.get(input.libraryId)
    return this.#log.append(facts ? { ...input, ...facts } : input)
  }

  /** What the vault says of the id now (remembered), or null when it holds no such id. */
  #current(id: string): LibraryFacts | null {
    const recent = this.#recent.get(id)
    const meta = this.#vault.get(id)
    if (meta) {
      if (recent?.from === meta && recent.via === undefined) return recent.facts
      return this.#remember(id, libraryFacts(this.#vault, id), meta, undefined)
    }
    const entry = this.#vault.entry(id)
    if (!entry) return null
    const connection = this.#vault.get(entry.connectionId)
    if (recent?.from === entry && recent.via === connection) return recent.facts
    return this.#remember(id, libraryFacts(this.#vault, id), entry, connection)
  }

  #remember(id: string, facts: LibraryFacts | null, from: object, via: object | undefined): LibraryFacts | null {
    if (!facts) return null
    this.#known.set(id, facts)
    this.#recent.delete(id)
    if (this.#recent.size >= RECENT_KEPT) this.#recent.delete(this.#recent.keys().next().value!)
    this.#recent.set(id, { facts, from, via })
    return facts
  }

  page(query: Parameters<AuditLog['page']>[0]): Promise<AuditPage> {
    return this.#log.page(query)
  }

  stats(): AuditStats {
    return this.#log.stats()
  }

  close(): Promise<void> {
    return this.#log.close()
  }
}

/**
 * Entries with what they lack filled in, for an export: from the library as the vault holds it now, else from the
 * newest entry about it that recorded its facts (an entry written before Larder knew its Apicbase library, or before
 * entries carried facts at all). What an entry recorded itself is kept.
 */
export function withFacts(entries: readonly AuditEntry[], vault: FactsSource): AuditEntry[] {
  const recorded = new Map<string, LibraryFacts>()
  for (const entry of entries) {
    const own = factsOf(entry)
    if (entry.libraryId === null || own === null) continue
    const seen = recorded.get(entry.libraryId)
    // Newest first: the first seen is the newest; an older one may still add an id the newer lacked.
    recorded.set(entry.libraryId, seen ? merged(seen, own) : own)
  }
  return entries.map((entry) => {
    if (entry.libraryId === null) return entry
    const fallback = libraryFacts(vault, entry.libraryId) ?? recorded.get(entry.libraryId)
    if (!fallback) return entry
    const own = factsOf(entry)
    return { ...entry, ...(own === null ? fallback : merged(own, fallback)) }
  })
}

/** The facts an entry recorded itself; null for an entry without them. */
function factsOf(entry: AuditEntry): LibraryFacts | null {
  const { tokenType, apicbaseLibraryId, via } = entry
  if (tokenType === undefined) return null
  return { tokenType, ...(apicbaseLibraryId === undefined ? {} : { apicbaseLibraryId }), ...(via === undefined ? {} : { via }) }
}

/** `first`, with the fields it lacks from `second` when both are the same token type. */
function merged(first: LibraryFacts, second: LibraryFacts): LibraryFacts {
  if (first.tokenType !== second.tokenType) return first
  return { ...second, ...first }
}
