// The few file operations the vault needs to be crash-safe: atomic replace with fsync, durable append, and a
// cheap fingerprint of a file to notice when someone else changed it.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fsyncDirectoryAsync } from './durable-async.ts'

export const PRIVATE_FILE_MODE = 0o600

/** Enough of a file's identity to notice a replacement (new inode), an edit (size, times) or a restore. */
export interface FileStamp {
  readonly size: number
  readonly mtimeMs: number
  readonly ctimeMs: number
  readonly ino: number
}

export function fileStamp(file: string): FileStamp | null {
  const stat = fs.statSync(file, { throwIfNoEntry: false })
  return stat ? { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino } : null
}

export function sameStamp(a: FileStamp | null, b: FileStamp | null): boolean {
  if (a === null || b === null) return a === b
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino
}

export function readFileOrNull(file: string): Buffer | null {
  try {
    return fs.readFileSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

/** Makes a rename or a newly created file in `dir` survive a power cut. */
export function fsyncDirectory(dir: string): void {
  let fd: number
  try {
    fd = fs.openSync(dir, 'r')
  } catch (error) {
    // Windows cannot open a directory; NTFS journals the rename itself.
    if (process.platform === 'win32') return
    throw error
  }
  try {
    fs.fsyncSync(fd)
  } catch (error) {
    if (process.platform !== 'win32') throw error
  } finally {
    fs.closeSync(fd)
  }
}

/** Writes a private file through a temporary file, fsync and rename, so readers see old or new, never half. */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const temporary = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  const fd = fs.openSync(temporary, 'wx', PRIVATE_FILE_MODE)
  try {
    fs.writeFileSync(fd, data)
    fs.fsyncSync(fd)
  } catch (error) {
    fs.closeSync(fd)
    fs.rmSync(temporary, { force: true })
    throw error
  }
  fs.closeSync(fd)
  try {
    fs.renameSync(temporary, file)
  } catch (error) {
    fs.rmSync(temporary, { force: true })
    throw error
  }
  fsyncDirectory(path.dirname(file))
}

/** Appends and fsyncs; creates the file private. Returns whether the file had to be created. */
export function appendDurable(file: string, data: string): boolean {
  const existed = fs.existsSync(file)
  const fd = fs.openSync(file, 'a', PRIVATE_FILE_MODE)
  try {
    fs.writeFileSync(fd, data)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  if (!existed) fsyncDirectory(path.dirname(file))
  return !existed
}

/**
 * A file appended to durably, its descriptor kept open between appends and opened with O_DSYNC where the platform
 * has it, so an append is one write on libuv's pool instead of open, write, fsync and close. Before each append
 * the path is checked to still be the file the descriptor holds: a file deleted or replaced behind our back is
 * opened anew, never written to in its unlinked old place.
 */
export class DurableAppender {
  readonly path: string
  /** A plain descriptor, not a FileHandle: it can be closed synchronously, before the file is removed. */
  #fd: number | null = null
  #ino = -1
  #writing = false
  #closeWhenWritten = false

  constructor(file: string) {
    this.path = file
  }

  /**
   * Appends and makes it durable. Returns whether the file had to be created, and its inode and size after.
   * `seen`: the file's stat taken a moment ago in this same turn (undefined: it was not there), instead of another.
   */
  async append(
    data: string | Uint8Array,
    seen?: { readonly stat: fs.Stats | undefined }
  ): Promise<{ readonly created: boolean; readonly ino: number; readonly size: number }> {
    if (this.#writing) throw new Error(`an append to ${this.path} is already in progress`)
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    let stat = seen === undefined ? fs.statSync(this.path, { throwIfNoEntry: false }) : seen.stat
    const created = stat === undefined
    if (this.#fd === null || stat?.ino !== this.#ino) {
      this.closeNow()
      const fd = fs.openSync(this.path, APPEND_FLAGS, PRIVATE_FILE_MODE)
      try {
        stat = fs.fstatSync(fd)
      } catch (error) {
        fs.closeSync(fd)
        throw error
      }
      this.#fd = fd
      this.#ino = stat.ino
    }
    const fd = this.#fd
    const sizeBefore = stat?.size ?? 0
    this.#writing = true
    // A new file's name is made durable in its folder on libuv's pool too (a synchronous fsync would hold the main
    // thread for the disk's whole latency); the append is durable once both are done.
    const named = created ? fsyncDirectoryAsync(path.dirname(this.path)) : Promise.resolve()
    try {
      // Both settle before anything else happens to the descriptor (a write still in flight must not see it closed).
      const [write, name] = await Promise.allSettled([writeInPool(fd, bytes), named])
      if (write.status === 'rejected') throw write.reason
      if (name.status === 'rejected') throw name.reason
      const written = write.value
      if (written !== bytes.length) throw new Error(`only ${written} of ${bytes.length} bytes reached ${this.path}`)
      // Without O_DSYNC (Windows), the data and the size that makes it readable are flushed here.
      if (fs.constants.O_DSYNC === undefined) await new Promise<void>((resolve, reject) => fs.fdatasync(fd, (error) => (error ? reject(error) : resolve())))
    } catch (error) {
      this.closeNow()
      throw error
    } finally {
      this.#writing = false
      if (this.#closeWhenWritten) this.closeNow()
    }
    return { created, ino: this.#ino, size: sizeBefore + bytes.length }
  }

  /** Lets go of the descriptor (before the file is removed: Windows cannot remove an open file everywhere). */
  closeNow(): void {
    // A descriptor closed under a write in flight could be reused by another open and take its bytes.
    if (this.#writing) {
      this.#closeWhenWritten = true
      return
    }
    this.#closeWhenWritten = false
    const fd = this.#fd
    this.#fd = null
    this.#ino = -1
    if (fd === null) return
    try {
      fs.closeSync(fd)
    } catch {
      // Closing can only fail for a descriptor that is already gone.
    }
  }
}

function writeInPool(fd: number, bytes: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => fs.write(fd, bytes, 0, bytes.length, null, (error, written) => (error ? reject(error) : resolve(written))))
}

const APPEND_FLAGS = fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | (fs.constants.O_DSYNC ?? 0)

/** Tightens a file that exists with looser permissions (copied in by hand, restored from elsewhere). */
export function ensurePrivate(file: string): void {
  const stat = fs.statSync(file, { throwIfNoEntry: false })
  if (stat && process.platform !== 'win32' && (stat.mode & 0o077) !== 0) fs.chmodSync(file, PRIVATE_FILE_MODE)
}

/** A name for a file moved aside, unique even if two are made in the same millisecond. */
export function asideName(file: string, label: string, at: number): string {
  const stamp = new Date(at).toISOString().replace(/[:.]/g, '-')
  let candidate = `${file}.${label}-${stamp}`
  for (let n = 1; fs.existsSync(candidate); n++) candidate = `${file}.${label}-${stamp}-${n}`
  return candidate
}
