// Fingerprints of every refresh token the server has consumed, in an append-only file beside the vault.
// It is never restored with the vault, so a restored (older) record holding a dead token is recognised
// instead of being sent. Only SHA-256 fingerprints are written, never a token.
//
// Lines: a fingerprint (64 hex), or `@<ms>`, a day mark written before the first fingerprint of each day, so every
// fingerprint's age is known to within a day (those before the first mark, from before marks existed, count as
// recorded at it). Retention (see retention.ts for why it is safe): `compact` rewrites the file without the
// fingerprints older than the horizon that nothing still holds; held ones are marked anew.
//
// A group commit does not append here: its journal line carries the batch's fingerprints, in the same durable write as
// the new pairs (journal.ts), and this file catches up from memory later (`appendPending*`): when the vault is quiet,
// when it has fallen far behind, and always before a whole-file write drops the journal's lines. Opening puts back
// any fingerprint a journal holds that this file lacks (a crash came first).
import { hash } from 'node:crypto'
import { appendDurable, DurableAppender, ensurePrivate, fileStamp, readFileOrNull, sameStamp, writeFileAtomic, type FileStamp } from './durable-fs.ts'

const LINE = /^[0-9a-f]{64}$/
const MARK = /^@(\d{1,16})$/
const DAY_MS = 86_400_000
// While the vault is never quiet, this file still catches up every few seconds or thousands of fingerprints.
const CATCH_UP_AFTER_MS = 5_000
const CATCH_UP_AFTER_FINGERPRINTS = 4_096
// Domain separation: these fingerprints cannot be matched against hashes of the same token made elsewhere.
const CONTEXT = 'larder-spent-refresh-token-v1\u0000'

export function spentFingerprint(refreshToken: string): string {
  return hash('sha256', CONTEXT + refreshToken, 'hex')
}

/**
 * Written once this folder's vault holds bound secrets (schema 4, see migrate-v3-v4.ts): from then on an older copy
 * of the vault put back in place is refused instead of being sealed again as found. It is a fingerprint like the
 * others (no token hashes to it: tokens have no NUL), so it lives where restores never reach.
 */
export const BOUND_MARKER = spentFingerprint('\u0000larder: the records of this vault are bound to their secrets')

export class SpentLedger {
  readonly path: string
  readonly #fingerprints = new Set<string>()
  // Known to the process but durable nowhere yet: they go out with the next group commit (its journal line).
  #pending: string[] = []
  // Durable in the vault's journal, not yet in this file.
  #journaled: string[] = []
  /** When the oldest of #journaled was journaled (performance-style ms from `#clock`), or null. */
  #journaledSince: number | null = null
  #stamp: FileStamp | null = null
  /** How much of the file has been read: another writer's lines after it are read alone, not the whole file again. */
  #readUpTo = 0
  // A crash mid-append can leave a last line without its newline; the next append must not glue onto it.
  #needsNewline = false
  readonly #file: DurableAppender
  #appending = false
  readonly #now: () => number
  /** The oldest and newest day marks in the file (null: none yet). */
  #oldestMark: number | null = null
  #newestMark: number | null = null

  constructor(path: string, now: () => number = Date.now) {
    this.path = path
    this.#now = now
    this.#file = new DurableAppender(path)
    this.#load()
  }

  has(refreshToken: string): boolean {
    return this.#fingerprints.has(spentFingerprint(refreshToken))
  }

  /** Whether a vault with bound secrets was ever opened here (so an older copy is a step back). */
  get bound(): boolean {
    return this.#fingerprints.has(BOUND_MARKER)
  }

  /** Records, durably, that this folder's vault is bound; call once the vault file written here is. */
  markBound(): void {
    if (this.bound) return
    this.addFingerprint(BOUND_MARKER)
    this.appendPending()
  }

  get size(): number {
    return this.#fingerprints.size
  }

