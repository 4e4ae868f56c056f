// Adding a library from the pair its owner generated: checked with a refresh, stored before anything else.
import { auditFailureDetail, ignoreAuditFailure } from '../../core/audit/index.ts'
import type { LarderCore } from '../../core/larder-core.ts'
import type { LibraryWithStatus } from '../../core/libraries/library-service.ts'

export type AddLibraryPorts = Pick<LarderCore, 'libraries' | 'connected' | 'audit'>

export async function addLibrary(ports: AddLibraryPorts, input: unknown): Promise<LibraryWithStatus> {
  let added
  try {
    added = await ports.libraries.add(input)
  } catch (error) {
    // A successful add is recorded by the library service; a refused one here, under the name typed (never a secret).
    const name = typeof input === 'object' && input !== null && 'name' in input && typeof input.name === 'string' ? input.name.trim().slice(0, 200) || null : null
    ports.audit.append({ action: 'added', libraryId: null, libraryName: name, outcome: 'error', detail: auditFailureDetail(error) }).catch(ignoreAuditFailure)
    throw error
  }
  ports.connected(added)
  return ports.libraries.get(added.library.id)
}
