// The refusals of the personal-token layer, each naming the token, the libraries and what a person can do.
import type { LibraryMeta, PersonalEntryMeta } from '../model.ts'
import type { KnownLibrary } from './personal-types.ts'

/**
 * The token's active library is not the one Larder left it on, and acting for another library would take it away
 * from whoever changed it. Nothing was switched and no token was handed out.
 */
export class LibraryDriftError extends Error {
  override readonly name = 'LibraryDriftError'
  readonly connectionId: string
  readonly activeLibraryId: string
  readonly expectedLibraryId: string | null

  constructor(connectionId: string, activeLibraryId: string, expectedLibraryId: string | null, message: string) {
    super(message)
    this.connectionId = connectionId
    this.activeLibraryId = activeLibraryId
    this.expectedLibraryId = expectedLibraryId
  }
}

/** A library as messages and the audit trail name it: by name and id when the name is known. */
export function describeLibrary(library: KnownLibrary): string {
  return library.name === null ? `library ${library.id}` : `${library.name} (${library.id})`
}

/** Someone switched the token outside Larder; Larder will not take the active library away to act for `entry`. */
export function switchedOutsideError(connection: LibraryMeta, expected: KnownLibrary | null, entry: PersonalEntryMeta, active: KnownLibrary): LibraryDriftError {
  return new LibraryDriftError(
    connection.id,
    active.id,
    expected?.id ?? null,
    `The active library of the personal token of ${connection.name} was changed outside Larder: it is now ${describeLibrary(active)}` +
      `${expected ? `, where Larder had left it on ${describeLibrary(expected)}` : ''}. ` +
      `Larder will not switch it to ${entry.name} or hand out its token for ${entry.name} while someone may be working in ${describeLibrary(active)}. ` +
      `Switch to ${entry.name} in Larder to take it back, or keep ${describeLibrary(active)}.`
  )
}

/** Someone switched again between Larder's switch and its confirmation: that switch is theirs, not Larder's. */
export function unconfirmedSwitchError(connection: LibraryMeta, entry: PersonalEntryMeta, confirmed: KnownLibrary): LibraryDriftError {
  return new LibraryDriftError(
    connection.id,
    confirmed.id,
    entry.apicbaseLibraryId,
    `Larder switched the personal token of ${connection.name} to ${entry.name}, but Apicbase then reported ${describeLibrary(confirmed)} as its active library: it was changed again outside Larder. Nothing was handed out; switch again in Larder when nobody is using that account in Apicbase.`
  )
}
