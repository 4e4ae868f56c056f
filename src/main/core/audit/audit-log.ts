// The audit trail: an append-only file with one JSON entry per line. Appends are serialized and grouped: a lone
// entry goes out at once, but entries that pile up while entries keep coming go out together, at most one write per
// grouping window (a refresh burst records an entry every fraction of a millisecond: one fsynced write per batch of
// refreshes would cost the main thread more than the entries). Each write is one append on a descriptor opened with
// O_DSYNC (durable-fs.ts). Reading pages backwards from an in-memory index of where each
// line starts, so the newest page costs one small read.
import fs from 'node:fs'
import { performance } from 'node:perf_hooks'
import { InputError } from '../errors.ts'
import { DurableAppender } from '../vault/durable-fs.ts'
import {
  checkInput,
  checkQuery,
  matches,
  readEntry,
  type AuditEntry,
  type AuditInput,
  type AuditQuery
} from './audit-entry.ts'

const PRIVATE_FILE_MODE = 0o600
/** Lines read per backwards step when a filter skips entries. */
const READ_BLOCK = 256
/** While entries keep coming, at most one write per this many milliseconds (a lone entry is written at once). */
export const AUDIT_GROUP_MS = 50

/** Who wrote an entry of a team's trail (issue 16), and whether its signature checks against the team's roster. */
export interface AuditMember {
  readonly id: string
  /** As the roster names them; null for someone the roster does not hold (never let in, or removed). */
  readonly name: string | null
  readonly verified: boolean
}

export interface AuditPage {
  /** Newest first. Entries of a team's trail say which member wrote them. */
  readonly entries: readonly (AuditEntry & { readonly member?: AuditMember })[]
  /** Pass as `before` for the next (older) page; null when there is none. */
  readonly nextBefore: number | null
  /** A vault in a team: 'online', the team's trail; 'offline', this machine's own (the team's is out of reach). */
  readonly teamTrail?: 'online' | 'offline'
}

export interface AuditStats {
  /** Durable writes made (each fsynced), and the entries they carried. */
  readonly writes: number
  readonly entries: number
}

export interface AuditLog {
  readonly path: string
  /** Resolves with the entry once it is written (and fsynced). */
  append(input: AuditInput): Promise<AuditEntry>
  /** Waits for what is queued (without waiting for a grouping window), then reads. */
  page(query: AuditQuery): Promise<AuditPage>
  stats(): AuditStats
  close(): Promise<void>
}

export interface OpenAuditLogOptions {
  readonly path: string
  readonly now?: () => number
}

export async function openAuditLog(options: OpenAuditLogOptions): Promise<AuditLog> {
  if (typeof options !== 'object' || options === null) throw new InputError('options', 'options must be an object')
  if (typeof options.path !== 'string' || options.path.trim() === '') throw new InputError('options.path', 'options.path must be a file path')
  const now = options.now ?? Date.now
  if (typeof now !== 'function') throw new InputError('options.now', 'options.now must be a function')
  const handle = await fs.promises.open(options.path, 'a+', PRIVATE_FILE_MODE)
  try {
    if (process.platform !== 'win32') {
      const { mode } = await handle.stat()
      if ((mode & 0o077) !== 0) await handle.chmod(PRIVATE_FILE_MODE)
    }
    const log = new FileAuditLog(options.path, handle, now)
    await log.load()
    return log
  } catch (error) {
    await handle.close()
    throw error
  }
}

interface Pending {
  readonly entry: AuditEntry
  resolve(entry: AuditEntry): void
  reject(error: unknown): void
}

class FileAuditLog implements AuditLog {
  readonly path: string
  /** For reading (pages, the index at open). */
  readonly #handle: fs.promises.FileHandle
  /** For appending: one durable write per group. */
  readonly #appender: DurableAppender
  readonly #now: () => number
  // Index of valid lines in file order: seq, byte offset and byte length of each.
  readonly #seqs: number[] = []
  readonly #starts: number[] = []
  readonly #lengths: number[] = []
  #lastSeq = 0
  #size = 0
  // A crash mid-append leaves a last line without its newline; the next write starts a fresh line.
  #needsNewline = false
  #queue: Pending[] = []
  /** The write in progress, or the wait for the grouping window before the next one. */
  #writing: Promise<void> | null = null
  #windowTimer: ReturnType<typeof setTimeout> | null = null
  #endWindow: (() => void) | null = null
  #closed = false
  /** When the last write began (performance.now()). */
  #lastWriteAt = Number.NEGATIVE_INFINITY
  /** The last write waited out a grouping window: entries are still coming. */
  #inBurst = false
  #writes = 0
  #entries = 0

  constructor(path: string, handle: fs.promises.FileHandle, now: () => number) {
    this.path = path
    this.#handle = handle
    this.#appender = new DurableAppender(path)
    this.#now = now
  }

  async load(): Promise<void> {
    const content = await this.#handle.readFile()
    let start = 0
    while (start < content.length) {
      const newline = content.indexOf(0x0a, start)
      const end = newline === -1 ? content.length : newline
      this.#indexLine(content.subarray(start, end), start)
      start = end + 1
    }
    this.#size = content.length
    this.#needsNewline = content.length > 0 && content[content.length - 1] !== 0x0a
  }

