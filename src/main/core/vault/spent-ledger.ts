// Fingerprints of every refresh token the server has consumed, in an append-only file beside the vault.
// It is never restored with the vault, so a restored (older) record holding a dead token is recognised
// instead of being sent. Only SHA-256 fingerprints are written, never a token.
import { createHash } from 'node:crypto'
import { appendDurable, appendDurableAsync, ensurePrivate, fileStamp, readFileOrNull, sameStamp, type FileStamp } from './durable-fs.ts'

const LINE = /^[0-9a-f]{64}$/
// Domain separation: these fingerprints cannot be matched against hashes of the same token made elsewhere.
const CONTEXT = 'larder-spent-refresh-token-v1\u0000'

export function spentFingerprint(refreshToken: string): string {
  return createHash('sha256').update(CONTEXT).update(refreshToken, 'utf8').digest('hex')
}

export class SpentLedger {
  readonly path: string
  readonly #fingerprints = new Set<string>()
  // Known to the process but not yet appended: they go out with the next group commit.
  #pending: string[] = []
  #stamp: FileStamp | null = null
  // A crash mid-append can leave a last line without its newline; the next append must not glue onto it.
  #needsNewline = false

  constructor(path: string) {
    this.path = path
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
    const fingerprint = spentFingerprint(refreshToken)
    if (this.#fingerprints.has(fingerprint)) return
    this.#fingerprints.add(fingerprint)
    this.#pending.push(fingerprint)
  }

  /** Appends and fsyncs what is pending. Returns the number of fsyncs made (0 when nothing was pending). */
  appendPending(): number {
    if (this.#pending.length === 0) return 0
    const lines = (this.#needsNewline ? '\n' : '') + this.#pending.map((f) => `${f}\n`).join('')
    let created: boolean
    try {
      created = appendDurable(this.path, lines)
    } catch (error) {
      // Part of the batch may have reached the file without its newline; start the retry on a fresh line.
      this.#needsNewline = true
      throw error
    }
    this.#pending = []
    this.#needsNewline = false
    this.#stamp = fileStamp(this.path)
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
    const lines = (this.#needsNewline ? '\n' : '') + batch.map((f) => `${f}\n`).join('')
    let created: boolean
    try {
      created = (await appendDurableAsync(this.path, lines)).created
    } catch (error) {
      this.#needsNewline = true
      this.#pending = [...batch, ...this.#pending]
      throw error
    }
    this.#needsNewline = false
    this.#stamp = fileStamp(this.path)
    return created ? 2 : 1
  }

  /** Picks up lines another writer added; what this process knows is never forgotten. */
  reloadIfChanged(): void {
    if (!sameStamp(fileStamp(this.path), this.#stamp)) this.#load()
  }

  #load(): void {
    ensurePrivate(this.path)
    const stamp = fileStamp(this.path)
    const content = readFileOrNull(this.path)?.toString('utf8') ?? ''
    for (const line of content.split('\n')) {
      // Torn or foreign lines are skipped: a missing fingerprint is safer than refusing to start.
      if (LINE.test(line)) this.#fingerprints.add(line)
    }
    this.#needsNewline = content.length > 0 && !content.endsWith('\n')
    this.#stamp = stamp
  }
}
