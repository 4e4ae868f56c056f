// The journal: a group commit appends just the records it changed to `<vault>.journal`, one JSON line each, and
// fsyncs, instead of rewriting every library through the store. The vault file names the journal generation that
// continues it; a full write (compaction) starts a new generation and empties the journal. Opening replays the
// lines of the file's generation in order, so the file plus its journal is always the latest durable state.
// Lines hold sealed records exactly as the vault file does, never a secret in clear.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import type { PersonalEntryMeta } from '../model.ts'
import { DurableAppender, readFileOrNull } from './durable-fs.ts'
import { FileProblem, isJournalId, readEntry, readKey, readLibrary, safeId, type StoredKey, type StoredLibrary, type VaultContent } from './file-format.ts'
import type { SpentLedger } from './spent-ledger.ts'

export type JournalOp =
  | { readonly library: StoredLibrary }
  | { readonly entry: PersonalEntryMeta }
  /** A key of another system, its token sealed (key-sealing.ts). */
  | { readonly key: StoredKey }
  /** A library record, an entry or a key was removed (ids are unique across the three). */
  | { readonly drop: string }
  /**
   * The spent-token fingerprints of the batch, ahead of its records, in the same write: a record with a new pair is
   * never durable without the fingerprint of the token it replaced. The spent ledger's file catches up from memory
   * later (spent-ledger.ts); opening puts any it lacks back into it.
   */
  | { readonly spent: readonly string[] }

const FINGERPRINT = /^[0-9a-f]{64}$/

export function journalPath(vaultPath: string): string {
  return `${vaultPath}.journal`
}

export function newJournalId(): string {
  return randomBytes(16).toString('hex')
}

/** `{"j":<generation>,<the op's one field>}` and a newline: the generation first, as readers expect it. */
export function encodeJournalLine(journalId: string, op: JournalOp): string {
  // The same text as JSON.stringify({ j, ...op }), without copying the op into a new object first.
  const body = JSON.stringify(op)
  return `{"j":${JSON.stringify(journalId)},${body.slice(1)}\n`
}

/**
 * The bytes of `ops`' lines, the same as their `encodeJournalLine` texts joined and encoded as UTF-8, written straight
 * into one buffer. A record's token preview holds "…", so its JSON is a two-byte string: building the batch as one
 * text (prefixing each line, then joining them) copied every record twice more, at two bytes a character, before the
 * append encoded it. Each op's JSON goes in whole, its opening brace overwritten by the comma after the generation.
 */
export function encodeJournalLines(journalId: string, ops: readonly JournalOp[]): Buffer {
  const head = `{"j":${JSON.stringify(journalId)}`
  const headBytes = Buffer.byteLength(head, 'utf8')
  const bodies: string[] = []
  let total = 0
  for (const op of ops) {
    const body = JSON.stringify(op)
    bodies.push(body)
    total += headBytes + Buffer.byteLength(body, 'utf8') + 1
  }
  // Every byte is written below: nothing of the pool's earlier contents stays in it.
  const bytes = Buffer.allocUnsafe(total)
  let at = 0
  for (const body of bodies) {
    at += bytes.write(head, at, 'utf8')
    const opens = at
    at += bytes.write(body, at, 'utf8')
    bytes[opens] = COMMA // in place of the op's own "{"
    bytes[at++] = NEWLINE
  }
  if (at !== total) throw new Error(`a journal batch encoded to ${at} of its ${total} bytes`)
  return bytes
}

const COMMA = 0x2c
const NEWLINE = 0x0a

/** The journal's size in bytes (0 when there is none). */
export function journalBytes(file: string): number {
  return fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0
}

/**
 * The changes of generation `journalId`, in order. Lines of other generations (left by a crash between a
 * compaction and the emptying of the journal, or continuing another copy of the file) are skipped here; see
 * `salvageJournalLines`. A last line without its newline was cut off before its fsync, so nobody was told it was
 * durable: it is skipped too. Any other line of this generation that does not read is damage.
 */
export function readJournal(file: string, journalId: string | null, byteLimit?: number): JournalOp[] {
  if (journalId === null) return []
  const refuse = (problem: FileProblem): never => {
    throw problem
  }
  return parseLines(file, refuse, (generation) => generation === journalId, byteLimit).map((line) => line.op)
}

export interface JournalLine {
  readonly generation: string
  readonly op: JournalOp
}

/**
 * Every complete line that reads, of any generation, in order; a damaged one is skipped. For salvaging what a
 * journal of another generation, or a damaged one, still holds.
 */
export function salvageJournalLines(file: string): JournalLine[] {
  return parseLines(file, () => undefined, () => true)
}

