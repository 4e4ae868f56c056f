// The host rule on a restore, as adding and importing apply it (core/apicbase/api-host.ts, systems/hosts.ts): a backup
// made elsewhere may name a host this machine never confirmed, and a restore sends there, now (the one read with a
// backed-up access token) or later from the records it writes (refreshes, a paused or moved library resumed, a key's
// daily check). So every such host that is neither Apicbase's nor this computer (nor a key system's own) needs a
// person's confirmation naming it, once per restore; without it nothing is restored and nothing sent.
import { classifyApiBaseUrl } from '../../../../shared/api-host.ts'
import { InputError } from '../../errors.ts'
import type { KeyMeta } from '../../keys/key-model.ts'
import { hostToConfirm } from '../../systems/hosts.ts'
import { keySystemOf } from '../../systems/registry.ts'

/** The host a library's API base URL sends to, when it needs a person's confirmation; null for Apicbase or loopback. */
export function libraryHostToConfirm(apiBaseUrl: string): string | null {
  const host = classifyApiBaseUrl(apiBaseUrl)
  return host?.kind === 'other' ? host.host : null
}

/** The host a key's token goes to (its API or check URL), when it needs a person's confirmation. */
export function keyHostToConfirm(meta: KeyMeta): string | null {
  try {
    return hostToConfirm(keySystemOf(meta.system), meta.details)?.host ?? null
  } catch {
    return null // an address Larder never sends to (the vault's checks refuse such a record anyway)
  }
}

/** A restore refused for hosts no confirmation named: `hosts` lets `larder restore` ask about each on its terminal. */
export class HostsToConfirmError extends InputError {
  readonly hosts: readonly string[]

  constructor(hosts: readonly string[], names: ReadonlyMap<string, readonly string[]>) {
    super('confirmedHosts', refusalWords(hosts, names))
    this.hosts = hosts
  }
}

function refusalWords(hosts: readonly string[], names: ReadonlyMap<string, readonly string[]>): string {
  const listed = hosts.join(', ')
  const whose = hosts.map((host) => `${host} (${namesWords(names.get(host) ?? [])})`).join('; ')
  const flags = hosts.map((host) => `--confirm-host ${host}`).join(' ')
  return (
    `This backup sends tokens to ${hosts.length === 1 ? 'a host' : 'hosts'} that ${hosts.length === 1 ? 'is' : 'are'} neither Apicbase's nor this computer: ${whose}. ` +
    `Larder restores it only once you confirm that you trust ${listed} with them (tick it in the window's Restore, or larder restore ${flags}). Nothing was restored.`
  )
}

function namesWords(names: readonly string[]): string {
  const shown = names.slice(0, 3).join(', ')
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown
}

/** Why a plan could not say more about a record: the person has not confirmed its host. */
export function confirmHostReason(name: string, host: string, now: boolean): string {
  const what = now ? `its backed-up access token there to ask whether the pair is still live, and refreshes it there afterwards` : `its token there from then on`
  return `${name} sends its tokens to ${host}, which is neither Apicbase's nor this computer. A restore sends ${what}: confirm that you trust ${host} to restore it. Larder has asked ${host} nothing.`
}

/** The hosts a restore needs confirmed, each with the names of the records that send there (first seen first). */
export class HostNeeds {
  readonly #names = new Map<string, string[]>()

  add(host: string | null, name: string): void {
    if (host === null) return
    const names = this.#names.get(host)
    if (names === undefined) this.#names.set(host, [name])
    else names.push(name)
  }

  /** Hosts not in `confirmed`. */
  unconfirmed(confirmed: ReadonlySet<string>): string[] {
    return [...this.#names.keys()].filter((host) => !confirmed.has(host))
  }

  /** Refuses the restore (HostsToConfirmError) unless every host is confirmed. */
  require(confirmed: ReadonlySet<string>): void {
    const missing = this.unconfirmed(confirmed)
    if (missing.length > 0) throw new HostsToConfirmError(missing, this.#names)
  }
}
