// The store engine's reload: the file differs from what this process last wrote or read, or the journal from what it
// left in it. The file is read, continued by its journal, merged into memory (a record that does not open for itself
// is kept as found and refused: quarantine.ts); the ids memory kept are written back with the next batch. A file gone,
// unreadable or older than the vault (moved aside) is rewritten from memory; a journal that lost lines makes the next
// batch write everything. Must run inside the engine's serial queue.
import { fileStamp, sameStamp } from './durable-fs.ts'
import type { StoredLibrary } from './file-format.ts'
import { recordsOnDisk } from './journal.ts'
import { checkKey } from './key-sealing.ts'
import { checkRecord } from './quarantine.ts'
import { openSecret } from './sealing.ts'
import type { EngineParts } from './store-state.ts'
import { readChangedFile } from './vault-load.ts'
import type { RecordMaps } from './vault-records.ts'

/** Resolves to whether the file was read again. */
export async function reloadIfChanged(parts: EngineParts): Promise<boolean> {
  const { options, journal: writer, disk, pending, records } = parts
  // The engine's own compaction is being put in place: nothing there is anyone else's doing (checked again after).
  if (disk.placing) return false
  parts.ledger.reloadIfChanged()
  const stamp = fileStamp(options.path)
  const journal = writer.change()
  if (sameStamp(stamp, disk.stamp)) {
    if (journal === 'none') return false
    if (journal === 'lost') {
      // Deleted or cut short behind our back: memory is the only copy of its lines, so write everything back.
      diskDiffers(parts)
      parts.rewriteWhole()
      parts.writeSoon()
      return false
    }
  }
  diskDiffers(parts)
  const before = records.snapshot()
  const decoded = stamp === null ? { movedAside: null } : await readChangedFile(options)
  if ('movedAside' in decoded) {
    // Deleted behind our back, or something unreadable put in place (kept aside for a person to look at):
    // memory is the only copy left, so write it back.
    disk.stamp = null
    parts.rewriteWhole()
    for (const id of records.ids()) pending.records.add(id)
    parts.writeSoon()
    announce(parts, before, [], decoded.movedAside)
    return true
  }
  const onDisk = recordsOnDisk(decoded.content, disk.generation, { path: writer.path, change: journal }, parts.ledger)
  if (onDisk === null) {
    // A copy of our own file, and its journal no longer tells what was made durable since: memory holds all of
    // it, so nothing is taken from the copy. Everything is written again, under a new generation.
    disk.stamp = stamp
    writer.adopt()
    parts.rewriteWhole()
    parts.writeSoon()
    return false
  }
  const notDurable = new Set([...pending.records, ...pending.writing])
  const holdsLiveToken = async (library: StoredLibrary): Promise<boolean> => {
    const token = await openSecret(options.cipher, library, 'refreshToken').catch(() => null)
    return token !== null && !parts.ledger.has(token)
  }
  const check = (library: StoredLibrary) => checkRecord(options.cipher, library)
  const kept = await records.merge(onDisk, notDurable, { holdsLiveToken, check, checkKey: (key) => checkKey(options.cipher, key), now: options.now })
  records.adoptHeader(decoded.content.cipher, pending.rewrite === 'settings' ? null : decoded.content.settings)
  disk.stamp = stamp
  disk.generation = decoded.content.journalId
  writer.adopt()
  pending.records.clear()
  for (const id of kept) pending.records.add(id)
  if (journal === 'lost') parts.rewriteWhole()
  if (parts.dirty()) parts.writeSoon()
  announce(parts, before, kept, null)
  return true
}

/** A fold under way took in what is no longer there, and until memory is written whole, disk is not memory. */
function diskDiffers(parts: EngineParts): void {
  parts.background?.abandon()
  parts.disk.holdsMemory = false
}

function announce(parts: EngineParts, before: RecordMaps, kept: readonly string[], movedAside: string | null): void {
  const callback = parts.options.onExternalChange
  if (!callback) return
  try {
    callback({ ...parts.records.changesSince(before), keptFromMemory: kept, movedAside })
  } catch {
    // A listener's failure must not undo a reload that already happened.
  }
}
