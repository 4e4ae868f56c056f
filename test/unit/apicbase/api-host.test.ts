// Which API hosts Larder sends a library's client secret and tokens to without asking: Apicbase's own
// (apicbase.com and its subdomains, on https's port), and the sandbox on this computer. Every other host needs a
// person's explicit confirmation naming it, per library (issue 13, item 2).
import { describe, expect, it } from 'vitest'
import { apiHostOf, checkDefaultApiBaseUrlChange, classifyApiBaseUrl, requireTrustedApiHost } from '../../../src/main/core/apicbase/api-host.ts'
import { InputError } from '../../../src/main/core/errors.ts'

const kindOf = (text: string): string | null => classifyApiBaseUrl(text)?.kind ?? null

describe('classifying an API base URL', () => {
  it("counts https to apicbase.com and any *.apicbase.com as Apicbase's", () => {
    expect(classifyApiBaseUrl('https://api.apicbase.com')).toEqual({ kind: 'apicbase', host: 'api.apicbase.com', origin: 'https://api.apicbase.com' })
    expect(kindOf('https://apicbase.com')).toBe('apicbase')
    expect(kindOf('https://staging.api.apicbase.com/')).toBe('apicbase')
    expect(kindOf('  https://api.apicbase.com  ')).toBe('apicbase')
    // The URL parser lower-cases and maps what IDNA maps (full-width letters, ideographic full stops) first.
    expect(classifyApiBaseUrl('HTTPS://API.ApicBase.COM')).toMatchObject({ kind: 'apicbase', host: 'api.apicbase.com' })
    expect(classifyApiBaseUrl('https://api\u3002apicbase\u3002com')).toMatchObject({ kind: 'apicbase', host: 'api.apicbase.com' })
    // https's own port, written out, is still https's port.
    expect(classifyApiBaseUrl('https://api.apicbase.com:443')).toMatchObject({ kind: 'apicbase', host: 'api.apicbase.com' })
  })

  it('does not count lookalikes, raw addresses or punycode as Apicbase', () => {
    expect(classifyApiBaseUrl('https://api.apicbase.com.evil.example')).toEqual({
      kind: 'other',
      host: 'api.apicbase.com.evil.example',
      origin: 'https://api.apicbase.com.evil.example'
    })
    expect(kindOf('https://apicbase.com.evil.example')).toBe('other')
    expect(kindOf('https://evilapicbase.com')).toBe('other')
    expect(kindOf('https://apicbase.co')).toBe('other')
    expect(kindOf('https://apicbase.com-evil.example')).toBe('other')
    expect(kindOf('https://api.apicbase.com%2eevil.example')).toBe('other')
    expect(classifyApiBaseUrl('https://203.0.113.7')).toMatchObject({ kind: 'other', host: '203.0.113.7' })
    expect(classifyApiBaseUrl('https://3405803783')).toMatchObject({ kind: 'other', host: '203.0.113.7' })
    expect(classifyApiBaseUrl('https://[2001:db8::1]')).toMatchObject({ kind: 'other', host: '[2001:db8::1]' })
    // A Cyrillic "а": the parser turns it into punycode, which never counts, even under apicbase.com.
    expect(classifyApiBaseUrl('https://\u0430picbase.com')).toMatchObject({ kind: 'other', host: 'xn--picbase-1fg.com' })
    expect(kindOf('https://api.xn--picbase-1fg.com')).toBe('other')
    expect(kindOf('https://xn--80a.apicbase.com')).toBe('other')
    expect(kindOf('https://XN--80A.apicbase.com')).toBe('other')
  })

  it('decides the edge cases: trailing dot, user info, ports, empty labels', () => {
    // A trailing dot names the same DNS host, but it is not how Apicbase's address is written: confirm it.
    expect(classifyApiBaseUrl('https://api.apicbase.com.')).toMatchObject({ kind: 'other', host: 'api.apicbase.com.' })
    // What is before an @ is a user name, not the host: the host is the one after it.
    expect(classifyApiBaseUrl('https://api.apicbase.com@evil.example')).toMatchObject({ kind: 'other', host: 'evil.example' })
    expect(classifyApiBaseUrl('https://evil.example@api.apicbase.com')).toMatchObject({ kind: 'apicbase', host: 'api.apicbase.com' })
    // Apicbase's API is on https's port; another port is a different service, and the host to confirm says which.
    expect(classifyApiBaseUrl('https://api.apicbase.com:8443')).toMatchObject({ kind: 'other', host: 'api.apicbase.com:8443' })
    expect(kindOf('https://.apicbase.com')).toBe('other')
    expect(kindOf('https://a..apicbase.com')).toBe('other')
  })

  it('counts the loopback sandbox (http or https) as loopback, and nothing else there', () => {
    expect(classifyApiBaseUrl('http://127.0.0.1:4010')).toEqual({ kind: 'loopback', host: '127.0.0.1:4010', origin: 'http://127.0.0.1:4010' })
    expect(kindOf('http://localhost:4010/')).toBe('loopback')
    expect(kindOf('http://LOCALHOST')).toBe('loopback')
    expect(classifyApiBaseUrl('http://[::1]:9')).toMatchObject({ kind: 'loopback', host: '[::1]:9' })
    expect(kindOf('https://127.0.0.1:4010')).toBe('loopback')
    expect(kindOf('https://127.0.0.2')).toBe('other')
  })

  it('has no answer for what is not an API base URL Larder could use', () => {
    expect(classifyApiBaseUrl('http://api.apicbase.com')).toBeNull()
    expect(classifyApiBaseUrl('http://127.0.0.2')).toBeNull()
    expect(classifyApiBaseUrl('ftp://api.apicbase.com')).toBeNull()
    expect(classifyApiBaseUrl('api.apicbase.com')).toBeNull()
    expect(classifyApiBaseUrl('')).toBeNull()
    expect(classifyApiBaseUrl('not a url')).toBeNull()
  })
})

