// A library's whole view cut down to its list row (contract: libraryListViewSchema), field by field in the order the
// main side builds rows (main/app/views.ts toLibraryListView), so both give the same JSON. No schema library attached:
// the renderer uses it for the whole views that calls answer (a refresh, an add) without bundling zod.
import type { LibraryListView, LibraryView } from './contract.ts'

export function listViewOf(view: LibraryView): LibraryListView {
  return {
    id: view.id,
    name: view.name,
    ...(view.customer === undefined ? {} : { customer: view.customer }),
    apicbaseLibraryId: view.apicbaseLibraryId,
    apicbaseLibraryName: view.apicbaseLibraryName,
    tokenType: view.tokenType,
    clientId: view.clientId,
    addedAt: view.addedAt,
    expiresAt: view.expiresAt,
    lastRefreshedAt: view.lastRefreshedAt,
    lastUsedAt: view.lastUsedAt,
    status: view.status,
    ...(view.personal ? { personal: view.personal } : {}),
    ...(view.hold ? { hold: view.hold } : {})
  }
}