  append(input: AuditInput): Promise<AuditEntry> {
    if (this.#closed) return Promise.reject(new Error('The audit log is closed'))
    let checked: AuditInput
    try {
      checked = checkInput(input)
    } catch (error) {
      return Promise.reject(error)
    }
    const entry: AuditEntry = Object.freeze({ seq: ++this.#lastSeq, at: this.#now(), ...checked })
    return new Promise((resolve, reject) => {
      this.#queue.push({ entry, resolve, reject })
      this.#writing ??= this.#drain()
    })
  }

  async page(query: AuditQuery): Promise<AuditPage> {
    const checked = checkQuery(query)
    await this.#settled()
    const entries: AuditEntry[] = []
    const filtered = checked.libraryId !== undefined || checked.action !== undefined || checked.since !== undefined || checked.until !== undefined
    let index = this.#positionBefore(checked.before)
    // One more than the page, to know whether an older page exists.
    while (index > 0 && entries.length <= checked.limit) {
      const from = Math.max(0, index - (filtered ? READ_BLOCK : checked.limit + 1 - entries.length))
      const block = await this.#readLines(from, index)
      for (let i = block.length - 1; i >= 0 && entries.length <= checked.limit; i--) {
        const entry = block[i]
        if (entry && matches(entry, checked)) entries.push(entry)
      }
      index = from
    }
    if (entries.length > checked.limit) {
      entries.length = checked.limit
      return { entries, nextBefore: (entries.at(-1) as AuditEntry).seq }
    }
    return { entries, nextBefore: null }
  }

  stats(): AuditStats {
    return { writes: this.#writes, entries: this.#entries }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#settled()
    this.#appender.closeNow()
    await this.#handle.close()
  }

  /**
   * Writes what is queued, one group at a time. A lone entry goes out at once; when several are waiting (they came
   * while the last write was made, or together), or the last write was such a group, they wait out the grouping
   * window counted from the last write's start and go out as one.
   */
  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const sinceLast = performance.now() - this.#lastWriteAt
      // In a burst, an entry that finds the queue empty waits too: otherwise each clump after a quick write would
      // open with a write of its own, two writes per window instead of one.
      const wait = sinceLast < AUDIT_GROUP_MS && !this.#closed && (this.#queue.length > 1 || this.#inBurst)
      this.#inBurst = wait
      if (wait) await this.#groupWindow(AUDIT_GROUP_MS - sinceLast)
      this.#lastWriteAt = performance.now()
      await this.#writeGroup()
    }
    this.#writing = null
  }

  async #writeGroup(): Promise<void> {
    const batch = this.#queue
    this.#queue = []
    const prefix = this.#needsNewline ? '\n' : ''
    const lines = batch.map((pending) => `${JSON.stringify(pending.entry)}\n`)
    const data = prefix + lines.join('')
    let size: number
    try {
      size = (await this.#appender.append(data)).size
    } catch (error) {
      // Part of the batch may be on disk; those lines are read back if whole and skipped if torn.
      this.#needsNewline = true
      this.#size = (await this.#handle.stat().catch(() => null))?.size ?? this.#size
      for (const pending of batch) pending.reject(error)
      return
    }
    this.#writes++
    this.#entries += batch.length
    // Where our lines begin: the file's size after the write, less what we wrote.
    let offset = size - Buffer.byteLength(data) + Buffer.byteLength(prefix)
    for (const [i, pending] of batch.entries()) {
      const length = Buffer.byteLength(lines[i] as string) - 1
      this.#seqs.push(pending.entry.seq)
      this.#starts.push(offset)
      this.#lengths.push(length)
      offset += length + 1
    }
    this.#size = offset
    this.#needsNewline = false
    for (const pending of batch) pending.resolve(pending.entry)
  }

  /** Resolves after `ms`, or at once when someone needs what is queued now (a page read, closing). */
  #groupWindow(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#endWindow = () => {
        if (this.#windowTimer !== null) clearTimeout(this.#windowTimer)
        this.#windowTimer = null
        this.#endWindow = null
        resolve()
      }
      this.#windowTimer = setTimeout(this.#endWindow, ms)
    })
  }

  async #settled(): Promise<void> {
    while (this.#writing) {
      this.#endWindow?.()
      await this.#writing
    }
  }

  #indexLine(line: Uint8Array, start: number): void {
    const entry = parseLine(line)
    // Torn, edited or out-of-order lines are left out; they do not stop the rest from being read.
    if (!entry || entry.seq <= this.#lastSeq) return
    this.#seqs.push(entry.seq)
    this.#starts.push(start)
    this.#lengths.push(line.length)
    this.#lastSeq = entry.seq
  }

  /** The index position just after the newest entry older than `before` (or the end). */
  #positionBefore(before: number | undefined): number {
    if (before === undefined) return this.#seqs.length
    let low = 0
    let high = this.#seqs.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if ((this.#seqs[mid] as number) < before) low = mid + 1
      else high = mid
    }
    return low
  }

  /** Entries at index positions [from, to), read with one read of their contiguous bytes. */
  async #readLines(from: number, to: number): Promise<(AuditEntry | null)[]> {
    const first = this.#starts[from] as number
    const last = to - 1
    const end = (this.#starts[last] as number) + (this.#lengths[last] as number)
    const buffer = Buffer.alloc(end - first)
    await this.#handle.read(buffer, 0, buffer.length, first)
    const entries: (AuditEntry | null)[] = []
    for (let i = from; i < to; i++) {
      const start = (this.#starts[i] as number) - first
      entries.push(parseLine(buffer.subarray(start, start + (this.#lengths[i] as number))))
    }
    return entries
  }
}

function parseLine(line: Uint8Array): AuditEntry | null {
  if (line.length === 0) return null
  try {
    return readEntry(JSON.parse(Buffer.from(line).toString('utf8')))
  } catch {
    return null
  }
}
