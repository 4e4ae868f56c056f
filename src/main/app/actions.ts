// The use cases bound to one open core and the host's ports: what a person can do, by name. The handler table
// calls these after checking input at the edge; tests and benchmarks may call them directly.
import type { LarderCore, SecretSink } from '../core/larder-core.ts'
import type { LibraryWithStatus } from '../core/libraries/library-service.ts'
import type { KeyView } from '../../shared/contract.ts'
import type { KeyMeta } from '../core/keys/key-model.ts'
import type { KeyService } from '../core/keys/key-service.ts'
import { toKeyView } from './key-views.ts'
import { addLibrary } from './use-cases/add-library.ts'
import { auditPage, exportAuditCsv } from './use-cases/audit-trail.ts'
import { cancelConnecting, completeWithCode, startConnecting, waitForLoopback } from './use-cases/connect-personal.ts'
import { copyKey } from './use-cases/copy-key.ts'
import { copyToken } from './use-cases/copy-token.ts'
import { keyBases } from './use-cases/key-bases.ts'
import { addPersonalLibraries, reachableLibraries } from './use-cases/personal-libraries.ts'
import { reauthorizeLibrary } from './use-cases/reauthorize-library.ts'
import { refreshLibrary } from './use-cases/refresh-library.ts'
import { removeLibrary } from './use-cases/remove-library.ts'
import { revokeLibrary } from './use-cases/revoke-library.ts'
import { readSettings, updateSettings } from './use-cases/settings.ts'
import { checkActiveLibrary, switchLibrary } from './use-cases/switch-library.ts'
import { createEstateActions, type EstateActions, type EstateOptions } from './use-cases/backup.ts'
import { createTeamActions, type TeamActions, type TeamActionsOptions } from './team/team-actions.ts'

export interface ActionPorts {
  readonly sink: SecretSink
  readonly openExternal?: (url: string) => void
  /** Backups' scrypt work factor and this machine's name (tests and the demo use a small work factor). */
  readonly estate?: EstateOptions
  /** The team calls' needs: this Larder's version (recorded with the team database's migrations) and where a change goes. */
  readonly team?: Pick<TeamActionsOptions, 'larderVersion' | 'changed' | 'teamState' | 'reopen' | 'afterRemoval' | 'exit' | 'databaseUrlOverride'>
}

type Rest<F> = F extends (ports: never, ...rest: infer A) => infer R ? (...rest: A) => R : never
const bind =
  <P, A extends unknown[], R>(ports: P, useCase: (ports: P, ...rest: A) => R) =>
  (...rest: A): R =>
    useCase(ports, ...rest)

export interface Actions {
  /** Backups, restore, scheduled backups, a move, the configuration without secrets (issue 17). */
  readonly estate: EstateActions
  /** Making, joining and approving a team (issue 16). */
  readonly team: TeamActions
  readonly list: () => LibraryWithStatus[]
  readonly get: (id: string) => LibraryWithStatus
  readonly add: Rest<typeof addLibrary>
  readonly refresh: Rest<typeof refreshLibrary>
  readonly copy: Rest<typeof copyToken>
  readonly revoke: Rest<typeof revokeLibrary>
  readonly reauthorize: Rest<typeof reauthorizeLibrary>
  readonly remove: Rest<typeof removeLibrary>
  /** Its name and customer label (LibraryService.update). */
  readonly update: (id: string, change: unknown) => Promise<LibraryWithStatus>
  readonly startConnecting: Rest<typeof startConnecting>
  readonly completeWithCode: Rest<typeof completeWithCode>
  readonly waitForLoopback: Rest<typeof waitForLoopback>
  readonly cancelConnecting: Rest<typeof cancelConnecting>
  readonly reachableLibraries: Rest<typeof reachableLibraries>
  readonly addPersonalLibraries: Rest<typeof addPersonalLibraries>
  readonly switchLibrary: Rest<typeof switchLibrary>
  readonly checkActiveLibrary: Rest<typeof checkActiveLibrary>
  readonly readSettings: Rest<typeof readSettings>
  readonly updateSettings: Rest<typeof updateSettings>
  readonly auditPage: Rest<typeof auditPage>
  readonly exportAuditCsv: Rest<typeof exportAuditCsv>
  /** Keys of systems kept as given (SafetyCulture, Airtable, service tokens): the core's key service. */
  readonly keys: KeyService
  readonly listKeys: () => readonly KeyMeta[]
  /** A key as the window sees it now. */
  readonly keyView: (meta: KeyMeta) => KeyView
  readonly copyKey: Rest<typeof copyKey>
  readonly keyBases: (id: string) => ReturnType<typeof keyBases>
}

export function createActions(core: LarderCore, ports: ActionPorts): Actions {
  const copyPorts = { vault: core.vault, libraries: core.libraries, personal: core.personal, engine: core.engine, health: core.health, audit: core.audit, clock: core.clock, sink: ports.sink }
  const connectPorts = { oauth: core.oauth, ...(ports.openExternal ? { openExternal: ports.openExternal } : {}) }
  const settingsPorts = { vault: core.vault, replan: () => core.replan(), audit: core.audit }
  return {
    estate: createEstateActions(core, ports.estate),
    team: createTeamActions({ vault: core.vault, clock: core.clock, larderVersion: 'unknown', changed: () => undefined, ...ports.team }),
    list: () => core.libraries.list(),
    get: (id) => core.libraries.get(id),
    add: bind(core, addLibrary),
    refresh: bind(core, refreshLibrary),
    copy: bind(copyPorts, copyToken),
    revoke: bind(core, revokeLibrary),
    reauthorize: bind(core, reauthorizeLibrary),
    remove: bind(core, removeLibrary),
    update: (id, change) => core.libraries.update(id, change),
    startConnecting: bind(connectPorts, startConnecting),
    completeWithCode: bind(connectPorts, completeWithCode),
    waitForLoopback: bind(connectPorts, waitForLoopback),
    cancelConnecting: bind(connectPorts, cancelConnecting),
    reachableLibraries: bind(core, reachableLibraries),
    addPersonalLibraries: bind(core, addPersonalLibraries),
    switchLibrary: bind(core, switchLibrary),
    checkActiveLibrary: bind(core, checkActiveLibrary),
    readSettings: bind(settingsPorts, readSettings),
    updateSettings: bind(settingsPorts, updateSettings),
    auditPage: bind(core, auditPage),
    exportAuditCsv: bind(core, exportAuditCsv),
    keys: core.keys,
    listKeys: () => core.vault.keys(),
    keyView: (meta) => toKeyView(meta, core.clock.now(), core.vault),
    copyKey: bind({ keys: core.keys, vault: core.vault, sink: ports.sink }, copyKey),
    keyBases: (id) => keyBases(core.keys, id)
  }
}
