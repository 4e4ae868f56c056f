// Putting the owner's new token pair into a library that needs re-authorization (or was revoked).
import type { LarderCore } from '../../core/larder-core.ts'
import type { LibraryWithStatus } from '../../core/libraries/library-service.ts'

export type ReauthorizePorts = Pick<LarderCore, 'libraries'>

export interface NewPair {
  readonly accessToken: string
  readonly refreshToken: string
  /** The library's API host, when it is not Apicbase's: the person confirmed they trust it with the new pair. */
  readonly confirmedHost?: string
}

export function reauthorizeLibrary(ports: ReauthorizePorts, id: string, pair: NewPair): Promise<LibraryWithStatus> {
  return ports.libraries.reauthorize(id, pair)
}
