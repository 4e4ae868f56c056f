import { describe, expect, it } from 'vitest'
import { closeAction, externalUrlToOpen, isAllowedExternalUrl, ownUrlMatcher } from '../../../src/main/core/desktop/window-policy.ts'

describe('external links', () => {
  it.each<[unknown, boolean]>([
    ['https://apicbase.com', true],
    ['https://apicbase.com/pricing', true],
    ['https://app.apicbase.com/oauth/applications/', true],
    ['https://api.apicbase.com/api/v2/docs?x=1#top', true],
    ['HTTPS://App.ApicBase.COM/x', true],
    ['https://app.apicbase.com:443/x', true],
    ['http://app.apicbase.com', false],
    ['https://app.apicbase.com:8443/', false],
    ['https://apicbase.com.evil.example/', false],
    ['https://evilapicbase.com/', false],
    ['https://apicbase.com@evil.example/', false],
    ['https://user:pw@app.apicbase.com/', false],
    ['https://evil.example\\.apicbase.com/', false],
    ['https://evil.example/https://app.apicbase.com', false],
    ['https://app.apicbase.com./', false],
    ['javascript:alert(1)//.apicbase.com', false],
    ['file:///etc/passwd', false],
    ['data:text/html,hi', false],
    ['//app.apicbase.com', false],
    ['app.apicbase.com', false],
    ['', false],
    [`https://app.apicbase.com/${'a'.repeat(3000)}`, false],
    [undefined, false],
    [42, false]
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedExternalUrl(url)).toBe(allowed)
  })

  it('hands over the parsed, normalised URL', () => {
    expect(externalUrlToOpen('HTTPS://App.Apicbase.com:443/a b')).toBe('https://app.apicbase.com/a%20b')
  })
})

describe('own renderer URL', () => {
  // The built page is served through Larder's own protocol, never from file://.
  const built = ownUrlMatcher({ pageUrl: 'larder://app/index.html' })

  it.each<[string, boolean]>([
    ['larder://app/index.html', true],
    ['larder://app/index.html#/library/1', true],
    ['larder://app/index.html?x=1', true],
    ['larder://app/other.html', false],
    ['larder://app/assets/index-CB4xEhDW.js', false],
    ['larder://app/', false],
    ['larder://evil/index.html', false],
    ['larder://app.evil/index.html', false],
    ['larder://user@app/index.html', false],
    ['file:///opt/Larder/resources/app.asar/out/renderer/index.html', false],
    ['file:///tmp/evil.html', false],
    ['https://app.apicbase.com/', false],
    ['not a url', false]
  ])('built app: %s → %s', (url, own) => {
    expect(built(url)).toBe(own)
  })

  it('in development: the dev server origin only', () => {
    const dev = ownUrlMatcher({ devServerUrl: 'http://localhost:5173', pageUrl: 'larder://app/index.html' })
    expect(dev('http://localhost:5173/')).toBe(true)
    expect(dev('http://localhost:5173/#/settings')).toBe(true)
    expect(dev('http://localhost:5174/')).toBe(false)
    expect(dev('http://localhost:5173.evil.example/')).toBe(false)
    expect(dev('larder://app/index.html')).toBe(false)
    expect(dev('file:///x/index.html')).toBe(false)
  })

  it('refuses nonsense locations', () => {
    expect(() => ownUrlMatcher({ devServerUrl: 'ftp://x', pageUrl: 'larder://app/index.html' })).toThrow()
    expect(() => ownUrlMatcher({ pageUrl: 'https://x/index.html' })).toThrow()
    expect(() => ownUrlMatcher({ pageUrl: 'file:///x/index.html' })).toThrow()
  })
})

describe('closing the window', () => {
  it('hides to the tray unless quitting or there is no tray', () => {
    expect(closeAction({ quitting: false, trayAvailable: true })).toBe('hide')
    expect(closeAction({ quitting: true, trayAvailable: true })).toBe('close')
    expect(closeAction({ quitting: false, trayAvailable: false })).toBe('close')
  })
})
