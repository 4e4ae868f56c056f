// Backups, restore, scheduled backups, a move and the configuration without secrets (issue 17), as a person does them:
// from the window (bridge calls 'backup.*', 'move.*', 'config.export') or the terminal (`larder backup`, `restore`,
// `export-config`). One of these runs at a time: a restore during a move's export would decide on records it is
// changing. Each answers plain data for the contract's views (src/shared/contract/estate.ts), never a secret.
import type { BackupScheduleView, BackupWrittenView, ConfigWrittenView, MoveReportView, RestoreReportView } from '../../../shared/contract.ts'
import { ignoreAuditFailure, type AuditInput } from '../../core/audit/index.ts'
import { InputError } from '../../core/errors.ts'
import { checkBackedUpAccess } from '../../core/estate/backup/access-check.ts'
import { checkBackupTarget, collectBackup, readBackupFile, writeBackupFile } from '../../core/estate/backup/backup-file.ts'
import { checkBackupPassphrase } from '../../core/estate/backup/passphrase.ts'
import { restoreBackup, type RestoreReport } from '../../core/estate/backup/restore.ts'
import { ProgressLines } from './restore-progress.ts'
import { BackupSchedule, type ScheduleChange } from '../../core/estate/backup/schedule.ts'
import { configDocument, writeConfigFile } from '../../core/estate/config/config-export.ts'
import { exportForMove, TAKE_BACK_WARNING, takeBack } from '../../core/estate/move/move-out.ts'
import type { LarderCore } from '../../core/larder-core.ts'
import type { LibraryWithStatus } from '../../core/libraries/library-service.ts'
import { isConnection } from '../../core/model.ts'

export interface EstateOptions {
  /** scrypt's work factor for the files written (default age's 18; tests use a small one). */
  readonly logN?: number
  /** This machine's name in the files (default os.hostname()). */
  readonly machine?: string
}

/** How a restore (or its plan) is asked for. */
export interface RestoreRequest {
  /** A move's file, taken over here. */
  readonly takeOver?: boolean
  /** Hosts the person confirmed, by name (the plan's hostsToConfirm); a restore needing another is refused. */
  readonly confirmedHosts?: readonly string[]
  /** Lines saying how far it is, for a terminal (at least every few seconds while it runs, so it is not taken for dead). */
  readonly progress?: (message: string) => void
}

export interface EstateActions {
  readonly createBackup: (path: string, passphrase: string) => Promise<BackupWrittenView>
  readonly inspectBackup: (path: string, passphrase: string, request?: RestoreRequest) => Promise<RestoreReportView>
  readonly restoreBackup: (path: string, passphrase: string, request?: RestoreRequest) => Promise<RestoreReportView>
  readonly schedule: (change: ScheduleChange) => Promise<BackupScheduleView>
  readonly resume: (id: string) => Promise<LibraryWithStatus>
  readonly exportForMove: (path: string, passphrase: string) => Promise<MoveReportView>
  /** `acknowledged`: the person confirmed TAKE_BACK_WARNING. */
  readonly takeBack: (ids: readonly string[], acknowledged: boolean) => Promise<{ readonly takenBack: readonly string[] }>
  readonly exportConfig: (path: string) => Promise<ConfigWrittenView>
  /** The scheduled backups' timer and state (started with the actions). */
  readonly backups: BackupSchedule
  /** Stops the timer and waits for a scheduled backup being written. */
  readonly close: () => Promise<void>
}

