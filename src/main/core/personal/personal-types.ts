// The vocabulary of personal tokens: what Larder knows about the library a personal token's user has active, and
// how a library row relates to the token it uses. Plain data; never a secret.

/** Where a personal token stands, as Larder last saw it. */
export interface PersonalState {
  /** The library record holding the personal token. */
  readonly connectionId: string
  /** The library the token's user has active at Apicbase, as last read; null before the first look. */
  readonly activeLibraryId: string | null
  readonly activeLibraryName: string | null
  /** The library Larder last made (or was told to accept as) active; null until Larder has seen one. */
  readonly expectedLibraryId: string | null
  readonly expectedLibraryName: string | null
  /**
   * The active library was changed outside Larder (in Apicbase's web UI): the token now acts on another library than
   * Larder left it on. Larder refuses to act for, or hand out the token for, any other library until a person
   * switches through Larder (or keeps the new one).
   */
  readonly drifted: boolean
  /** When Larder last read the active library. */
  readonly checkedAt: number | null
  /** Why the last look failed (missing 'accounts' scope, network…), or null. */
  readonly problem: string | null
}

/** What Larder says of a token it has not looked at (or a record that holds no personal token). */
export function unseenState(connectionId: string): PersonalState {
  return { connectionId, activeLibraryId: null, activeLibraryName: null, expectedLibraryId: null, expectedLibraryName: null, drifted: false, checkedAt: null, problem: null }
}

/** A library by its Apicbase id, with its name when Larder knows it. */
export interface KnownLibrary {
  readonly id: string
  readonly name: string | null
}

/** How a row of the library list relates to a personal token. */
export interface PersonalLink extends PersonalState {
  /** 'connection': the record holding the token. 'library': a library reached through it. */
  readonly role: 'connection' | 'library'
  readonly connectionName: string
  /** For a library: its Apicbase library is the one active now. For a connection: false. */
  readonly isActive: boolean
  /** How many libraries share the token. */
  readonly libraryCount: number
}

/** A library the token's user can reach, as `personal.libraries` lists it. */
export interface ReachableLibrary {
  readonly apicbaseLibraryId: string
  readonly name: string | null
  readonly status: string | null
  readonly active: boolean
  /** The Larder entry for it, when it has been added. */
  readonly entryId: string | null
}
