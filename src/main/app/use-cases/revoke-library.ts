// Revoking a library's token at Apicbase: the record stays, marked revoked, until a new pair or removal.
import type { LarderCore } from '../../core/larder-core.ts'
import type { LibraryWithStatus } from '../../core/libraries/library-service.ts'

export type RevokePorts = Pick<LarderCore, 'libraries'>

export function revokeLibrary(ports: RevokePorts, id: string): Promise<LibraryWithStatus> {
  return ports.libraries.revoke(id)
}