/** `byteLimit`: only the lines within the file's first bytes (a compaction folds the journal as it was when it began). */
function parseLines(file: string, damaged: (problem: FileProblem) => void, wanted: (generation: string) => boolean, byteLimit?: number): JournalLine[] {
  const raw = readFileOrNull(file)
  if (raw === null) return []
  const lines = (byteLimit === undefined ? raw : raw.subarray(0, byteLimit)).toString('utf8').split('\n')
  const complete = lines.length - 1 // the part after the last newline is torn (or empty)
  const read: JournalLine[] = []
  for (let index = 0; index < complete; index++) {
    const line = lines[index]!
    if (line === '') continue
    const where = `its journal ${file}, line ${index + 1}`
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch {
      damaged(new FileProblem('wrong_shape', `${where} is damaged (not JSON)`))
      continue
    }
    const fields = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null
    const generation = fields?.['j']
    if (fields === null || !isJournalId(generation)) {
      damaged(new FileProblem('wrong_shape', `${where} is damaged (not a journal line)`))
      continue
    }
    if (!wanted(generation)) continue
    try {
      read.push({ generation, op: readOp(fields, where) })
    } catch (error) {
      if (!(error instanceof FileProblem)) throw error
      damaged(error)
    }
  }
  return read
}

function readOp(fields: Record<string, unknown>, where: string): JournalOp {
  const keys = Object.keys(fields).filter((key) => key !== 'j')
  if (keys.length !== 1) throw new FileProblem('wrong_shape', `${where} does not hold exactly one change`)
  const [key] = keys
  const value = fields[key!]
  if (key === 'drop') {
    if (typeof value !== 'string' || value === '') throw new FileProblem('wrong_shape', `${where} removes no id`)
    return { drop: value }
  }
  if (key === 'spent') {
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && FINGERPRINT.test(item))) {
      throw new FileProblem('wrong_shape', `${where} has spent-token fingerprints that are not fingerprints`)
    }
    return { spent: value as string[] }
  }
  const id = typeof value === 'object' && value !== null ? idOf(value as Record<string, unknown>, key!) : undefined
  if (id === undefined) throw new FileProblem('wrong_shape', `${where} has a record without an id`)
  try {
    if (key === 'library') return { library: readLibrary(id, value) }
    if (key === 'entry') return { entry: readEntry(id, value) }
    if (key === 'key') return { key: readKey(id, value) }
  } catch (error) {
    if (error instanceof FileProblem) throw new FileProblem('wrong_shape', `${where}: ${error.message}`)
    throw error
  }
  throw new FileProblem('wrong_shape', `${where} has an unknown change "${safeId(key!)}"`)
}

function idOf(value: Record<string, unknown>, key: string): string | undefined {
  const holder = key === 'library' || key === 'key' ? value['meta'] : value
  const id = typeof holder === 'object' && holder !== null ? (holder as Record<string, unknown>)['id'] : undefined
  return typeof id === 'string' && id !== '' ? id : undefined
}

/** A file's records by id, as the journal's changes apply to them. */
export interface JournaledRecords {
  libraries: Map<string, StoredLibrary>
  entries: Map<string, PersonalEntryMeta>
  keys: Map<string, StoredKey>
}

/**
 * Applies the changes in order to a file's content. A record is an id's whole state: a library line replaces an
 * entry or key of that id and the other way round (one batch can remove a library and add an entry with its id, and
 * writes only the latest state of each id).
 */
export function applyJournal(records: JournaledRecords, ops: readonly JournalOp[]): void {
  const { libraries, entries, keys } = records
  const only = (id: string, kept: Map<string, unknown>): void => {
    for (const table of [libraries, entries, keys] as Map<string, unknown>[]) if (table !== kept) table.delete(id)
  }
  for (const op of ops) {
    if ('spent' in op) continue
    if ('drop' in op) {
      only(op.drop, new Map())
    } else if ('library' in op) {
      only(op.library.meta.id, libraries)
      libraries.set(op.library.meta.id, op.library)
    } else if ('key' in op) {
      only(op.key.meta.id, keys)
      keys.set(op.key.meta.id, op.key)
    } else {
      only(op.entry.id, entries)
      entries.set(op.entry.id, op.entry)
    }
  }
}

/** A file's records continued by the journal's changes, in new maps: the content's own are left as they are. */
export function continueRecords(content: Pick<VaultContent, 'libraries' | 'entries' | 'keys'>, ops: readonly JournalOp[]): JournaledRecords {
  const records: JournaledRecords = { libraries: new Map(content.libraries), entries: new Map(content.entries ?? []), keys: new Map(content.keys ?? []) }
  applyJournal(records, ops)
  return records
}

/**
 * The durable records of a file read from disk. A file of the generation this vault appends to is continued by the
 * journal's lines: the durable state is both together (a copy of the file put back in place must not undo what the
 * journal holds), and the spent fingerprints they carry go into the ledger. Null when the file is of that
 * generation but the journal lost lines or no longer reads: then only memory knows.
 */
