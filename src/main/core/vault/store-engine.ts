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
//                          of them, go to the journal under [disk.generation] in one write. The spent ledger's file
//                          catches up from memory in a batch with nothing else to write (planned once the vault is
//                          quiet), alongside one when far behind, and before any whole-file write drops the lines.
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
//   background with a store that declares its format, a whole-file write due while the file and its journal hold
//             memory [disk.holdsMemory] is folded from them on a worker thread [background]: a batch appends what is
//             pending and starts it, batches go on appending meanwhile, and the batch after the worker answered puts
//             the new file in place (background-compaction.ts: why a crash at any point loses nothing). A file taken
//             from disk, or a journal found cut, clears [disk.holdsMemory] until the store writes memory whole.
//   Who needs the whole file written (settings, a removal, close, flush) waits for the write that holds it [whole].
// The reload is store-reload.ts's, the whole-file writes whole-file-writes.ts's; both share this state (store-state.ts).
import { Alarm, RetryBackoff } from './alarms.ts'
import { BackgroundCompaction, WholeFileWaits } from './background-compaction.ts'
import { ensurePrivate, fileStamp, sameStamp } from './durable-fs.ts'
import { VaultClosedError, VaultWriteError } from './errors.ts'
import { GroupCommit } from './group-commit.ts'
import { encodeJournalLines, journalPath, JournalWriter, type JournalOp } from './journal.ts'
import { SerialQueue } from './serial-queue.ts'
import type { SpentLedger } from './spent-ledger.ts'
import { reloadIfChanged } from './store-reload.ts'
import type { DiskState, EngineParts, PendingWrites, WriteCounts } from './store-state.ts'
import type { CheckedOptions } from './vault-load.ts'
import type { VaultRecords } from './vault-records.ts'
import type { VaultStats } from './vault-types.ts'
import { finishInBackground, howToWrite, startInBackground, writeThroughStore } from './whole-file-writes.ts'

/** Once the journal is larger than the file, the next quiet moment of this length compacts it. */
const COMPACT_WHEN_IDLE_MS = 1_000
/** A journal this much larger than the file is compacted at the next batch, quiet or not (bounds replay at open). */
const COMPACT_ANYWAY_RATIO = 8
const COMPACT_ANYWAY_SLACK_BYTES = 4 * 1024 * 1024
/** The spent ledger's file catches up from the journal after this much quiet (spent-ledger.ts). */
const LEDGER_CATCH_UP_WHEN_IDLE_MS = 1_000

export class DurableStore {
  readonly #options: CheckedOptions
  readonly #ledger: SpentLedger
  readonly #records: VaultRecords
  readonly #serial = new SerialQueue()
  readonly #commit: GroupCommit
  readonly #journal: JournalWriter
  readonly #pending: PendingWrites = { records: new Set<string>(), writing: new Set<string>(), rewrite: 'none' }
  readonly #disk: DiskState
  readonly #counts: WriteCounts = { writes: 0, fullWrites: 0, failedWrites: 0, backgroundWrites: 0 }
  readonly #background: BackgroundCompaction | null
  readonly #whole = new WholeFileWaits()
  readonly #compaction = new Alarm()
  readonly #ledgerCatchUp = new Alarm()
  readonly #retry = new RetryBackoff()
  /** What the helpers (store-reload.ts, whole-file-writes.ts) read and change of this engine. */
  readonly #parts: EngineParts
  #checkedThisTurn = false
  #closed = false
  /** Batches wait for this first (the backup saved after the open: the journal must continue it). */
  #writesAfter: Promise<void> = Promise.resolve()

