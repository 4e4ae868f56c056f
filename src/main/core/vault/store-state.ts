// The store engine's state (store-engine.ts), shared with the two helpers that change it besides the engine itself:
// store-reload.ts (a file changed behind the vault's back is read and merged) and whole-file-writes.ts (the whole file
// written, through the store or on the worker thread). The fields are the ones the engine's state comment names.
import type { Alarm } from './alarms.ts'
import type { BackgroundCompaction, WholeFileWaits } from './background-compaction.ts'
import type { FileStamp } from './durable-fs.ts'
import type { JournalWriter } from './journal.ts'
import type { SpentLedger } from './spent-ledger.ts'
import type { CheckedOptions } from './vault-load.ts'
import type { VaultRecords } from './vault-records.ts'
import type { JsonFileStore } from './vault-types.ts'

/** Why the next batch rewrites the whole file; 'settings' also keeps memory's settings over a file read meanwhile. */
export type Rewrite = 'none' | 'whole' | 'settings'

/** What memory holds that is not durable yet. Stays after a failed write, so the next batch writes it. */
export interface PendingWrites {
  /** Ids changed (or removed) since the last durable write: their secrets are not handed out before it. */
  readonly records: Set<string>
  /** Taken by the batch being appended, not yet durable. */
  readonly writing: Set<string>
  rewrite: Rewrite
}

/** The file on disk as this process last wrote or read it. */
export interface DiskState {
  /** Made on the first whole-file write through the store: its constructor parses the whole file. */
  store: JsonFileStore | null
  stamp: FileStamp | null
  /** The journal generation the file names; lines appended now carry it. */
  generation: string | null
  /**
   * The file and its journal hold exactly memory's durable state (what a fold on the worker reads). False from a
   * file taken from disk, or a journal found cut, until the next whole-file write from memory.
   */
  holdsMemory: boolean
  /**
   * The engine is putting a compaction's file (and journal) in place, on libuv's pool: what the path holds meanwhile
   * is its own doing, not a change behind its back. Its stamp is taken once it is done.
   */
  placing: boolean
}

export interface WriteCounts {
  writes: number
  fullWrites: number
  failedWrites: number
  backgroundWrites: number
}

export interface EngineParts {
  readonly options: CheckedOptions
  readonly ledger: SpentLedger
  readonly journal: JournalWriter
  readonly records: VaultRecords
  readonly pending: PendingWrites
  readonly disk: DiskState
  readonly counts: WriteCounts
  /** Who waits for a whole-file write, and which requests the last one answered. */
  readonly whole: WholeFileWaits
  /** Null when the store does not declare its format: every whole-file write goes through the store. */
  readonly background: BackgroundCompaction | null
  /** The compaction planned for a quiet moment. */
  readonly compaction: Alarm
  /** Records waiting, or a rewrite due. */
  dirty(): boolean
  /** The next batch writes the whole file ('whole' unless settings are due already). */
  rewriteWhole(): void
  /** Starts a batch nobody waits for. */
  writeSoon(): void
}