describe('requiring a confirmation for a host that is not Apicbase', () => {
  it("lets Apicbase's hosts and the loopback sandbox through without one", () => {
    expect(requireTrustedApiHost('https://api.apicbase.com', undefined)).toMatchObject({ kind: 'apicbase' })
    expect(requireTrustedApiHost('http://127.0.0.1:4010', undefined)).toMatchObject({ kind: 'loopback' })
    // A confirmation nobody needed changes nothing.
    expect(requireTrustedApiHost('https://api.apicbase.com', 'evil.example')).toMatchObject({ kind: 'apicbase' })
  })

  it('refuses any other host without a confirmation naming exactly that host, and says which host', () => {
    const refusal = (confirmed: unknown): InputError => {
      try {
        requireTrustedApiHost('https://api.apicbase.com.evil.example', confirmed)
      } catch (error) {
        if (error instanceof InputError) return error
        throw error
      }
      throw new Error('not refused')
    }
    for (const confirmed of [undefined, '', 'api.apicbase.com', 'evil.example', 'API.APICBASE.COM.EVIL.EXAMPLE', 'api.apicbase.com.evil.example:443', true]) {
      const error = refusal(confirmed)
      expect(error.field).toBe('confirmedHost')
      expect(error.message).toContain('api.apicbase.com.evil.example')
    }
    expect(refusal(undefined).message).toMatch(/not an Apicbase address/)
    expect(requireTrustedApiHost('https://api.apicbase.com.evil.example', 'api.apicbase.com.evil.example')).toMatchObject({ kind: 'other' })
    expect(requireTrustedApiHost('https://partner.example:8443', 'partner.example:8443')).toMatchObject({ host: 'partner.example:8443' })
    expect(() => requireTrustedApiHost('https://partner.example:8443', 'partner.example')).toThrow(InputError)
  })

  it("reads a stored base URL's host for the views", () => {
    expect(apiHostOf('https://api.apicbase.com')).toEqual({ kind: 'apicbase', host: 'api.apicbase.com', origin: 'https://api.apicbase.com' })
    expect(apiHostOf('http://127.0.0.1:4010')).toMatchObject({ kind: 'loopback', host: '127.0.0.1:4010' })
    expect(apiHostOf('https://partner.example')).toMatchObject({ kind: 'other', host: 'partner.example' })
  })
})

describe('changing the default API base URL', () => {
  const CURRENT = 'https://api.apicbase.com'

  it('needs a confirmation naming the host when the new default is not Apicbase', () => {
    expect(() => checkDefaultApiBaseUrlChange(CURRENT, 'https://partner.example', undefined)).toThrow(/partner\.example.*not an Apicbase address/)
    expect(() => checkDefaultApiBaseUrlChange(CURRENT, 'https://partner.example', 'other.example')).toThrow(InputError)
    try {
      checkDefaultApiBaseUrlChange(CURRENT, 'https://partner.example', undefined)
    } catch (error) {
      expect((error as InputError).field).toBe('confirmedDefaultApiHost')
    }
    expect(() => checkDefaultApiBaseUrlChange(CURRENT, 'https://partner.example', 'partner.example')).not.toThrow()
  })

  it("needs none for Apicbase's hosts, the sandbox, or keeping the default it already has", () => {
    expect(() => checkDefaultApiBaseUrlChange(CURRENT, 'https://eu.apicbase.com', undefined)).not.toThrow()
    expect(() => checkDefaultApiBaseUrlChange(CURRENT, 'http://127.0.0.1:4010', undefined)).not.toThrow()
    expect(() => checkDefaultApiBaseUrlChange('https://partner.example', 'https://partner.example/', undefined)).not.toThrow()
    expect(() => checkDefaultApiBaseUrlChange('https://partner.example', 'https://PARTNER.example', undefined)).not.toThrow()
  })

  it('leaves a URL that is not one at all to the settings check, which names the real problem', () => {
    expect(() => checkDefaultApiBaseUrlChange(CURRENT, 'https://api.apicbase.com/api/v2', undefined)).not.toThrow()
    expect(() => checkDefaultApiBaseUrlChange(CURRENT, 'not a url', undefined)).not.toThrow()
  })
})
