// Where Larder may send a key's token without asking, by the key's own system: the hosts the system documents as its
// own (its descriptor's trustedHosts) and this computer (the fakes). Any other host (another name, a lookalike, another
// port, a service token's check URL, which its admin chooses) needs a person's confirmation naming it, given when the
// key is added or its address changes. The same rule as an Apicbase library's (core/apicbase/api-host.ts), reading a
// URL with the same shared parser; checked before anything is sent or stored.
import { classifyApiBaseUrl, type ApiHost } from '../../../shared/api-host.ts'
import { InputError } from '../errors.ts'
import type { KeySystem } from './system.ts'

/** The host of `details`' address that needs a person's confirmation; null when it is trusted or nothing is sent. */
export function hostToConfirm<Details>(system: KeySystem<Details>, details: Details): ApiHost | null {
  const address = system.sendsTo(details)
  if (address === null) return null
  const host = classifyApiBaseUrl(address)
  // The details schema allows only https, or http on this computer: anything else is not an address to send to.
  if (host === null) throw new InputError('details', `${address} is not an address Larder sends a token to.`)
  if (host.kind === 'loopback') return null
  // Not loopback, so https; `host.host` carries a port when it is not 443, so no trusted name matches it then.
  return system.trustedHosts.includes(host.host) ? null : host
}

/**
 * Throws InputError('confirmedHost') naming the host when `details` send the token to a host that is neither the
 * system's own nor this computer, unless `confirmed` is exactly that host (with its port, if any).
 */
export function requireTrustedKeyHost<Details>(system: KeySystem<Details>, details: Details, confirmed: unknown): void {
  const host = hostToConfirm(system, details)
  if (host === null || confirmed === host.host) return
  const mismatch = typeof confirmed === 'string' && confirmed !== '' ? ' (the confirmation names another host)' : ''
  const whose = system.trustedHosts.length > 0 ? `${host.host} is not ${system.label}’s address (${system.trustedHosts.join(' or ')})${mismatch}. ` : ''
  throw new InputError(
    'confirmedHost',
    `${whose}Larder sends this key’s token to ${host.host} only once you confirm that you trust ${host.host} with it${whose === '' ? mismatch : ''}. Nothing was saved.`
  )
}
