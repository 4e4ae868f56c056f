// When a library being added is one Larder already holds, told before anything is sent: adding checks the pasted
// pair with a refresh, which rotates it, so a duplicate found afterwards would cost the pasted pair. One rule for
// the core (which refuses) and the add form (which warns as the client ID is typed). Plain data, no secret.
//
// What a client ID says, per token type, before any request:
// - service account: the client ID is the library's own API application (each Apicbase library has its own), so the
//   same client ID is the same library. Refused unless confirmed.
// - personal: the client ID is the application the person signed in through, often a partner's, shared by every
//   user who signs in through it. The same client ID is the same user's second connection, or another person's
//   token: nothing tells which before a request. A second connection of one user would switch that user's one
//   active library from two places, so it is refused unless confirmed, in words that say both readings.
// - connected application: the client ID is the partner application's, the same for every customer library that
//   connected it, so it identifies no library. Not refused; after the add, the Apicbase library Larder learns is
//   compared instead (see sameApicbaseLibrary).
import type { TokenType } from './contract/vocabulary.ts'
import { trimPasted } from './pasted-text.ts'

/** What the rule needs to know of a library Larder holds (a record, never an entry reached through a connection). */
export interface HeldLibrary {
  readonly id: string
  readonly name: string
  readonly tokenType: TokenType
  readonly clientId: string
  readonly apicbaseLibraryId: string | null
  readonly apicbaseLibraryName: string | null
  readonly addedAt: number
}

/** The token types whose client ID tells a duplicate before any request (see above). */
const CLIENT_ID_TELLS: Readonly<Record<TokenType, boolean>> = {
  service_account: true,
  personal: true,
  connected_application: false
}

/**
 * The libraries Larder holds that this client ID and token type most likely are already, oldest first; empty when
 * the token type's client ID tells nothing (connected applications) or none matches.
 */
export function heldWithClientId<T extends HeldLibrary>(held: readonly T[], candidate: { readonly clientId: string; readonly tokenType: TokenType }): T[] {
  const clientId = trimPasted(candidate.clientId)
  if (clientId === '' || !CLIENT_ID_TELLS[candidate.tokenType]) return []
  return held.filter((library) => library.tokenType === candidate.tokenType && library.clientId === clientId).sort((a, b) => a.addedAt - b.addedAt)
}

/**
 * After an add: the other libraries of the same token type on the same Apicbase library (a second application of
 * one library, or a customer's connected-application token pasted twice). Personal tokens are left out: the library
 * they act on is only the one their user has active.
 */
export function sameApicbaseLibrary<T extends HeldLibrary>(held: readonly T[], added: HeldLibrary): T[] {
  if (added.apicbaseLibraryId === null || added.tokenType === 'personal') return []
  return held.filter((library) => library.id !== added.id && library.tokenType === added.tokenType && library.apicbaseLibraryId === added.apicbaseLibraryId)
}

/** `"Café Zuid" (Apicbase library "Café Zuid", id 1002; added 2026-11-15)`: enough to tell which entry is meant. */
export function describeHeld(library: HeldLibrary): string {
  const apicbase =
    library.apicbaseLibraryId !== null
      ? `Apicbase library ${library.apicbaseLibraryName === null ? '' : `"${library.apicbaseLibraryName}", `}id ${library.apicbaseLibraryId}; `
      : ''
  return `"${library.name}" (${apicbase}added ${new Date(library.addedAt).toISOString().slice(0, 10)})`
}

/** Why the add is held back, naming what Larder holds (the first of them when several). Without the outcome. */
export function duplicateWarning(held: readonly HeldLibrary[], tokenType: TokenType): string {
  const [first] = held
  if (first === undefined) return ''
  const more = held.length > 1 ? ` and ${held.length - 1} more` : ''
  if (tokenType === 'personal') {
    return (
      `Larder already holds a personal token signed in through this client ID: ${describeHeld(first)}${more}. ` +
      'If this token is the same person’s, it would be a second connection to one account, and both would switch that person’s active library. ' +
      'Add it only if it belongs to someone else.'
    )
  }
  return (
    `This library is already in Larder: ${describeHeld(first)}${more} has this client ID and token type. ` +
    'A service account’s client ID belongs to one library, so this is most likely the same library.'
  )
}