export function createEstateActions(core: LarderCore, options: EstateOptions = {}): EstateActions {
  const audit = (entry: AuditInput): void => void core.audit.append(entry).catch(ignoreAuditFailure)
  const track = (id: string): void => {
    core.engine.track(id)
    const meta = core.vault.get(id)
    if (meta && isConnection(meta)) core.personal.track(id)
  }
  const machine = options.machine === undefined ? {} : { machine: options.machine }
  const backups = new BackupSchedule({ vault: core.vault, clock: core.clock, audit, ...machine, ...(options.logN === undefined ? {} : { logN: options.logN }) })
  backups.start()
  let busy: string | null = null
  const alone = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    if (busy !== null) throw new InputError('busy', `Larder is busy with ${busy}; try again when it is done`)
    busy = what
    try {
      return await run()
    } finally {
      busy = null
    }
  }
  const restore = (path: string, passphrase: string, request: RestoreRequest, dryRun: boolean): Promise<RestoreReport> =>
    alone(dryRun ? 'reading a backup' : 'a restore', async () => {
      const progress = request.progress === undefined ? null : new ProgressLines(request.progress, dryRun)
      try {
        const document = await readBackupFile(path, passphrase)
        const check = (library: Parameters<Parameters<typeof restoreBackup>[1]['check']>[0]) =>
          checkBackedUpAccess({ readCheck: (target, token, scope) => core.client.readCheck(target, token, scope), throttled: (id, request) => core.engine.throttled(id, request) }, library.meta, library.secrets.accessToken, core.clock.now())
        const options = { dryRun, takeOver: request.takeOver === true, file: path, confirmedHosts: request.confirmedHosts ?? [], ...(progress === null ? {} : { progress: progress.sink }) }
        return await restoreBackup(document, { vault: core.vault, now: () => core.clock.now(), check, track, audit }, options)
      } finally {
        progress?.stop()
      }
    })
  return {
    createBackup: (path, passphrase) =>
      alone('a backup', async () => {
        const file = checkBackupTarget(path, core.vault.path)
        const checked = checkBackupPassphrase(passphrase)
        const now = core.clock.now()
        const { document, leftOut } = await collectBackup(core.vault, { now, ...machine })
        const { bytes } = await writeBackupFile(file, document, checked, options.logN)
        audit({ action: 'exported', libraryId: null, libraryName: null, outcome: 'ok', detail: `encrypted backup written to ${file}: ${document.libraries.length} libraries, ${document.keys.length} keys${leftOut.length > 0 ? `, ${leftOut.length} left out (changed outside Larder)` : ''}` })
        return { path: file, bytes, createdAt: now, libraries: document.libraries.length, keys: document.keys.length, leftOut: [...leftOut] }
      }),
    inspectBackup: async (path, passphrase, request = {}) => view(await restore(path, passphrase, request, true)),
    restoreBackup: async (path, passphrase, request = {}) => view(await restore(path, passphrase, request, false)),
    schedule: async (change) => (Object.keys(change).length === 0 ? backups.state() : backups.configure(change)),
    resume: async (id) => {
      // A library reached through a personal token resumes its token's record.
      const meta = core.libraries.get(core.libraries.tokenHolderOf(id))
      if (meta.tokenState !== 'paused') throw new InputError('id', `${meta.name} is not paused`)
      await core.vault.setHold(meta.id, null)
      track(meta.id)
      audit({ action: 'restored', libraryId: meta.id, libraryName: meta.name, outcome: 'ok', detail: 'resumed by a person ("Refresh it now: no other machine holds it"); refreshes go on from now' })
      await core.engine.refresh(meta.id, 'manual')
      return core.libraries.get(id)
    },
    exportForMove: (path, passphrase) =>
      alone('a move', async () => {
        const file = checkBackupTarget(path, core.vault.path)
        const report = await exportForMove({ vault: core.vault, now: () => core.clock.now(), track, settled: () => core.engine.settled(), audit, ...machine }, file, passphrase, options.logN)
        return { path: report.file, bytes: report.bytes, at: report.at, moved: report.moved, keys: report.keys, leftOut: [...report.leftOut], takeBackWarning: TAKE_BACK_WARNING }
      }),
    takeBack: async (ids, acknowledged) => {
      if (!acknowledged) throw new InputError('acknowledged', `Taking a moved library back needs your confirmation. ${TAKE_BACK_WARNING}`)
      return { takenBack: await alone('taking libraries back', () => takeBack({ vault: core.vault, track, audit }, ids)) }
    },
    exportConfig: async (path) => {
      const file = checkBackupTarget(path, core.vault.path)
      const document = configDocument(core.vault, core.clock.now())
      const { bytes } = await writeConfigFile(file, document)
      audit({ action: 'exported', libraryId: null, libraryName: null, outcome: 'ok', detail: `configuration without secrets written to ${file}: ${document.libraries.length} libraries, ${document.keys.length} keys` })
      return { path: file, bytes, libraries: document.libraries.length, keys: document.keys.length }
    },
    backups,
    close: async () => {
      backups.stop()
      await backups.settled()
    }
  }
}

/** The report as the contract's view: plain copies, field by field. */
function view(report: RestoreReport): RestoreReportView {
  return {
    dryRun: report.dryRun,
    createdAt: report.createdAt,
    machine: report.machine,
    move: report.move === null ? null : { at: report.move.at, from: report.move.from },
    libraries: report.libraries.map((l) => ({ id: l.id, name: l.name, apicbaseLibraryId: l.apicbaseLibraryId, outcome: l.outcome, checkedAtApi: l.checkedAtApi, reason: l.reason })),
    keys: report.keys.map((k) => ({ id: k.id, name: k.name, system: k.system, outcome: k.outcome, reason: k.reason })),
    settings: report.settings,
    hostsToConfirm: [...report.hostsToConfirm],
    counts: { ...report.counts }
  }
}
