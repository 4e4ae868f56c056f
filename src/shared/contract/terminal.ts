// The terminal's call table (the `larder` command over the local endpoint) and the approval views the window sees.
// A narrow table of its own, never the bridge: a terminal can list, read one library's status, take a token, build
// an environment and refresh, and nothing else (no remove, no unlock). Checked on the server side like a bridge
// call; the command itself never loads this file (it must start fast: see terminal-words.ts). While the app lock is on, a
// call may carry the passphrase in the reserved input field `lockPassphrase`, taken off before its schema sees it
// (src/main/app/lock/guard-terminal.ts).
import { z } from 'zod'
import { TOKEN_FORMATS, type TerminalCallName } from '../terminal-words.ts'
import { importReportViewSchema, terminalImportCancelInput, terminalImportCancelViewSchema, terminalImportInput } from './import.ts'
import { backupWrittenViewSchema, configWrittenViewSchema, restoreConfirmedHostsSchema, restoreReportViewSchema } from './estate.ts'
import { terminalTeamCalls } from './terminal-team.ts'
import { healthCheckViewSchema, libraryFailureViewSchema, libraryHoldViewSchema, rateLimitViewSchema } from './views.ts'
import { idSchema, millisSchema, statusSchema, tokenTypeSchema } from './vocabulary.ts'
import { KEY_STATUSES, SYSTEM_IDS } from './words.ts'

/** The longest grant a person can give a terminal session, whatever it asks. */
export const MAX_SESSION_MS = 12 * 60 * 60 * 1000
/** How long an allowed session may sit unused before it must ask again. */
export const DEFAULT_SESSION_IDLE_MS = 10 * 60 * 1000

/** What a terminal names a library by: its Larder id, its Apicbase id, its name or a unique start of it. */
const librarySchema = z.string().min(1).max(200)
/** A command's base name (`node`, `deploy.sh`), never its arguments. */
const commandSchema = z.string().min(1).max(200)

export const terminalRowSchema = z.strictObject({
  id: idSchema,
  name: z.string(),
  apicbaseLibraryId: z.string().nullable(),
  /** An Apicbase token's type; null for a key of another system. */
  tokenType: tokenTypeSchema.nullable(),
  provider: z.enum(SYSTEM_IDS),
  /** The customer label grouping a customer's libraries and keys; null: none. */
  customer: z.string().nullable(),
  /** A library's status, or a key's (which can also be 'inactive'). */
  status: z.union([statusSchema, z.enum(KEY_STATUSES)]),
  expiresAt: millisSchema.nullable(),
  /** Negative once expired; null when the expiry is unknown. */
  timeLeftMs: z.number().int().nullable(),
  /** Moved to another machine, or paused after a restore (issue 17): shown as such, with its words. */
  hold: libraryHoldViewSchema.optional()
})

/** What a key of another system adds to its status: whose it is, its last use and its last check. */
const terminalKeySchema = z.strictObject({
  customer: z.string().nullable(),
  lastUsedAt: millisSchema.nullable(),
  /** Who the key acts as and in which organisation, when its last check said. */
  actsAs: z.string().nullable(),
  lastCheck: z.strictObject({ at: millisSchema, outcome: z.string(), message: z.string().nullable() }).nullable()
})

export const terminalStatusSchema = terminalRowSchema.extend({
  lastRefreshedAt: millisSchema.nullable(),
  lastError: libraryFailureViewSchema.nullable(),
  health: healthCheckViewSchema.nullable(),
  rateLimit: rateLimitViewSchema.nullable(),
  /** Absent for an Apicbase library. */
  key: terminalKeySchema.optional()
})

/** What `larder lock` answers: the vault's state after it ('guarded', or 'locked' once forgotten) and what that means. */
const lockedViewSchema = z.strictObject({ state: z.string(), message: z.string() })

const table = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): { readonly input: I; readonly output: O } => ({ input, output })

