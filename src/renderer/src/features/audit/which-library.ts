// Which library an audit row was about, where its name alone does not say: two rows may both be "Trattoria Oost" (a
// service account, and the same library through a personal token). From what the entry recorded, or for an entry
// written before entries carried it, from the library as Larder holds it now. Pure.
import type { AuditEntryView, LibraryListView } from '../../../../shared/contract.ts'
import { TOKEN_TYPE_LABEL } from '../../lib/status.ts'

/** "via Pat Partner · #1003", "service account · #1003", "personal token"; null when Larder cannot tell. */
export function whichLibrary(entry: AuditEntryView, byId: Readonly<Record<string, LibraryListView>>): string | null {
  if (entry.libraryId === null) return null
  const now = byId[entry.libraryId]
  const tokenType = entry.tokenType ?? now?.tokenType
  if (tokenType === undefined) return null
  // What the entry recorded wins; what it lacks (an entry written before Larder knew the library's Apicbase id, or
  // before entries said anything) comes from the same library as Larder holds it now.
  const same = now !== undefined && now.tokenType === tokenType ? now : undefined
  const via = entry.via ?? (same?.personal?.role === 'library' ? same.personal.connectionName : undefined)
  const apicbaseId = entry.apicbaseLibraryId ?? (same?.personal?.role === 'connection' ? undefined : (same?.apicbaseLibraryId ?? undefined))
  const how = via !== undefined ? `via ${via}` : tokenType === 'personal' ? 'personal token' : TOKEN_TYPE_LABEL[tokenType].toLowerCase()
  return apicbaseId === undefined ? how : `${how} · #${apicbaseId}`
}

/** The names more than one library goes by, among the rows shown and the libraries in Larder now. */
export function sharedNames(entries: readonly AuditEntryView[], byId: Readonly<Record<string, LibraryListView>>): ReadonlySet<string> {
  const idsByName = new Map<string, Set<string>>()
  const note = (name: string, id: string): void => void idsByName.set(name, (idsByName.get(name) ?? new Set()).add(id))
  for (const library of Object.values(byId)) note(library.name, library.id)
  for (const entry of entries) if (entry.libraryId !== null && entry.libraryName !== null) note(entry.libraryName, entry.libraryId)
  return new Set([...idsByName].filter(([, ids]) => ids.size > 1).map(([name]) => name))
}