  constructor(options: CheckedOptions, ledger: SpentLedger, records: VaultRecords, generation: string | null) {
    this.#options = options
    this.#ledger = ledger
    this.#records = records
    this.#disk = { store: null, stamp: null, generation, holdsMemory: true, placing: false }
    this.#journal = new JournalWriter(journalPath(options.path))
    this.#background = options.format === null ? null : new BackgroundCompaction(options.format, () => this.writeSoon())
    this.#commit = new GroupCommit({
      windowMs: options.commitWindowMs,
      prepare: () => this.#reloadBeforeWrite(),
      write: () => this.#writeBatch(),
      failure: (cause) => {
        const error = new VaultWriteError(options.path, cause)
        // Who waits for a whole-file write hears of a failed batch as its own batch's callers do (the retry still writes it).
        this.#whole.failed(this.#whole.requested, error)
        return error
      }
    })
    this.#parts = {
      options,
      ledger,
      journal: this.#journal,
      records,
      pending: this.#pending,
      disk: this.#disk,
      counts: this.#counts,
      whole: this.#whole,
      background: this.#background,
      compaction: this.#compaction,
      dirty: () => this.#dirty,
      rewriteWhole: () => this.#rewriteWhole(),
      writeSoon: () => this.writeSoon()
    }
  }

  assertOpen(): void {
    if (this.#closed) throw new VaultClosedError()
  }

  /**
   * Runs `prepare` in order with every other change, after the check for a file changed behind the vault's back.
   * It validates against the current records and may await (encryption), then returns the synchronous step that
   * applies the change and names what changed. Resolves once that is durable (a whole-file write it asked for too).
   */
  async change(prepare: () => Promise<() => void>): Promise<void> {
    let wholeWanted = 0
    await this.#serial.run(async () => {
      await this.#checkForChanges()
      const apply = await prepare()
      const before = this.#whole.requested
      apply()
      if (this.#whole.requested !== before) wholeWanted = this.#whole.requested
    })
    await this.#commit.join()
    if (wholeWanted > 0) await this.#whole.until(wholeWanted)
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
    this.#whole.request()
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
    return this.#serial.run(() => reloadIfChanged(this.#parts))
  }

  async flush(): Promise<void> {
    await this.#serial.idle()
    if (this.#dirty || this.#ledger.hasPending || this.#ledger.behind || this.#commit.pending) await this.#commit.joinNow()
    await this.#whole.until(this.#whole.requested)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#retry.cancel()
    this.#compaction.cancel()
    this.#ledgerCatchUp.cancel()
    await this.#writesAfter
    await this.#serial.idle()
    // Leave one file behind, so the next open need not replay anything.
    if (this.#journal.bytes > 0) this.#rewriteWhole()
    try {
      if (this.#dirty || this.#ledger.hasPending || this.#ledger.behind || this.#commit.pending) await this.#commit.joinNow()
      await this.#whole.until(this.#whole.requested)
    } finally {
      this.#journal.close()
      this.#ledger.close()
      await this.#background?.close()
    }
  }

  /** No batch writes before `task` is done, nor does close return (it never fails either). */
  writeAfter(task: Promise<void>): void {
    this.#writesAfter = Promise.all([this.#writesAfter, task.catch(() => undefined)]).then(() => undefined)
  }

  /** Writes the whole content at once, outside any batch (new vault, migrated file, journal replayed). */
  writeNow(): void {
    writeThroughStore(this.#parts, true)
  }

  /** The file on disk is exactly what memory holds: remember its stamp. */
  adoptFile(): void {
    ensurePrivate(this.#options.path)
    this.#disk.stamp = fileStamp(this.#options.path)
  }

  stats(): VaultStats {
    const { fsyncs, maxWaitMs } = this.#commit.stats()
    const { writes, fullWrites, failedWrites, backgroundWrites } = this.#counts
    return { writes, fullWrites, journalBytes: this.#journal.bytes, failedWrites, fsyncs, maxWaitMs, backgroundWrites }
  }

  // ── writing ────────────────────────────────────────────────────────────────────────────────────────

  get #dirty(): boolean {
    return this.#pending.records.size > 0 || this.#pending.rewrite !== 'none'
  }

  #rewriteWhole(): void {
    if (this.#pending.rewrite === 'none') this.#pending.rewrite = 'whole'
    this.#whole.request()
  }

  /** A batch: spent fingerprints first, then the changed records appended to the journal (or the whole file). */
  async #writeBatch(): Promise<number> {
    try {
      await this.#writesAfter
      let fsyncs: number
      const generation = this.#disk.generation
      const how = howToWrite(this.#parts, this.#mustWriteEverything())
      if (how === 'finish background') {
        fsyncs = await finishInBackground(this.#parts, (current) => this.#appendChanges(current))
      } else if (how === 'everything' || generation === null) {
        fsyncs = writeThroughStore(this.#parts, false)
      } else {
        let appended = true
        try {
          fsyncs = await this.#appendChanges(generation)
        } catch {
          // The journal would not take it (and may now end in a torn line): write everything, which starts a new one.
          appended = false
          fsyncs = writeThroughStore(this.#parts, true)
        }
        if (appended && how === 'start background') startInBackground(this.#parts, generation)
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
    if ((this.#dirty || this.#ledger.hasPending || this.#ledger.behind) && !this.#closed) this.#commit.join().catch(() => undefined)
  }

  #mustWriteEverything(): boolean {
    if (!this.#dirty) return false
    if (this.#pending.rewrite !== 'none' || this.#disk.generation === null || this.#journal.change() !== 'none') return true
    return this.#journal.bytes > COMPACT_ANYWAY_RATIO * this.#fileBytes() + COMPACT_ANYWAY_SLACK_BYTES
  }

  /**
   * What is in memory of every changed record goes out now; a change made while the disk works is the next
   * batch's. One write: the journal's first line carries the spent-token fingerprints of the batch, ahead of its
   * records, so a new pair is never durable without the fingerprint of the token it replaced. The spent ledger's own
   * file catches up in a batch with nothing else to write (a quiet moment), or alongside when it is far behind.
   */
  async #appendChanges(generation: string): Promise<number> {
    const ids = [...this.#pending.records]
    const spent = this.#ledger.takePending()
    const ops: JournalOp[] = spent.length > 0 ? [{ spent }] : []
    for (const id of ids) ops.push(this.#records.journalOp(id))
    const lines = ops.length === 0 ? null : encodeJournalLines(generation, ops)
    this.#pending.records.clear()
    for (const id of ids) this.#pending.writing.add(id)
    const catchUp = lines === null || this.#ledger.catchUpDue(performance.now())
    try {
      // Both take what they write synchronously, before anything is awaited.
      const [journal, ledger] = await Promise.allSettled([lines === null ? Promise.resolve(0) : this.#journal.append(lines), catchUp ? this.#ledger.appendPendingAsync() : Promise.resolve(0)])
      if (journal.status === 'rejected') throw journal.reason
      // A file of another generation was taken from disk while this was written: these lines would not be
      // replayed with it. The fallback writes everything, under a new generation, before anyone is answered.
      if (this.#disk.generation !== generation) throw new Error('the vault file changed generation while its journal was written')
      this.#ledger.journaled(spent, performance.now())
      // The ledger's catch-up is not this batch's promise (the journal holds its fingerprints): a failed one is tried again.
      if (ledger.status === 'rejected' && lines === null) throw ledger.reason
      if (lines !== null) this.#counts.writes++
      this.#background?.recordTail(ops)
      this.#planCompaction()
      this.#planLedgerCatchUp()
      return journal.value + (ledger.status === 'fulfilled' ? ledger.value : 0)
    } catch (error) {
      this.#ledger.unwritten(spent)
      for (const id of ids) this.#pending.records.add(id)
      throw error
    } finally {
      for (const id of ids) this.#pending.writing.delete(id)
    }
  }

  #fileBytes(): number {
    return this.#disk.stamp?.size ?? 0
  }

  /** The spent ledger's file catches up once the vault has been quiet for a moment (a batch with nothing else to write). */
  #planLedgerCatchUp(): void {
    if (!this.#ledger.behind || this.#closed) return
    this.#ledgerCatchUp.set(LEDGER_CATCH_UP_WHEN_IDLE_MS, () => {
      if (!this.#closed && this.#ledger.behind) this.writeSoon()
    })
  }

  /** A journal larger than the file is compacted once the vault has been quiet for a moment (and no fold is under way). */
  #planCompaction(): void {
    if (this.#journal.bytes <= this.#fileBytes() || this.#closed || this.#background?.busy) return
    this.#compaction.set(COMPACT_WHEN_IDLE_MS, () => {
      if (this.#closed || this.#commit.pending || this.#background?.busy) return
      this.#rewriteWhole()
      this.#commit.join().catch(() => undefined)
    })
  }

  // ── reloading after an external change (store-reload.ts) ───────────────────────────────────────────

  async #reloadBeforeWrite(): Promise<void> {
    // A journal someone else appended to is read before ours goes after it (or everything is rewritten).
    if (!sameStamp(fileStamp(this.#options.path), this.#disk.stamp) || this.#journal.change() === 'appended') {
      await this.#serial.run(() => reloadIfChanged(this.#parts))
    }
  }

  /**
   * The check before a change or a hand-out, made at most once per turn of the event loop: during a burst one
   * turn serves many refreshes, and a file changed by someone else is seen from the next turn on (as it would be
   * had it changed a moment after the check). Must run inside the serial queue.
   */
  async #checkForChanges(): Promise<void> {
    if (this.#checkedThisTurn) return
    await reloadIfChanged(this.#parts)
    this.#checkedThisTurn = true
    setImmediate(() => {
      this.#checkedThisTurn = false
    })
  }
}
