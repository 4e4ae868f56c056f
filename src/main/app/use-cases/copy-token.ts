// Putting a fresh token on the clipboard in the asked format, refreshed first if it expires within the margin, and
// checked at Apicbase first (one cheap read) when its last health check is more than an hour old. For a
// library reached through a personal token, Larder first switches the token's user to that library (in the token's
// queue, refusing while the active library drifted) and the receipt says so. Only a receipt with a masked preview
// comes back; the copy is audited either way.
import type { CopyFormat, CopyReceipt, PersonalCopyNote } from '../../../shared/contract.ts'
import { ignoreAuditFailure } from '../../core/audit/index.ts'
import { formatForCopy } from '../../core/export-formats.ts'
import type { LarderCore, SecretSink } from '../../core/larder-core.ts'
import type { LibraryWithStatus } from '../../core/libraries/library-service.ts'
import { tokenPreview } from '../../core/model.ts'
import { markUsed, withFreshToken, type FreshTokenPorts } from './fresh-token.ts'

export type CopyTokenPorts = FreshTokenPorts & Pick<LarderCore, 'audit'> & {
  readonly sink: SecretSink
}

interface Copied {
  readonly clearsAt: number | null
  readonly preview: string
}

/** Where a copy was asked for: said in its audit entry (`larder token` is audited as a hand-out). */
export type CopyFrom = 'window' | 'tray'

export async function copyToken(ports: CopyTokenPorts, id: string, format: CopyFormat, from: CopyFrom = 'window'): Promise<CopyReceipt> {
  const settings = ports.vault.settings()
  const meta = ports.libraries.get(id)
  const hand = async (token: string): Promise<Copied> => {
    const { clearsAt, written } = ports.sink.copySecret(formatForCopy(format, token, meta), { clearAfterMs: settings.clipboardClearMs })
    // A copy that never reached the clipboard must not be reported (or audited) as done.
    await written
    return { clearsAt, preview: tokenPreview(token) }
  }
  let copied: Copied
  let personal: PersonalCopyNote | undefined
  try {
    const run = await withFreshToken(ports, id, `copying its token (${format})`, hand)
    copied = run.value
    if (run.personal?.role === 'library') personal = switchNote(meta, run.personal.switched, run.personal.activeId, run.personal.activeName)
    else if (run.personal?.role === 'connection') personal = connectionNote(run.personal.activeId, run.personal.activeName)
  } catch (error) {
    const detail = `${format} from the ${from}: ${error instanceof Error ? error.message : 'failed'}`
    ports.audit.append({ action: 'copied', libraryId: id, libraryName: meta.name, outcome: 'error', detail }).catch(ignoreAuditFailure)
    throw error
  }
  await markUsed(ports, meta)
  const detail = `format: ${format}, from the ${from}${personal?.switched ? `; switched to ${personal.activeLibraryName ?? personal.activeLibraryId} first` : ''}`
  ports.audit.append({ action: 'copied', libraryId: id, libraryName: meta.name, outcome: 'ok', detail }).catch(ignoreAuditFailure)
  return { libraryId: id, format, preview: copied.preview, clearsAt: copied.clearsAt, ...(personal ? { personal } : {}) }
}

function switchNote(library: LibraryWithStatus, switched: boolean, activeId: string | null, activeName: string | null): PersonalCopyNote {
  const token = library.personal?.connectionName ?? 'the personal token'
  const where = activeName ?? library.apicbaseLibraryName ?? library.name
  const lead = switched ? `Switched the personal token of ${token} to ${where} before copying.` : `${where} was already the active library of ${token}.`
  return {
    switched,
    activeLibraryId: activeId,
    activeLibraryName: activeName,
    message: `${lead} The copied token acts on ${where} until its active library changes (in Larder for another library, or in Apicbase).`
  }
}

function connectionNote(activeId: string | null, activeName: string | null): PersonalCopyNote {
  const now = activeId === null ? null : (activeName ?? `library ${activeId}`)
  return {
    switched: false,
    activeLibraryId: activeId,
    activeLibraryName: activeName,
    message:
      now === null
        ? "This personal token acts on whichever library its user has active; Larder cannot tell which (the token lacks the 'accounts' scope)."
        : `This personal token acts on whichever library its user has active: now ${now}. Copy it from one of its libraries to have Larder switch first.`
  }
}
