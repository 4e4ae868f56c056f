// The other OAuth endpoints: revocation (RFC 7009), introspection (RFC 7662) and the browser
// authorize page, which auto-approves as a seeded person since there is nobody to click.

import type { SandboxEnv } from './env.ts'
import type { Reply, RequestContext } from './http.ts'
import { escapeHtml, html, isForm, json, methodNotAllowed, oauthError, offeredCredentials, parseForm } from './http.ts'
import type { ApplicationInfo, Scope } from './model.ts'
import { ALL_SCOPES, CODE_CHALLENGE_METHODS, SandboxError, parseScopes } from './model.ts'
import type { CodeChallenge } from './state.ts'

function clientFor(ctx: RequestContext, env: SandboxEnv, form: URLSearchParams): ApplicationInfo | null {
  return env.state.authenticateOffered(offeredCredentials(ctx, form))
}

/** Tokens of other clients and unknown tokens are silently ignored, so nothing leaks. */
export function revokeEndpoint(ctx: RequestContext, env: SandboxEnv): Reply {
  if (ctx.method !== 'POST') return methodNotAllowed(ctx.method, ['POST'])
  if (!isForm(ctx)) return oauthError('invalid_request', 'The body must be application/x-www-form-urlencoded.')
  const form = parseForm(ctx.body)
  const client = clientFor(ctx, env, form)
  if (client === null) return oauthError('invalid_client', 'Client authentication failed.')
  const token = form.get('token')
  if (token === null || token === '') return oauthError('invalid_request', 'Missing token parameter.')
  const access = env.state.lookupAccess(token)
  if (access !== null && access.family.clientId === client.clientId) {
    access.record.revoked = true
    ctx.familyId = access.family.id
  }
  const refresh = env.state.lookupRefresh(token)
  if (refresh !== null && refresh.family.clientId === client.clientId && refresh.record.state === 'current') {
    env.state.revokeFamily(refresh.family)
    ctx.familyId = refresh.family.id
  }
  return json(200, {})
}

/** Access tokens only, like django-oauth-toolkit; any authenticated client may ask. */
export function introspectEndpoint(ctx: RequestContext, env: SandboxEnv): Reply {
  if (ctx.method !== 'POST') return methodNotAllowed(ctx.method, ['POST'])
  if (!isForm(ctx)) return oauthError('invalid_request', 'The body must be application/x-www-form-urlencoded.')
  const form = parseForm(ctx.body)
  if (clientFor(ctx, env, form) === null) return oauthError('invalid_client', 'Client authentication failed.')
  const token = form.get('token')
  if (token === null || token === '') return oauthError('invalid_request', 'Missing token parameter.')
  const found = env.state.lookupAccess(token)
  if (found === null || !env.state.isAccessUsable(found.record, found.family)) return json(200, { active: false })
  return json(200, {
    active: true,
    exp: Math.floor(found.record.expiresAt / 1000),
    scope: found.family.scopes.join(' '),
    client_id: found.family.clientId,
    token_type: 'Bearer'
  })
}

export function authorizeEndpoint(ctx: RequestContext, env: SandboxEnv): Reply {
  if (ctx.method !== 'GET') return methodNotAllowed(ctx.method, ['GET'])
  const q = ctx.url.searchParams
  const clientId = q.get('client_id') ?? ''
  // An unknown client or a bad redirect is shown, never redirected to (RFC 6749 4.1.2.1).
  if (!env.state.applications.has(clientId)) return errorPage('invalid_client', 'Unknown client_id.')
  const redirectRaw = q.get('redirect_uri')
  let redirect: URL | null = null
  if (redirectRaw !== null && redirectRaw !== '') {
    try {
      redirect = new URL(redirectRaw)
    } catch {
      return errorPage('invalid_request', 'redirect_uri is not a valid URL.')
    }
  }
  const state = q.get('state')
  const fail = (error: string, description: string): Reply =>
    redirect === null ? errorPage(error, description) : redirectTo(redirect, { error, error_description: description, state })

  if (q.get('response_type') !== 'code') return fail('unsupported_response_type', "Only response_type 'code' is supported.")
  let scopes: Scope[]
  try {
    const raw = q.get('scope')
    scopes = raw === null || raw.trim() === '' ? [...ALL_SCOPES] : parseScopes(raw)
  } catch (error) {
    return fail('invalid_scope', error instanceof SandboxError ? error.message : 'invalid scope')
  }
  const challenge = codeChallenge(q)
  if (challenge === 'unsupported') return fail('invalid_request', 'Transform algorithm not supported.')
  const userParam = q.get('user_id')
  const userId = userParam === null ? env.defaultUserId : Number(userParam)
  if (env.state.users.get(userId)?.active !== true) return fail('access_denied', 'That user cannot sign in.')
  const code = env.state.createCode(clientId, userId, scopes, redirect === null ? null : redirectRaw, challenge)
  if (redirect !== null) return redirectTo(redirect, { code, state })
  return html(
    200,
    `<!doctype html><html><head><title>Authorization code</title></head><body>` +
      `<h1>Copy this code into your application</h1>` +
      `<p><code id="authorization-code">${escapeHtml(code)}</code></p>` +
      `<p>It expires in one minute and works once.</p></body></html>`
  )
}

/** PKCE at the authorize step, as oauthlib: a challenge without a method is 'plain'; another method is refused. */
function codeChallenge(q: URLSearchParams): CodeChallenge | null | 'unsupported' {
  const challenge = q.get('code_challenge')
  if (challenge === null || challenge === '') return null
  const method = CODE_CHALLENGE_METHODS.find((known) => known === (q.get('code_challenge_method') ?? 'plain'))
  return method === undefined ? 'unsupported' : { challenge, method }
}

function redirectTo(base: URL, params: Record<string, string | null>): Reply {
  const target = new URL(base.toString())
  for (const [key, value] of Object.entries(params)) if (value !== null) target.searchParams.set(key, value)
  return { status: 302, headers: { Location: target.toString(), 'Content-Type': 'text/plain' }, body: '' }
}

function errorPage(error: string, description: string): Reply {
  return html(
    400,
    `<!doctype html><html><head><title>Authorization error</title></head><body>` +
      `<h1 id="error">${escapeHtml(error)}</h1><p>${escapeHtml(description)}</p></body></html>`
  )
}
