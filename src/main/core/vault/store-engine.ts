// The durable store engine: how and when the vault's records become durable. Changes close together share one
// group commit; a batch appends just the records it changed to the journal (journal.ts), and the whole file is
// rewritten through the store only to compact (the journal has grown, the vault is idle or closing) or when
// something other than records changed (settings, a file taken from disk). What changed is the repository's say.
//
// States and transitions (the fields each one concerns in brackets):
//   clean     memory is what is durable [pending.records empty, pending.rewrite 'none', no batch running].
//   → dirty   a change is applied in memory: its ids join [pending.records], or a settings change sets
//             [pending.rewrite] 'settings'; the group commit's window opens. Dirty is derived: records waiting,
//             or a rewrite due.
//   → writing batch  the batch takes what it writes, synchronously (a change made meanwhile is the next batch's):
//       journal append     ids move to [pending.writing]; their states, with the batch's spent fingerprints ahead
//                          of them, go to the journal under [disk.generation] while the spent ledger is appended.
//       whole-file write   when [pending.rewrite] is set, there is no generation yet, the journal changed behind
//                          our back or grew far past the file, or an append failed: everything through
//                          [disk.store], a new [disk.generation] and [disk.stamp], the journal emptied.
//   → durable the batch's callers are answered, [counts] move on; clean, or dirty with what came meanwhile.
//   → retrying after a failed write: its ids are back in [pending.records], [counts.failedWrites] grows and
//             [retry] plans a batch with back-off, in case no change comes along to write them.
//   compaction planned after an append leaves the journal larger than the file [compaction]: once the vault is
//             quiet it sets [pending.rewrite] 'whole' (dirty). Cancelled by any whole-file write, and by close.
//   reloading the file differs from [disk.stamp] or the journal from what we left in it: the file is read,
//             continued by its journal, merged into memory (a record that does not open for itself is kept as
//             found and refused: quarantine.ts); [disk.stamp], [disk.generation] adopted, the ids memory kept join
//             [pending.records]. Checked before each batch, and before a change or a hand-out at most once per turn
//             [checkedThisTurn]. A file gone, unreadable or older than the vault (moved aside) is rewritten from
//             memory; a journal that lost lines makes [pending.rewrite] 'whole'.
//   closed    [closed]: calls refused, timers cancelled; what is pending, and the journal, written as one file.
import path from 'node:path'
import { Alarm, RetryBackoff } from './alarms.ts'
import { ensurePrivate, fileStamp, fsyncDirectory, sameStamp, type FileStamp } from './durable-fs.ts'
import { VaultClosedError, VaultWriteError } from './errors.ts'
import type { StoredLibrary } from './file-format.ts'
import { GroupCommit } from './group-commit.ts'
import { encodeJournalLine, journalPath, JournalWriter, newJournalId, recordsOnDisk, type JournalOp } from './journal.ts'
import { checkRecord } from './quarantine.ts'
import { openSecret } from './sealing.ts'
import { SerialQueue } from './serial-queue.ts'
import type { SpentLedger } from './spent-ledger.ts'
import { openCheckedStore, readChangedFile, type CheckedOptions } from './vault-load.ts'
import type { RecordMaps, VaultRecords } from './vault-records.ts'
import type { JsonFileStore, VaultStats } from './vault-types.ts'

/** Once the journal is larger than the file, the next quiet moment of this length compacts it. */
const COMPACT_WHEN_IDLE_MS = 1_000
/** A journal this much larger than the file is compacted at the next batch, quiet or not (bounds replay at open). */
const COMPACT_ANYWAY_RATIO = 8
const COMPACT_ANYWAY_SLACK_BYTES = 4 * 1024 * 1024

/** Why the next batch rewrites the whole file; 'settings' also keeps memory's settings over a file read meanwhile. */
type Rewrite = 'none' | 'whole' | 'settings'

