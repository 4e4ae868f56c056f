// A person's switch of a personal token's active library: an entry's library becomes the active one (ending a
// drift); for the token's own record, the library active now is kept. And reading where it stands now.
import type { LarderCore } from '../../core/larder-core.ts'
import type { LibraryWithStatus } from '../../core/libraries/library-service.ts'
import type { PersonalState } from '../../core/personal/personal-types.ts'

export type SwitchLibraryPorts = Pick<LarderCore, 'personal' | 'libraries'>

export async function switchLibrary(ports: SwitchLibraryPorts, id: string): Promise<LibraryWithStatus> {
  await ports.personal.switchTo(id)
  return ports.libraries.get(id)
}

export function checkActiveLibrary(ports: SwitchLibraryPorts, id: string): Promise<PersonalState> {
  return ports.personal.check(id)
}
