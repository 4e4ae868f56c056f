// A write is a temporary file, fsync, then rename over the vault. A crash between the fsync and the rename
// leaves the newer vault complete in `<vault>.tmp-…` while `<vault>` still holds the pair before it — whose
// refresh token the spent ledger (appended first) already marks as consumed. Without this step such a library
// would be lost although its live token is on disk. Only temporaries newer than the vault file count: a later
// successful write supersedes them.
import fs from 'node:fs'
import path from 'node:path'
import type { Cipher } from './cipher.ts'
import type { StoredLibrary } from './file-format.ts'
import { openSecret, type Acceptance } from './sealing.ts'
import type { SpentLedger } from './spent-ledger.ts'
import { decodeAndVerify, type CheckedOptions } from './vault-load.ts'

export interface Recovery {
  /** Libraries whose newer record was taken from an unrenamed write. */
  readonly adopted: readonly string[]
  /** Leftover temporaries, to delete once the vault has been written. */
  readonly leftovers: readonly string[]
}

export async function recoverUnrenamedWrites(
  options: CheckedOptions,
  libraries: Map<string, StoredLibrary>,
  ledger: Pick<SpentLedger, 'has'>,
  accept: Acceptance
): Promise<Recovery> {
  const dir = path.dirname(options.path)
  const prefix = `${path.basename(options.path)}.tmp-`
  const leftovers = fs
    .readdirSync(dir)
    .filter((name) => name.startsWith(prefix))
    .map((name) => path.join(dir, name))
  const vaultTime = fs.statSync(options.path).mtimeMs
  const newer = leftovers
    .map((file) => ({ file, time: fs.statSync(file).mtimeMs }))
    .filter(({ time }) => time >= vaultTime)
    .sort((a, b) => a.time - b.time)
  const adopted = new Set<string>()
  for (const { file } of newer) {
    let candidates: Map<string, StoredLibrary>
    try {
      candidates = (await decodeAndVerify(file, fs.readFileSync(file), options)).content.libraries
    } catch {
      continue // cut off before its fsync: not a complete write
    }
    for (const id of await adoptLiveRecords(options.cipher, libraries, candidates, ledger, accept)) adopted.add(id)
  }
  return { adopted: [...adopted], leftovers }
}

/**
 * Takes a candidate record in place of the current one only where the current one holds a refresh token the
 * server has consumed and the candidate a live one, both opening for their records (`accept`: bound only, unless
 * the vault is of before binding). Never adds a library the current content does not have (it was removed, or
 * never reached this file). Returns the ids taken.
 */
export async function adoptLiveRecords(
  cipher: Cipher,
  libraries: Map<string, StoredLibrary>,
  candidates: ReadonlyMap<string, StoredLibrary>,
  ledger: Pick<SpentLedger, 'has'>,
  accept: Acceptance
): Promise<string[]> {
  const adopted: string[] = []
  for (const [id, candidate] of candidates) {
    const current = libraries.get(id)
    if (!current || current.secrets.refreshToken === candidate.secrets.refreshToken) continue
    try {
      const currentToken = await openSecret(cipher, current, 'refreshToken', accept)
      const candidateToken = await openSecret(cipher, candidate, 'refreshToken', accept)
      if (ledger.has(currentToken) && !ledger.has(candidateToken)) {
        libraries.set(id, candidate)
        adopted.push(id)
      }
    } catch {
      // A record that does not open is no better than the one we have.
    }
  }
  return adopted
}

export function removeLeftovers(recovery: Recovery): void {
  for (const file of recovery.leftovers) fs.rmSync(file, { force: true })
}
