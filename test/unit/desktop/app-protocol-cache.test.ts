// The built renderer's hashed assets (`assets/<name>-<8-character hash>.<ext>`) never change under their name, so a
// window may keep them (and V8's code cache of the scripts) from one start to the next; the page itself and any other
// answer are never stored. Every other header stays as strict as before.
import { describe, expect, it } from 'vitest'
import { APP_CSP, IMMUTABLE_CACHE, appResponseHeaders, isHashedAsset } from '../../../src/main/core/desktop/app-protocol.ts'

describe('which answers may be cached', () => {
  it.each(['/assets/index-CB4xEhDW.js', '/assets/index-DKUlD-3C.css', '/assets/rolldown-runtime-WkwZ5CU-.js', '/assets/AddLibraryDialog-BXvYbn4V.css', '/assets/font-a_b-C9dE_f-1.woff2'])('a hashed build asset: %s', (pathname) => {
    expect(isHashedAsset(pathname)).toBe(true)
  })

  it.each(['/index.html', '/', '/larder.svg', '/assets/app.js', '/assets/index-CB4xEhD.js', '/assets/index-CB4xEhDW.exe', '/assets/sub/index-CB4xEhDW.js', '/other/index-CB4xEhDW.js', '/assets/-CB4xEhDW.js', '/assets/index-CB4x.hDW.js'])('not: %s', (pathname) => {
    expect(isHashedAsset(pathname)).toBe(false)
  })

  it('a cacheable answer keeps every strict header, with only cache-control changed', () => {
    expect(IMMUTABLE_CACHE).toBe('public, max-age=31536000, immutable')
    expect(appResponseHeaders('text/javascript; charset=utf-8', { immutable: true })).toEqual({
      'content-type': 'text/javascript; charset=utf-8',
      'content-security-policy': APP_CSP,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': IMMUTABLE_CACHE
    })
    expect(appResponseHeaders('text/html; charset=utf-8', { immutable: false })['cache-control']).toBe('no-store')
    expect(appResponseHeaders('text/html; charset=utf-8')['cache-control']).toBe('no-store')
  })
})