  /** Fingerprints durable nowhere yet (a batch must write them before anyone is told it is done). */
  get hasPending(): boolean {
    return this.#pending.length > 0
  }

  /** Fingerprints only the journal holds: this file still has to catch up. */
  get behind(): boolean {
    return this.#journaled.length > 0
  }

  /** Whether this file has fallen far enough behind the journal to catch up now, quiet or not. */
  catchUpDue(nowMs: number): boolean {
    if (this.#journaledSince === null) return false
    return this.#journaled.length >= CATCH_UP_AFTER_FINGERPRINTS || nowMs - this.#journaledSince >= CATCH_UP_AFTER_MS
  }

  /**
   * Takes what is pending for a batch's journal line. The batch answers with `journaled` once that line is durable, or
   * `unwritten` when its write failed (they are pending again).
   */
  takePending(): string[] {
    const taken = this.#pending
    this.#pending = []
    return taken
  }

  /** These fingerprints are durable in the journal; this file gets them with its next append. */
  journaled(fingerprints: readonly string[], nowMs: number): void {
    if (fingerprints.length === 0) return
    this.#journaledSince ??= nowMs
    this.#journaled.push(...fingerprints)
  }

  /** The write that was to carry them failed: pending again, ahead of what came since. */
  unwritten(fingerprints: readonly string[]): void {
    if (fingerprints.length > 0) this.#pending = [...fingerprints, ...this.#pending]
  }

  /** Known spent at once (in memory); durable after the next `appendPending`. */
  add(refreshToken: string): void {
    this.#addKnown(spentFingerprint(refreshToken))
  }

  /** A fingerprint found elsewhere (the vault's journal carries the batch's too); ignored unless well formed. */
  addFingerprint(fingerprint: string): void {
    if (LINE.test(fingerprint)) this.#addKnown(fingerprint)
  }

  /** A fingerprint made here (well formed by construction). */
  #addKnown(fingerprint: string): void {
    if (this.#fingerprints.has(fingerprint)) return
    this.#fingerprints.add(fingerprint)
    this.#pending.push(fingerprint)
  }

  /** What the next append will write, in order. */
  get pending(): readonly string[] {
    return this.#pending
  }

  /**
   * Appends and fsyncs what only the journal holds and what is pending. Returns the number of fsyncs made (0 when there
   * was nothing to write).
   */
  appendPending(): number {
    if (this.#pending.length === 0 && this.#journaled.length === 0) return 0
    const lines = this.#linesFor([...this.#journaled, ...this.#pending])
    let created: boolean
    try {
      created = appendDurable(this.path, lines)
    } catch (error) {
      // Part of the batch may have reached the file without its newline; start the retry on a fresh line.
      this.#needsNewline = true
      throw error
    }
    this.#pending = []
    this.#caughtUp()
    this.#wrote(lines)
    return created ? 2 : 1
  }

  /**
   * The same off the event loop. What it writes is taken at the call, synchronously: fingerprints added while it
   * writes go out with the next batch. On failure they are where they were (pending, or held by the journal only).
   */
  async appendPendingAsync(): Promise<number> {
    if (this.#pending.length === 0 && this.#journaled.length === 0) return 0
    const pending = this.#pending
    const journaled = this.#journaled
    const since = this.#journaledSince
    this.#pending = []
    this.#caughtUp()
    const lines = this.#linesFor([...journaled, ...pending])
    let created: boolean
    this.#appending = true
    try {
      created = (await this.#file.append(lines)).created
    } catch (error) {
      this.#needsNewline = true
      this.#pending = [...pending, ...this.#pending]
      this.#journaled = [...journaled, ...this.#journaled]
      this.#journaledSince = since ?? this.#journaledSince
      throw error
    } finally {
      this.#appending = false
    }
    this.#wrote(lines)
    return created ? 2 : 1
  }

  #caughtUp(): void {
    this.#journaled = []
    this.#journaledSince = null
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

  /** Whether the oldest fingerprints are more than `horizonMs` + `slackMs` old (a compaction would be worth its write). */
  compactionDue(horizonMs: number, slackMs: number): boolean {
    return this.#oldestMark !== null && this.#now() - this.#oldestMark > horizonMs + slackMs
  }

  /**
   * Rewrites the file (atomically) keeping the fingerprints recorded within `horizonMs`, and older ones only when
   * `held` says a record still holds the token (those, and the bound marker, are marked as of now). Returns how many
   * were dropped. What this process knows stays known until it closes. Run with no other writer (at open).
   */
  compact(horizonMs: number, held: (fingerprint: string) => boolean): number {
    const now = this.#now()
    const raw = readFileOrNull(this.path)?.toString('utf8') ?? ''
    const recent = new Map<number, string[]>()
    const renewed: string[] = []
    let dropped = 0
    for (const { fingerprint, at } of datedLines(raw, now)) {
      if (at >= now - horizonMs) recent.set(at, [...(recent.get(at) ?? []), fingerprint])
      else if (held(fingerprint) || fingerprint === BOUND_MARKER) renewed.push(fingerprint)
      else dropped++
    }
    if (dropped === 0) return 0
    if (renewed.length > 0) recent.set(now, [...(recent.get(now) ?? []), ...renewed])
    const text = [...recent].map(([at, fingerprints]) => `@${at}\n${fingerprints.map((f) => `${f}\n`).join('')}`).join('')
    writeFileAtomic(this.path, text)
    this.#file.closeNow()
    this.#oldestMark = recent.size > 0 ? Math.min(...recent.keys()) : null
    this.#newestMark = recent.size > 0 ? Math.max(...recent.keys()) : null
    this.#needsNewline = false
    this.#readUpTo = Buffer.byteLength(text)
    this.#stamp = fileStamp(this.path)
    return dropped
  }

  /** One fingerprint a line, on a fresh line if the file ends in a torn one, after a day mark when one is due. */
  #linesFor(fingerprints: readonly string[]): string {
    const now = this.#now()
    const mark = this.#newestMark === null || now - this.#newestMark >= DAY_MS ? `@${now}\n` : ''
    return (this.#needsNewline ? '\n' : '') + mark + fingerprints.map((f) => `${f}\n`).join('')
  }

  /** Our own lines are known already: only where the file now ends changes. */
  #wrote(lines: string): void {
    this.#noteMarks(lines)
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
    this.#noteMarks(content)
    const size = raw?.length ?? 0
    this.#needsNewline = raw !== null && size > 0 && raw[size - 1] !== 0x0a
    // A torn last line is read again next time, once it may be complete.
    this.#readUpTo = raw !== null && this.#needsNewline ? raw.lastIndexOf(0x0a) + 1 : size
    this.#stamp = stamp
  }

  #noteMarks(text: string): void {
    for (const line of text.split('\n')) {
      const at = Number(MARK.exec(line)?.[1] ?? NaN)
      if (Number.isNaN(at)) continue
      this.#oldestMark = this.#oldestMark === null ? at : Math.min(this.#oldestMark, at)
      this.#newestMark = this.#newestMark === null ? at : Math.max(this.#newestMark, at)
    }
  }
}

/** Each fingerprint of the file with the day mark before it (the first mark for those before any; now when none). */
function datedLines(raw: string, now: number): { readonly fingerprint: string; readonly at: number }[] {
  const lines = raw.split('\n')
  const firstMark = lines.map((line) => MARK.exec(line)?.[1]).find((at) => at !== undefined)
  let at = firstMark === undefined ? now : Number(firstMark)
  const dated: { fingerprint: string; at: number }[] = []
  const seen = new Set<string>()
  for (const line of lines) {
    const mark = MARK.exec(line)?.[1]
    if (mark !== undefined) at = Number(mark)
    else if (LINE.test(line) && !seen.has(line)) {
      seen.add(line)
      dated.push({ fingerprint: line, at })
    }
  }
  return dated
}
