// One health check of one library: a cheap read its token's scopes allow (a one-item page of recipes for 'library',
// of outlets for 'accounts'), never accounts/libraries/active/ (documented for personal tokens only). A 401 is
// declared only after one refresh and a second read also fail: the access token may simply have been rotated away.
import type { ReadCheckReport, ReadScope } from '../apicbase/types.ts'
import { TeamTurnError } from '../engine/refresh-turn.ts'
import { ApiError } from '../errors.ts'
import type { LibraryFailure, LibraryMeta } from '../model.ts'
import type { Clock } from '../time/clock.ts'
import { isCheckable, type HealthClient, type HealthEngine, type HealthResult, type HealthVault } from './health-types.ts'

export interface HealthCheckPorts {
  readonly vault: HealthVault
  readonly client: Pick<HealthClient, 'readCheck'>
  readonly engine: HealthEngine
  readonly clock: Clock
}

/** A result to show, a time to try again (Apicbase asked Larder to wait), or nothing (the library went away). */
export type CheckOutcome =
  | { readonly kind: 'result'; readonly result: HealthResult; readonly declared?: LibraryFailure }
  | { readonly kind: 'later'; readonly at: number }
  | { readonly kind: 'none' }

/** A token with less than this left is refreshed before it is checked (a check should not fail on plain expiry). */
const TOKEN_MARGIN_MS = 60_000
/** Reads of one check at most: the first, one after another rotation got in the way, one after our own refresh. */
const MAX_READS = 3

export async function runHealthCheck(ports: HealthCheckPorts, id: string): Promise<CheckOutcome> {
  const meta = ports.vault.get(id)
  if (!isCheckable(meta)) return { kind: 'none' }
  let token: string
  try {
    token = await ports.engine.freshAccessToken(id, TOKEN_MARGIN_MS, 'health')
  } catch (error) {
    return failed(ports, meta, error, null)
  }
  let read = await readOnce(ports, meta, token)
  let refreshed = false
  for (let reads = 1; isUnauthorized(read) && !refreshed && reads < MAX_READS; reads++) {
    try {
      const stored = (await ports.vault.secrets(id, ['accessToken'])).accessToken
      // Another refresh rotated the pair while this read was out (a refresh revokes the old access token): read again
      // with the new one. Otherwise refresh once: a new access token refused as well is a token revoked at Apicbase.
      refreshed = stored === token
      token = refreshed ? await ports.engine.refresh(id, 'health') : stored
    } catch (error) {
      return failed(ports, meta, error, null)
    }
    read = await readOnce(ports, meta, token)
  }
  if (!(read instanceof ApiError)) return result(ports, { outcome: 'ok', endpoint: read.endpoint, message: null })
  if (isUnauthorized(read)) return declareRefused(ports, meta)
  return failed(ports, meta, read, read.status === null ? null : endpointOf(meta))
}

/** The scope to read under: 'library' when the token has it, else 'accounts'; both in turn when it reported none. */
function scopesToTry(meta: LibraryMeta): ReadScope[] {
  if (meta.scopes.includes('library')) return ['library']
  if (meta.scopes.includes('accounts')) return ['accounts']
  return ['library', 'accounts']
}

function endpointOf(meta: LibraryMeta): string {
  return scopesToTry(meta)[0] === 'library' ? '/api/v2/library/recipes/' : '/api/v2/accounts/outlets/'
}

/** One read (two when the token reported no scopes and recipes were forbidden), each inside the library's budget. */
async function readOnce(ports: HealthCheckPorts, meta: LibraryMeta, token: string): Promise<ReadCheckReport | ApiError> {
  const target = { baseUrl: meta.apiBaseUrl, libraryName: meta.name, rateKey: meta.id }
  let last: ApiError | null = null
  for (const scope of scopesToTry(meta)) {
    try {
      return await ports.engine.throttled(meta.id, () => ports.client.readCheck(target, token, scope))
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      last = error
      if (error.kind !== 'forbidden') break
    }
  }
  return last ?? new ApiError('invalid_request', `Larder found nothing to read for ${meta.name}.`)
}

function isUnauthorized(read: ReadCheckReport | ApiError): boolean {
  return read instanceof ApiError && read.kind === 'unauthorized'
}

/** Even a new access token was refused: only the owner can help. The record says so, and Larder stops using it. */
async function declareRefused(ports: HealthCheckPorts, meta: LibraryMeta): Promise<CheckOutcome> {
  const now = ports.clock.now()
  const message =
    `Apicbase refused the token of ${meta.name} in a health check (HTTP 401), even a new access token Larder had just ` +
    `obtained with it: the token was revoked at Apicbase, or the API user behind it was removed. Ask the owner of ${meta.name} for a new token.`
  const declared: LibraryFailure = { kind: 'unauthorized', message, at: now }
  await ports.vault.patch(meta.id, { tokenState: 'needs_reauth', lastError: declared })
  return { kind: 'result', result: { at: now, outcome: 'unauthorized', endpoint: endpointOf(meta), message }, declared }
}

/** Any other end of a check. Network trouble and 5xx leave the status alone: one failed read proves nothing. */
function failed(ports: HealthCheckPorts, meta: LibraryMeta, error: unknown, endpoint: string | null): CheckOutcome {
  if (!(error instanceof ApiError)) return { kind: 'none' } // the library was removed, or the vault could not be read
  // The team store gave this machine no turn (offline from it, or another member's refresh not finished): nothing was
  // sent, so nothing is known of the token. Tried again when the turn says, else planned as after a start.
  if (error instanceof TeamTurnError) return error.retryAt === undefined ? { kind: 'none' } : { kind: 'later', at: error.retryAt }
  const message = error.message
  switch (error.kind) {
    case 'rate_limited':
      return { kind: 'later', at: error.retryAt ?? ports.clock.now() + 60_000 }
    case 'invalid_grant':
    case 'invalid_client': {
      // The refresh before (or during) the check failed; the engine has recorded why on the library already.
      const recorded = ports.vault.get(meta.id)?.lastError?.message ?? message
      return result(ports, { outcome: error.kind === 'invalid_grant' ? 'unauthorized' : 'rejected', endpoint: null, message: recorded })
    }
    case 'forbidden':
      return result(ports, { outcome: 'forbidden', endpoint, message })
    case 'network':
    case 'timeout':
    case 'server_error':
    case 'malformed_response':
    case 'storage':
      return result(ports, { outcome: 'unreachable', endpoint, message })
    default:
      return result(ports, { outcome: 'rejected', endpoint, message })
  }
}

function result(ports: HealthCheckPorts, found: Omit<HealthResult, 'at'>): CheckOutcome {
  return { kind: 'result', result: { at: ports.clock.now(), ...found } }
}
