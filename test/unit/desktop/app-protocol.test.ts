// Which file a larder://app/… request may read: only a plain file inside the built renderer folder, named by safe
// segments; anything else (traversal, encoded separators, other hosts, odd names) is refused, and the host answers 404.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP_CSP, APP_PAGE_URL, appResponseHeaders, resolveAppRequest } from '../../../src/main/core/desktop/app-protocol.ts'

const ROOT = '/opt/Larder/resources/app.asar/out/renderer'

describe('resolving larder://app requests', () => {
  it.each<[string, string, string]>([
    [APP_PAGE_URL, 'index.html', 'text/html; charset=utf-8'],
    ['larder://app/index.html#/library/1', 'index.html', 'text/html; charset=utf-8'],
    ['larder://app/index.html?x=1', 'index.html', 'text/html; charset=utf-8'],
    ['larder://app/assets/index-CB4xEhDW.js', 'assets/index-CB4xEhDW.js', 'text/javascript; charset=utf-8'],
    ['larder://app/assets/index-DKUlD-3C.css', 'assets/index-DKUlD-3C.css', 'text/css; charset=utf-8'],
    ['larder://app/larder.svg', 'larder.svg', 'image/svg+xml']
  ])('%s → %s', (url, relative, contentType) => {
    expect(resolveAppRequest(url, ROOT)).toEqual({ ok: true, file: path.join(ROOT, relative), contentType })
  })

  it.each([
    ['the bare origin', 'larder://app'],
    ['the root folder', 'larder://app/'],
    ['a folder', 'larder://app/assets/'],
    ['a parent segment', 'larder://app/../secret.js'],
    ['a parent segment deeper down', 'larder://app/assets/../../vault.json'],
    ['a current-folder segment', 'larder://app/./index.html'],
    ['encoded dots', 'larder://app/%2e%2e/vault.json'],
    ['half-encoded dots', 'larder://app/.%2E/vault.json'],
    ['an encoded slash', 'larder://app/assets%2f..%2f..%2fvault.json'],
    ['an encoded backslash', 'larder://app/assets%5C..%5Cvault.json'],
    ['a backslash', 'larder://app/..\\vault.json'],
    ['an empty segment', 'larder://app/assets//index.js'],
    ['an encoded NUL', 'larder://app/index.js%00.html'],
    ['a drive letter', 'larder://app/C:/Windows/win.ini'],
    ['a hidden file', 'larder://app/.env'],
    ['an unknown kind of file', 'larder://app/payload.exe'],
    ['a file without an extension', 'larder://app/README'],
    ['a space', 'larder://app/my%20page.html'],
    ['broken percent-encoding', 'larder://app/%E0%A4%A.js'],
    ['another host', 'larder://evil/index.html'],
    ['a host that starts like ours', 'larder://app.evil/index.html'],
    ['credentials', 'larder://user@app/index.html'],
    ['a port', 'larder://app:8080/index.html'],
    ['another scheme', 'file:///opt/Larder/resources/app.asar/out/renderer/index.html'],
    ['an https page', 'https://app/index.html'],
    ['a very long path', `larder://app/${'a/'.repeat(20)}x.js`],
    ['not a URL', 'index.html']
  ])('refuses %s (%s)', (_what, url) => {
    expect(resolveAppRequest(url, ROOT)).toEqual({ ok: false })
  })

  it('joins with the platform path rules (Windows)', () => {
    expect(resolveAppRequest('larder://app/assets/index.js', 'C:\\Program Files\\Larder\\resources\\app.asar\\out\\renderer', path.win32)).toEqual({
      ok: true,
      file: 'C:\\Program Files\\Larder\\resources\\app.asar\\out\\renderer\\assets\\index.js',
      contentType: 'text/javascript; charset=utf-8'
    })
  })
})

describe('response headers', () => {
  it('carry a strict policy: own files only, no connections, never framed', () => {
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'none'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'"
    ]) {
      expect(APP_CSP.split('; ')).toContain(directive)
    }
    expect(appResponseHeaders('text/css; charset=utf-8')).toEqual({
      'content-type': 'text/css; charset=utf-8',
      'content-security-policy': APP_CSP,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store'
    })
  })
})
