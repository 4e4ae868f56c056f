// Fingerprints of every refresh token the server has consumed, in an append-only file beside the vault.
// It is never restored with the vault, so a restored (older) record holding a dead token is recognised
// instead of being sent. Only SHA-256 fingerprints are written, never a token.
import { hash } from 'node:crypto'
import { appendDurable, DurableAppender, ensurePrivate, fileStamp, readFileOrNull, sameStamp, type FileStamp } from './durable-fs.ts'

const LINE = /^[0-9a-f]{64}$/
// Domain separation: these fingerprints cannot be matched against hashes of the same token made elsewhere.
const CONTEXT = 'larder-spent-refresh-token-v1\u0000'

export function spentFingerprint(refreshToken: string): string {
  return hash('sha256', CONTEXT + refreshToken, 'hex')
}

export class SpentLedger {
  readonly path: string
  readonly #fingerprints = new Set<string>()
  // Known to the process but not yet appended: they go out with the next group commit.
  #pending: string[] = []
  #stamp: FileStamp | null = null
  /** How much of the file has been read: another writer's lines after it are read alone, not the whole file again. */
  #readUpTo = 0
  // A crash mid-append can leave a last line without its newline; the next append must not glue onto it.
  #needsNewline = false
  readonly #file: DurableAppender
  #appending = false

  constructor(path: string) {
    this.path = path
    this.#file = new DurableAppender(path)
    this.#load()
  }

  has(refreshToken: string): boolean {
    return this.#fingerprints.has(spentFingerprint(refreshToken))
  }

  get size(): number {
    return this.#fingerprints.size
  }

  get hasPending(): boolean {
    return this.#pending.length > 0
  }

  /** Known spent at once (in memory); durable after the next `appendPending`. */
  add(refreshToken: string): void {
    this.addFingerprint(spentFingerprint(refreshToken))
  }

  /** A fingerprint found elsewhere (the vault's journal carries the batch's too); ignored unless well formed. */
  addFingerprint(fingerprint: string): void {
    if (!LINE.test(fingerprint) || this.#fingerprints.has(fingerprint)) return
    this.#fingerprints.add(fingerprint)
    this.#pending.push(fingerprint)
  }

  /** What the next append will write, in order. */
  get pending(): readonly string[] {
    return this.#pending
  }

  /** Appends and fsyncs what is pending. Returns the number of fsyncs made (0 when nothing was pending). */
  appendPending(): number {
    if (this.#pending.length === 0) return 0
    const lines = this.#linesFor(this.#pending)
    let created: boolean
    try {
      created = appendDurable(this.path, lines)
    } catch (error) {
      // Part of the batch may have reached the file without its newline; start the retry on a fresh line.
      this.#needsNewline = true
      throw error
    }
    this.#pending = []
    this.#wrote(lines)
    return created ? 2 : 1
  }

  /**
   * The same off the event loop. What is pending is taken at the call, synchronously: fingerprints added while
   * it writes go out with the next batch. On failure they are pending again.
   */
  async appendPendingAsync(): Promise<number> {
    if (this.#pending.length === 0) return 0
    const batch = this.#pending
    this.#pending = []
    const lines = this.#linesFor(batch)
    let created: boolean
    this.#appending = true
    try {
      created = (await this.#file.append(lines)).created
    } catch (error) {
      this.#needsNewline = true
      this.#pending = [...batch, ...this.#pending]
      throw error
    } finally {
      this.#appending = false
    }
    this.#wrote(lines)
    return created ? 2 : 1
  }

  /** Picks up lines another writer added; what this process knows is never forgotten. */
  reloadIfChanged(): void {
    // While this process appends, the change is its own.
    if (this.#appending) return
    const stamp = fileStamp(this.path)
    if (sameStamp(stamp, this.#stamp)) return
    const grown = stamp !== null && this.#stamp !== null && stamp.ino === this.#stamp.ino && stamp.size > this.#readUpTo
    this.#load(grown ? this.#readUpTo : 0)
  }

  close(): void {
    this.#file.closeNow()
  }

  /** One fingerprint a line, on a fresh line if the file ends in a torn one. */
  #linesFor(fingerprints: readonly string[]): string {
    return (this.#needsNewline ? '\n' : '') + fingerprints.map((f) => `${f}\n`).join('')
  }

  /** Our own lines are known already: only where the file now ends changes. */
  #wrote(lines: string): void {
    this.#needsNewline = false
    const stamp = fileStamp(this.path)
    const ours = Buffer.byteLength(lines)
    // Read past only if nothing else was added since the last read; otherwise the next reload reads the rest.
    if (stamp !== null && this.#stamp !== null && stamp.ino === this.#stamp.ino && stamp.size === this.#readUpTo + ours) {
      this.#readUpTo = stamp.size
      this.#stamp = stamp
    }
  }

  #load(from = 0): void {
    ensurePrivate(this.path)
    const stamp = fileStamp(this.path)
    const raw = readFileOrNull(this.path)
    // Start at a line boundary: a line cut at `from` was read whole (or skipped as torn) before.
    const content = (raw === null ? '' : raw.subarray(Math.min(from, raw.length))).toString('utf8')
    for (const line of content.split('\n')) {
      // Torn or foreign lines are skipped: a missing fingerprint is safer than refusing to start.
      if (LINE.test(line)) this.#fingerprints.add(line)
    }
    const size = raw?.length ?? 0
    this.#needsNewline = raw !== null && size > 0 && raw[size - 1] !== 0x0a
    // A torn last line is read again next time, once it may be complete.
    this.#readUpTo = raw !== null && this.#needsNewline ? raw.lastIndexOf(0x0a) + 1 : size
    this.#stamp = stamp
  }
}
