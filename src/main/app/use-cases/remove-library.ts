// Removing a library from Larder (typed name as confirmation). A personal token's record takes the libraries that
// use it along; each removal is announced by the vault.
import type { LarderCore } from '../../core/larder-core.ts'

export type RemoveLibraryPorts = Pick<LarderCore, 'libraries' | 'personal'>

export async function removeLibrary(ports: RemoveLibraryPorts, id: string, confirmName: string): Promise<{ readonly removed: string }> {
  await ports.libraries.remove(id, confirmName)
  ports.personal.forget(id)
  return { removed: id }
}
