// Moving Larder to another machine, from the machine it leaves: "export for a move" writes a backup file that the new
// machine takes over, and marks every library here moved at once (tokenState 'moved': the refresh engine sends nothing
// for it again, its view says "Moved to FILE on DATE"), so two machines never refresh the same token family. A moved
// library comes back only by a person's explicit "take back", with a warning.
import type { AuditInput } from '../../audit/index.ts'
import { InputError } from '../../errors.ts'
import type { LibraryHold, LibraryMeta } from '../../model.ts'
import type { Vault } from '../../vault/index.ts'
import { collectBackup, machineName, writeBackupFile, type LeftOut } from '../backup/backup-file.ts'
import { checkBackupPassphrase } from '../backup/passphrase.ts'

export interface MovePorts {
  readonly vault: Vault
  readonly now: () => number
  /** Re-plans the library's refreshes (the engine's `track`): a moved one has none. */
  readonly track: (id: string) => void
  /** Resolves once no refresh is in flight (the engine's `settled`). */
  readonly settled: () => Promise<void>
  readonly audit: (entry: AuditInput) => void
  /** This machine's name (default os.hostname()). */
  readonly machine?: string
}

export interface MoveReport {
  readonly file: string
  readonly bytes: number
  readonly at: number
  /** Libraries marked moved by this export. */
  readonly moved: number
  readonly keys: number
  readonly leftOut: readonly LeftOut[]
}

/** What a person is told before taking a moved library back (the window and the command line show it). */
export const TAKE_BACK_WARNING =
  'Take a library back only if the machine it was moved to no longer holds it (it was never imported there, or was removed or moved back). ' +
  'If both machines refresh the same token, the second refresh sends a token the first already used, and Apicbase may revoke the whole token family: the customer must then issue a new token.'

const CHUNK = 256

export async function exportForMove(ports: MovePorts, file: string, passphrase: string, logN?: number): Promise<MoveReport> {
  const checked = checkBackupPassphrase(passphrase)
  const { vault } = ports
  const at = ports.now()
  const date = new Date(at).toISOString().slice(0, 10)
  const marked = new Set<string>()
  const targets = vault.list().filter((meta) => meta.tokenState !== 'moved')
  const before = new Map(targets.map((meta) => [meta.id, meta]))
  // 1. Stop first: from this write on, the engine sends nothing for them (a refresh waiting for its turn stops too).
  for (let start = 0; start < targets.length; start += CHUNK) {
    await Promise.all(
      targets.slice(start, start + CHUNK).map(async (meta) => {
        await vault.setHold(meta.id, movedHold(meta, file, at, date))
        marked.add(meta.id)
        ports.track(meta.id)
      })
    )
  }
  try {
    // 2. A refresh already sent finishes and its new pair is kept (still moved): the file then holds the newest pair.
    await ports.settled()
    const { document, leftOut } = await collectBackup(vault, {
      now: at,
      ...(ports.machine === undefined ? {} : { machine: ports.machine }),
      move: { at, from: ports.machine ?? machineName() },
      // The file holds them as they were before this move, for the new machine to take over.
      asWritten: (meta) => (marked.has(meta.id) ? asBefore(meta, before.get(meta.id)) : meta)
    })
    const { bytes } = await writeBackupFile(file, document, checked, logN)
    for (const meta of targets) {
      ports.audit({ action: 'exported', libraryId: meta.id, libraryName: meta.name, outcome: 'ok', detail: `moved to ${file} on ${date}: this machine no longer refreshes it` })
    }
    ports.audit({ action: 'exported', libraryId: null, libraryName: null, outcome: 'ok', detail: `export for a move to ${file}: ${marked.size} libraries marked moved, ${document.keys.length} keys (kept here too: keys do not rotate)` })
    return { file, bytes, at, moved: marked.size, keys: document.keys.length, leftOut }
  } catch (error) {
    // No file, no move: what was marked refreshes here again.
    for (const id of marked) {
      await vault.setHold(id, null).catch(() => undefined)
      ports.track(id)
    }
    ports.audit({ action: 'exported', libraryId: null, libraryName: null, outcome: 'error', detail: `export for a move to ${file} failed; nothing was marked moved` })
    throw error
  }
}

/** Takes moved libraries back on this machine (a person confirmed TAKE_BACK_WARNING); each refreshes here again. */
export async function takeBack(ports: Pick<MovePorts, 'vault' | 'track' | 'audit'>, ids: readonly string[]): Promise<string[]> {
  const taken: string[] = []
  for (const id of ids) {
    const meta = ports.vault.get(id)
    if (!meta) throw new InputError('ids', `There is no library with id "${id.slice(0, 40)}"`)
    if (meta.tokenState !== 'moved') throw new InputError('ids', `${meta.name} is not marked moved`)
  }
  for (const id of ids) {
    const meta = ports.vault.get(id) as LibraryMeta
    await ports.vault.setHold(id, null)
    ports.track(id)
    taken.push(id)
    const where = meta.hold?.to ? ` after it was moved to ${meta.hold.to}` : ''
    ports.audit({ action: 'restored', libraryId: id, libraryName: meta.name, outcome: 'ok', detail: `taken back on this machine${where}; a person confirmed no other machine holds it` })
  }
  return taken
}

function movedHold(meta: LibraryMeta, file: string, at: number, date: string): LibraryHold {
  const was = meta.tokenState === 'needs_reauth' || meta.tokenState === 'revoked' ? meta.tokenState : 'active'
  return { kind: 'moved', at, to: file, was, message: `${meta.name} was moved to ${file} on ${date}; Larder on this machine no longer refreshes it.` }
}

/** The record now (a raced refresh may have rotated its pair) in the state it had before the move marked it. */
function asBefore(meta: LibraryMeta, original: LibraryMeta | undefined): LibraryMeta {
  const { hold: _moved, ...rest } = meta
  // A paused one stays paused in the file: the new machine cannot tell more about it than this one could.
  if (original?.tokenState === 'paused' && original.hold) return { ...rest, tokenState: 'paused', hold: original.hold }
  return { ...rest, tokenState: original?.tokenState ?? 'active' }
}
