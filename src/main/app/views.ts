// What a host may show of the domain: exactly the contract's view fields, copied one by one so nothing else (a
// secret, a field added to a record later) can slip through.
import type { HealthCheckView, LibraryHoldView, LibraryListView, LibraryView, OAuthConnectedView, PersonalActiveView, PersonalView, RateLimitView, ReachableLibraryView } from '../../shared/contract.ts'
import { apiHostOf } from '../core/apicbase/index.ts'
import type { LibraryHealth, RateLimitState } from '../core/health/health-types.ts'
import type { LibraryWithStatus } from '../core/libraries/library-service.ts'
import type { OAuthConnected } from '../core/oauth/oauth-service.ts'
import type { PersonalState, ReachableLibrary } from '../core/personal/personal-types.ts'

export function toLibraryView(library: LibraryWithStatus): LibraryView {
  const { lastError, personal } = library
  const apiHost = apiHostOf(library.apiBaseUrl)
  return {
    id: library.id,
    name: library.name,
    ...(library.customer === undefined ? {} : { customer: library.customer }),
    apicbaseLibraryId: library.apicbaseLibraryId,
    apicbaseLibraryName: library.apicbaseLibraryName,
    tokenType: library.tokenType,
    scopes: [...library.scopes],
    apiBaseUrl: library.apiBaseUrl,
    apiHost: apiHost.host,
    apiHostKind: apiHost.kind,
    clientId: library.clientId,
    addedAt: library.addedAt,
    issuedAt: library.issuedAt,
    expiresAt: library.expiresAt,
    lastRefreshedAt: library.lastRefreshedAt,
    lastUsedAt: library.lastUsedAt,
    lastError: lastError && {
      kind: lastError.kind,
      message: lastError.message,
      at: lastError.at,
      ...(lastError.retryAt === undefined ? {} : { retryAt: lastError.retryAt }),
      ...(lastError.status === undefined ? {} : { status: lastError.status })
    },
    tokenPreview: library.tokenPreview,
    status: library.status,
    ...(personal ? { personal: toPersonalView(personal) } : {}),
    ...(library.rateLimit ? { rateLimit: toRateLimitView(library.rateLimit) } : {}),
    ...(library.health ? { health: toHealthView(library.health) } : {}),
    ...holdOf(library)
  }
}

/** A moved or paused library's hold, field by field (only while its state is held); nothing for any other. */
function holdOf(library: LibraryWithStatus): { hold?: LibraryHoldView } {
  const { hold } = library
  if (hold === undefined || library.tokenState !== hold.kind) return {}
  return { hold: { kind: hold.kind, at: hold.at, message: hold.message, to: hold.to } }
}

/**
 * A library's list row: the fields the list, search, counts and the add form's duplicate rule read (about half the
 * bytes of the whole view), in the order shared/library-list-view.ts cuts a whole view down to, so both give the same JSON.
 */
export function toLibraryListView(library: LibraryWithStatus): LibraryListView {
  const { personal } = library
  return {
    id: library.id,
    name: library.name,
    // Only when there is one: 10,000 rows without a label carry no bytes for it.
    ...(library.customer === undefined ? {} : { customer: library.customer }),
    apicbaseLibraryId: library.apicbaseLibraryId,
    apicbaseLibraryName: library.apicbaseLibraryName,
    tokenType: library.tokenType,
    clientId: library.clientId,
    addedAt: library.addedAt,
    expiresAt: library.expiresAt,
    lastRefreshedAt: library.lastRefreshedAt,
    lastUsedAt: library.lastUsedAt,
    status: library.status,
    ...(personal ? { personal: toPersonalView(personal) } : {}),
    ...holdOf(library)
  }
}

function toPersonalView(personal: NonNullable<LibraryWithStatus['personal']>): PersonalView {
  return {
    ...toPersonalActiveView(personal),
    role: personal.role,
    connectionName: personal.connectionName,
    isActive: personal.isActive,
    libraryCount: personal.libraryCount
  }
}

/** A token's last rate-limit figures and any 429 wait, field by field. */
export function toRateLimitView(state: RateLimitState): RateLimitView {
  return { limit: state.limit, remaining: state.remaining, resetAt: state.resetAt, observedAt: state.observedAt, waitingUntil: state.waitingUntil }
}

/** A library's last health check and the next, field by field. */
export function toHealthView(health: LibraryHealth): HealthCheckView {
  return { checkedAt: health.checkedAt, outcome: health.outcome, endpoint: health.endpoint, message: health.message, nextAt: health.nextAt }
}

/** A personal token's active library, field by field. */
export function toPersonalActiveView(state: PersonalState): PersonalActiveView {
  return {
    connectionId: state.connectionId,
    activeLibraryId: state.activeLibraryId,
    activeLibraryName: state.activeLibraryName,
    expectedLibraryId: state.expectedLibraryId,
    expectedLibraryName: state.expectedLibraryName,
    drifted: state.drifted,
    checkedAt: state.checkedAt,
    problem: state.problem
  }
}

export function toReachableView(library: ReachableLibrary): ReachableLibraryView {
  return {
    apicbaseLibraryId: library.apicbaseLibraryId,
    name: library.name,
    status: library.status,
    active: library.active,
    entryId: library.entryId,
    ...(library.heldBy !== undefined && library.heldBy.length > 0 ? { heldBy: library.heldBy.map((held) => ({ ...held })) } : {})
  }
}

export function toConnectedView(connected: OAuthConnected): OAuthConnectedView {
  return {
    connection: toLibraryView(connected.connection),
    activeLibrary: connected.activeLibrary && { id: connected.activeLibrary.id, name: connected.activeLibrary.name },
    notes: [...connected.notes]
  }
}
