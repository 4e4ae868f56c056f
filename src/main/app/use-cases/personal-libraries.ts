// The libraries a personal token's user can reach, and adding some of them to Larder (they share its one pair).
import type { LarderCore } from '../../core/larder-core.ts'
import type { LibraryWithStatus } from '../../core/libraries/library-service.ts'
import type { PersonalState, ReachableLibrary } from '../../core/personal/personal-types.ts'

export type PersonalLibrariesPorts = Pick<LarderCore, 'personal' | 'libraries'>

export function reachableLibraries(ports: PersonalLibrariesPorts, connectionId: string): Promise<{ readonly state: PersonalState; readonly libraries: readonly ReachableLibrary[] }> {
  return ports.personal.reachable(connectionId)
}

export async function addPersonalLibraries(ports: PersonalLibrariesPorts, connectionId: string, libraryIds: readonly string[]): Promise<LibraryWithStatus[]> {
  const entries = await ports.personal.add(connectionId, libraryIds)
  return entries.map((entry) => ports.libraries.get(entry.id))
}