export class DurableStore {
  readonly #options: CheckedOptions
  readonly #ledger: SpentLedger
  readonly #records: VaultRecords
  readonly #serial = new SerialQueue()
  readonly #commit: GroupCommit
  readonly #journal: JournalWriter
  /** What memory holds that is not durable yet. Stays after a failed write, so the next batch writes it. */
  readonly #pending = {
    /** Ids changed (or removed) since the last durable write: their secrets are not handed out before it. */
    records: new Set<string>(),
    /** Taken by the batch being appended, not yet durable. */
    writing: new Set<string>(),
    rewrite: 'none' as Rewrite
  }
  /** The file on disk as this process last wrote or read it. */
  readonly #disk: {
    /** Made on the first whole-file write: the store's constructor parses the whole file. */
    store: JsonFileStore | null
    stamp: FileStamp | null
    /** The journal generation the file names; lines appended now carry it. */
    generation: string | null
  }
  readonly #counts = { writes: 0, fullWrites: 0, failedWrites: 0 }
  readonly #compaction = new Alarm()
  readonly #retry = new RetryBackoff()
  #checkedThisTurn = false
  #closed = false

  constructor(options: CheckedOptions, ledger: SpentLedger, records: VaultRecords, generation: string | null) {
    this.#options = options
    this.#ledger = ledger
    this.#records = records
    this.#disk = { store: null, stamp: null, generation }
    this.#journal = new JournalWriter(journalPath(options.path))
    this.#commit = new GroupCommit({
      windowMs: options.commitWindowMs,
      prepare: () => this.#reloadBeforeWrite(),
      write: () => this.#writeBatch(),
      failure: (cause) => new VaultWriteError(options.path, cause)
    })
  }

  assertOpen(): void {
    if (this.#closed) throw new VaultClosedError()
  }

  /**
   * Runs `prepare` in order with every other change, after the check for a file changed behind the vault's back.
   * It validates against the current records and may await (encryption), then returns the synchronous step that
   * applies the change and names what changed. Resolves once that is durable.
   */
  async change(prepare: () => Promise<() => void>): Promise<void> {
    await this.#serial.run(async () => {
      await this.#checkForChanges()
      const apply = await prepare()
      apply()
    })
    await this.#commit.join()
  }

  /** Runs `read` in order with the changes, after the same check. */
  read<T>(read: () => T | Promise<T>): Promise<T> {
    return this.#serial.run(async () => {
      await this.#checkForChanges()
      return read()
    })
  }

  /** This id's record was changed or removed in memory: the next batch writes it. */
  changed(id: string): void {
    this.#pending.records.add(id)
  }

  /** The next batch writes the whole file, emptying the journal: for settings (which then win over a file read
   * meanwhile), or so that nothing the journal held stays on disk ('whole'). */
  wholeFile(reason: 'settings' | 'whole'): void {
    if (reason === 'settings' || this.#pending.rewrite === 'none') this.#pending.rewrite = reason
  }

  /** Resolves once this id's latest change is durable (at once when it is). */
  async durable(id: string): Promise<void> {
    if (this.#pending.records.has(id) || this.#pending.writing.has(id)) await this.#commit.joinNow()
  }

  /** Starts a batch nobody waits for (what only the spent ledger holds goes out with it). */
  writeSoon(): void {
    void this.#commit.join().catch(() => undefined)
  }

  reloadIfChanged(): Promise<boolean> {
    return this.#serial.run(() => this.#reloadInside())
  }

  async flush(): Promise<void> {
    await this.#serial.idle()
    if (this.#dirty || this.#ledger.hasPending || this.#commit.pending) await this.#commit.joinNow()
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#retry.cancel()
    this.#compaction.cancel()
    await this.#serial.idle()
    // Leave one file behind, so the next open need not replay anything.
    if (this.#journal.bytes > 0) this.#rewriteWhole()
    try {
      if (this.#dirty || this.#ledger.hasPending || this.#commit.pending) await this.#commit.joinNow()
    } finally {
      this.#journal.close()
      this.#ledger.close()
    }
  }

  /** Writes the whole content at once, outside any batch (new vault, migrated file, journal replayed). */
  writeNow(): void {
    this.#writeEverything(true)
  }

  /** The file on disk is exactly what memory holds: remember its stamp. */
  adoptFile(): void {
    ensurePrivate(this.#options.path)
    this.#disk.stamp = fileStamp(this.#options.path)
  }

  stats(): VaultStats {
    const { fsyncs, maxWaitMs } = this.#commit.stats()
    const { writes, fullWrites, failedWrites } = this.#counts
    return { writes, fullWrites, journalBytes: this.#journal.bytes, failedWrites, fsyncs, maxWaitMs }
  }

  // ── writing ────────────────────────────────────────────────────────────────────────────────────────

  get #dirty(): boolean {
    return this.#pending.records.size > 0 || this.#pending.rewrite !== 'none'
  }

  #rewriteWhole(): void {
    if (this.#pending.rewrite === 'none') this.#pending.rewrite = 'whole'
  }

  /** A batch: spent fingerprints first, then the changed records appended to the journal (or the whole file). */
  async #writeBatch(): Promise<number> {
    try {
      let fsyncs: number
      const generation = this.#disk.generation
      if (this.#mustWriteEverything() || generation === null) {
        fsyncs = this.#writeEverything()
      } else {
        try {
          fsyncs = await this.#appendChanges(generation)
        } catch {
          // The journal would not take it (and may now end in a torn line): write everything, which starts a new one.
          fsyncs = this.#writeEverything(true)
        }
      }
      this.#retry.succeeded()
      return fsyncs
    } catch (error) {
      this.#counts.failedWrites++
      // Nobody may be left with a rotation only in memory: try again on our own if no change comes along.
      if (!this.#closed) this.#retry.plan(() => this.#retryWrite())
      throw error
    }
  }

  #retryWrite(): void {
    if ((this.#dirty || this.#ledger.hasPending) && !this.#closed) this.#commit.join().catch(() => undefined)
  }

  #mustWriteEverything(): boolean {
    if (!this.#dirty) return false
    if (this.#pending.rewrite !== 'none' || this.#disk.generation === null || this.#journal.change() !== 'none') return true
    return this.#journal.bytes > COMPACT_ANYWAY_RATIO * this.#fileBytes() + COMPACT_ANYWAY_SLACK_BYTES
  }

  /**
   * What is in memory of every changed record goes out now; a change made while the disk works is the next
   * batch's. The ledger and the journal are written at once: the journal's lines carry the batch's spent-token
   * fingerprints ahead of its records, so neither write has to wait for the other.
   */
  async #appendChanges(generation: string): Promise<number> {
    const ids = [...this.#pending.records]
    const spent = this.#ledger.pending
    const ops: JournalOp[] = ids.length > 0 && spent.length > 0 ? [{ spent: [...spent] }] : []
    for (const id of ids) ops.push(this.#records.journalOp(id))
    const lines = ops.map((op) => encodeJournalLine(generation, op)).join('')
    this.#pending.records.clear()
    for (const id of ids) this.#pending.writing.add(id)
    try {
      // Both take what they write synchronously, before anything is awaited.
      const [ledger, journal] = await Promise.allSettled([this.#ledger.appendPendingAsync(), lines === '' ? Promise.resolve(0) : this.#journal.append(lines)])
      if (ledger.status === 'rejected') throw ledger.reason
      if (journal.status === 'rejected') throw journal.reason
      // A file of another generation was taken from disk while this was written: these lines would not be
      // replayed with it. The fallback writes everything, under a new generation, before anyone is answered.
      if (this.#disk.generation !== generation) throw new Error('the vault file changed generation while its journal was written')
      if (lines !== '') this.#counts.writes++
      this.#planCompaction()
      return ledger.value + journal.value
    } catch (error) {
      for (const id of ids) this.#pending.records.add(id)
      throw error
    } finally {
      for (const id of ids) this.#pending.writing.delete(id)
    }
  }

  /** The spent ledger, then (when dirty, or `always`) the whole file through the store, under a new generation. */
  #writeEverything(always = false): number {
    let fsyncs = this.#ledger.appendPending()
    if (!always && !this.#dirty) return fsyncs
    const file = this.#options.path
    this.#disk.store ??= openCheckedStore(this.#options)
    const generation = newJournalId()
    this.#disk.store.store = this.#records.encode(generation)
    try {
      // The store's atomic write fsyncs the file; the rename is durable once the directory is.
      fsyncDirectory(path.dirname(file))
    } catch (error) {
      // The new generation may not survive a power cut: nothing is appended to it; the next batch writes it all again.
      this.#rewriteWhole()
      throw error
    }
    fsyncs += 2
    this.#counts.writes++
    this.#counts.fullWrites++
    this.#disk.generation = generation
    this.#pending.rewrite = 'none'
    this.#pending.records.clear()
    this.#compaction.cancel()
    // A store created without configFileMode (or a file copied in by hand) must still end up private.
    ensurePrivate(file)
    this.#disk.stamp = fileStamp(file)
    // The file now holds every line of the old generation; a line that survives this is skipped at open.
    this.#journal.empty()
    return fsyncs
  }

  #fileBytes(): number {
    return this.#disk.stamp?.size ?? 0
  }

  /** A journal larger than the file is compacted once the vault has been quiet for a moment. */
  #planCompaction(): void {
    if (this.#journal.bytes <= this.#fileBytes() || this.#closed) return
    this.#compaction.set(COMPACT_WHEN_IDLE_MS, () => {
      if (this.#closed || this.#commit.pending) return
      this.#rewriteWhole()
      this.#commit.join().catch(() => undefined)
    })
  }

  // ── reloading after an external change ─────────────────────────────────────────────────────────────

  async #reloadBeforeWrite(): Promise<void> {
    // A journal someone else appended to is read before ours goes after it (or everything is rewritten).
    if (!sameStamp(fileStamp(this.#options.path), this.#disk.stamp) || this.#journal.change() === 'appended') {
      await this.#serial.run(() => this.#reloadInside())
    }
  }

  /**
   * The check before a change or a hand-out, made at most once per turn of the event loop: during a burst one
   * turn serves many refreshes, and a file changed by someone else is seen from the next turn on (as it would be
   * had it changed a moment after the check). Must run inside the serial queue.
   */
  async #checkForChanges(): Promise<void> {
    if (this.#checkedThisTurn) return
    await this.#reloadInside()
    this.#checkedThisTurn = true
    setImmediate(() => {
      this.#checkedThisTurn = false
    })
  }

  /** Must run inside the serial queue. */
  async #reloadInside(): Promise<boolean> {
    this.#ledger.reloadIfChanged()
    const stamp = fileStamp(this.#options.path)
    const journal = this.#journal.change()
    if (sameStamp(stamp, this.#disk.stamp)) {
      if (journal === 'none') return false
      if (journal === 'lost') {
        // Deleted or cut short behind our back: memory is the only copy of its lines, so write everything back.
        this.#rewriteWhole()
        this.writeSoon()
        return false
      }
    }
    const before = this.#records.snapshot()
    const decoded = stamp === null ? { movedAside: null } : await readChangedFile(this.#options)
    if ('movedAside' in decoded) {
      // Deleted behind our back, or something unreadable put in place (kept aside for a person to look at):
      // memory is the only copy left, so write it back.
      this.#rewriteFromMemory()
      this.#announce(before, [], decoded.movedAside)
      return true
    }
    const onDisk = recordsOnDisk(decoded.content, this.#disk.generation, { path: this.#journal.path, change: journal }, this.#ledger)
    if (onDisk === null) {
      // A copy of our own file, and its journal no longer tells what was made durable since: memory holds all of
      // it, so nothing is taken from the copy. Everything is written again, under a new generation.
      this.#disk.stamp = stamp
      this.#journal.adopt()
      this.#rewriteWhole()
      this.writeSoon()
      return false
    }
    const notDurable = new Set([...this.#pending.records, ...this.#pending.writing])
    const check = (library: StoredLibrary) => checkRecord(this.#options.cipher, library)
    const kept = await this.#records.merge(onDisk, notDurable, { holdsLiveToken: (library) => this.#holdsLiveToken(library), check, now: this.#options.now })
    this.#records.adoptHeader(decoded.content.cipher, this.#pending.rewrite === 'settings' ? null : decoded.content.settings)
    this.#disk.stamp = stamp
    this.#disk.generation = decoded.content.journalId
    this.#journal.adopt()
    this.#pending.records.clear()
    for (const id of kept) this.#pending.records.add(id)
    if (journal === 'lost') this.#rewriteWhole()
    if (this.#dirty) this.writeSoon()
    this.#announce(before, kept, null)
    return true
  }

  async #holdsLiveToken(library: StoredLibrary): Promise<boolean> {
    const token = await openSecret(this.#options.cipher, library, 'refreshToken').catch(() => null)
    return token !== null && !this.#ledger.has(token)
  }

  #rewriteFromMemory(): void {
    this.#disk.stamp = null
    this.#rewriteWhole()
    for (const id of this.#records.ids()) this.#pending.records.add(id)
    this.writeSoon()
  }

  #announce(before: RecordMaps, kept: readonly string[], movedAside: string | null): void {
    const callback = this.#options.onExternalChange
    if (!callback) return
    try {
      callback({ ...this.#records.changesSince(before), keptFromMemory: kept, movedAside })
    } catch {
      // A listener's failure must not undo a reload that already happened.
    }
  }
}
