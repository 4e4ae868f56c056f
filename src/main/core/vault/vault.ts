// The vault: every library's record, with its secrets sealed, in one JSON file written through the store
// (electron-store in the app, conf in tests). Opening checks the file before the store ever sees it, so a
// damaged file is reported and left exactly as it was, never reset.
import fs from 'node:fs'
import path from 'node:path'
import { InputError } from '../errors.ts'
import { lastGoodBackupPath, moveAside, saveLastGoodBackup, saveVersionBackup } from './backups.ts'
import { text } from './checks.ts'
import { asideName, fileStamp, writeFileAtomic } from './durable-fs.ts'
import { decodeHeader, FileProblem, type StoredCipherHeader, type StoredLibrary, type VaultContent } from './file-format.ts'
import { FileVault } from './vault-repository.ts'
import { continueRecords, encodeJournalLine, journalBytes, journalPath, lastRecords, readJournal, salvageJournalLines, spentInJournal, type JournalLine, type JournalOp } from './journal.ts'
import { adoptLiveRecords, recoverUnrenamedWrites, removeLeftovers } from './recover-unrenamed.ts'
import { sealAgain } from './migrate-v3-v4.ts'
import { BOUND_SEALS_VERSION, SCHEMA_VERSION } from './migrations.ts'
import { checkKeys } from './key-sealing.ts'
import { checkRecords } from './quarantine.ts'
import { tidy } from './retention.ts'
import type { Acceptance } from './sealing.ts'
import { DEFAULT_SETTINGS } from './settings.ts'
import { SpentLedger } from './spent-ledger.ts'
import { asOpenError, checkOptions, decodeAndVerify, newCipherHeader, readRaw, refuseIfOnlyBackupLeft, refuseRolledBack, type CheckedOptions } from './vault-load.ts'
import type { OpenVaultOptions, Vault } from './vault-types.ts'

export type { ExternalChange, JsonFileStore, OpenVaultOptions, Rotation, StoreFactory, Vault, VaultStats, WholeFileFormat } from './vault-types.ts'

/** The header of the vault file, without unlocking it: which cipher to unlock it with, and its parameters. */
export function readVaultHeader(vaultPath: string): { readonly schemaVersion: number; readonly cipher: StoredCipherHeader } | null {
  const file = path.resolve(text('path', vaultPath, 4096))
  const raw = readRaw(file)
  if (raw === null) {
    refuseIfOnlyBackupLeft(file)
    return null
  }
  try {
    return decodeHeader(raw)
  } catch (error) {
    throw asOpenError(file, error)
  }
}

export async function openVault(options: OpenVaultOptions): Promise<Vault> {
  const checked = checkOptions(options)
  const raw = readRaw(checked.path)
  if (raw === null) refuseIfOnlyBackupLeft(checked.path)
  const decoded = raw === null ? null : await decodeAndVerify(checked.path, raw, checked)
  // Spent fingerprints first: an open that cannot read them must not go on to write anything.
  const ledger = new SpentLedger(`${checked.path}.spent`, checked.now)
  if (decoded !== null && ledger.bound) refuseRolledBack(checked.path, decoded.fileVersion)
  // A file of before binding is read as it was sealed then, and sealed again below, before anyone sees a record.
  const accept: Acceptance = decoded !== null && decoded.fileVersion < BOUND_SEALS_VERSION ? 'unbound-too' : 'bound'
  const journal = journalPath(checked.path)
  const journalSize = journalBytes(journal)
  const readable = journalSize > 0 ? salvageJournalLines(journal) : []
  // Every fingerprint any readable line carries goes back into the ledger, whatever the line's generation.
  for (const fingerprint of spentInJournal(readable)) ledger.addFingerprint(fingerprint)
  // A journal with no file to continue cannot be applied to anything; keep it for a person, never empty it.
  if (decoded === null && journalSize > 0) moveAside(journal, 'orphaned', checked.now())
  const content = decoded === null ? await emptyContent(checked.cipher) : withJournal(checked.path, decoded.content)
  if (decoded !== null) await salvageOtherGenerations(checked, content, readable, ledger, accept)
  const recovery = decoded === null ? null : await recoverUnrenamedWrites(checked, content.libraries, ledger, accept)
  // Every record is checked against its secrets (one decryption each); one that fails is kept as found and refused.
  const now = checked.now()
  const quarantined = accept === 'bound' ? await checkRecords(checked.cipher, content.libraries.values(), now) : await sealAgain(checked.cipher, content.libraries, now)
  // Keys the same way (a file of before schema 5 has none): one whose token does not open for it is kept and refused.
  const keysQuarantined = await checkKeys(checked.cipher, content.keys?.values() ?? [])
  // The store is made on the first write (conf and electron-store parse the whole file in their constructor,
  // and the vault only writes through it): a new or migrated vault makes it here, an opened one when it changes.
  const vault = new FileVault(checked, ledger, content, quarantined, keysQuarantined)
  let wroteAtOpen = true
  if (decoded === null) {
    vault.writeNow()
  } else if (decoded.fileVersion < SCHEMA_VERSION && raw !== null) {
    saveVersionBackup(checked.path, raw, decoded.fileVersion)
    vault.writeNow()
  } else if (journalSize > 0 || (recovery && recovery.adopted.length > 0)) {
    // Fold what the journal held into the file, so it is in the backup saved below and replayed only once.
    vault.writeNow()
  } else {
    vault.adoptFile()
    wroteAtOpen = false
  }
  // Only now is the file on disk bound (a crash before this leaves an older file that still opens).
  ledger.markBound()
  if (recovery) removeLeftovers(recovery)
  // A file holding a record changed outside Larder did not open cleanly: the last good copy stays the last good one.
  // Saved once the vault is open (reading and writing a large file is not on the way to the statuses); close waits.
  if (quarantined.size === 0 && keysQuarantined.size === 0) vault.alongside(saveLastGoodBackup(checked.path, wroteAtOpen ? null : raw, wroteAtOpen ? fileStamp(checked.path) : null))
  // Copies past their time and spent fingerprints nothing needs any more (retention.ts); never a reason to fail.
  await tidy({ vaultPath: checked.path, cipher: checked.cipher, now, ledger, libraries: content.libraries.values() }).catch(() => undefined)
  return vault
}

