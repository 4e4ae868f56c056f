// The store engine's whole-file writes: through the store, on the main thread (a new or migrated vault, a file taken
// from disk, a journal that failed, a store that does not declare its format), or folded on a worker thread from the
// file and its journal (background-compaction.ts: compactions and settings with a store that declares its format).
import path from 'node:path'
import type { BackgroundCompaction } from './background-compaction.ts'
import { ensurePrivate, fileStamp, fsyncDirectory } from './durable-fs.ts'
import { VaultWriteError } from './errors.ts'
import { newJournalId } from './journal.ts'
import type { EngineParts } from './store-state.ts'
import { openCheckedStore } from './vault-load.ts'

/**
 * How the next batch writes: 'append' the changed records; 'everything' through the store; or, with a store that
 * declares its format, 'start background' (append, then fold on the worker) or 'finish background' (put the worker's
 * file in place). `mustWriteEverything`: the engine's own reasons (a rewrite due, no generation, a journal changed
 * or far larger than the file).
 */
export function howToWrite(parts: EngineParts, mustWriteEverything: boolean): 'append' | 'everything' | 'start background' | 'finish background' {
  const { background, disk } = parts
  if (background?.answered) return 'finish background'
  if (!mustWriteEverything && disk.generation !== null) return 'append'
  if (background === null || !background.usable || !disk.holdsMemory || disk.generation === null || disk.stamp === null) return 'everything'
  if (parts.journal.change() !== 'none') return 'everything'
  // A fold under way writes the whole file (or the next one will, for what it did not take in).
  return background.busy ? 'append' : 'start background'
}

/** The spent ledger, then (when dirty, or `always`) the whole file through the store, under a new generation. */
export function writeThroughStore(parts: EngineParts, always: boolean): number {
  const { options, disk } = parts
  const fsyncs = parts.ledger.appendPending()
  if (!always && !parts.dirty()) return fsyncs
  const epoch = parts.whole.requested
  parts.background?.abandon()
  try {
    disk.store ??= openCheckedStore(options)
    const generation = newJournalId()
    disk.store.store = parts.records.encode(generation)
    try {
      // The store's atomic write fsyncs the file; the rename is durable once the directory is.
      fsyncDirectory(path.dirname(options.path))
    } catch (error) {
      // The new generation may not survive a power cut: nothing is appended to it; the next batch writes it all again.
      parts.rewriteWhole()
      throw error
    }
    disk.generation = generation
  } catch (error) {
    parts.whole.failed(epoch, new VaultWriteError(options.path, error))
    throw error
  }
  parts.pending.records.clear()
  disk.holdsMemory = true
  wholeWritten(parts, epoch)
  // The file now holds every line of the old generation; a line that survives this is skipped at open.
  parts.journal.empty()
  return fsyncs + 2
}

/** Right after a batch appended everything pending (memory is the file plus its journal): the worker folds them. */
export function startInBackground(parts: EngineParts, generation: string): void {
  const { disk, journal, records } = parts
  if (disk.stamp === null || journal.change() !== 'none') return
  parts.background?.start(
    {
      vaultPath: parts.options.path,
      stamp: disk.stamp,
      generation,
      journal: { path: journal.path, bytes: journal.bytes },
      next: newJournalId(),
      settings: records.settings,
      cipher: records.cipherHeader
    },
    { epoch: parts.whole.requested, ...records.counts() }
  )
}

/**
 * The batch after the worker answered: what is pending is appended as usual (`append`), then the worker's file goes in
 * place; when the fold failed or does not match memory, the store writes everything instead.
 */
export async function finishInBackground(parts: EngineParts, append: (generation: string) => Promise<number>): Promise<number> {
  const { disk, journal, pending } = parts
  const background = parts.background as BackgroundCompaction
  const generation = disk.generation
  let fsyncs: number
  try {
    if (generation === null || journal.change() !== 'none') throw new Error('the journal is not as this vault left it')
    // The journal's lines go once the new file is in place: the spent fingerprints they carry must be in the ledger
    // first. Its catch-up runs beside the append (which takes what is pending first; what that batch's own line
    // carries is in the tail, which the new journal keeps).
    const [appended, ledger] = await Promise.allSettled([append(generation), parts.ledger.appendPendingAsync()])
    if (appended.status === 'rejected') throw appended.reason
    if (ledger.status === 'rejected') throw ledger.reason
    fsyncs = appended.value + ledger.value
  } catch {
    // As for any batch whose append fails: everything through the store, under a new generation.
    return writeThroughStore(parts, true)
  }
  let renamed = false
  let finished: Awaited<ReturnType<BackgroundCompaction['finish']>>
  disk.placing = true
  try {
    finished = await background.finish({
      vaultPath: parts.options.path,
      journal,
      renamed: (next) => {
        renamed = true
        disk.generation = next
        disk.stamp = fileStamp(parts.options.path)
      }
    })
  } catch (error) {
    // Renamed but not fsynced in its directory: the new generation may not survive a power cut, so write it all again.
    if (renamed) parts.rewriteWhole()
    throw error
  } finally {
    disk.placing = false
  }
  if (finished === null) return fsyncs + writeThroughStore(parts, true)
  parts.counts.backgroundWrites++
  // With no line after the fold began the journal is now empty: a compaction asked for meanwhile has nothing to add.
  const nothingSince = journal.bytes === 0 && pending.rewrite === 'whole' && pending.records.size === 0
  wholeWritten(parts, nothingSince ? parts.whole.requested : finished.epoch)
  // A whole-file write asked for after the fold began (settings, a removal) is the next batch's.
  if (pending.rewrite !== 'none') parts.writeSoon()
  return fsyncs + finished.fsyncs
}

/** The file now holds everything up to whole-file request `epoch`, under the generation in `disk`. */
function wholeWritten(parts: EngineParts, epoch: number): void {
  const file = parts.options.path
  parts.counts.writes++
  parts.counts.fullWrites++
  if (parts.whole.requested === epoch) {
    parts.pending.rewrite = 'none'
    parts.compaction.cancel()
  }
  // A store created without configFileMode (or a file copied in by hand) must still end up private.
  ensurePrivate(file)
  parts.disk.stamp = fileStamp(file)
  parts.whole.written(epoch)
}
