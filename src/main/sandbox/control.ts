// The levers tests pull behind the app's back (programmatic, and over admin HTTP): issue tokens,
// add libraries in bulk, mint codes, switch a person's library "from the web UI", deactivate.

import type { SandboxClock } from './clock.ts'
import type { Counters } from './counters.ts'
import type { Faults } from './faults.ts'
import { credentialsOf } from './fixtures.ts'
import type {
  AddLibraryOptions,
  AuthorizationCodeSpec,
  IssueTokenPairSpec,
  LibraryCredentials,
  LibraryInfo,
  SandboxFixtures,
  TokenPair
} from './model.ts'
import { ALL_SCOPES, SandboxError, parseScopes } from './model.ts'
import type { SandboxState } from './state.ts'

export interface SandboxControl {
  readonly clock: SandboxClock
  readonly faults: Faults
  readonly counters: Counters
  /** The seeded data as issued at start (tokens here go stale once rotated). */
  readonly fixtures: SandboxFixtures
  /** A switch made in the web UI: personal tokens of that user now act on another library. */
  setActiveLibrary(userId: number, libraryId: number): LibraryInfo
  issueTokenPair(spec: IssueTokenPairSpec): TokenPair
  /** A new library with its own application and a service-account token pair (cheap: for 1000s). */
  addLibraryWithApplication(options: AddLibraryOptions): LibraryCredentials
  /** An authorization code as the authorize page would mint it (expires after 60 s, single use). */
  createAuthorizationCode(spec: AuthorizationCodeSpec): string
  deactivateUser(userId: number): void
  /**
   * Another tool holding the same pair refreshed it: the family rotates, and the refresh token the first holder
   * keeps is spent (presenting it is a reuse). Answers the pair the other tool got.
   */
  refreshElsewhere(familyId: string): TokenPair
}

export interface ControlParts {
  state: SandboxState
  clock: SandboxClock
  faults: Faults
  counters: Counters
  fixtures: SandboxFixtures
}

export function createControl(parts: ControlParts): SandboxControl {
  const { state } = parts
  return {
    clock: parts.clock,
    faults: parts.faults,
    counters: parts.counters,
    fixtures: parts.fixtures,
    setActiveLibrary(userId, libraryId) {
      const lib = state.setActiveLibrary(userId, libraryId)
      return { id: lib.id, name: lib.name, status: lib.status }
    },
    issueTokenPair(spec) {
      const family = state.issue({
        clientId: spec.clientId,
        kind: spec.kind,
        libraryId: spec.libraryId ?? null,
        userId: spec.userId ?? null,
        scopes: parseScopes(spec.scopes)
      })
      return state.pairOf(family)
    },
    addLibraryWithApplication(options) {
      const name = options.name.trim()
      if (name === '') throw new SandboxError('a library needs a name')
      const recipes = countOption(options.recipeCount, 3, 'recipeCount')
      const outlets = countOption(options.outletCount, 1, 'outletCount')
      const library = state.addLibrary(state.nextLibraryId(), name, recipes, outlets)
      const app = state.addApplication(`${name} API`, 'library', library.id)
      const family = state.issue({
        clientId: app.clientId,
        kind: 'service_account',
        libraryId: library.id,
        userId: null,
        scopes: parseScopes(options.scopes ?? ALL_SCOPES)
      })
      return { id: library.id, name: library.name, ...credentialsOf(family, app) }
    },
    createAuthorizationCode(spec) {
      const challenge = spec.codeChallenge === undefined ? null : { challenge: spec.codeChallenge, method: spec.codeChallengeMethod ?? 'S256' }
      return state.createCode(spec.clientId, spec.userId, parseScopes(spec.scopes), spec.redirectUri ?? null, challenge)
    },
    deactivateUser(userId) {
      state.deactivateUser(userId)
    },
    refreshElsewhere(familyId) {
      const family = state.families.get(familyId)
      if (family === undefined) throw new SandboxError(`unknown token family '${familyId}'`)
      if (family.revoked) throw new SandboxError(`token family '${familyId}' is revoked`)
      state.rotate(family)
      return state.pairOf(family)
    }
  }
}

function countOption(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < 0) throw new SandboxError(`${name} must be a non-negative integer`)
  return value
}
