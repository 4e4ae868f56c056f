// Serves the built renderer on larder://app/ (Electron's security checklist: prefer a custom protocol to file://).
// The rules (which URL names which file, which headers) are core/desktop/app-protocol.ts; this file registers the
// scheme and reads the files. Electron's fs reads inside the app.asar archive as inside a folder.
import fs from 'node:fs'
import { protocol } from 'electron'
import { APP_SCHEME, appPathname, appResponseHeaders, isHashedAsset, resolveAppRequest } from '../core/desktop/app-protocol.ts'

/**
 * Must run before the app is ready, once. Standard: the page gets an origin of its own (larder://app) and relative
 * URLs resolve; secure: it is a secure context; fetch and CORS mode: module scripts (`<script type="module"
 * crossorigin>`) load from it; code cache: V8 keeps the compiled scripts, so every start after the first skips
 * most of compiling them (Chromium does this only for http(s) unless a scheme asks). It does not bypass the page's
 * Content Security Policy.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } }
  ])
}

type ReadFile = (file: string) => Promise<Uint8Array>

/** The request handler: a file inside `root` named by a safe URL, else 404; every answer carries the strict headers. */
export function appRequestHandler(root: string, readFile: ReadFile = (file) => fs.promises.readFile(file)): (request: Pick<Request, 'url' | 'method'>) => Promise<Response> {
  return async (request) => {
    const verdict = request.method === 'GET' || request.method === 'HEAD' ? resolveAppRequest(request.url, root) : ({ ok: false } as const)
    if (!verdict.ok) return notFound()
    let body: Uint8Array
    try {
      body = await readFile(verdict.file)
    } catch {
      // Missing, a folder, unreadable: all the same to the page.
      return notFound()
    }
    const headers = appResponseHeaders(verdict.contentType, { immutable: isHashedAsset(appPathname(request.url)) })
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers })
  }
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: appResponseHeaders('text/plain; charset=utf-8') })
}

/** After ready: answers larder:// from `root` (the built renderer folder). Returns a disposer. */
export function serveApp(root: string): () => void {
  protocol.handle(APP_SCHEME, appRequestHandler(root))
  return () => protocol.unhandle(APP_SCHEME)
}
