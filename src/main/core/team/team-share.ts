// Putting a member's local records in the team (issue 16, plan §4 last lines): every library record and entry of the
// local vault that has no row yet gets one (version 1), libraries before the entries that use them. Used when a team
// is made from a vault that already holds libraries, and for a record added locally that never reached its row. A
// record the team already holds (or removed: a tombstone) is left to sync; one whose id cannot be a row's is said.
import type { Vault } from '../vault/vault-types.ts'
import type { TeamDb } from './db/transaction.ts'
import type { TeamSession } from './membership.ts'
import type { RowIndex } from './row-index.ts'
import { insertRow, readRow, type RowHead } from './row-writes.ts'
import { UUID, type TeamRecord } from './team-record.ts'

export interface Shared {
  /** Ids that got a row now. */
  readonly shared: readonly string[]
  /** Ids that cannot be a row's (not a UUID): they stay on this machine only. */
  readonly localOnly: readonly string[]
}

export async function shareLocalRecords(local: Vault, db: TeamDb, session: TeamSession, index: RowIndex, remember: (head: RowHead) => void): Promise<Shared> {
  const shared: string[] = []
  const localOnly: string[] = []
  const candidates: { readonly id: string; readonly record: () => Promise<TeamRecord> }[] = [
    ...local.list().map((meta) => ({ id: meta.id, record: async (): Promise<TeamRecord> => ({ kind: 'library', meta, secrets: await local.secrets(meta.id) }) })),
    ...local.entries().map((entry) => ({ id: entry.id, record: async (): Promise<TeamRecord> => ({ kind: 'entry', entry }) }))
  ]
  for (const { id, record } of candidates) {
    if (index.get(id) !== undefined) continue
    if (!UUID.test(id)) {
      localOnly.push(id)
      continue
    }
    if ((await readRow(db, session, id)) !== null) continue
    remember(await insertRow(db, session, await record()))
    shared.push(id)
  }
  return { shared, localOnly }
}
