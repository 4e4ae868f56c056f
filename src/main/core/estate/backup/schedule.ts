// Scheduled backups (off by default): every N hours (default 24) a backup file is written to the folder a person
// picked, named larder-backup-<UTC date>-<time>Z.age, and the oldest of Larder's own files there beyond the last N
// (default 7) are deleted, matched by that name only (nothing else in the folder is touched). The timer is a deadline
// on the app's clock (core/time), re-evaluated after sleep like the refreshes'.
import fs from 'node:fs'
import path from 'node:path'
import type { AuditInput } from '../../audit/index.ts'
import { InputError } from '../../errors.ts'
import type { Clock } from '../../time/clock.ts'
import { DeadlineQueue } from '../../time/deadline-queue.ts'
import type { Vault } from '../../vault/index.ts'
import { collectBackup, writeBackupFile } from './backup-file.ts'
import { checkBackupPassphrase } from './passphrase.ts'
import { MAX_EVERY_HOURS, MAX_KEEP, readScheduleFile, scheduleFilePath, writeScheduleFile, type ScheduleFile } from './schedule-file.ts'

/** Larder's own scheduled files, and nothing else: only these are ever deleted. */
export const SCHEDULED_NAME = /^larder-backup-\d{8}-\d{6}Z(-\d{1,3})?\.age$/
const PURPOSE = 'scheduled-backup'
const HOUR = 3_600_000
/** After a failed run, try again within the hour (or sooner, if the interval is shorter). */
const RETRY_MS = HOUR

export interface ScheduleState {
  readonly enabled: boolean
  readonly folder: string | null
  readonly everyHours: number
  readonly keep: number
  readonly hasPassphrase: boolean
  readonly lastRunAt: number | null
  readonly lastOutcome: 'ok' | 'error' | null
  readonly lastMessage: string | null
  readonly lastFile: string | null
  readonly nextAt: number | null
}

export interface ScheduleChange {
  readonly enabled?: boolean
  readonly folder?: string
  readonly everyHours?: number
  readonly keep?: number
  readonly passphrase?: string
}

export interface SchedulePorts {
  readonly vault: Vault
  readonly clock: Clock
  readonly audit: (entry: AuditInput) => void
  readonly machine?: string
  /** scrypt's work factor for the files (tests use a small one). */
  readonly logN?: number
}

export class BackupSchedule {
  readonly #ports: SchedulePorts
  readonly #file: string
  readonly #queue: DeadlineQueue<'backup'>
  #schedule: ScheduleFile
  #running: Promise<void> | null = null
  #stopped = false

