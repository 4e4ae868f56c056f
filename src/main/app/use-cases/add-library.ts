// Adding a library from the pair its owner generated: checked with a refresh, stored before anything else.
import type { LarderCore } from '../../core/larder-core.ts'
import type { LibraryWithStatus } from '../../core/libraries/library-service.ts'

export type AddLibraryPorts = Pick<LarderCore, 'libraries' | 'connected'>

export async function addLibrary(ports: AddLibraryPorts, input: unknown): Promise<LibraryWithStatus> {
  const added = await ports.libraries.add(input)
  ports.connected(added)
  return ports.libraries.get(added.library.id)
}
