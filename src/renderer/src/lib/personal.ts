// Personal tokens as the dashboard shows them: one connection (the record holding the token) and the library
// entries that share it. Pure: no DOM, no store; the store and the views ask these.
import type { BridgeErrorShape, HeldLibraryView, LibraryListView, PersonalActiveView, PersonalView, TokenType } from '../../../shared/contract.ts'

export function personalOf(library: LibraryListView | undefined | null): PersonalView | null {
  return library?.personal ?? null
}

function nameOr(name: string | null, id: string | null, fallback: string): string {
  if (name !== null && name !== '') return name
  if (id !== null) return `library #${id}`
  return fallback
}

export function activeName(state: PersonalActiveView): string {
  return nameOr(state.activeLibraryName, state.activeLibraryId, 'no library yet')
}

export function expectedName(state: PersonalActiveView): string {
  return nameOr(state.expectedLibraryName, state.expectedLibraryId, 'the library it was on')
}

/** A connection's row: "acts on: Café Zuid". */
export function actsOnLabel(state: PersonalActiveView): string {
  return `acts on: ${activeName(state)}`
}

/** "changed outside Larder: now Café Zuid (Larder left it on Brasserie Nord)" */
export function driftSentence(state: PersonalActiveView): string {
  return `changed outside Larder: now ${activeName(state)} (Larder left it on ${expectedName(state)})`
}

/** Where a token's active library stands, without the row's own fields (its role and counts). */
export function activeViewOf(personal: PersonalView): PersonalActiveView {
  const { connectionId, activeLibraryId, activeLibraryName, expectedLibraryId, expectedLibraryName, drifted, checkedAt, problem } = personal
  return { connectionId, activeLibraryId, activeLibraryName, expectedLibraryId, expectedLibraryName, drifted, checkedAt, problem }
}

export interface DriftedToken {
  readonly connectionId: string
  readonly connectionName: string
  readonly state: PersonalActiveView
  /** The entry whose Apicbase library Larder left the token on ("Switch back"), or null when it is not in Larder. */
  readonly switchBackId: string | null
}

/** Every personal token whose active library was changed outside Larder, once each, in list order. */
export function driftedTokens(byId: Readonly<Record<string, LibraryListView>>, ids: readonly string[]): DriftedToken[] {
  const found = new Map<string, DriftedToken>()
  for (const id of ids) {
    const personal = byId[id]?.personal
    if (!personal?.drifted || found.has(personal.connectionId)) continue
    found.set(personal.connectionId, {
      connectionId: personal.connectionId,
      connectionName: personal.connectionName,
      state: personal,
      switchBackId: switchBackTarget(byId, ids, personal.connectionId, personal.expectedLibraryId)
    })
  }
  return [...found.values()]
}

/** The entry of this token for the library Larder left it on. */
export function switchBackTarget(
  byId: Readonly<Record<string, LibraryListView>>,
  ids: readonly string[],
  connectionId: string,
  expectedLibraryId: string | null
): string | null {
  if (expectedLibraryId === null) return null
  for (const id of ids) {
    const library = byId[id]
    if (library?.personal?.role === 'library' && library.personal.connectionId === connectionId && library.apicbaseLibraryId === expectedLibraryId) return id
  }
  return null
}

/** A copy (or other act) refused because the token's active library was changed outside Larder. */
export function isDriftRefusal(error: BridgeErrorShape): boolean {
  return error.kind === 'api' && error.apiKind === 'library_drift'
}

/** The code was refused: expired (one minute) or already used. */
export function isCodeRefusal(error: BridgeErrorShape): boolean {
  return error.kind === 'api' && error.apiKind === 'invalid_grant'
}

const HELD_AS: Readonly<Record<Exclude<TokenType, 'personal'>, string>> = {
  service_account: 'as a service account',
  connected_application: 'as a connected application'
}

/**
 * How another row of Larder holds a library a personal token reaches: "as a service account (Oost kitchen)",
 * "via Sam (personal)". The row's name is given when it differs from the library's.
 */
export function heldAs(held: HeldLibraryView, libraryName: string | null): string {
  const how = held.tokenType === 'personal' ? `via ${held.connectionName ?? 'another personal token'}` : HELD_AS[held.tokenType]
  return held.name === libraryName ? how : `${how} (${held.name})`
}

/** A library's title where it could be mistaken for another row of the same name: "Trattoria Oost via Pat Partner". */
export function viaName(library: LibraryListView): string | null {
  return library.personal?.role === 'library' ? library.personal.connectionName : null
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
}

/** What the remove confirmation says about the libraries that go with a personal token. */
export function removeConsequence(library: LibraryListView): string | null {
  const personal = library.personal
  if (!personal) return null
  if (personal.role === 'connection') {
    if (personal.libraryCount === 0) return 'No library in Larder uses this personal token yet.'
    return `Removing this personal token also removes its ${plural(personal.libraryCount, 'library', 'libraries')} from Larder: they all share this one token.`
  }
  return `Only this library goes; the personal token (${personal.connectionName}) and its other libraries stay.`
}
