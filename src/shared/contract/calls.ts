// Every call the renderer (or any host's client) may make: its input schema and its output schema, defined once.
// The handler table is built from this, the tests check every answer against `output`, and the types are derived.
import { z } from 'zod'
import {
  addLibraryInput,
  auditFilterInput,
  auditQueryInput,
  byIdInput,
  copyInput,
  keysListInput,
  listFirstInput,
  listMoreInput,
  noInput,
  oauthStartInput,
  passphraseSchema,
  reauthorizeInput,
  removeInput,
  settingsPatchInput,
  updateLibraryInput
} from './inputs.ts'
import {
  appInfoSchema,
  auditEntryViewSchema,
  copyReceiptSchema,
  libraryListViewSchema,
  libraryViewSchema,
  listFirstViewSchema,
  listMoreViewSchema,
  oauthConnectedViewSchema,
  oauthStartedViewSchema,
  personalActiveViewSchema,
  reachableLibraryViewSchema,
  settingsSchema,
  vaultStateSchema
} from './views.ts'
import { idSchema } from './vocabulary.ts'
import { importCancelInput, importDryRunInput, importReportInput, importReportViewSchema, importSaveReportInput, importStartInput } from './import.ts'
import { addKeyInput, copyKeyInput, keyBasesViewSchema, keyCopyReceiptSchema, keyLifecycleInput, keyViewSchema, markKeyUsedInput, regenerateKeyInput, removeKeyInput, updateKeyInput } from './keys.ts'
import { lockInfoViewSchema, lockSetPassphraseInput, lockUnlockInput } from './lock.ts'
import { estateCalls } from './estate.ts'
import { teamCalls } from './team.ts'
import { filesCalls } from './files.ts'
import { terminalApproveInput, terminalDenyInput, terminalRevokeInput, terminalSessionsViewSchema, terminalSessionViewSchema } from './terminal.ts'

const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): { readonly input: I; readonly output: O } => ({ input, output })
const libraries = z.array(libraryViewSchema).readonly()
const listedLibraries = z.array(libraryListViewSchema).readonly()

