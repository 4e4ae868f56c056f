// Compaction off the main thread, for a store that declares how it writes (WholeFileFormat). The file plus its journal
// is the vault's durable state, so a worker thread can fold them into the new file without anything from memory
// (whole-file-job.ts) while the vault goes on appending. The protocol, so that a crash at any point leaves a vault
// that opens with everything that was durable:
//   start   (a batch) everything pending is appended to the journal, under the file's generation G; the journal's
//           size L then marks what the fold takes in. The worker writes file + journal[0, L) as generation N to a
//           temporary file, fsynced. A crash now: the file (G) and its journal are untouched.
//   during  every batch appends its lines under G as usual, and keeps a copy of them under N (the tail).
//   finish  (the batch after the worker answered) pending changes are appended under G as usual, then the tail
//           under N: the journal now continues both the old file (G lines) and the new one (N lines). The temporary
//           file is renamed over the vault and the directory fsynced: the file names N. Then the journal is replaced
//           by the tail alone (or removed when it is empty). A crash before the rename opens G with its lines; after,
//           N with its lines; the other generation's lines are salvaged as usual (nothing there is newer).
// A fold is given up (its temporary file removed) when the file or the journal changed behind the vault's back, the
// records it holds are not as many as memory held when it began, or a whole-file write through the store came first.
import fs from 'node:fs'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { FoldAnswer, FoldRequest } from './whole-file-job.ts'
import { encodeJournalLine, type JournalOp } from './journal.ts'
import { Alarm } from './alarms.ts'
import { fsyncDirectoryAsync, writeNewFileDurably } from './durable-async.ts'
import { discardTemporary, temporaryName, type FoldJob, type FoldResult } from './whole-file-job.ts'
import type { WholeFileFormat } from './vault-types.ts'

/** What memory held when the fold began, to compare with what the fold wrote. */
export interface FoldExpectation {
  /** The whole-file requests the fold answers (WholeFileWaits). */
  readonly epoch: number
  readonly libraries: number
  readonly entries: number
  readonly keys: number
}

interface Fold {
  readonly id: number
  readonly next: string
  readonly expected: FoldExpectation
  /** Lines appended since the fold began, under the new generation. */
  readonly tail: string[]
  answer: FoldAnswer | null
  abandoned: boolean
}

/** What the engine lends the finishing step: its journal, and the moment the file names the new generation. */
export interface FinishTarget {
  readonly vaultPath: string
  readonly journal: { readonly path: string; append(lines: string): Promise<number>; empty(): void; adopt(): void }
  /**
   * The new file is in place (renamed, not yet fsynced in its directory): the engine takes its stamp at once. The
   * engine does not look for changes behind its back until `finish` returns (DiskState.placing).
   */
  renamed(generation: string): void
}

/** A worker idle this long is let go (its heap with it); the next compaction starts one again. */
const WORKER_IDLE_MS = 30_000

export class BackgroundCompaction {
  readonly #format: WholeFileFormat
  readonly #onAnswer: () => void
  readonly #idle = new Alarm()
  #worker: Worker | null = null
  /** Set once the worker could not be started or died: compactions go through the store from then on. */
  #broken = false
  #fold: Fold | null = null
  #nextId = 1

  /** `onAnswer` is told when the worker has answered, so the engine runs the batch that finishes the fold. */
  constructor(format: WholeFileFormat, onAnswer: () => void) {
    this.#format = format
    this.#onAnswer = onAnswer
  }

  get usable(): boolean {
    return !this.#broken
  }

  /** A fold is under way or waits to be finished. */
  get busy(): boolean {
    return this.#fold !== null
  }

  /** The worker answered: the next batch finishes the fold (or writes through the store if it failed). */
  get answered(): boolean {
    return this.#fold?.answer !== null && this.#fold?.answer !== undefined
  }

