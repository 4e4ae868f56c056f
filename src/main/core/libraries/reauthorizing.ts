// Re-authorizing a library that needs it (or was revoked) with a new token pair from its owner.
import { requireTrustedApiHost, type TokenResponse } from '../apicbase/index.ts'
import { issuedPair } from '../engine/issued-pair.ts'
import { InputError } from '../errors.ts'
import type { LibraryContext } from './library-context.ts'
import type { LibraryWithStatus } from './library-views.ts'
import { checkPastedPair, explainAddFailure } from './pasted-pair.ts'

/** See LibraryService.reauthorize. */
export async function reauthorize(ctx: LibraryContext, id: string, input: unknown): Promise<LibraryWithStatus> {
  const holder = ctx.views.tokenHolderOf(id)
  const meta = ctx.views.require(holder)
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new InputError('input', 'The new token pair must be an object')
  const { refreshToken } = checkPastedPair(input as Record<string, unknown>, (token) => ctx.vault.isSpent(token))
  // The new pair goes to the library's stored host: one that is not Apicbase's is confirmed again, before it is sent.
  requireTrustedApiHost(meta.apiBaseUrl, (input as Record<string, unknown>)['confirmedHost'])
  const secrets = await ctx.vault.secrets(holder)
  let response: TokenResponse
  try {
    response = await ctx.client.refresh(
      { baseUrl: meta.apiBaseUrl, libraryName: meta.name, rateKey: holder },
      { clientId: meta.clientId, clientSecret: secrets.clientSecret },
      refreshToken
    )
  } catch (error) {
    throw explainAddFailure(error, meta.name)
  }
  // The refresh that checked the pasted pair issued this one, so the library was refreshed just now: the vault records
  // the pair's issue time as its last refresh (and Issued), not the dead token's.
  await ctx.vault.reauthorize(holder, issuedPair(response, ctx.clock.now()), { consumedRefreshToken: refreshToken })
  ctx.engine.track(holder)
  ctx.record({ action: 'restored', libraryId: holder, libraryName: meta.name, outcome: 'ok', detail: 'new token pair from the owner' })
  return ctx.views.get(id)
}
