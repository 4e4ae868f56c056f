// Bulk import (issue 17): what the window and the `larder import` command send, and the report they get back. The
// file is always named by its path and read by the app (never passed through the renderer: it is full of secrets),
// and no answer carries a secret: a row is its number, its name, its system, its status and Larder's own words.
import { z } from 'zod'
import { idSchema, millisSchema } from './vocabulary.ts'
import { SYSTEM_IDS } from './words.ts'

/** The largest file an import reads, and the most rows it takes. */
export const IMPORT_MAX_BYTES = 50 * 1024 * 1024
export const IMPORT_MAX_ROWS = 100_000
export const IMPORT_FORMATS = ['csv', 'json'] as const
/**
 * Where a row stands. A dry run answers 'ready' (it would be sent), 'problem' (fix the row: a field is missing or
 * wrong, or its host is not confirmed), 'duplicate' (of an earlier row, or of a library or key Larder holds) or 'spent'
 * (Larder already used that refresh token, or the key's token was replaced). An import also answers 'imported',
 * 'failed' (sent, and refused or not answered; nothing was saved) and 'cancelled' (not started before the cancel).
 */
export const IMPORT_ROW_STATUSES = ['ready', 'imported', 'failed', 'problem', 'duplicate', 'spent', 'cancelled'] as const

/** A file's absolute path on the machine the app runs on. */
const filePathSchema = z.string().min(1).max(4096)
/** Hosts a person confirmed they trust with this import's secrets (as `confirmedHost` of a hand-added library). */
const confirmedHostsSchema = z.array(z.string().min(1).max(300)).max(100)
export const importFormatSchema = z.enum(IMPORT_FORMATS)

export const importProblemSchema = z.strictObject({
  /** The column it concerns, as the README names it ('refresh token', 'check url'), or 'row'. */
  field: z.string(),
  message: z.string()
})

export const importRowViewSchema = z.strictObject({
  /** 1 for the first row after the header (the JSON array's first element). */
  row: z.number().int().min(1),
  /** The CSV line the row starts on (the header is line 1); null for JSON. */
  line: z.number().int().min(1).nullable(),
  /** The row's name as given (trimmed, at most 200 characters); '' when it has none. */
  name: z.string(),
  /** null when the row's system could not be read. */
  system: z.enum(SYSTEM_IDS).nullable(),
  status: z.enum(IMPORT_ROW_STATUSES),
  /** One sentence: the first problem, the failure, or what was added. */
  message: z.string().nullable(),
  problems: z.array(importProblemSchema).readonly(),
  /** A host that is not the system's own, which this import has not been told to trust (the row is then a problem). */
  hostToConfirm: z.string().nullable(),
  /** The library's or key's Larder id, once imported. */
  id: idSchema.nullable()
})

const count = z.number().int().min(0)
export const importCountsSchema = z.strictObject({
  total: count,
  ready: count,
  imported: count,
  failed: count,
  problem: count,
  duplicate: count,
  spent: count,
  cancelled: count
})

export const importReportViewSchema = z.strictObject({
  /** Names this file's check for 'import.start', 'import.cancel' and 'import.report'. */
  importId: idSchema,
  /** The file's name without its folder. */
  fileName: z.string(),
  format: importFormatSchema,
  /** True: nothing was sent or stored; the statuses say what an import would do. */
  dryRun: z.boolean(),
  rows: z.array(importRowViewSchema).readonly(),
  counts: importCountsSchema,
  /** Every host some row needs confirmed (pass them as confirmedHosts to send to them). */
  hostsToConfirm: z.array(z.string()).readonly(),
  /** A cancel came: the rows not started are 'cancelled'. */
  cancelled: z.boolean(),
  /**
   * Rows left out of `rows` to keep a terminal's answer within the endpoint's size (a very large file): those that
   * went well first ('ready', 'imported'), then the last ones. Absent: every row is listed. The counts are whole.
   */
  rowsLeftOut: count.optional(),
  startedAt: millisSchema,
  finishedAt: millisSchema
})

export const importProgressSchema = z.strictObject({
  importId: idSchema,
  /** Rows being sent (the dry run's 'ready' ones); done counts those finished, whichever way. */
  total: count,
  done: count,
  ok: count,
  failed: count,
  /** A cancel was asked: the rows not started will not be. */
  cancelling: z.boolean(),
  finished: z.boolean()
})

// ── inputs ──

/** Reads and checks the file (nothing sent, nothing stored) and keeps what it read for 'import.start'. */
export const importDryRunInput = z.strictObject({
  path: filePathSchema,
  /** Default: by the name's extension (.json), else by the first character ('[' or '{' is JSON), else CSV. */
  format: importFormatSchema.optional(),
  confirmedHosts: confirmedHostsSchema.optional()
})
/** Imports the rows of a dry run ('ready' when checked again now); resolves with the report once every row is done. */
export const importStartInput = z.strictObject({ importId: idSchema, confirmedHosts: confirmedHostsSchema.optional() })
export const importCancelInput = z.strictObject({ importId: idSchema })
/** The report as a file's text (CSV or JSON), for the person to save. */
export const importReportInput = z.strictObject({ importId: idSchema, format: importFormatSchema })
/** The report written by the app to `path` (absolute: a path the host's file picker answered, files.choose). */
export const importSaveReportInput = z.strictObject({ importId: idSchema, format: importFormatSchema, path: filePathSchema })

/** `larder import`: the same check, then (without dryRun) the import, in one call; progress comes as pending lines. */
export const terminalImportInput = z.strictObject({
  path: filePathSchema,
  dryRun: z.boolean(),
  confirmedHosts: confirmedHostsSchema,
  format: importFormatSchema.optional(),
  /** The command's own name for this import (a random UUID), so that its Ctrl-C can cancel it ('import-cancel'). */
  importId: idSchema.optional()
})
/** `larder import`'s Ctrl-C: cancels the import this terminal session started under `importId`. */
export const terminalImportCancelInput = z.strictObject({ importId: idSchema })
/**
 * 'cancelling': it runs; rows not started will not be, rows in flight finish, and the import's own answer follows.
 * 'finished': it had ended already. 'not_started': not begun yet (approval, reading the file): it will not start.
 */
export const terminalImportCancelViewSchema = z.strictObject({ outcome: z.enum(['cancelling', 'finished', 'not_started']) })

export type ImportFormat = z.infer<typeof importFormatSchema>
export type ImportRowStatus = (typeof IMPORT_ROW_STATUSES)[number]
export type ImportProblemView = z.infer<typeof importProblemSchema>
export type ImportRowView = z.infer<typeof importRowViewSchema>
export type ImportCounts = z.infer<typeof importCountsSchema>
export type ImportReportView = z.infer<typeof importReportViewSchema>
export type ImportProgressView = z.infer<typeof importProgressSchema>
export type TerminalImportCancelView = z.infer<typeof terminalImportCancelViewSchema>