  start(job: Omit<FoldJob, 'format'>, expected: FoldExpectation): void {
    const fold: Fold = { id: this.#nextId++, next: job.next, expected, tail: [], answer: null, abandoned: false }
    this.#fold = fold
    const request: FoldRequest = { id: fold.id, job: { ...job, format: { indent: this.#format.indent, mode: this.#format.mode } } }
    this.#idle.cancel()
    try {
      const worker = this.#spawn()
      worker.ref()
      worker.postMessage(request)
    } catch {
      this.#answered({ id: fold.id, ok: false, reason: 'the worker thread could not be started' })
    }
  }

  /** Lines a batch appended while a fold is under way, kept under the new generation. */
  recordTail(ops: readonly JournalOp[]): void {
    const fold = this.#fold
    if (fold === null || fold.abandoned) return
    for (const op of ops) fold.tail.push(encodeJournalLine(fold.next, op))
  }

  /** The file is being written another way (or changed behind the vault's back): this fold's file is not used. */
  abandon(): void {
    const fold = this.#fold
    if (fold === null) return
    fold.abandoned = true
    this.#fold = null
    if (fold.answer?.ok) discardTemporary(fold.answer.result.temporary)
  }

  /**
   * The finishing step, in a batch after the worker answered: null when the fold failed or does not match (then the
   * engine writes through the store), otherwise the fsyncs made. `counts` is memory's records now: with the pending
   * changes appended just before this, memory equals what the fold wrote plus its tail.
   */
  async finish(target: FinishTarget): Promise<{ readonly generation: string; readonly epoch: number; readonly fsyncs: number } | null> {
    const fold = this.#fold
    if (fold === null || fold.answer === null) return null
    const answer = fold.answer
    if (!answer.ok || !matches(answer.result, fold.expected)) {
      this.abandon()
      return null
    }
    const { temporary, target: file } = answer.result
    let fsyncs = 1 // the worker's, of the new file
    const tail = fold.tail.join('')
    try {
      if (tail !== '') fsyncs += await target.journal.append(tail)
      // On libuv's pool: replacing a large file frees its blocks, which can take the kernel a while.
      await fs.promises.rename(temporary, file)
    } catch (error) {
      this.abandon()
      throw error
    }
    this.#fold = null
    target.renamed(fold.next)
    await fsyncDirectoryAsync(path.dirname(file))
    fsyncs++
    if (tail === '') {
      target.journal.empty()
    } else {
      // The journal keeps only the new generation's lines: replaced whole, so it never lacks them. Its temporary file
      // is named as the vault's are, so one a crash leaves is looked at and removed at the next open (it does not read
      // as a vault file, so nothing is taken from it).
      const replacement = temporaryName(target.vaultPath)
      try {
        await writeNewFileDurably(replacement, tail)
        await fs.promises.rename(replacement, target.journal.path)
      } catch (error) {
        discardTemporary(replacement)
        throw error
      } finally {
        target.journal.adopt()
      }
      await fsyncDirectoryAsync(path.dirname(target.journal.path))
      fsyncs += 2
    }
    return { generation: fold.next, epoch: fold.expected.epoch, fsyncs }
  }

  /** Gives up a fold under way (the engine waits for the ones it needs before it closes) and lets the worker go. */
  async close(): Promise<void> {
    this.#idle.cancel()
    this.abandon()
    await this.#letGo()
  }

  async #letGo(): Promise<void> {
    const worker = this.#worker
    this.#worker = null
    if (worker !== null) await worker.terminate().catch(() => undefined)
  }

  #spawn(): Worker {
    if (this.#worker !== null) return this.#worker
    const script = this.#format.worker ?? new URL('./background-worker.ts', import.meta.url)
    const worker = new Worker(script)
    worker.on('message', (answer: FoldAnswer) => this.#answered(answer))
    const fail = (): void => {
      this.#broken = true
      this.#worker = null
      const fold = this.#fold
      if (fold !== null && fold.answer === null) this.#answered({ id: fold.id, ok: false, reason: 'the worker thread stopped' })
    }
    worker.on('error', fail)
    worker.on('exit', () => {
      if (this.#worker === worker) fail()
    })
    worker.unref()
    this.#worker = worker
    return worker
  }

  #answered(answer: FoldAnswer): void {
    const fold = this.#fold
    // Nothing left for the worker to do: it may sleep, and go after a while.
    if (fold === null || fold.id === answer.id) {
      this.#worker?.unref()
      this.#idle.set(WORKER_IDLE_MS, () => void this.#letGo())
    }
    if (fold === null || fold.id !== answer.id || fold.abandoned) {
      // A fold given up meanwhile: its file is not used.
      if (answer.ok) discardTemporary(answer.result.temporary)
      return
    }
    fold.answer = answer
    this.#onAnswer()
  }
}

function matches(result: FoldResult, expected: FoldExpectation): boolean {
  return result.libraries === expected.libraries && result.entries === expected.entries && result.keys === expected.keys
}

interface WholeWaiter {
  readonly epoch: number
  resolve(): void
  reject(error: unknown): void
}

/** Changes that need the whole file written (settings, a removal, closing) wait for the whole-file write that holds them. */
export class WholeFileWaits {
  #requested = 0
  #written = 0
  #waiters: WholeWaiter[] = []

  /** A whole-file write is wanted; returns its number. */
  request(): number {
    return ++this.#requested
  }

  get requested(): number {
    return this.#requested
  }

  /** Resolves once a whole-file write taken at or after request `epoch` is durable; rejects if that write fails. */
  until(epoch: number): Promise<void> {
    if (epoch <= this.#written) return Promise.resolve()
    return new Promise((resolve, reject) => this.#waiters.push({ epoch, resolve, reject }))
  }

  written(epoch: number): void {
    this.#written = Math.max(this.#written, epoch)
    this.#settle((waiter) => waiter.epoch <= epoch, (waiter) => waiter.resolve())
  }

  failed(epoch: number, error: unknown): void {
    this.#settle((waiter) => waiter.epoch <= epoch, (waiter) => waiter.reject(error))
  }

  #settle(which: (waiter: WholeWaiter) => boolean, settle: (waiter: WholeWaiter) => void): void {
    const now = this.#waiters.filter(which)
    this.#waiters = this.#waiters.filter((waiter) => !which(waiter))
    for (const waiter of now) settle(waiter)
  }
}
