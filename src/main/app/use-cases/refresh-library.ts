// A person's "refresh now": joins a refresh already in flight for the token, never starts a second one.
import type { LarderCore } from '../../core/larder-core.ts'
import type { LibraryWithStatus } from '../../core/libraries/library-service.ts'

export type RefreshLibraryPorts = Pick<LarderCore, 'libraries'>

export function refreshLibrary(ports: RefreshLibraryPorts, id: string): Promise<LibraryWithStatus> {
  return ports.libraries.refresh(id)
}
