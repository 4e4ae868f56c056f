// Adding a library: from credentials a person pasted (checked with a refresh, the only call that proves both the
// client secret and the refresh token), or from a personal token just issued through the authorization-code flow.
// Either way the pair is durable before anything else happens; then Larder asks Apicbase which library it acts on.
import { checkedCustomerLabel } from '../customer-label.ts'
import { apiHostOf, normalizeApiBaseUrl, requireTrustedApiHost, type ApicbaseLibrary, type TokenResponse } from '../apicbase/index.ts'
import { issuedPair } from '../engine/issued-pair.ts'
import { InputError } from '../errors.ts'
import { tokenPreview, TOKEN_TYPES, type LibraryMeta, type TokenType } from '../model.ts'
import type { LibraryContext } from './library-context.ts'
import type { LibraryWithStatus } from './library-views.ts'
import { displayName, pastedOpaque } from './pasted.ts'
import { checkNotHeldAlready, checkPastedPair, explainAddFailure } from './pasted-pair.ts'

/** A token pair just issued by the token endpoint for a personal token (the authorization-code flow). */
export interface ExchangedToken {
  readonly name: string
  readonly apiBaseUrl: string
  readonly clientId: string
  readonly clientSecret: string
  readonly response: TokenResponse
  /** How it was obtained, for the audit trail. */
  readonly via: string
}

export interface AddedLibrary {
  readonly library: LibraryWithStatus
  /** The library Apicbase says the token acts on, when it could tell. */
  readonly found: ApicbaseLibrary | null
}

/** See LibraryService.add. */
export async function addPasted(ctx: LibraryContext, input: unknown): Promise<AddedLibrary> {
  const checked = checkNewLibrary(ctx, input)
  const target = { baseUrl: checked.apiBaseUrl, libraryName: checked.name, rateKey: `new:${checked.clientId}` }
  const credentials = { clientId: checked.clientId, clientSecret: checked.clientSecret }
  let response: TokenResponse
  try {
    response = await ctx.client.refresh(target, credentials, checked.refreshToken)
  } catch (error) {
    throw explainAddFailure(error, checked.name)
  }
  const { name, customer, tokenType, apiBaseUrl, clientId, clientSecret, duplicateOf } = checked
  const audit = duplicateOf === null ? tokenType : `${tokenType}, a second entry beside "${duplicateOf.name}" (same client ID, confirmed)`
  return store(ctx, { name, customer, tokenType, apiBaseUrl, clientId, clientSecret, spentRefreshToken: checked.refreshToken, audit }, response)
}

/** See LibraryService.addExchanged. */
export async function addExchanged(ctx: LibraryContext, token: ExchangedToken): Promise<AddedLibrary> {
  const { name, apiBaseUrl, clientId, clientSecret } = token
  return store(ctx, { name, customer: null, tokenType: 'personal', apiBaseUrl, clientId, clientSecret, spentRefreshToken: null, audit: `personal token ${token.via}` }, token.response)
}

interface NewLibrary {
  readonly name: string
  /** Its customer label; null: none. */
  readonly customer: string | null
  readonly tokenType: TokenType
  readonly apiBaseUrl: string
  readonly clientId: string
  readonly clientSecret: string
  /** The pasted refresh token the check (a refresh) spent; null for a pair from a code exchange. */
  readonly spentRefreshToken: string | null
  /** How it was added, for the audit trail. */
  readonly audit: string
}

