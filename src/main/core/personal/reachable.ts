// The libraries a personal token's user can reach, and adding some of them to Larder as entries that share the
// token (one stored pair, refreshed once).
import type { ApicbaseLibrary } from '../apicbase/index.ts'
import { InputError } from '../errors.ts'
import type { HeldLibraryView } from '../../../shared/contract.ts'
import { isConnection, type LibraryMeta, type PersonalEntryMeta } from '../model.ts'
import type { Vault } from '../vault/index.ts'
import { entriesByLibrary } from './active-tracker.ts'
import type { PersonalState, ReachableLibrary } from './personal-types.ts'
import { DEFAULT_MARGIN_MS, type TokenAccess } from './token-access.ts'

/** See PersonalService.reachable. */
export async function reachableLibraries(
  access: TokenAccess,
  id: string
): Promise<{ readonly state: PersonalState; readonly libraries: readonly ReachableLibrary[] }> {
  return access.queued(access.connectionOf(id), async (meta, runtime) => {
    const session = await access.session(meta, DEFAULT_MARGIN_MS)
    const target = access.target(meta, meta.name)
    const libraries = await access.call(meta, session, (token) => access.client.listLibraries(target, token))
    const active = await access.look(meta, runtime, session, target)
    const added = entriesByLibrary(access.vault, meta.id)
    const held = heldElsewhere(access.vault, meta)
    return {
      state: access.tracker.stateOf(meta, runtime),
      libraries: libraries.map((library) => {
        const others = held.get(library.id) ?? []
        return {
          apicbaseLibraryId: library.id,
          name: library.name,
          status: library.status,
          active: library.id === active.id,
          entryId: added.get(library.id)?.id ?? null,
          ...(others.length > 0 ? { heldBy: others } : {})
        }
      })
    }
  })
}

/**
 * The other rows in Larder for each Apicbase library on the connection's API host, by library id: records holding a
 * service-account or connected-application token for it, and entries of other personal tokens. (The same id on
 * another host is another library.)
 */
function heldElsewhere(vault: Vault, connection: LibraryMeta): Map<string, HeldLibraryView[]> {
  const held = new Map<string, HeldLibraryView[]>()
  const note = (libraryId: string, row: HeldLibraryView): void => void held.set(libraryId, [...(held.get(libraryId) ?? []), row])
  for (const meta of vault.list()) {
    if (isConnection(meta) || meta.apicbaseLibraryId === null || meta.apiBaseUrl !== connection.apiBaseUrl) continue
    note(meta.apicbaseLibraryId, { id: meta.id, name: meta.name, tokenType: meta.tokenType, connectionName: null })
  }
  for (const entry of vault.entries()) {
    const other = entry.connectionId === connection.id ? undefined : vault.get(entry.connectionId)
    if (other?.apiBaseUrl !== connection.apiBaseUrl) continue
    note(entry.apicbaseLibraryId, { id: entry.id, name: entry.name, tokenType: 'personal', connectionName: other.name })
  }
  return held
}

/** See PersonalService.add. */
export async function addReachable(access: TokenAccess, id: string, libraryIds: readonly string[], newId: () => string): Promise<readonly PersonalEntryMeta[]> {
  const connection = access.connectionOf(id)
  const wanted = checkLibraryIds(libraryIds)
  return access.queued(connection, async (meta) => {
    const session = await access.session(meta, DEFAULT_MARGIN_MS)
    const reachable = await access.call(meta, session, (token) => access.client.listLibraries(access.target(meta, meta.name), token))
    const byId = new Map(reachable.map((library) => [library.id, library]))
    const existing = entriesByLibrary(access.vault, meta.id)
    const now = access.clock.now()
    const fresh: PersonalEntryMeta[] = []
    const answer = wanted.map((libraryId, index) => {
      const already = existing.get(libraryId)
      if (already) return already
      const library = byId.get(libraryId)
      if (!library) {
        throw new InputError(
          `libraryIds[${index}]`,
          `The user of ${meta.name} cannot reach an Apicbase library with id ${libraryId}; list its libraries again and pick one of them`
        )
      }
      const entry: PersonalEntryMeta = {
        id: newId(),
        name: entryName(library),
        connectionId: meta.id,
        apicbaseLibraryId: library.id,
        apicbaseLibraryName: library.name,
        addedAt: now,
        lastUsedAt: null
      }
      fresh.push(entry)
      existing.set(libraryId, entry)
      return entry
    })
    if (fresh.length > 0) await access.vault.addEntries(fresh)
    for (const entry of fresh) {
      access.record({ action: 'added', libraryId: entry.id, libraryName: entry.name, outcome: 'ok', detail: `Apicbase library ${entry.apicbaseLibraryId}, through the personal token of ${meta.name}` })
    }
    return answer
  })
}

function checkLibraryIds(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new InputError('libraryIds', 'Choose at least one library')
  if (value.length > 200) throw new InputError('libraryIds', `Too many libraries at once (${value.length}; at most 200)`)
  const ids: string[] = []
  value.forEach((raw: unknown, index) => {
    const id = typeof raw === 'string' ? raw.trim() : raw
    if (typeof id !== 'string' || id === '' || id.length > 200 || /[\s\p{Cc}]/u.test(id)) {
      throw new InputError(`libraryIds[${index}]`, 'An Apicbase library id is a non-empty id without spaces')
    }
    if (!ids.includes(id)) ids.push(id)
  })
  return ids
}

/** An entry's name: the Apicbase library's, on one line and at most 100 characters. */
function entryName(library: ApicbaseLibrary): string {
  const name = (library.name ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 100).trim()
  return name === '' ? `Apicbase library ${library.id}`.slice(0, 100) : name
}
