// Copies kept beside the vault file. Nothing here deletes one: a damaged file is moved aside, not removed, and a
// backup is only replaced by a newer copy of a file that opened cleanly. How long each is kept, and how a removed
// library is taken out of them, is retention.ts's and copies.ts's.
import fs from 'node:fs'
import path from 'node:path'
import type { BackupInfo } from './errors.ts'
import { asideName, fsyncDirectory, readFileOrNull, writeFileAtomic } from './durable-fs.ts'

export function lastGoodBackupPath(vaultPath: string): string {
  return `${vaultPath}.bak`
}

export function describeBackup(vaultPath: string): BackupInfo | null {
  const backup = lastGoodBackupPath(vaultPath)
  const stat = fs.statSync(backup, { throwIfNoEntry: false })
  return stat?.isFile() ? { path: backup, savedAt: stat.mtimeMs } : null
}

/** Called after a clean open: the file as it is now becomes the last good copy (skipped when identical). */
export function saveLastGoodBackup(vaultPath: string): void {
  const current = fs.readFileSync(vaultPath)
  const backup = lastGoodBackupPath(vaultPath)
  const previous = readFileOrNull(backup)
  if (previous !== null && previous.equals(current)) return
  writeFileAtomic(backup, current)
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
