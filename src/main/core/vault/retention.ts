// How long what accumulates beside the vault is kept. Run once the vault is open (tidy), best effort: a copy that
// cannot be looked at or removed is simply kept.
//
// Copies (copies.ts). None is deleted while it may be the only copy of a live token:
//   .bak             never pruned: the one last good copy, replaced by each clean open.
//   .v<N>.bak        deleted 90 days after the migration that made it. The migration carried everything in it into
//                    the vault, so 90 days on it holds only tokens rotated since (dead), libraries removed since, and
//                    what only an older Larder could read; it is also the one copy whose records are not bound.
//   superseded-      deleted after 30 days once it holds nothing live the vault lacks: every refresh token in it is
//                    spent (in the ledger) or is the token the vault holds. Otherwise kept.
//   damaged-, orphaned-  the same after 90 days. One that does not read is kept until a person deletes it: nobody
//                    can tell what it holds, and it may be the only copy of a live token.
// "Remove library" takes the library out of all of them at once (FileVault.remove), whatever their age.
//
// Spent ledger (spent-ledger.ts). It exists so that a refresh token the server already consumed is never sent
// again (Apicbase may answer a reused token by revoking the whole family, the live token included). Larder sends
// only the tokens its records hold, and a record gets one from a rotation (a new token, never spent), a person's
// paste, or a copy coming back (a restore, a salvaged journal, an unrenamed write, a file put in place). So a
// fingerprint is kept 365 days after it was recorded, and beyond that for as long as any record Larder can read —
// in the vault, its journal or a copy it keeps — still holds the token. Copies are pruned long before 365 days
// unless they hold a live token; so a dropped fingerprint can only matter for a token pasted, or brought back from a
// copy kept outside Larder or unreadable to it, more than a year after it was spent. Live tokens are never touched:
// the ledger decides what is not sent, never what is kept. The file is rewritten when its oldest lines are more
// than 395 days old, so at most about once a month.
import fs from 'node:fs'
import type { Cipher } from './cipher.ts'
import { managedCopies, recordsIn, type CopyKind, type CopyRecord, type ManagedCopy } from './copies.ts'
import { readFileOrNull } from './durable-fs.ts'
import type { StoredLibrary } from './file-format.ts'
import { peekSecret } from './sealing.ts'
import { spentFingerprint, type SpentLedger } from './spent-ledger.ts'

const DAY_MS = 86_400_000

/** Age after which a copy is deleted (when it holds nothing live the vault lacks, for those checked); null: never. */
export const COPY_RETENTION_MS: Readonly<Record<CopyKind, number | null>> = {
  backup: null,
  version: 90 * DAY_MS,
  superseded: 30 * DAY_MS,
  damaged: 90 * DAY_MS,
  orphaned: 90 * DAY_MS
}

/** Kinds deleted by age alone (everything in them was carried into the vault). */
const CARRIED_OVER: ReadonlySet<CopyKind> = new Set(['version'])

export const LEDGER_HORIZON_MS = 365 * DAY_MS
export const LEDGER_SLACK_MS = 30 * DAY_MS

export interface TidyOptions {
  readonly vaultPath: string
  readonly cipher: Cipher
  readonly now: number
  readonly ledger: SpentLedger
  /** The vault's records as they are now (quarantined ones included: the file still holds them). */
  readonly libraries: Iterable<StoredLibrary>
}

/** Deletes the copies past their time, then compacts the ledger when it is due. Returns the copies deleted. */
export async function tidy(options: TidyOptions): Promise<string[]> {
  const { now, ledger } = options
  const copies = managedCopies(options.vaultPath)
  const due = copies.filter((copy) => isPastRetention(copy, now))
  const ledgerDue = ledger.compactionDue(LEDGER_HORIZON_MS, LEDGER_SLACK_MS)
  if (due.length === 0 && !ledgerDue) return []
  const held = await heldTokens(options.cipher, [...options.libraries].map((library) => ({ id: library.meta.id, sealed: library.secrets })))
  const deleted: string[] = []
  for (const copy of due) {
    if (CARRIED_OVER.has(copy.kind) || (await holdsNothingLive(copy, options.cipher, ledger, held))) {
      fs.rmSync(copy.path, { force: true })
      deleted.push(copy.path)
    }
  }
  if (ledgerDue) {
    // Every token a readable record still holds, in the vault or in a copy that stays.
    for (const copy of copies) {
      if (deleted.includes(copy.path)) continue
      for (const token of await heldTokens(options.cipher, readRecords(copy) ?? [])) held.add(token)
    }
    const fingerprints = new Set([...held].map(spentFingerprint))
    ledger.compact(LEDGER_HORIZON_MS, (fingerprint) => fingerprints.has(fingerprint))
  }
  return deleted
}

function isPastRetention(copy: ManagedCopy, now: number): boolean {
  const keepFor = COPY_RETENTION_MS[copy.kind]
  return keepFor !== null && now - copy.madeAt > keepFor
}

/** Every refresh token in the copy is spent, or the vault holds it; a copy that does not read holds something unknown. */
async function holdsNothingLive(copy: ManagedCopy, cipher: Cipher, ledger: SpentLedger, vaultTokens: ReadonlySet<string>): Promise<boolean> {
  const records = readRecords(copy)
  if (records === null) return false
  for (const token of await heldTokens(cipher, records)) {
    if (!ledger.has(token) && !vaultTokens.has(token)) return false
  }
  return true
}

function readRecords(copy: ManagedCopy): CopyRecord[] | null {
  const raw = readFileOrNull(copy.path)
  return raw === null ? [] : recordsIn(raw)
}

/** The refresh tokens the records hold (a value that does not open with this key holds nothing anyone can use). */
async function heldTokens(cipher: Cipher, records: readonly CopyRecord[]): Promise<Set<string>> {
  const tokens = new Set<string>()
  for (const record of records) {
    const sealed = record.sealed['refreshToken']
    const opened = typeof sealed === 'string' ? await peekSecret(cipher, sealed) : null
    if (opened?.field === 'refreshToken' && opened.libraryId === record.id) tokens.add(opened.value)
  }
  return tokens
}