export function recordsOnDisk(
  content: VaultContent,
  generation: string | null,
  journal: { readonly path: string; readonly change: JournalChange },
  ledger: Pick<SpentLedger, 'addFingerprint'>
): ReturnType<typeof continueRecords> | null {
  if (content.journalId === null || content.journalId !== generation) return continueRecords(content, [])
  if (journal.change === 'lost') return null
  let ops: JournalOp[]
  try {
    ops = readJournal(journal.path, content.journalId)
  } catch {
    return null
  }
  for (const fingerprint of spentInJournal(ops)) ledger.addFingerprint(fingerprint)
  return continueRecords(content, ops)
}

/** The latest library record of each id in these lines (for salvaging a journal of another generation). */
export function lastRecords(lines: readonly JournalLine[]): Map<string, StoredLibrary> {
  const records = new Map<string, StoredLibrary>()
  for (const { op } of lines) if ('library' in op) records.set(op.library.meta.id, op.library)
  return records
}

/** The spent-token fingerprints the lines carry. */
export function spentInJournal(ops: readonly (JournalOp | JournalLine)[]): string[] {
  return ops.flatMap((item) => {
    const op = 'generation' in item ? item.op : item
    return 'spent' in op ? op.spent : []
  })
}

/** How the journal differs from what this process last left in it. */
export type JournalChange = 'none' | 'appended' | 'lost'

/** Appends to the journal, and notices when the file is no longer as this process left it. */
export class JournalWriter {
  readonly path: string
  readonly #file: DurableAppender
  /** What this process last left: its inode and size. */
  #ino: number | null = null
  #bytes = 0
  #appending = false
  /**
   * The file's stat as this turn first saw it, while nothing this process did has changed the file since: a batch
   * asks before it starts, when it decides how to write, and in its append, each a statSync on the main thread. A
   * change by someone else after the look is seen next turn, as it would be had it come a moment after it.
   */
  #seen: { readonly stat: fs.Stats | undefined } | null = null

  constructor(path: string) {
    this.path = path
    this.#file = new DurableAppender(path)
    this.adopt()
  }

  get bytes(): number {
    return this.#bytes
  }

  /**
   * 'appended': another writer added lines after ours (replay them). 'lost': it was deleted, cut short or
   * replaced, so lines may be gone and it may end in a torn one (write everything, which starts a new one).
   * While this process is appending, the size it sees is its own doing.
   */
  change(): JournalChange {
    if (this.#appending) return 'none'
    // An append that failed part-way, or an emptying that failed: what the file ends with is not known.
    if (Number.isNaN(this.#bytes)) return 'lost'
    const stat = this.#statThisTurn()
    const size = stat?.size ?? 0
    if (this.#bytes === 0) return size === 0 ? 'none' : 'appended'
    if (stat?.ino !== this.#ino || size < this.#bytes) return 'lost'
    return size > this.#bytes ? 'appended' : 'none'
  }

  /** Takes the file as it is now as ours (after its lines were read). */
  adopt(): void {
    this.#seen = null
    const stat = fs.statSync(this.path, { throwIfNoEntry: false })
    this.#ino = stat?.ino ?? null
    this.#bytes = stat?.size ?? 0
  }

  /** Appends and fsyncs the lines (text, or its UTF-8 bytes); returns the fsyncs made. */
  async append(lines: string | Uint8Array): Promise<number> {
    this.#appending = true
    // What this turn saw is what the append would see; from here on the file is changing under our own hand.
    const seen = this.#seen
    this.#seen = null
    try {
      const { created, size, ino } = await this.#file.append(lines, seen === null ? undefined : { stat: seen.stat })
      this.#ino = ino
      this.#bytes = size
      return created ? 2 : 1
    } catch (error) {
      // Part of it may have reached the file: what is there is no longer what we know.
      this.#bytes = Number.NaN
      throw error
    } finally {
      this.#appending = false
    }
  }

  /**
   * After a full write started a new generation the old lines are dead weight: the file is removed (not
   * truncated, so a journal replaced by something else is let go of too) and made anew by the next append.
   * Not fsynced: a line that comes back is of an old generation and skipped.
   */
  empty(): void {
    this.#seen = null
    this.#file.closeNow()
    try {
      fs.rmSync(this.path, { force: true })
      this.#ino = null
      this.#bytes = 0
    } catch {
      // Left as it is, it still holds only old lines; the next batch finds it changed and writes everything again.
      this.#bytes = Number.NaN
    }
  }

  close(): void {
    this.#file.closeNow()
  }

  #statThisTurn(): fs.Stats | undefined {
    if (this.#seen !== null) return this.#seen.stat
    const stat = fs.statSync(this.path, { throwIfNoEntry: false })
    const seen = { stat }
    this.#seen = seen
    setImmediate(() => {
      if (this.#seen === seen) this.#seen = null
    })
    return stat
  }
}
