// HTTP plumbing shared by the route handlers: replies as values (so a fault can replace,
// truncate or swallow them after the operation committed), body reading, forms, pagination.

import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import type { HitRoute } from './model.ts'

export const BODY_LIMIT_BYTES = 64 * 1024
/** Django REST framework's page: 10 items unless `?page_size=` asks for up to 200. */
export const PAGE_SIZE = 10
export const MAX_PAGE_SIZE = 200

export interface Reply {
  status: number
  headers: Record<string, string>
  body: string | Buffer
  /** Sent without Content-Length (chunked), so a client must police the size while reading. */
  streamed?: boolean
}

/** One request as the handlers see it; handlers fill in familyId/libraryId for the counters. */
export interface RequestContext {
  method: string
  url: URL
  route: HitRoute
  headers: IncomingHttpHeaders
  body: Buffer
  remoteAddress: string
  familyId: string | null
  libraryId: number | null
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(value) }
}

export function detail(status: number, message: string, headers: Record<string, string> = {}): Reply {
  return json(status, { detail: message }, headers)
}

export type OAuthErrorCode = 'invalid_grant' | 'invalid_client' | 'invalid_request' | 'unsupported_grant_type' | 'invalid_scope'

/** oauthlib sends these on every token-endpoint answer, errors included. */
export const NO_STORE: Readonly<Record<string, string>> = { 'Cache-Control': 'no-store', Pragma: 'no-cache' }

export function oauthError(error: OAuthErrorCode, description: string): Reply {
  const status = error === 'invalid_client' ? 401 : 400
  return json(status, { error, error_description: description }, NO_STORE)
}

export function html(status: number, markup: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers }, body: markup }
}

export function methodNotAllowed(method: string, allowed: readonly string[]): Reply {
  return detail(405, `Method "${method}" not allowed.`, { Allow: allowed.join(', ') })
}

export const notFound = (): Reply => detail(404, 'Not found.')

export class BodyTooLargeError extends Error {}

/** Reads the body up to the limit. Past it the rest is drained (not kept) so a 413 can be answered. */
export async function readBody(req: IncomingMessage, limit: number = BODY_LIMIT_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0')
  const chunks: Buffer[] = []
  let size = 0
  let tooLarge = declared > limit
  for await (const chunk of req) {
    if (!(chunk instanceof Buffer)) continue
    size += chunk.length
    if (size > limit) tooLarge = true
    if (size > limit * 256) throw new BodyTooLargeError('body far beyond limit') // stop draining a flood
    if (!tooLarge) chunks.push(chunk)
  }
  if (tooLarge) throw new BodyTooLargeError(`body larger than ${limit} bytes`)
  return Buffer.concat(chunks)
}

export function mediaType(headers: IncomingHttpHeaders): string {
  return (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
}

export function isForm(ctx: RequestContext): boolean {
  return mediaType(ctx.headers) === 'application/x-www-form-urlencoded'
}

export function parseForm(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString('utf8'))
}

/**
 * The client credentials a request offers, in the order django-oauth-toolkit tries them: HTTP Basic first, then the
 * form body (a Basic header that does not authenticate falls back to the form).
 */
export function offeredCredentials(ctx: RequestContext, form: URLSearchParams): { id: string; secret: string }[] {
  const offered: { id: string; secret: string }[] = []
  const basic = basicCredentials(ctx.headers.authorization ?? '')
  if (basic !== null) offered.push(basic)
  const id = form.get('client_id')
  const secret = form.get('client_secret')
  if (id !== null && secret !== null) offered.push({ id, secret })
  return offered
}

function basicCredentials(auth: string): { id: string; secret: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(auth)
  if (match?.[1] === undefined) return null
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return null
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '))
    }
  } catch {
    return null
  }
}

export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')
  return match?.[1] ?? null
}

/**
 * DRF-style page: `?page=N` and `?page_size=N` (a size above 200 is capped, an unreadable one means 10), absolute
 * next/previous links with their parameters sorted as DRF writes them, and 404 "Invalid page." out of range.
 */
export function paginate<T>(items: readonly T[], ctx: RequestContext, baseUrl: string): Reply {
  const size = pageSize(ctx.url.searchParams.get('page_size'))
  const raw = ctx.url.searchParams.get('page')
  const pages = Math.max(1, Math.ceil(items.length / size))
  const page = raw === null ? 1 : raw === 'last' ? pages : /^\d+$/.test(raw) ? Number(raw) : NaN
  if (!Number.isInteger(page) || page < 1 || page > pages) return detail(404, 'Invalid page.')
  const link = (target: number): string => {
    const url = new URL(ctx.url.pathname + ctx.url.search, baseUrl)
    if (target === 1) url.searchParams.delete('page')
    else url.searchParams.set('page', String(target))
    url.searchParams.sort()
    return url.toString()
  }
  return json(200, {
    count: items.length,
    next: page < pages ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results: items.slice((page - 1) * size, page * size)
  })
}

function pageSize(raw: string | null): number {
  if (raw === null || !/^\d+$/.test(raw)) return PAGE_SIZE
  const size = Number(raw)
  return size < 1 ? PAGE_SIZE : Math.min(size, MAX_PAGE_SIZE)
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
