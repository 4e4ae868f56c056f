// Copies kept beside the vault file. Nothing here deletes one: a damaged file is moved aside, not removed, and a
// backup is only replaced by a newer copy of a file that opened cleanly. How long each is kept, and how a removed
// library is taken out of them, is retention.ts's and copies.ts's.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { BackupInfo } from './errors.ts'
import { replaceFileDurably } from './durable-async.ts'
import { asideName, fsyncDirectory, readFileOrNull, sameStamp, writeFileAtomic, type FileStamp } from './durable-fs.ts'

export function lastGoodBackupPath(vaultPath: string): string {
  return `${vaultPath}.bak`
}

export function describeBackup(vaultPath: string): BackupInfo | null {
  const backup = lastGoodBackupPath(vaultPath)
  const stat = fs.statSync(backup, { throwIfNoEntry: false })
  return stat?.isFile() ? { path: backup, savedAt: stat.mtimeMs } : null
}

/**
 * After a clean open, off the open's path (libuv's pool): the file that opened becomes the last good copy (skipped when
 * identical). `opened` is its bytes as the open read and checked them, when the open wrote nothing; otherwise the file
 * is read again, and only if it is still the one the open wrote (`written`: its stamp then).
 */
export async function saveLastGoodBackup(vaultPath: string, opened: Buffer | null, written: FileStamp | null): Promise<void> {
  const current = opened ?? (await readIfStill(vaultPath, written))
  if (current === null) return
  const backup = lastGoodBackupPath(vaultPath)
  const previous = await fs.promises.stat(backup).catch(() => null)
  // Sizes first: a backup of another size need not be read to tell it differs.
  if (previous?.isFile() && previous.size === current.length && (await fs.promises.readFile(backup)).equals(current)) return
  await replaceFileDurably(backup, `${backup}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`, current)
}

async function readIfStill(file: string, stamp: FileStamp | null): Promise<Buffer | null> {
  if (stamp === null) return null
  const handle = await fs.promises.open(file, 'r')
  try {
    const stat = await handle.stat()
    if (!sameStamp({ size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino }, stamp)) return null
    return await handle.readFile()
  } finally {
    await handle.close()
  }
}

/** The file as it was before a migration, as `<vault>.v<N>.bak` (never overwriting a different one). */
export function saveVersionBackup(vaultPath: string, raw: Uint8Array, version: number): string {
  let target = `${vaultPath}.v${version}.bak`
  const existing = readFileOrNull(target)
  if (existing !== null && existing.equals(raw)) return target
  if (existing !== null) target = asideName(vaultPath, `v${version}`, Date.now()) + '.bak'
  writeFileAtomic(target, raw)
  return target
}

/** Moves the file at `vaultPath` aside as `<vault>.<label>-<time>`; returns the new name, or null if there was none. */
export function moveAside(vaultPath: string, label: string, at: number): string | null {
  if (!fs.existsSync(vaultPath)) return null
  const target = asideName(vaultPath, label, at)
  fs.renameSync(vaultPath, target)
  fsyncDirectory(path.dirname(vaultPath))
  return target
}
