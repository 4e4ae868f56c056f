// The bridge's estate calls (src/shared/contract/estate.ts), spread into the handler table (handlers.ts): each input
// already checked against its schema at the edge, each answer a plain view.
import type { CallResults, CheckedInput } from '../../../shared/contract.ts'
import type { estateCalls } from '../../../shared/contract/estate.ts'
import type { Actions } from '../actions.ts'
import { toLibraryView } from '../views.ts'

type EstateCallName = keyof typeof estateCalls
export type EstateImplementations = { readonly [N in EstateCallName]: (input: CheckedInput<N>) => Promise<CallResults[N]> }

export function estateHandlers(open: () => Actions): EstateImplementations {
  return {
    'backup.create': ({ path, passphrase }) => open().estate.createBackup(path, passphrase),
    'backup.inspect': ({ path, passphrase, takeOver, confirmedHosts }) => open().estate.inspectBackup(path, passphrase, { takeOver: takeOver === true, confirmedHosts: confirmedHosts ?? [] }),
    'backup.restore': ({ path, passphrase, takeOver, confirmedHosts }) => open().estate.restoreBackup(path, passphrase, { takeOver: takeOver === true, confirmedHosts: confirmedHosts ?? [] }),
    'backup.schedule': (change) => open().estate.schedule(Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined))),
    'backup.resume': async ({ id }) => toLibraryView(await open().estate.resume(id)),
    'move.export': ({ path, passphrase }) => open().estate.exportForMove(path, passphrase),
    'move.takeBack': ({ ids, acknowledged }) => open().estate.takeBack(ids, acknowledged),
    'config.export': ({ path }) => open().estate.exportConfig(path)
  }
}