/** Saves the new record (and a spent pasted refresh token in the same write), then identifies its library. */
async function store(ctx: LibraryContext, library: NewLibrary, response: TokenResponse): Promise<AddedLibrary> {
  const now = ctx.clock.now()
  const pair = issuedPair(response, now)
  const id = ctx.newId()
  const meta: LibraryMeta = {
    id,
    name: library.name,
    apicbaseLibraryId: null,
    apicbaseLibraryName: null,
    tokenType: library.tokenType,
    scopes: pair.scopes,
    apiBaseUrl: library.apiBaseUrl,
    clientId: library.clientId,
    addedAt: now,
    issuedAt: now,
    expiresAt: pair.expiresAt,
    lastRefreshedAt: library.spentRefreshToken === null ? null : now,
    lastUsedAt: null,
    lastError: null,
    tokenState: 'active',
    tokenPreview: tokenPreview(pair.accessToken),
    // Last, and only when there is one (as the vault writes it).
    ...(library.customer === null ? {} : { customer: library.customer })
  }
  const secrets = { clientSecret: library.clientSecret, accessToken: pair.accessToken, refreshToken: pair.refreshToken }
  await ctx.vault.add(meta, secrets, library.spentRefreshToken === null ? undefined : { consumedRefreshToken: library.spentRefreshToken })
  ctx.engine.track(id)
  ctx.record({ action: 'added', libraryId: id, libraryName: meta.name, outcome: 'ok', detail: `${library.audit}, scopes: ${meta.scopes.join(' ') || 'none'}${hostNote(meta.apiBaseUrl)}` })
  const found = await identify(ctx, id, pair.accessToken)
  return { library: ctx.views.get(id), found }
}

/** For the audit trail: a host that is not Apicbase's was confirmed by the person who added the library. */
function hostNote(apiBaseUrl: string): string {
  const { kind, host } = apiHostOf(apiBaseUrl)
  return kind === 'other' ? `, API host ${host} (not Apicbase, confirmed when added)` : ''
}

/** Best effort: asks Apicbase which library the token acts on and records it. A failure here is not fatal. */
async function identify(ctx: LibraryContext, id: string, accessToken: string): Promise<ApicbaseLibrary | null> {
  const meta = ctx.views.require(id)
  try {
    const report = await ctx.client.healthCheck({ baseUrl: meta.apiBaseUrl, libraryName: meta.name, rateKey: id }, accessToken)
    const found = report.activeLibrary
    if (found) await ctx.vault.patch(id, { apicbaseLibraryId: found.id, apicbaseLibraryName: found.name })
    return found
  } catch {
    return null
  }
}

/** Every check an add makes before anything is sent (a bulk import's dry run reuses it): throws the first InputError. */
export function checkNewLibrary(ctx: { readonly vault: Pick<LibraryContext['vault'], 'isSpent' | 'settings' | 'list'> }, input: unknown) {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new InputError('input', 'Library details must be an object')
  const raw = input as Record<string, unknown>
  const tokenType = raw['tokenType']
  if (typeof tokenType !== 'string' || !(TOKEN_TYPES as readonly string[]).includes(tokenType)) {
    throw new InputError('tokenType', `Token type must be one of ${TOKEN_TYPES.join(', ')}`)
  }
  const { accessToken, refreshToken } = checkPastedPair(raw, (token) => ctx.vault.isSpent(token))
  const base = raw['apiBaseUrl']
  const apiBaseUrl = normalizeApiBaseUrl(typeof base === 'string' && base.trim() !== '' ? base.trim() : ctx.vault.settings().defaultApiBaseUrl)
  // Before anything is sent: a host that is not Apicbase's (the default's too) needs this library's own confirmation.
  requireTrustedApiHost(apiBaseUrl, raw['confirmedHost'])
  const checked = {
    tokenType: tokenType as TokenType,
    name: displayName('name', raw['name']),
    customer: checkedCustomerLabel('customer', raw['customer']),
    clientId: pastedOpaque('clientId', 'Client ID', raw['clientId'], 256),
    clientSecret: pastedOpaque('clientSecret', 'Client secret', raw['clientSecret'], 512),
    accessToken,
    refreshToken,
    apiBaseUrl
  }
  // Last of the checks, so a confirmation is never asked for an add that would be refused anyway.
  const duplicateOf = checkNotHeldAlready(ctx.vault.list(), checked, raw['confirmDuplicateOf'])
  return { ...checked, duplicateOf }
}