async function emptyContent(cipher: OpenVaultOptions['cipher']): Promise<VaultContent> {
  return { cipher: await newCipherHeader(cipher), libraries: new Map<string, StoredLibrary>(), settings: DEFAULT_SETTINGS, journalId: null }
}

/** The file's content continued by its journal's lines of the file's generation: the latest durable state. */
function withJournal(vaultPath: string, content: VaultContent): VaultContent {
  let ops: JournalOp[]
  try {
    ops = readJournal(journalPath(vaultPath), content.journalId)
  } catch (error) {
    if (error instanceof FileProblem) throw asOpenError(vaultPath, error)
    throw error
  }
  return { ...content, ...continueRecords(content, ops) }
}

/**
 * Lines of another generation: usually ones a compaction already folded into this file (a crash came between its
 * rename and the journal's removal), but they can be newer than the file (a backup restored, or a copy of the
 * file put in place). A record there holding a live token where the file's holds a consumed one is taken, as
 * for an unrenamed write; and the journal is kept beside the vault before the open's full write removes it.
 */
async function salvageOtherGenerations(options: CheckedOptions, content: VaultContent, lines: readonly JournalLine[], ledger: SpentLedger, accept: Acceptance): Promise<void> {
  const others = lines.filter((line) => line.generation !== content.journalId)
  if (others.length === 0) return
  await adoptLiveRecords(options.cipher, content.libraries, lastRecords(others), ledger, accept)
  const journal = journalPath(options.path)
  writeFileAtomic(asideName(journal, 'superseded', options.now()), fs.readFileSync(journal))
}

/**
 * For a vault file that will not open: moves it aside to `<vault>.damaged-<time>` (kept), puts the last good
 * backup in its place and opens that. The backup is checked first; if it does not open either, nothing moves.
 */
export async function restoreBackup(options: OpenVaultOptions): Promise<Vault> {
  const checked = checkOptions(options)
  const backupPath = lastGoodBackupPath(checked.path)
  const backup = readRaw(backupPath)
  if (backup === null) throw new InputError('backup', `There is no backup of the vault at ${backupPath}`)
  const decoded = await decodeAndVerify(backupPath, backup, checked)
  const ledger = new SpentLedger(`${checked.path}.spent`)
  ledger.close()
  if (ledger.bound) refuseRolledBack(backupPath, decoded.fileVersion)
  // The journal continues the backup when it is of the backup's generation (and is salvaged from when it is not).
  // One with a damaged line is kept aside as it is, and what still reads of it takes its place.
  const journal = journalPath(checked.path)
  try {
    readJournal(journal, decoded.content.journalId)
  } catch (error) {
    if (!(error instanceof FileProblem)) throw error
    const readable = salvageJournalLines(journal)
    moveAside(journal, 'damaged', checked.now())
    writeFileAtomic(journal, readable.map((line) => encodeJournalLine(line.generation, line.op)).join(''))
  }
  moveAside(checked.path, 'damaged', checked.now())
  writeFileAtomic(checked.path, backup)
  return openVault(options)
}
