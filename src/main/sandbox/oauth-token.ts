// POST /oauth/token/ — refresh with rotation and authorization-code exchange, checked in the
// order oauthlib (under django-oauth-toolkit) checks them: grant type, parameters, client, grant.

import { createHash } from 'node:crypto'
import type { SandboxEnv } from './env.ts'
import type { Reply, RequestContext } from './http.ts'
import { NO_STORE, isForm, json, methodNotAllowed, oauthError, offeredCredentials, parseForm } from './http.ts'
import type { ApplicationInfo } from './model.ts'
import type { CodeChallenge, TokenFamily } from './state.ts'

export function tokenEndpoint(ctx: RequestContext, env: SandboxEnv): Reply {
  if (ctx.method !== 'POST') return methodNotAllowed(ctx.method, ['POST'])
  if (!isForm(ctx)) return oauthError('invalid_request', 'The body must be application/x-www-form-urlencoded.')
  const form = parseForm(ctx.body)
  const duplicate = ['grant_type', 'client_id', 'client_secret', 'refresh_token', 'code', 'redirect_uri', 'code_verifier'].find(
    (name) => form.getAll(name).length > 1
  )
  if (duplicate !== undefined) return oauthError('invalid_request', `Duplicate ${duplicate} parameter.`)
  const grantType = form.get('grant_type')
  if (grantType === 'refresh_token') return refreshGrant(ctx, env, form)
  if (grantType === 'authorization_code') return codeGrant(ctx, env, form)
  // A missing grant_type goes to oauthlib's default grant (authorization_code), which refuses it by type.
  return oauthError('unsupported_grant_type', grantType === null || grantType === '' ? 'Missing grant_type parameter.' : `Grant type '${grantType}' is not supported.`)
}

function authenticate(ctx: RequestContext, env: SandboxEnv, form: URLSearchParams): ApplicationInfo | null {
  return env.state.authenticateOffered(offeredCredentials(ctx, form))
}

function refreshGrant(ctx: RequestContext, env: SandboxEnv, form: URLSearchParams): Reply {
  const refreshToken = form.get('refresh_token')
  if (refreshToken === null || refreshToken === '') return oauthError('invalid_request', 'Missing refresh_token parameter.')
  const client = authenticate(ctx, env, form)
  if (client === null) return oauthError('invalid_client', 'Client authentication failed.')
  const found = env.state.lookupRefresh(refreshToken)
  if (found === null) return oauthError('invalid_grant', 'Invalid refresh token.')
  const { record, family } = found
  ctx.familyId = family.id
  ctx.libraryId = env.state.actingLibrary(family)?.id ?? null
  // Another application's token is simply not a grant this client holds; it must not be able
  // to kill someone else's family, so this check precedes reuse detection.
  if (family.clientId !== client.clientId) {
    return oauthError('invalid_grant', 'Refresh token was not issued to this client.')
  }
  if (record.state === 'rotated') {
    if (env.revokeFamilyOnReuse && !family.revoked) env.state.revokeFamily(family)
    return oauthError('invalid_grant', 'Refresh token has already been used.')
  }
  if (record.state === 'revoked' || family.revoked) return oauthError('invalid_grant', 'Refresh token has been revoked.')
  if (!env.state.userActive(family)) return oauthError('invalid_grant', 'The user of this token is inactive.')
  env.state.rotate(family, env.refreshTokenRotation === 'rotate')
  return tokenReply(env, family, env.refreshTokenRotation !== 'omitted')
}

function codeGrant(ctx: RequestContext, env: SandboxEnv, form: URLSearchParams): Reply {
  const codeValue = form.get('code')
  if (codeValue === null || codeValue === '') return oauthError('invalid_request', 'Missing code parameter.')
  const client = authenticate(ctx, env, form)
  if (client === null) return oauthError('invalid_client', 'Client authentication failed.')
  const code = env.state.findCode(codeValue)
  if (code === null || code.clientId !== client.clientId) return oauthError('invalid_grant', 'Invalid code.')
  if (code.used) return oauthError('invalid_grant', 'Code has already been used.')
  if (env.clock.now() >= code.expiresAt) return oauthError('invalid_grant', 'Code has expired.')
  // PKCE, in oauthlib's order (after the code, before the redirect URI); a failure does not consume the code.
  const verifier = form.get('code_verifier')
  if (code.challenge !== null) {
    if (verifier === null || verifier === '') return oauthError('invalid_request', 'Code verifier required.')
    if (!verifies(code.challenge, verifier)) return oauthError('invalid_grant', 'Invalid code verifier.')
  }
  const redirectUri = form.get('redirect_uri')
  if (code.redirectUri !== null) {
    // RFC 6749 4.1.3: required when the authorization request carried one, and must match.
    if (redirectUri === null) return oauthError('invalid_request', 'Missing redirect_uri parameter.')
    if (redirectUri !== code.redirectUri) return oauthError('invalid_grant', 'Mismatching redirect URI.')
  }
  if (env.state.users.get(code.userId)?.active !== true) return oauthError('invalid_grant', 'The user is inactive.')
  code.used = true
  const family = env.state.issue({
    clientId: client.clientId,
    kind: 'personal',
    libraryId: null,
    userId: code.userId,
    scopes: code.scopes
  })
  ctx.familyId = family.id
  ctx.libraryId = env.state.actingLibrary(family)?.id ?? null
  return tokenReply(env, family)
}

/** RFC 7636 4.6: S256 compares BASE64URL(SHA256(verifier)) with the challenge; plain compares them as they are. */
function verifies(challenge: CodeChallenge, verifier: string): boolean {
  const computed = challenge.method === 'S256' ? createHash('sha256').update(verifier, 'ascii').digest('base64url') : verifier
  return computed === challenge.challenge
}

function tokenReply(env: SandboxEnv, family: TokenFamily, withRefreshToken = true): Reply {
  return json(
    200,
    {
      access_token: family.accessToken,
      expires_in: env.state.accessTokenTtlSeconds,
      token_type: 'Bearer',
      scope: family.scopes.join(' '),
      ...(withRefreshToken ? { refresh_token: family.refreshToken } : {})
    },
    NO_STORE
  )
}
