// Each key system's trusted-host rule, without a network: which hosts it names as its own, where a key's token goes
// (its API address, its check URL), and which of those need a person's confirmation naming the host.
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/main/core/errors.ts'
import { hostToConfirm, requireTrustedKeyHost } from '../../../src/main/core/systems/hosts.ts'
import { KEY_SYSTEMS } from '../../../src/main/core/systems/registry.ts'

const airtable = (apiBaseUrl?: string) => KEY_SYSTEMS.airtable.parseDetails(apiBaseUrl === undefined ? {} : { apiBaseUrl })
const safetyCulture = (apiBaseUrl?: string) => KEY_SYSTEMS.safetyculture.parseDetails({ kind: 'user', organisation: 'O', owner: 'P', ...(apiBaseUrl === undefined ? {} : { apiBaseUrl }) })
const service = (checkUrl: string | null) => KEY_SYSTEMS.service_token.parseDetails({ serviceUser: 'svc', environment: 'production', expiresAt: null, checkUrl })

describe('the trusted hosts each system declares', () => {
  it('SafetyCulture and Airtable trust their documented API host; a service token trusts none of its own', () => {
    expect(KEY_SYSTEMS.safetyculture.trustedHosts).toEqual(['api.safetyculture.io'])
    expect(KEY_SYSTEMS.airtable.trustedHosts).toEqual(['api.airtable.com'])
    expect(KEY_SYSTEMS.service_token.trustedHosts).toEqual([])
  })

  it('says where a key’s token goes: its API address, or its check URL (none without one)', () => {
    expect(KEY_SYSTEMS.airtable.sendsTo(airtable())).toBe('https://api.airtable.com')
    expect(KEY_SYSTEMS.safetyculture.sendsTo(safetyCulture())).toBe('https://api.safetyculture.io')
    expect(KEY_SYSTEMS.service_token.sendsTo(service('https://checks.example.net/ping'))).toBe('https://checks.example.net/ping')
    expect(KEY_SYSTEMS.service_token.sendsTo(service(null))).toBeNull()
  })
})

describe('which host needs confirming', () => {
  it('none for the system’s own host (any case, a trailing slash) or this computer', () => {
    expect(hostToConfirm(KEY_SYSTEMS.airtable, airtable())).toBeNull()
    expect(hostToConfirm(KEY_SYSTEMS.airtable, airtable('https://API.AIRTABLE.COM/'))).toBeNull()
    expect(hostToConfirm(KEY_SYSTEMS.safetyculture, safetyCulture())).toBeNull()
    for (const loopback of ['http://127.0.0.1:4010', 'http://localhost:9', 'http://[::1]:8080', 'https://localhost']) {
      expect(hostToConfirm(KEY_SYSTEMS.airtable, airtable(loopback))).toBeNull()
      expect(hostToConfirm(KEY_SYSTEMS.service_token, service(`${loopback}/check`))).toBeNull()
    }
    expect(hostToConfirm(KEY_SYSTEMS.service_token, service(null))).toBeNull()
  })

  it('the host, with its port, for anything else: another name, a lookalike, another port, another system’s host', () => {
    const cases: [string, string][] = [
      ['https://evil.example', 'evil.example'],
      ['https://api.airtable.com.evil.example/', 'api.airtable.com.evil.example'],
      ['https://api.airtable.com:8443', 'api.airtable.com:8443'],
      ['https://api.airtable.com./', 'api.airtable.com.'],
      ['https://api.safetyculture.io', 'api.safetyculture.io'],
      ['https://api.apicbase.com', 'api.apicbase.com'],
      ['https://api.airtable.com@evil.example', 'evil.example']
    ]
    for (const [address, host] of cases) expect(hostToConfirm(KEY_SYSTEMS.airtable, airtable(address))?.host, address).toBe(host)
    expect(hostToConfirm(KEY_SYSTEMS.service_token, service('https://api.airtable.com/v0/meta/whoami'))?.host).toBe('api.airtable.com')
  })

  it('refuses with InputError(confirmedHost) naming the host unless the confirmation names exactly it', () => {
    const details = airtable('https://evil.example')
    for (const confirmed of [undefined, '', 'EVIL.EXAMPLE ', 'api.airtable.com', 'evil.example:443.x']) {
      let error: unknown = null
      try {
        requireTrustedKeyHost(KEY_SYSTEMS.airtable, details, confirmed)
      } catch (thrown) {
        error = thrown
      }
      expect(error, String(confirmed)).toBeInstanceOf(InputError)
      expect((error as InputError).field).toBe('confirmedHost')
      expect((error as InputError).message).toMatch(/evil\.example.*Nothing was saved\./s)
    }
    expect(() => requireTrustedKeyHost(KEY_SYSTEMS.airtable, details, 'evil.example')).not.toThrow()
    expect(() => requireTrustedKeyHost(KEY_SYSTEMS.airtable, airtable(), undefined)).not.toThrow()
  })
})
