// The vocabulary of personal tokens: what Larder knows about the library a personal token's user has active, and
// how a library row relates to the token it uses. Plain data; never a secret.
import type { PersonalActiveView, PersonalView, ReachableLibraryView } from '../../../shared/contract.ts'

/**
 * Where a personal token stands, as Larder last saw it: which library its user has active, which one Larder left it
 * on, and whether that changed outside Larder (drift). The fields are the contract's, declared once there.
 */
export type PersonalState = Readonly<PersonalActiveView>

/** What Larder says of a token it has not looked at (or a record that holds no personal token). */
export function unseenState(connectionId: string): PersonalState {
  return { connectionId, activeLibraryId: null, activeLibraryName: null, expectedLibraryId: null, expectedLibraryName: null, drifted: false, checkedAt: null, problem: null }
}

/** A library by its Apicbase id, with its name when Larder knows it. */
export interface KnownLibrary {
  readonly id: string
  readonly name: string | null
}

/** How a row of the library list relates to a personal token (role, token name, active, count). */
export type PersonalLink = Readonly<PersonalView>

/** A library the token's user can reach, as `personal.libraries` lists it. */
export type ReachableLibrary = Readonly<ReachableLibraryView>
