// The engine's verdict on a refresh it made (a failure, or "needs re-authorization" after invalid_grant) is never lost
// to a cut from the team database (found by the team chaos run): offline, the team vault refuses changes, but a verdict
// is kept in the local record at once (so this machine sends nothing more for a dead family) and written to the row
// once the database is back, so every member learns it within that one attempt. A row that holds another pair by then
// (refreshed elsewhere since) is left as it is: the verdict was on the pair this machine sent.
import type { LibraryPatch } from '../vault/library-checks.ts'
import type { Vault } from '../vault/vault-types.ts'
import type { TeamDb } from './db/transaction.ts'
import type { TeamSession } from './membership.ts'
import { readRow, writeRowIfVersion, type RowHead } from './row-writes.ts'
import { patchLibrary } from './team-patches.ts'

const VERDICT_FIELDS = new Set(['lastError', 'tokenState'])

/** Whether a patch is only the engine's verdict on a refresh (its failure and token state). */
export function isVerdict(patch: Omit<LibraryPatch, 'lastUsedAt'>): boolean {
  const keys = Object.keys(patch)
  return keys.length > 0 && keys.every((key) => VERDICT_FIELDS.has(key))
}

export interface VerdictPorts {
  readonly db: TeamDb
  session(): TeamSession
  readonly local: Vault
  exclusive<T>(id: string, work: () => Promise<T>): Promise<T>
  remember(head: RowHead): void
}

/** The ids whose verdict is kept here, not yet in their rows. */
export class HeldVerdicts {
  readonly #held = new Set<string>()

  keep(id: string): void {
    this.#held.add(id)
  }

  /** Is this id's verdict kept here, not yet in its row? (Its awaiting mark stays until it is.) */
  has(id: string): boolean {
    return this.#held.has(id)
  }

  /** Writes each held verdict to its row (as the local record holds it now); one that cannot be written yet stays held. */
  async push(ports: VerdictPorts): Promise<void> {
    for (const id of [...this.#held]) {
      try {
        await ports.exclusive(id, () => writeVerdict(ports, id))
        this.#held.delete(id)
      } catch {
        // The database out of reach again: tried at the next reconnect.
      }
    }
  }
}

async function writeVerdict(ports: VerdictPorts, id: string): Promise<void> {
  const { db, local } = ports
  // Another member may write the row between the read and the write: read again, up to 3 times.
  for (let attempt = 0; attempt < 3; attempt++) {
    const meta = local.get(id)
    if (meta === undefined) return
    const row = await readRow(db, ports.session(), id)
    if (row === null || row.deleted || row.record?.kind !== 'library') return
    const held = await local.secrets(id, ['refreshToken'])
    if (row.record.secrets.refreshToken !== held.refreshToken) return
    const head = await writeRowIfVersion(db, ports.session(), row, patchLibrary({ lastError: meta.lastError, tokenState: meta.tokenState })(row.record))
    if (head !== null) {
      ports.remember(head)
      return
    }
  }
  throw new Error('the row kept changing; tried again at the next reconnect')
}
