// The browser host's page and files: the bridge script put into index.html, the policy it is served with, and the
// renderer's files read once (inside the renderer folder only, symlinks resolved).
import { promises as fsp, readFileSync } from 'node:fs'
import { stripTypeScriptTypes } from 'node:module'
import path from 'node:path'

export const BRIDGE_SCRIPT_PATH = '/__host/web-bridge.js'

/**
 * web-bridge.ts with its types erased by Node itself (no bundler, no build step), as a classic script: wrapped in a
 * function of its own, so nothing but `window.larder` becomes global.
 */
export function loadBridgeScript(): string {
  const source = readFileSync(path.join(import.meta.dirname, 'web-bridge.ts'), 'utf8')
  return `(() => {\n'use strict';\n${stripTypeScriptTypes(source, { mode: 'strip' })}\n})()\n`
}

/**
 * Inserts the bridge script before the page's first script or link: a classic script there runs while the HTML is
 * parsed (a module, or a script after a stylesheet, would wait for the styles), so `window.larder` exists and its
 * socket is opening before the app's modules load.
 */
export function withBridgeScript(html: string): string {
  const tag = `<script src="${BRIDGE_SCRIPT_PATH}"></script>`
  const firstScript = html.search(/<(?:script|link)\b/i)
  if (firstScript >= 0) return `${html.slice(0, firstScript)}${tag}\n    ${html.slice(firstScript)}`
  const headEnd = html.search(/<\/head>/i)
  if (headEnd >= 0) return `${html.slice(0, headEnd)}${tag}\n  ${html.slice(headEnd)}`
  return tag + html
}

/** The policy of the page's `<meta http-equiv="Content-Security-Policy">`, if it has one. */
export function metaCsp(html: string): string | null {
  for (const match of html.matchAll(/<meta\b[^>]*>/gi)) {
    const tag = match[0]
    if (!/http-equiv\s*=\s*["']?content-security-policy["']?/i.test(tag)) continue
    const content = /\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag)
    const value = content?.[1] ?? content?.[2]
    if (value !== undefined) return value.replace(/\s+/g, ' ').trim()
  }
  return null
}

/** The page's policy with the bridge socket added to connect-src (added as `'self' <ws>` if it had none). */
export function hostCsp(policy: string, socketOrigin: string): string {
  const directives = policy
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d !== '')
  let found = false
  const out = directives.map((directive) => {
    const [name] = directive.split(/\s+/, 1)
    if (name?.toLowerCase() !== 'connect-src') return directive
    found = true
    const sources = directive.split(/\s+/).slice(1).filter((s) => s !== "'none'")
    return ['connect-src', ...(sources.includes("'self'") ? [] : ["'self'"]), ...sources, socketOrigin].join(' ')
  })
  if (!found) out.push(`connect-src 'self' ${socketOrigin}`)
  return out.join('; ')
}

/** The policy with `frame-ancestors 'none'`, replacing whatever frame-ancestors it had (a meta policy cannot carry it). */
export function noFraming(policy: string): string {
  const directives = policy
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d !== '' && d.split(/\s+/, 1)[0]?.toLowerCase() !== 'frame-ancestors')
  return [...directives, "frame-ancestors 'none'"].join('; ')
}

export function decodedPath(url: string | undefined): string | null {
  try {
    const pathname = decodeURIComponent(new URL(url ?? '/', 'http://127.0.0.1').pathname)
    return pathname.includes('\0') ? null : pathname
  } catch {
    return null
  }
}

/** Every regular file inside root (symlinks resolved, none leading outside), by its URL path; index.html left out (read per request). */
export async function readRendererFiles(root: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  const entries = await fsp.readdir(root, { recursive: true })
  await Promise.all(
    entries.map(async (entry) => {
      const pathname = `/${entry.split(path.sep).join('/')}`
      if (pathname === '/index.html') return
      const content = await fileInsideRoot(root, pathname)
      if (content !== null) files.set(pathname, content)
    })
  )
  return files
}

export async function fileInsideRoot(root: string, pathname: string): Promise<Buffer | null> {
  const file = await insideRoot(root, pathname)
  return file === null ? null : fsp.readFile(file).catch(() => null)
}

/** The file for a URL path if it is a regular file inside root (symlinks resolved), else null. */
async function insideRoot(root: string, pathname: string): Promise<string | null> {
  const candidate = path.resolve(root, `.${pathname}`)
  if (!candidate.startsWith(root + path.sep)) return null
  try {
    const real = await fsp.realpath(candidate)
    if (!real.startsWith(root + path.sep)) return null
    return (await fsp.stat(real)).isFile() ? real : null
  } catch {
    return null
  }
}