  constructor(ports: SchedulePorts) {
    this.#ports = ports
    this.#file = scheduleFilePath(ports.vault.path)
    const { schedule, problem } = readScheduleFile(this.#file)
    this.#schedule = problem === null ? schedule : { ...schedule, lastOutcome: 'error', lastMessage: problem }
    this.#queue = new DeadlineQueue(ports.clock, () => void this.runNow().catch(() => undefined))
  }

  start(): void {
    this.#plan()
  }

  stop(): void {
    this.#stopped = true
    this.#queue.stop()
  }

  /** After sleep, resume or a clock change. */
  reevaluate(): void {
    this.#queue.reevaluate()
  }

  /** Waits for a run in progress (quitting does, so a file is never left half-written by us). */
  async settled(): Promise<void> {
    await this.#running
  }

  state(): ScheduleState {
    const s = this.#schedule
    return {
      enabled: s.enabled,
      folder: s.folder,
      everyHours: s.everyHours,
      keep: s.keep,
      hasPassphrase: s.sealed !== null,
      lastRunAt: s.lastRunAt,
      lastOutcome: s.lastOutcome,
      lastMessage: s.lastMessage,
      lastFile: s.lastFile,
      nextAt: this.#nextAt()
    }
  }

  /** Changes the settings; turning it on needs a folder and a passphrase (given now, or earlier). */
  async configure(change: ScheduleChange): Promise<ScheduleState> {
    const current = this.#schedule
    const folder = change.folder === undefined ? current.folder : checkFolder(change.folder)
    const everyHours = change.everyHours === undefined ? current.everyHours : whole('everyHours', change.everyHours, MAX_EVERY_HOURS)
    const keep = change.keep === undefined ? current.keep : whole('keep', change.keep, MAX_KEEP)
    const enabled = change.enabled ?? current.enabled
    let passphrase: string | null = change.passphrase === undefined ? null : checkBackupPassphrase(change.passphrase)
    if (passphrase === null && current.sealed !== null && folder !== current.folder) passphrase = await this.#passphrase(current)
    const sealed = passphrase === null ? (folder === current.folder ? current.sealed : null) : await this.#ports.vault.sealValue(PURPOSE, JSON.stringify({ folder, passphrase }))
    if (enabled && folder === null) throw new InputError('folder', 'Choose the folder scheduled backups are written to')
    if (enabled && sealed === null) throw new InputError('passphrase', 'Set the passphrase scheduled backups are encrypted with')
    this.#save({ ...current, enabled, folder, everyHours, keep, sealed })
    this.#ports.audit({ action: 'settings_changed', libraryId: null, libraryName: null, outcome: 'ok', detail: `scheduled backups ${enabled ? `on: every ${everyHours} h to ${folder}, keeping the last ${keep}` : 'off'}${change.passphrase === undefined ? '' : '; passphrase set'}` })
    this.#plan()
    return this.state()
  }

  /** Writes one scheduled backup now (single flight) and deletes the oldest beyond `keep`. */
  runNow(): Promise<void> {
    this.#running ??= this.#run().finally(() => {
      this.#running = null
      this.#plan()
    })
    return this.#running
  }

  async #run(): Promise<void> {
    const s = this.#schedule
    if (this.#stopped || s.folder === null || s.sealed === null) return
    const now = this.#ports.clock.now()
    try {
      const passphrase = await this.#passphrase(s)
      const file = freeName(s.folder, now)
      const { document, leftOut } = await collectBackup(this.#ports.vault, { now, ...(this.#ports.machine === undefined ? {} : { machine: this.#ports.machine }) })
      await writeBackupFile(file, document, passphrase, this.#ports.logN)
      const removed = prune(s.folder, s.keep)
      const note = `${document.libraries.length} libraries, ${document.keys.length} keys${leftOut.length > 0 ? `; ${leftOut.length} left out (changed outside Larder)` : ''}${removed > 0 ? `; ${removed} older removed` : ''}`
      this.#save({ ...this.#schedule, lastRunAt: now, lastOutcome: 'ok', lastMessage: `Backup written: ${note}.`, lastFile: file })
      this.#ports.audit({ action: 'exported', libraryId: null, libraryName: null, outcome: 'ok', detail: `scheduled backup written to ${file} (${note})` })
    } catch (error) {
      // The vault closed under it (quitting, or a lock that forgot the key): not a failure of the backup; the next
      // open of the vault starts its own timer.
      if (error instanceof Error && error.name === 'VaultClosedError') return this.stop()
      const message = `The scheduled backup to ${s.folder} failed: ${error instanceof InputError ? error.message : error instanceof Error && 'code' in error ? `the file could not be written (${String(error.code)})` : 'an unexpected problem'}.`
      this.#save({ ...this.#schedule, lastRunAt: now, lastOutcome: 'error', lastMessage: message })
      this.#ports.audit({ action: 'exported', libraryId: null, libraryName: null, outcome: 'error', detail: message })
    }
  }

  /** The stored passphrase, opened and checked to be for the folder it is used with. */
  async #passphrase(s: ScheduleFile): Promise<string> {
    if (s.sealed === null) throw new InputError('passphrase', 'No passphrase is set for scheduled backups')
    const opened = JSON.parse(await this.#ports.vault.openValue(PURPOSE, s.sealed)) as { folder?: unknown; passphrase?: unknown }
    if (opened.folder !== s.folder || typeof opened.passphrase !== 'string') {
      throw new InputError('folder', 'The scheduled backups\' settings were changed outside Larder (the folder is not the one the passphrase was set for); set the folder and passphrase again')
    }
    return opened.passphrase
  }

  #nextAt(): number | null {
    const s = this.#schedule
    if (!s.enabled || s.folder === null || s.sealed === null) return null
    if (s.lastRunAt === null) return this.#ports.clock.now()
    const every = s.everyHours * HOUR
    return s.lastRunAt + (s.lastOutcome === 'error' ? Math.min(every, RETRY_MS) : every)
  }

  #plan(): void {
    const next = this.#stopped ? null : this.#nextAt()
    if (next === null || this.#running !== null) this.#queue.cancel('backup')
    else this.#queue.schedule('backup', next)
  }

  #save(next: ScheduleFile): void {
    writeScheduleFile(this.#file, next)
    this.#schedule = next
  }
}

function checkFolder(folder: unknown): string {
  if (typeof folder !== 'string' || !path.isAbsolute(folder)) throw new InputError('folder', 'The folder for scheduled backups must be an absolute path')
  const resolved = path.resolve(folder)
  if (!fs.statSync(resolved, { throwIfNoEntry: false })?.isDirectory()) throw new InputError('folder', `The folder ${resolved} does not exist`)
  return resolved
}

function whole(field: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) throw new InputError(field, `${field} must be a whole number from 1 to ${max}`)
  return value
}

/** larder-backup-20261206-182005Z.age, with -2, -3… when that name is taken. */
function freeName(folder: string, at: number): string {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  for (let n = 1; n < 1000; n++) {
    const file = path.join(folder, `larder-backup-${stamp}Z${n === 1 ? '' : `-${n}`}.age`)
    if (!fs.existsSync(file)) return file
  }
  throw new InputError('folder', `Too many backups named for ${stamp} in ${folder}`)
}

/** Deletes Larder's own scheduled files beyond the newest `keep` (their names sort by time); answers how many. */
function prune(folder: string, keep: number): number {
  const ours = fs
    .readdirSync(folder)
    .filter((name) => SCHEDULED_NAME.test(name))
    .sort(byStampThenCounter)
  const old = ours.slice(0, Math.max(0, ours.length - keep))
  for (const name of old) fs.rmSync(path.join(folder, name), { force: true })
  return old.length
}

/** Oldest first: by the time in the name, then by the counter a second run in the same second got. */
function byStampThenCounter(a: string, b: string): number {
  const key = (name: string): [string, number] => {
    const match = /^larder-backup-(\d{8}-\d{6})Z(?:-(\d+))?\.age$/.exec(name)
    return [match?.[1] ?? '', Number(match?.[2] ?? 1)]
  }
  const [sa, na] = key(a)
  const [sb, nb] = key(b)
  return sa < sb ? -1 : sa > sb ? 1 : na - nb
}
