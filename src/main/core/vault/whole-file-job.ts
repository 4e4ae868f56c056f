// A compaction's heavy part, made off the main thread (background-worker.ts runs it): the vault file as it is on disk,
// continued by its journal's lines up to where the compaction began, is the vault's durable state; it is written out
// again as the store would write it (the store's declared format: WholeFileFormat), naming the new journal generation,
// to a temporary file beside the vault, fsynced. Nothing is renamed here: the store engine does that in a batch of
// its own, once the lines appended meanwhile are in the journal under the new generation too (background-compaction.ts).
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { threadId } from 'node:worker_threads'
import type { FileStamp } from './durable-fs.ts'
import { decodeFile, encodeFile, FileProblem, type StoredCipherHeader } from './file-format.ts'
import { continueRecords, readJournal } from './journal.ts'
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.ts'
import type { VaultSettings } from './settings.ts'
import type { WholeFileFormat } from './vault-types.ts'

/** conf keeps its own bookkeeping under this key and carries it into every whole-store write (file-format.ts). */
const STORE_INTERNAL_KEY = '__internal__'

export interface FoldJob {
  /** The vault file, as the vault names it. */
  readonly vaultPath: string
  /** The file as the vault last wrote or read it: anything else there is refused (the vault reloads it instead). */
  readonly stamp: FileStamp
  /** The journal generation the file names. */
  readonly generation: string
  /** The journal, and how many of its bytes were durable when the compaction began (the lines folded in). */
  readonly journal: { readonly path: string; readonly bytes: number }
  /** The generation the new file names. */
  readonly next: string
  /** Memory's settings and cipher header (neither is journaled: a settings change is itself written whole). */
  readonly settings: VaultSettings
  readonly cipher: StoredCipherHeader
  readonly format: Pick<WholeFileFormat, 'indent' | 'mode'>
}

export interface FoldResult {
  /** The new file, complete and fsynced, not yet renamed over `target`. */
  readonly temporary: string
  /** Where it goes: the vault file, or what a link at its path points to (as conf's atomic write follows it). */
  readonly target: string
  readonly bytes: number
  /** Records in it, for the engine to compare with memory as it was when the compaction began. */
  readonly libraries: number
  readonly entries: number
  readonly keys: number
  /** The thread that serialised and wrote it (0 is the main thread). */
  readonly threadId: number
}

export interface FoldRequest {
  readonly id: number
  readonly job: FoldJob
}

export type FoldAnswer =
  | { readonly id: number; readonly ok: true; readonly result: FoldResult }
  /** Larder's own words only: an error from deeper down could quote the file, which holds sealed values. */
  | { readonly id: number; readonly ok: false; readonly reason: string }

/** What the worker thread answers a request with (background-worker.ts, and the tests' stand-ins for it). */
export function answerFold(request: FoldRequest): FoldAnswer {
  try {
    return { id: request.id, ok: true, result: foldToTemporary(request.job) }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code
    const reason = error instanceof FileProblem ? error.message : code ? `a file operation failed (${code})` : 'the compaction failed'
    return { id: request.id, ok: false, reason }
  }
}

export function foldToTemporary(job: FoldJob): FoldResult {
  const raw = readIfUnchanged(job.vaultPath, job.stamp)
  const decoded = decodeFile(job.vaultPath, raw, MIGRATIONS)
  if (decoded.fileVersion !== SCHEMA_VERSION || decoded.content.journalId !== job.generation) {
    throw new FileProblem('wrong_shape', 'the vault file is not the one this compaction began from')
  }
  const ops = readJournal(job.journal.path, job.generation, job.journal.bytes)
  const { libraries, entries, keys } = continueRecords(decoded.content, ops)
  const value = encodeFile({ cipher: job.cipher, libraries, entries, keys, settings: job.settings, journalId: job.next })
  const internal = storeBookkeeping(raw)
  if (internal !== undefined) value[STORE_INTERNAL_KEY] = internal
  const text = job.format.indent === '' ? JSON.stringify(value) : JSON.stringify(value, undefined, job.format.indent)
  const target = writeTarget(job.vaultPath)
  const temporary = temporaryName(target)
  const bytes = writeDurably(temporary, text, job.format.mode)
  return { temporary, target, bytes, libraries: libraries.size, entries: entries.size, keys: keys.size, threadId }
}

/** conf's atomic write names its temporary file so; recoverUnrenamedWrites looks for exactly these. */
export function temporaryName(target: string): string {
  return `${target}.tmp-${Date.now().toString().slice(-10)}${randomBytes(3).toString('hex')}`
}

/** The file's bytes, refused when it is not the file the vault knows (replaced, edited, or being written). */
function readIfUnchanged(file: string, stamp: FileStamp): Buffer {
  const fd = fs.openSync(file, 'r')
  try {
    const stat = fs.fstatSync(fd)
    if (stat.size !== stamp.size || stat.mtimeMs !== stamp.mtimeMs || stat.ctimeMs !== stamp.ctimeMs || stat.ino !== stamp.ino) {
      throw new FileProblem('unreadable', 'the vault file changed since the compaction began')
    }
    const raw = Buffer.allocUnsafe(stat.size)
    let read = 0
    while (read < raw.length) {
      const got = fs.readSync(fd, raw, read, raw.length - read, read)
      if (got === 0) throw new FileProblem('unreadable', 'the vault file was cut short while it was read')
      read += got
    }
    return raw
  } finally {
    fs.closeSync(fd)
  }
}

/** conf's bookkeeping, when the file holds some (Larder never makes it; conf would carry it along). */
function storeBookkeeping(raw: Buffer): unknown {
  if (raw.indexOf(`"${STORE_INTERNAL_KEY}"`) < 0) return undefined
  const top = JSON.parse(raw.toString('utf8').replace(/^\uFEFF/, '')) as Record<string, unknown>
  return Object.hasOwn(top, STORE_INTERNAL_KEY) ? top[STORE_INTERNAL_KEY] : undefined
}

function writeTarget(file: string): string {
  return fs.lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() ? fs.realpathSync(file) : file
}

function writeDurably(file: string, text: string, mode: number): number {
  const data = Buffer.from(text, 'utf8')
  const fd = fs.openSync(file, 'wx', mode)
  try {
    // As conf's atomic write: the mode asked for, whatever the umask.
    if (process.platform !== 'win32') fs.fchmodSync(fd, mode)
    let written = 0
    while (written < data.length) written += fs.writeSync(fd, data, written, data.length - written)
    fs.fsyncSync(fd)
  } catch (error) {
    fs.closeSync(fd)
    fs.rmSync(file, { force: true })
    throw error
  }
  fs.closeSync(fd)
  return data.length
}

/** Removes a temporary file a compaction left and will not use (best effort: a leftover is removed at the next open). */
export function discardTemporary(file: string): void {
  try {
    fs.rmSync(file, { force: true })
  } catch {
    // Left for recoverUnrenamedWrites to look at and remove.
  }
}
