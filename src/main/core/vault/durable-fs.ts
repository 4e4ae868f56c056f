// The few file operations the vault needs to be crash-safe: atomic replace with fsync, durable append, and a
// cheap fingerprint of a file to notice when someone else changed it.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

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
 * Appends and fsyncs off the event loop (the writes and the fdatasync run on libuv's pool). The file is created
 * private. Returns whether it had to be created, and its size and inode once the data is durable.
 */
export async function appendDurableAsync(file: string, data: string): Promise<{ readonly created: boolean; readonly size: number; readonly ino: number }> {
  const existed = fs.existsSync(file)
  const handle = await fs.promises.open(file, 'a', PRIVATE_FILE_MODE)
  let stat: fs.Stats
  try {
    await handle.writeFile(data)
    // The data and the size that makes it readable; the inode's times need not be durable.
    await handle.datasync()
    stat = await handle.stat()
  } finally {
    await handle.close()
  }
  if (!existed) fsyncDirectory(path.dirname(file))
  return { created: !existed, size: stat.size, ino: stat.ino }
}

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
