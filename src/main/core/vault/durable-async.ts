// Durable file operations on libuv's pool, for the vault's work that must not hold the main thread: putting a
// compaction's file in place (background-compaction.ts) and the last good backup saved after a clean open (backups.ts).
// The synchronous ones the journal and the store path use are durable-fs.ts's; these do the same steps.
import fs from 'node:fs'
import path from 'node:path'
import { PRIVATE_FILE_MODE } from './durable-fs.ts'

/** Makes a rename or a newly created file in `dir` survive a power cut (Windows cannot open a directory: NTFS journals it). */
export async function fsyncDirectoryAsync(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle
  try {
    handle = await fs.promises.open(dir, 'r')
  } catch (error) {
    if (process.platform === 'win32') return
    throw error
  }
  try {
    await handle.sync()
  } catch (error) {
    if (process.platform !== 'win32') throw error
  } finally {
    await handle.close()
  }
}

/** Writes a new private file and fsyncs it (it must not exist yet); removed again when that fails. */
export async function writeNewFileDurably(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.promises.open(file, 'wx', PRIVATE_FILE_MODE)
  try {
    await handle.writeFile(data)
    await handle.sync()
  } catch (error) {
    await handle.close()
    await fs.promises.rm(file, { force: true })
    throw error
  }
  await handle.close()
}

/** Replaces `file` through `temporary` (fsync, rename, fsync of the directory): readers see old or new, never half. */
export async function replaceFileDurably(file: string, temporary: string, data: string | Uint8Array): Promise<void> {
  await writeNewFileDurably(temporary, data)
  try {
    await fs.promises.rename(temporary, file)
  } catch (error) {
    await fs.promises.rm(temporary, { force: true })
    throw error
  }
  await fsyncDirectoryAsync(path.dirname(file))
}
