// Managing the estate (issue 17): encrypted backups (the age format, a passphrase), restore, scheduled backups, a move to
// another machine, and the configuration without secrets. Calls take file paths (the window's file pickers come from
// its host's save/open dialogs); a passphrase travels only in a call's input, never in an answer, event or log.
import { z } from 'zod'
import { libraryViewSchema } from './views.ts'
import { idSchema, millisSchema } from './vocabulary.ts'
import { SYSTEM_IDS } from './words.ts'

/** An absolute file path, as a save or open dialog gives it (the main side checks it is absolute and usable). */
const pathSchema = z.string().min(1).max(4096)
/** The backup's passphrase: at least 12 characters to create one (checked in the main process, which says why). */
const backupPassphraseSchema = z.string().min(1).max(1024)
/**
 * Hosts (neither Apicbase's nor this computer, nor a key system's own) a person confirmed they trust with the backed-up
 * tokens of a restore, each by name: the restore's plan lists the ones it needs (`hostsToConfirm`).
 */
export const restoreConfirmedHostsSchema = z.array(z.string().min(1).max(300)).max(100)

export const backupCreateInput = z.strictObject({ path: pathSchema, passphrase: backupPassphraseSchema })
export const backupInspectInput = z.strictObject({
  path: pathSchema,
  passphrase: backupPassphraseSchema,
  takeOver: z.boolean().optional(),
  confirmedHosts: restoreConfirmedHostsSchema.optional()
})
/**
 * `takeOver`: a move's file, taken over by this machine (its libraries refresh here from now on; none is paused).
 * `confirmedHosts`: every host of the plan's `hostsToConfirm`, or the restore is refused and nothing restored.
 */
export const backupRestoreInput = z.strictObject({
  path: pathSchema,
  passphrase: backupPassphraseSchema,
  takeOver: z.boolean().optional(),
  confirmedHosts: restoreConfirmedHostsSchema.optional()
})
/** Any of the settings (all absent: read them). Turning on needs a folder and a passphrase, given now or before. */
export const backupScheduleInput = z.strictObject({
  enabled: z.boolean().optional(),
  folder: pathSchema.optional(),
  everyHours: z.number().int().min(1).max(720).optional(),
  keep: z.number().int().min(1).max(1000).optional(),
  passphrase: backupPassphraseSchema.optional()
})
export const moveExportInput = z.strictObject({ path: pathSchema, passphrase: backupPassphraseSchema })
/** `acknowledged`: the person read the take-back warning (the move's takeBackWarning) and confirmed; false is refused. */
export const moveTakeBackInput = z.strictObject({ ids: z.array(idSchema).min(1).max(100_000), acknowledged: z.boolean() })
export const configExportInput = z.strictObject({ path: pathSchema })

const leftOutSchema = z.strictObject({ id: idSchema, name: z.string(), reason: z.string() })

export const backupWrittenViewSchema = z.strictObject({
  path: z.string(),
  bytes: z.number().int().min(0),
  createdAt: millisSchema,
  libraries: z.number().int().min(0),
  keys: z.number().int().min(0),
  /** Records that could not go in (changed outside Larder): named, never silently dropped. */
  leftOut: z.array(leftOutSchema).readonly()
})

/** 'confirm_host' (a plan only): its tokens would go to a host not yet confirmed, so Larder has not asked it anything. */
export const RESTORE_OUTCOMES = ['restored', 'needs_reauth', 'paused', 'kept', 'unchanged', 'left_out', 'confirm_host'] as const
export const KEY_RESTORE_OUTCOMES = ['restored', 'kept', 'replaced_since', 'left_out', 'confirm_host'] as const

