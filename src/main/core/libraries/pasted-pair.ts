// A token pair a person pasted (for a new library, or to re-authorize one): the checks made before Apicbase sees it,
// and the words used when Apicbase refuses it.
import { duplicateWarning, heldWithClientId, type HeldLibrary } from '../../../shared/duplicate-library.ts'
import type { TokenType } from '../model.ts'
import { ApiError, InputError } from '../errors.ts'
import { pastedOpaque, stripBearer } from './pasted.ts'

export interface PastedPair {
  readonly accessToken: string
  readonly refreshToken: string
}

/** Trims both tokens and refuses a pair that cannot work: the same token twice, or a refresh token already spent. */
export function checkPastedPair(raw: Record<string, unknown>, isSpent: (refreshToken: string) => boolean): PastedPair {
  const accessToken = pastedOpaque('accessToken', 'Access token', typeof raw['accessToken'] === 'string' ? stripBearer(raw['accessToken']) : raw['accessToken'])
  const refreshToken = pastedOpaque('refreshToken', 'Refresh token', raw['refreshToken'])
  if (accessToken === refreshToken) {
    throw new InputError('refreshToken', 'The access token and the refresh token are the same; paste each into its own field')
  }
  if (isSpent(refreshToken)) {
    throw new InputError('refreshToken', 'This refresh token was already used by Larder and no longer works; ask the library owner for a new token')
  }
  return { accessToken, refreshToken }
}

/**
 * Refuses a library Larder most likely holds already (same client ID and token type; see shared/duplicate-library.ts),
 * before anything is sent: the check that follows is a refresh, and it would spend the pasted pair. `confirm` is the
 * input's confirmDuplicateOf, the id of one of those libraries, when the person chose to add it all the same.
 * Answers the library confirmed, or null when there is none.
 */
export function checkNotHeldAlready<T extends HeldLibrary>(held: readonly T[], candidate: { readonly clientId: string; readonly tokenType: TokenType }, confirm: unknown): T | null {
  const same = heldWithClientId(held, candidate)
  if (same.length === 0) return null
  const confirmed = typeof confirm === 'string' ? same.find((library) => library.id === confirm) : undefined
  if (confirmed !== undefined) return confirmed
  throw new InputError('confirmDuplicateOf', `${duplicateWarning(same, candidate.tokenType)} Nothing was sent or saved. Open it in Larder, or confirm that you want a second entry.`)
}

/** Says what went wrong with the check (a refresh with the pasted token) in words that fit adding a library. */
export function explainAddFailure(error: unknown, name: string): unknown {
  if (!(error instanceof ApiError)) return error
  switch (error.kind) {
    case 'invalid_client':
      return new ApiError('invalid_client', `Apicbase rejected the client ID or client secret for ${name}. Check both against the library's API settings. Nothing was saved.`, { status: error.status })
    case 'invalid_grant':
      return new ApiError('invalid_grant', `Apicbase does not accept this refresh token: it was already used or has been revoked. Ask the owner of ${name} for a new token. Nothing was saved.`, { status: error.status })
    case 'network':
    case 'timeout':
      return new ApiError(error.kind, `${error.message} Nothing was saved.${error.maybeCommitted ? ' The request may have reached Apicbase: if trying again says the token was already used, ask the owner for a new one.' : ''}`, { status: error.status, maybeCommitted: error.maybeCommitted })
    default:
      return new ApiError(error.kind, `${error.message} Nothing was saved.`, { status: error.status, ...(error.retryAt === undefined ? {} : { retryAt: error.retryAt }) })
  }
}
