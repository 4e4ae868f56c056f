// Putting the owner's new token pair into a library that needs re-authorization (or was revoked).
import type { LarderCore } from '../../core/larder-core.ts'
import type { LibraryWithStatus } from '../../core/libraries/library-service.ts'

export type ReauthorizePorts = Pick<LarderCore, 'libraries'>

export function reauthorizeLibrary(ports: ReauthorizePorts, id: string, pair: { readonly accessToken: string; readonly refreshToken: string }): Promise<LibraryWithStatus> {
  return ports.libraries.reauthorize(id, pair)
}
