// The resource API: accounts (libraries, active library, outlets) and recipes. Authentication
// and the dual scope + personal-permission rule live here, in one place.

import type { SandboxEnv } from './env.ts'
import type { Reply, RequestContext } from './http.ts'
import { bearerToken, detail, json, mediaType, methodNotAllowed, paginate, parseForm } from './http.ts'
import type { LibraryInfo, Scope } from './model.ts'
import type { Library, TokenFamily } from './state.ts'

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="api"' }

type Authenticated = { ok: true; family: TokenFamily } | { ok: false; reply: Reply }

function authenticate(ctx: RequestContext, env: SandboxEnv): Authenticated {
  const token = bearerToken(ctx.headers)
  const fail = (message: string): Authenticated => ({ ok: false, reply: detail(401, message, CHALLENGE) })
  if (token === null) return fail('Authentication credentials were not provided.')
  const found = env.state.lookupAccess(token)
  if (found === null) return fail('Invalid access token.')
  const { record, family } = found
  ctx.familyId = family.id
  if (record.revoked || family.revoked) return fail('The access token has been revoked.')
  if (env.clock.now() >= record.expiresAt) return fail('The access token has expired.')
  if (!env.state.userActive(family)) return fail('User inactive or deleted.')
  return { ok: true, family }
}

/** 403 when the token itself lacks the OAuth scope. */
function scopeDenied(family: TokenFamily, scope: Scope): Reply | null {
  if (family.scopes.includes(scope)) return null
  return detail(403, `You do not have permission to perform this action: the token lacks the '${scope}' scope.`)
}

/** 403 when a personal token's user lacks the permission in that library (the second half of the rule). */
function permissionDenied(env: SandboxEnv, family: TokenFamily, scope: Scope, library: Library): Reply | null {
  if (family.userId === null) return null // service accounts and connections: admin within their scopes
  const user = env.state.users.get(family.userId)
  if (user?.permissions.get(library.id)?.has(scope) === true) return null
  return detail(
    403,
    `You do not have permission to perform this action: user '${user?.name ?? family.userId}' lacks the ` +
      `'${scope}' permission in library '${library.name}' (${library.id}).`
  )
}

/** Authenticates, resolves the library the token acts on, and enforces the scope rule. */
function guard(ctx: RequestContext, env: SandboxEnv, scope: Scope): { family: TokenFamily; library: Library } | Reply {
  const auth = authenticate(ctx, env)
  if (!auth.ok) return auth.reply
  const library = env.state.actingLibrary(auth.family)
  if (library === null) return detail(403, 'This token does not act on any library.')
  ctx.libraryId = library.id
  return scopeDenied(auth.family, scope) ?? permissionDenied(env, auth.family, scope, library) ?? { family: auth.family, library }
}

const isReply = (value: object): value is Reply => 'status' in value && 'body' in value

export const libraryInfo = (lib: Library): LibraryInfo => ({ id: lib.id, name: lib.name, status: lib.status })

export function librariesEndpoint(ctx: RequestContext, env: SandboxEnv): Reply {
  if (ctx.method !== 'GET') return methodNotAllowed(ctx.method, ['GET'])
  const g = guard(ctx, env, 'accounts')
  if (isReply(g)) return g
  return paginate(env.state.reachableLibraries(g.family).map(libraryInfo), ctx, env.baseUrl)
}

export function activeLibraryEndpoint(ctx: RequestContext, env: SandboxEnv): Reply {
  if (ctx.method !== 'GET' && ctx.method !== 'POST') return methodNotAllowed(ctx.method, ['GET', 'POST'])
  if (ctx.method === 'GET') {
    const g = guard(ctx, env, 'accounts')
    return isReply(g) ? g : json(200, libraryInfo(g.library))
  }
  const auth = authenticate(ctx, env)
  if (!auth.ok) return auth.reply
  const { family } = auth
  const noScope = scopeDenied(family, 'accounts')
  if (noScope !== null) return noScope
  if (family.userId === null) {
    ctx.libraryId = family.libraryId
    return detail(400, `This ${family.kind.replace('_', ' ')} token is bound to library ${family.libraryId}; it has no active library to switch.`)
  }
  const requested = requestedLibrary(ctx)
  if (typeof requested === 'string') return detail(400, requested)
  const user = env.state.users.get(family.userId)
  const target = env.state.libraries.get(requested)
  if (user === undefined || target === undefined || !user.permissions.has(requested)) {
    return detail(400, `Library ${requested} does not exist or is not accessible to this user.`)
  }
  ctx.libraryId = target.id
  const denied = permissionDenied(env, family, 'accounts', target)
  if (denied !== null) return denied
  user.activeLibraryId = target.id
  return json(200, libraryInfo(target))
}

/** `{"library": id}` as JSON (documented shape) or as a form field; id may be a numeric string. */
function requestedLibrary(ctx: RequestContext): number | string {
  let value: unknown
  const type = mediaType(ctx.headers)
  if (type === 'application/x-www-form-urlencoded') {
    value = parseForm(ctx.body).get('library') ?? undefined
  } else {
    try {
      const parsed: unknown = JSON.parse(ctx.body.toString('utf8'))
      value = typeof parsed === 'object' && parsed !== null && 'library' in parsed ? parsed.library : undefined
    } catch {
      return 'JSON parse error: the body must be {"library": <id>}.'
    }
  }
  if (value === undefined || value === null || value === '') return "The field 'library' is required."
  const id = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN
  return Number.isInteger(id) ? id : "The field 'library' must be a library id."
}

export function recipesEndpoint(ctx: RequestContext, env: SandboxEnv): Reply {
  if (ctx.method !== 'GET') return methodNotAllowed(ctx.method, ['GET'])
  const g = guard(ctx, env, 'library')
  return isReply(g) ? g : paginate(env.catalog.recipesOf(g.library), ctx, env.baseUrl)
}

export function outletsEndpoint(ctx: RequestContext, env: SandboxEnv): Reply {
  if (ctx.method !== 'GET') return methodNotAllowed(ctx.method, ['GET'])
  const g = guard(ctx, env, 'accounts')
  return isReply(g) ? g : paginate(env.catalog.outletsOf(g.library), ctx, env.baseUrl)
}