export const calls = {
  'app.info': call(noInput, appInfoSchema),
  'vault.state': call(noInput, vaultStateSchema),
  'vault.unlock': call(z.strictObject({ passphrase: passphraseSchema }), vaultStateSchema),
  'vault.restoreBackup': call(z.strictObject({ passphrase: passphraseSchema.optional() }), vaultStateSchema),
  /** Every library as a list row; the whole of one comes with 'libraries.get'. */
  'libraries.list': call(noInput, listedLibraries),
  /** The first rows in the default order and the whole list's counts; the rest comes with 'libraries.listMore'. */
  'libraries.listFirst': call(listFirstInput, listFirstViewSchema),
  'libraries.listMore': call(listMoreInput, listMoreViewSchema),
  'libraries.get': call(byIdInput, libraryViewSchema),
  'libraries.add': call(addLibraryInput, libraryViewSchema),
  'libraries.refresh': call(byIdInput, libraryViewSchema),
  'libraries.copy': call(copyInput, copyReceiptSchema),
  'libraries.revoke': call(byIdInput, libraryViewSchema),
  'libraries.reauthorize': call(reauthorizeInput, libraryViewSchema),
  'libraries.remove': call(removeInput, z.strictObject({ removed: idSchema })),
  /** Its name and customer label ('' takes the label away); a library reached through a personal token has its own. */
  'libraries.update': call(updateLibraryInput, libraryViewSchema),
  'oauth.start': call(oauthStartInput, oauthStartedViewSchema),
  /** `code`: the code Apicbase showed, or the whole address the browser was sent to. */
  'oauth.complete': call(z.strictObject({ flowId: idSchema, code: z.string().max(8192) }), oauthConnectedViewSchema),
  /** Resolves once a loopback flow came back and its code was exchanged (or failed). */
  'oauth.wait': call(z.strictObject({ flowId: idSchema }), oauthConnectedViewSchema),
  'oauth.cancel': call(z.strictObject({ flowId: idSchema }), z.strictObject({ cancelled: z.boolean() })),
  'personal.libraries': call(
    z.strictObject({ connectionId: idSchema }),
    z.strictObject({ connectionId: idSchema, state: personalActiveViewSchema, libraries: z.array(reachableLibraryViewSchema).readonly() })
  ),
  'personal.add': call(z.strictObject({ connectionId: idSchema, libraryIds: z.array(idSchema).min(1).max(200) }), libraries),
  /** A library's id: switch to it (ends a drift). A personal token's own id: keep the library active now. */
  'personal.switch': call(byIdInput, libraryViewSchema),
  /** Reads the active library now; a personal token's id or one of its libraries'. */
  'personal.check': call(byIdInput, personalActiveViewSchema),
  'settings.get': call(noInput, settingsSchema),
  'settings.update': call(settingsPatchInput, settingsSchema),
  /** teamTrail (a vault in a team): 'online', every member's entries; 'offline', this machine's own only. */
  'audit.page': call(auditQueryInput, z.strictObject({ entries: z.array(auditEntryViewSchema).readonly(), nextBefore: z.number().int().nullable(), teamTrail: z.enum(['online', 'offline']).optional() })),
  'audit.exportCsv': call(auditFilterInput, z.strictObject({ csv: z.string(), rows: z.number().int().min(0) })),
  /** The terminal sessions allowed now and the requests waiting for an answer (the `larder` command). */
  'terminal.sessions': call(noInput, terminalSessionsViewSchema),
  /** Allows the session that asked; `idleMs` how long it may sit unused (default 10 min; never past 12 h in all). */
  'terminal.approve': call(terminalApproveInput, terminalSessionViewSchema),
  'terminal.deny': call(terminalDenyInput, z.strictObject({ denied: z.boolean() })),
  'terminal.revoke': call(terminalRevokeInput, z.strictObject({ revoked: z.boolean() })),
  /** Bulk import (README "Import"): reads and checks the file at `path`, sending and storing nothing. */
  'import.dryRun': call(importDryRunInput, importReportViewSchema),
  /** Imports a dry run's rows (progress as 'import.progress'); resolves with the report once every row has ended. */
  'import.start': call(importStartInput, importReportViewSchema),
  /** Rows not started are not started; rows in flight finish. */
  'import.cancel': call(importCancelInput, z.strictObject({ cancelled: z.boolean() })),
  /** A check's or an import's report as a file's text, for the person to save (no secret in it). */
  'import.report': call(importReportInput, z.strictObject({ text: z.string(), fileName: z.string() })),
  /** The same report written by the app to `path` (a path files.choose answered). */
  'import.saveReport': call(importSaveReportInput, z.strictObject({ path: z.string(), bytes: z.number().int().min(0) })),
  /** Every key of the systems kept as given (SafetyCulture, Airtable, service tokens), as its whole view. */
  'keys.list': call(keysListInput, z.strictObject({ keys: z.array(keyViewSchema).readonly() })),
  /** Checked first where its system can be: a refused token is not saved. */
  'keys.add': call(addKeyInput, keyViewSchema),
  'keys.update': call(updateKeyInput, keyViewSchema),
  'keys.check': call(byIdInput, keyViewSchema),
  /** Used outside Larder at `at` (default now): an inactivity rule counts from there. */
  'keys.markUsed': call(markKeyUsedInput, keyViewSchema),
  /** The value regenerated at its system, in place of the old one (name, notes and history stay). */
  'keys.regenerate': call(regenerateKeyInput, keyViewSchema),
  /** What its admin did, recorded with the date. */
  'keys.lifecycle': call(keyLifecycleInput, keyViewSchema),
  'keys.copy': call(copyKeyInput, keyCopyReceiptSchema),
  'keys.remove': call(removeKeyInput, z.strictObject({ removed: idSchema })),
  /** The bases an Airtable key reaches (it needs schema.bases:read). */
  'keys.bases': call(byIdInput, keyBasesViewSchema),
  /** What the app lock offers here: what unlocks it, the OS prompt, idle time, whether "forget" means anything. */
  'lock.info': call(noInput, lockInfoViewSchema),
  /**
   * Locks now: state 'guarded', refreshes go on. A keychain vault without a lock passphrase is refused with field
   * 'passphrase': ask for one ('lock.setPassphrase') first. `note` says what the lock does and does not do.
   */
  'lock.now': call(noInput, z.strictObject({ state: vaultStateSchema, note: z.string() })),
  /**
   * "Lock and forget the key": a passphrase vault is closed (state 'locked'; refreshes STOP until 'vault.unlock', which
   * `note` says). Refused for a keychain vault (field 'forget': Larder cannot forget what the keychain gives back).
   */
  'lock.forget': call(noInput, z.strictObject({ state: vaultStateSchema, note: z.string() })),
  /** A wrong passphrase: invalid_input on 'passphrase' (counted; after 5, each try waits: see the guarded state's retryAt). */
  'lock.unlock': call(lockUnlockInput, vaultStateSchema),
  /** A keychain vault's lock passphrase (at least MIN_PASSPHRASE_LENGTH, 10, characters), stored only as a scrypt verifier. Refused while locked. */
  'lock.setPassphrase': call(lockSetPassphraseInput, lockInfoViewSchema),
  /** Backups, restore, scheduled backups, a move and the configuration without secrets (estate.ts, issue 17). */
  ...estateCalls,
  // A team on one set of tokens (issue 16): make, join, approve.
  ...teamCalls,
  /** The host's file pickers (files.ts): the estate's calls take the paths they answer. */
  ...filesCalls
} as const

export type Calls = typeof calls
export type CallName = keyof Calls
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>
/** What a call's input is once the edge has checked it. */
export type CheckedInput<N extends CallName> = z.output<Calls[N]['input']>
export type CallResults = { readonly [N in CallName]: z.infer<Calls[N]['output']> }
