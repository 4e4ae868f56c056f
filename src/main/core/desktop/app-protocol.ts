// The built page is served through Larder's own scheme (`larder://app/…`), not file://: a file:// page may read
// other local files, and every file on disk shares its origin. These are the plain rules of that scheme: which
// request URL names which file inside the built renderer folder, and the headers every answer carries.
import path from 'node:path'

export const APP_SCHEME = 'larder'
export const APP_ORIGIN = `${APP_SCHEME}://app`
export const APP_PAGE_URL = `${APP_ORIGIN}/index.html`

/**
 * The page's own files and nothing else: no connections (the bridge is IPC), no plugins, no base or form tricks, and
 * no framing. Sent as a header, so frame-ancestors counts (a meta policy cannot carry it).
 */
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

/** The kinds of file the built renderer holds; any other name is not served (by this scheme or the browser host). */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2'
}

/** Build output names (`index-CB4xEhDW.js`, `larder.svg`): letters, digits, `.`, `_`, `-`; never a leading dot. */
const SAFE_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/
const MAX_SEGMENTS = 8
const PREFIX = `${APP_ORIGIN}/`

export type AppRequestVerdict = { readonly ok: true; readonly file: string; readonly contentType: string } | { readonly ok: false }

type PathJoin = Pick<typeof path, 'join' | 'relative' | 'isAbsolute' | 'sep'>

/**
 * The file a request URL names inside `root`, or a refusal. The URL is read as it arrives, before any normalising:
 * a `..` (plain or encoded), an encoded or back slash, an empty segment, another host, credentials or a port, and
 * any name outside the build's alphabet are refused rather than cleaned up.
 */
export function resolveAppRequest(url: string, root: string, paths: PathJoin = path): AppRequestVerdict {
  if (typeof url !== 'string' || url.length > 2048 || !url.startsWith(PREFIX)) return { ok: false }
  const end = url.search(/[?#]/)
  const rawPath = url.slice(PREFIX.length, end === -1 ? undefined : end)
  const rawSegments = rawPath.split('/')
  if (rawSegments.length > MAX_SEGMENTS) return { ok: false }
  const segments: string[] = []
  for (const raw of rawSegments) {
    let segment: string
    try {
      segment = decodeURIComponent(raw)
    } catch {
      return { ok: false }
    }
    // Decoded first, so `%2e%2e`, `%2f` and `%5c` fall to the same rule as `..`, `/` and `\`.
    if (!SAFE_SEGMENT.test(segment)) return { ok: false }
    segments.push(segment)
  }
  const name = segments.at(-1) ?? ''
  const contentType = CONTENT_TYPES[extension(name)]
  if (contentType === undefined) return { ok: false }
  const file = paths.join(root, ...segments)
  // Belt and braces: whatever the segments were, the file must lie inside the root.
  const inside = paths.relative(root, file)
  if (inside === '' || inside.startsWith('..') || paths.isAbsolute(inside)) return { ok: false }
  return { ok: true, file, contentType }
}

function extension(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot).toLowerCase() : ''
}

/** How long a hashed build asset may be kept: for good (a new build names its files anew). */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable'

/** A build asset named by its content (`/assets/index-CB4xEhDW.js`: Vite's 8-character hash before the extension). */
const HASHED_ASSET = /^\/assets\/[A-Za-z0-9_.-]*[A-Za-z0-9_]-[A-Za-z0-9_-]{8}\.(?:js|css|svg|png|ico|json|woff2)$/

/** Whether a URL path (as served, from the origin's root) names a hashed build asset. */
export function isHashedAsset(pathname: string): boolean {
  return HASHED_ASSET.test(pathname)
}

/**
 * The headers of every answer, found or not. Only a hashed build asset is `immutable`: it may be kept from one start
 * to the next, and with it V8's code cache of the script; the page and everything else are never stored.
 */
export function appResponseHeaders(contentType: string, options: { readonly immutable?: boolean } = {}): Readonly<Record<string, string>> {
  return {
    'content-type': contentType,
    'content-security-policy': APP_CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': options.immutable === true ? IMMUTABLE_CACHE : 'no-store'
  }
}

/** The URL path of a larder://app request (no query or fragment), for isHashedAsset. */
export function appPathname(url: string): string {
  const end = url.search(/[?#]/)
  return url.slice(APP_ORIGIN.length, end === -1 ? undefined : end)
}
