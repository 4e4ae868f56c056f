// The connect-personal-token form: what the person typed, the checks that need no network, what is sent to
// 'oauth.start', and which field an error from Larder concerns. Pure: no DOM, no store.
import type { BridgeErrorShape, CallInput } from '../../../../shared/contract.ts'

export interface OAuthDraft {
  readonly name: string
  readonly clientId: string
  readonly clientSecret: string
  readonly scopes: readonly string[]
  readonly redirect: 'paste' | 'loopback'
  readonly apiBaseUrl: string
  /** The host the person ticked "I trust …" for, when it is not Apicbase's ('' when none). */
  readonly confirmedHost: string
}

export const EMPTY_OAUTH_DRAFT: OAuthDraft = {
  name: '',
  clientId: '',
  clientSecret: '',
  scopes: ['accounts', 'library'],
  redirect: 'paste',
  apiBaseUrl: '',
  confirmedHost: ''
}

export type OAuthField = 'name' | 'clientId' | 'clientSecret' | 'scopes' | 'apiBaseUrl'

/** Checks that need no network. */
export function missingOAuthFields(draft: OAuthDraft): Partial<Record<OAuthField, string>> {
  const errors: Partial<Record<OAuthField, string>> = {}
  if (draft.clientId.trim() === '') errors.clientId = 'Paste your partner application’s client ID.'
  if (draft.clientSecret.trim() === '') errors.clientSecret = 'Paste your partner application’s client secret.'
  if (draft.scopes.length === 0) errors.scopes = 'Choose at least one scope. “accounts” lets Larder list and switch libraries.'
  return errors
}

export function toOAuthStart(draft: OAuthDraft): CallInput<'oauth.start'> {
  const name = draft.name.trim()
  const base = draft.apiBaseUrl.trim()
  return {
    ...(name === '' ? {} : { name }),
    clientId: draft.clientId,
    clientSecret: draft.clientSecret,
    scopes: [...draft.scopes],
    redirect: draft.redirect,
    ...(base === '' ? {} : { apiBaseUrl: base }),
    ...(draft.confirmedHost === '' ? {} : { confirmedHost: draft.confirmedHost })
  }
}

/** The field an error from 'oauth.start' concerns, or null for the whole form. */
export function oauthFieldOfError(error: BridgeErrorShape): OAuthField | null {
  if (error.field !== undefined) {
    const first = error.field.split(/[.[]/)[0] ?? ''
    if (first === 'name' || first === 'clientId' || first === 'clientSecret' || first === 'scopes' || first === 'apiBaseUrl') return first
  }
  if (error.kind === 'api' && error.apiKind === 'invalid_client') return 'clientSecret'
  return null
}