export const restoreReportViewSchema = z.strictObject({
  /** backup.inspect: what a restore would do; nothing was changed. */
  dryRun: z.boolean(),
  createdAt: millisSchema,
  /** The machine the backup was made on. */
  machine: z.string(),
  /** Set for a move's file: when and from where. */
  move: z.strictObject({ at: millisSchema, from: z.string() }).nullable(),
  libraries: z
    .array(
      z.strictObject({
        id: idSchema,
        name: z.string(),
        apicbaseLibraryId: z.string().nullable(),
        outcome: z.enum(RESTORE_OUTCOMES),
        /** Larder read the API once with the backed-up access token to decide (never the refresh token). */
        checkedAtApi: z.boolean(),
        reason: z.string()
      })
    )
    .readonly(),
  keys: z.array(z.strictObject({ id: idSchema, name: z.string(), system: z.enum(SYSTEM_IDS), outcome: z.enum(KEY_RESTORE_OUTCOMES), reason: z.string() })).readonly(),
  settings: z.enum(['restored', 'kept']),
  /** Hosts this restore sends to (now, or later from the records it writes) that no confirmation named yet. */
  hostsToConfirm: z.array(z.string()).readonly(),
  counts: z.strictObject({
    restored: z.number().int().min(0),
    needs_reauth: z.number().int().min(0),
    paused: z.number().int().min(0),
    kept: z.number().int().min(0),
    unchanged: z.number().int().min(0),
    left_out: z.number().int().min(0),
    confirm_host: z.number().int().min(0)
  })
})

export const backupScheduleViewSchema = z.strictObject({
  enabled: z.boolean(),
  folder: z.string().nullable(),
  everyHours: z.number().int().min(1),
  keep: z.number().int().min(1),
  /** A passphrase is stored (sealed with the vault's key); it is never sent back. */
  hasPassphrase: z.boolean(),
  lastRunAt: millisSchema.nullable(),
  lastOutcome: z.enum(['ok', 'error']).nullable(),
  lastMessage: z.string().nullable(),
  lastFile: z.string().nullable(),
  nextAt: millisSchema.nullable()
})

export const moveReportViewSchema = z.strictObject({
  path: z.string(),
  bytes: z.number().int().min(0),
  at: millisSchema,
  /** Libraries marked moved here by this export (they no longer refresh on this machine). */
  moved: z.number().int().min(0),
  keys: z.number().int().min(0),
  leftOut: z.array(leftOutSchema).readonly(),
  /** What the window shows before a person takes a moved library back. */
  takeBackWarning: z.string()
})

export const configWrittenViewSchema = z.strictObject({ path: z.string(), bytes: z.number().int().min(0), libraries: z.number().int().min(0), keys: z.number().int().min(0) })

const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): { readonly input: I; readonly output: O } => ({ input, output })

/** The estate's calls, spread into the bridge's table (calls.ts). */
export const estateCalls = {
  /** Writes an encrypted backup (age, passphrase) of everything in the vault to `path` (mode 0600, atomic). */
  'backup.create': call(backupCreateInput, backupWrittenViewSchema),
  /** What restoring `path` would do, library by library (one read at the API per pair it cannot judge); nothing changes. */
  'backup.inspect': call(backupInspectInput, restoreReportViewSchema),
  /** Restores into the open vault: used tokens marked needs re-authorization, uncertain ones paused, nothing revoked. */
  'backup.restore': call(backupRestoreInput, restoreReportViewSchema),
  /** Reads (empty input) or changes the scheduled backups' settings. */
  'backup.schedule': call(backupScheduleInput, backupScheduleViewSchema),
  /** A paused library's "Refresh it now: no other machine holds it": refreshes go on, starting now. */
  'backup.resume': call(z.strictObject({ id: idSchema }), libraryViewSchema),
  /** Writes a move's file and marks every library here moved (no refresh here again). */
  'move.export': call(moveExportInput, moveReportViewSchema),
  /** Takes moved libraries back on this machine, after the warning. */
  'move.takeBack': call(moveTakeBackInput, z.strictObject({ takenBack: z.array(idSchema).readonly() })),
  /** The configuration without secrets, as JSON at `path`. */
  'config.export': call(configExportInput, configWrittenViewSchema)
} as const

export type BackupWrittenView = z.infer<typeof backupWrittenViewSchema>
export type RestoreReportView = z.infer<typeof restoreReportViewSchema>
export type BackupScheduleView = z.infer<typeof backupScheduleViewSchema>
export type MoveReportView = z.infer<typeof moveReportViewSchema>
export type ConfigWrittenView = z.infer<typeof configWrittenViewSchema>
