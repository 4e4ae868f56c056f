// Taking a team row into the member's local vault (issue 16, plan §4's merge rule, the local vault's "kept from
// memory" rule lifted one level): the row wins, unless
// - its pair version is older than the one this machine holds: the database was put back; refused, nothing changes;
// - its refresh token is one this machine spent (and not the one it holds): this machine holds the newer pair (pushing
//   it comes with leases; for now it is reported and the local record stays).
// A library goes in through the vault's restoreLibrary (which refuses a spent token for a record that would send it),
// an entry through addEntries / patchEntry, a tombstone through remove. The local `lastUsedAt` is kept.
import type { Vault } from '../vault/vault-types.ts'
import type { RowIndex } from './row-index.ts'
import type { RowRead } from './row-writes.ts'
import type { TeamRowRefusal } from './team-errors.ts'

export type Adopted = { readonly change: 'added' | 'changed' | 'removed' | null } | { readonly refusal: TeamRowRefusal }

function localName(local: Vault, id: string): string | null {
  return local.get(id)?.name ?? local.entry(id)?.name ?? null
}

function refused(local: Vault, row: RowRead, reason: TeamRowRefusal['reason'], why: string): Adopted {
  const name = localName(local, row.id)
  const what = name === null ? `The team credential ${row.id}` : name
  const messages: Record<TeamRowRefusal['reason'], string> = {
    rolled_back: `The team database holds an older version of ${what} (pair ${row.pairVersion}) than this machine (${why}); nothing was changed.`,
    holds_newer: `${what}: this machine holds a newer token pair than the team database (the row's refresh token was already used here); nothing was changed.`,
    unreadable: `${what} in the team database was not taken in: ${why}.`,
    not_taken: `${what} in the team database was not taken in by this machine's vault: ${why}`
  }
  return { refusal: { id: row.id, reason, version: row.version, message: messages[reason] } }
}

/** The row's refresh token is one this machine spent, and not the one it holds: its own pair is newer. */
async function holdsNewer(local: Vault, id: string, rowToken: string): Promise<boolean> {
  if (!local.isSpent(rowToken) || local.get(id) === undefined) return false
  const held = await local.secrets(id, ['refreshToken']).then(
    (secrets) => secrets.refreshToken,
    () => null
  )
  return held !== null && held !== rowToken
}

/** Takes one row in (or refuses it); the index learns the version only once the vault holds it. */
export async function adoptRow(local: Vault, index: RowIndex, row: RowRead): Promise<Adopted> {
  const known = index.get(row.id)
  if (known !== undefined && row.version <= known.version) return { change: null }
  if (!row.deleted && known !== undefined && !known.deleted && row.pairVersion < known.pairVersion) return refused(local, row, 'rolled_back', `pair ${known.pairVersion}`)
  if (row.refusal !== null) return refused(local, row, 'unreadable', row.refusal)
  const remember = (): void => index.set(row.id, { version: row.version, pairVersion: row.pairVersion, deleted: row.deleted })
  try {
    if (row.deleted || row.record === null) {
      const here = local.get(row.id) !== undefined || local.entry(row.id) !== undefined
      if (here) await local.remove(row.id)
      remember()
      return { change: here ? 'removed' : null }
    }
    const record = row.record
    if (record.kind === 'entry') {
      const current = local.entry(row.id)
      const entry = record.entry
      if (current === undefined) await local.addEntries([{ ...entry, lastUsedAt: null }])
      else await local.patchEntry(row.id, { name: entry.name, customer: entry.customer ?? null, apicbaseLibraryName: entry.apicbaseLibraryName })
      remember()
      return { change: current === undefined ? 'added' : 'changed' }
    }
    if (await holdsNewer(local, row.id, record.secrets.refreshToken)) return refused(local, row, 'holds_newer', '')
    const current = local.get(row.id)
    await local.restoreLibrary({ ...record.meta, lastUsedAt: current?.lastUsedAt ?? null }, record.secrets, { replace: current !== undefined })
    remember()
    return { change: current === undefined ? 'added' : 'changed' }
  } catch (error) {
    return refused(local, row, 'not_taken', error instanceof Error ? error.message : String(error))
  }
}