export const terminalCalls = {
  ls: table(z.strictObject({}), z.strictObject({ libraries: z.array(terminalRowSchema).readonly() })),
  status: table(z.strictObject({ library: librarySchema }), terminalStatusSchema),
  token: table(z.strictObject({ library: librarySchema, format: z.enum(TOKEN_FORMATS) }), z.strictObject({ text: z.string(), expiresAt: millisSchema.nullable() })),
  /** `prefix`: the KEY of `--library KEY=LIB`; with several libraries each one's variables are APICBASE_<KEY>_… */
  env: table(
    z.strictObject({
      libraries: z.array(z.strictObject({ library: librarySchema, prefix: z.string().min(1).max(64).optional() })).min(1).max(20),
      command: commandSchema
    }),
    z.strictObject({ env: z.record(z.string(), z.string()) })
  ),
  /** Bulk import of the file at `path` (absolute; the app reads it): checked only (`dryRun`), or checked and imported. */
  import: table(terminalImportInput, importReportViewSchema),
  /** Ctrl-C during `larder import`: only the terminal session that started it may cancel it. */
  'import-cancel': table(terminalImportCancelInput, terminalImportCancelViewSchema),
  refresh: table(z.strictObject({ library: librarySchema }), terminalRowSchema),
  /** An encrypted backup to `path` (absolute: the command resolves it); the passphrase comes from the terminal, never argv. */
  backup: table(z.strictObject({ path: z.string().min(1).max(4096), passphrase: z.string().min(1).max(1024) }), backupWrittenViewSchema),
  /**
   * `dryRun`: what a restore would do, nothing changed. `takeOver`: a move's file, taken over here. `confirmedHosts`:
   * hosts the person trusts with its tokens (`--confirm-host`, or asked on the terminal), as the window's restore takes.
   */
  restore: table(
    z.strictObject({
      path: z.string().min(1).max(4096),
      passphrase: z.string().min(1).max(1024),
      dryRun: z.boolean(),
      takeOver: z.boolean(),
      confirmedHosts: restoreConfirmedHostsSchema.optional()
    }),
    restoreReportViewSchema
  ),
  'export-config': table(z.strictObject({ path: z.string().min(1).max(4096) }), configWrittenViewSchema),
  /** `larder lock`: locks Larder now (refreshes go on). No approval needed: locking only takes away. */
  lock: table(z.strictObject({}), lockedViewSchema),
  /** `larder lock --forget`: a passphrase vault is also closed (refreshes stop until it is unlocked in the window). */
  forget: table(z.strictObject({}), lockedViewSchema),
  /** `larder team …` (terminal-team.ts). */
  ...terminalTeamCalls
} as const satisfies Record<TerminalCallName, { input: z.ZodType; output: z.ZodType }>

export type TerminalCalls = typeof terminalCalls
export type TerminalCheckedInput<N extends TerminalCallName> = z.output<TerminalCalls[N]['input']>
export type TerminalAnswers = { readonly [N in TerminalCallName]: z.infer<TerminalCalls[N]['output']> }
export type TerminalRow = z.infer<typeof terminalRowSchema>
export type TerminalStatus = z.infer<typeof terminalStatusSchema>

/** What a terminal tells of itself, as the server checks it (each a bounded string or an integer). */
export const clientFactsSchema = z.strictObject({
  pid: z.number().int().min(0).max(2 ** 31),
  ppid: z.number().int().min(0).max(2 ** 31),
  session: z.string().min(1).max(300),
  tty: z.string().max(200).nullable(),
  cwd: z.string().max(4096),
  command: z.string().min(1).max(64),
  parent: z.string().min(1).max(64).optional()
})

/** A terminal session asking for tokens, as the window's approval prompt shows it. No secret, no argv. */
export const terminalRequestViewSchema = z.strictObject({
  requestId: idSchema,
  /** "larder token" from bash on pts/3. */
  label: z.string().max(300),
  command: z.string().max(64),
  /** The library named by the call that asked first (as typed), when it named one. */
  library: z.string().max(200).nullable(),
  pid: z.number().int().min(0),
  ppid: z.number().int().min(0),
  tty: z.string().max(200).nullable(),
  cwd: z.string().max(4096),
  at: millisSchema,
  /** Unanswered by then, the request is refused. */
  expiresAt: millisSchema
})

/** A terminal session allowed to take tokens until it goes idle or reaches its end. */
export const terminalSessionViewSchema = z.strictObject({
  sessionId: idSchema,
  label: z.string().max(300),
  approvedAt: millisSchema,
  lastUsedAt: millisSchema,
  idleMs: millisSchema,
  /** The latest it can last, however busy (approvedAt + at most 12 h). */
  hardEndAt: millisSchema,
  /** When it ends if no call comes before then. */
  endsAt: millisSchema
})

export const terminalSessionsViewSchema = z.strictObject({
  sessions: z.array(terminalSessionViewSchema).readonly(),
  /** Requests waiting for a person's answer. */
  pending: z.array(terminalRequestViewSchema).readonly()
})

export const terminalApproveInput = z.strictObject({ requestId: idSchema, idleMs: z.number().int().min(1_000).max(MAX_SESSION_MS).optional() })
export const terminalDenyInput = z.strictObject({ requestId: idSchema })
export const terminalRevokeInput = z.strictObject({ sessionId: idSchema })

export type TerminalRequestView = z.infer<typeof terminalRequestViewSchema>
export type TerminalSessionView = z.infer<typeof terminalSessionViewSchema>
export type TerminalSessionsView = z.infer<typeof terminalSessionsViewSchema>
