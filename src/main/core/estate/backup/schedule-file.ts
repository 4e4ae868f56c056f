// Where scheduled backups' settings live: a small file beside the vault (`<vault>.backup-schedule`), with the
// passphrase sealed by the vault's own key (Vault.sealValue) together with the folder it is for.
//
// Why the passphrase is stored at all: a scheduled backup is written while nobody is at the desk, so Larder must be
// able to encrypt without asking. Sealed with the vault's key it opens only inside this vault, unlocked, on this
// machine (an attacker with the files alone learns nothing more than from the vault itself); sealed together with the
// folder, a file edited to send the backups elsewhere does not open, and nothing is written (as a record changed outside
// Larder sends nothing). Not in the vault file itself: these settings are this machine's, and never travel in a backup.
import { readFileOrNull, writeFileAtomic } from '../../vault/durable-fs.ts'

export const SCHEDULE_FORMAT = 'larder-backup-schedule'
export const DEFAULT_EVERY_HOURS = 24
export const DEFAULT_KEEP = 7
export const MAX_EVERY_HOURS = 24 * 30
export const MAX_KEEP = 1000

export interface ScheduleFile {
  readonly enabled: boolean
  readonly folder: string | null
  readonly everyHours: number
  readonly keep: number
  /** JSON {folder, passphrase} sealed with the vault's key for 'scheduled-backup'; null: none set. */
  readonly sealed: string | null
  readonly lastRunAt: number | null
  readonly lastOutcome: 'ok' | 'error' | null
  /** Larder's own words about the last run (never a secret). */
  readonly lastMessage: string | null
  readonly lastFile: string | null
}

export const DEFAULT_SCHEDULE: ScheduleFile = {
  enabled: false,
  folder: null,
  everyHours: DEFAULT_EVERY_HOURS,
  keep: DEFAULT_KEEP,
  sealed: null,
  lastRunAt: null,
  lastOutcome: null,
  lastMessage: null,
  lastFile: null
}

export function scheduleFilePath(vaultPath: string): string {
  return `${vaultPath}.backup-schedule`
}

/** The settings as the file holds them; a file that does not read gives the defaults (off) and says so. */
export function readScheduleFile(file: string): { readonly schedule: ScheduleFile; readonly problem: string | null } {
  const raw = readFileOrNull(file)
  if (raw === null) return { schedule: DEFAULT_SCHEDULE, problem: null }
  try {
    const value = JSON.parse(raw.toString('utf8')) as Record<string, unknown>
    if (value['format'] !== SCHEDULE_FORMAT || value['version'] !== 1) throw new Error('not a schedule file')
    const whole = (key: string, max: number, fallback: number): number => {
      const n = value[key]
      return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= max ? n : fallback
    }
    const textOrNull = (key: string): string | null => (typeof value[key] === 'string' ? (value[key] as string) : null)
    const outcome = value['lastOutcome']
    return {
      schedule: {
        enabled: value['enabled'] === true,
        folder: textOrNull('folder'),
        everyHours: whole('everyHours', MAX_EVERY_HOURS, DEFAULT_EVERY_HOURS),
        keep: whole('keep', MAX_KEEP, DEFAULT_KEEP),
        sealed: textOrNull('sealed'),
        lastRunAt: typeof value['lastRunAt'] === 'number' ? value['lastRunAt'] : null,
        lastOutcome: outcome === 'ok' || outcome === 'error' ? outcome : null,
        lastMessage: textOrNull('lastMessage'),
        lastFile: textOrNull('lastFile')
      },
      problem: null
    }
  } catch {
    return { schedule: DEFAULT_SCHEDULE, problem: `The scheduled backups' settings (${file}) could not be read; scheduled backups are off until they are set again.` }
  }
}

export function writeScheduleFile(file: string, schedule: ScheduleFile): void {
  writeFileAtomic(file, `${JSON.stringify({ format: SCHEDULE_FORMAT, version: 1, ...schedule }, null, 2)}\n`)
}
