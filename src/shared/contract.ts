// The bridge contract: every call the renderer may make and every event it may receive, defined once,
// with a runtime schema for each argument. Main validates against it, preload exposes exactly it, and the
// renderer takes its types from it. Nothing here may ever carry a secret.
import { z } from 'zod'
import { CALL_NAMES, EVENT_NAMES } from './names.ts'

const id = z.string().min(1).max(200)
const millis = z.number().int().min(0).max(8.64e15)
const pasted = z.string().max(8192)

export const tokenTypeSchema = z.enum(['service_account', 'connected_application', 'personal'])
export const statusSchema = z.enum(['healthy', 'expiring_soon', 'expired', 'refreshing', 'needs_reauth', 'error', 'revoked'])
export const copyFormatSchema = z.enum(['token', 'header', 'env', 'curl'])
export const auditActionSchema = z.enum(['added', 'refreshed', 'copied', 'exported', 'switched', 'removed', 'failed', 'revoked', 'restored'])

export type TokenType = z.infer<typeof tokenTypeSchema>
export type LibraryStatus = z.infer<typeof statusSchema>
export type CopyFormat = z.infer<typeof copyFormatSchema>
export type AuditAction = z.infer<typeof auditActionSchema>

export interface LibraryFailureView {
  readonly kind: string
  readonly message: string
  readonly at: number
  readonly retryAt?: number
}

/** What the renderer knows about a library: metadata, a status and a masked preview; never a secret. */
export interface LibraryView {
  readonly id: string
  readonly name: string
  readonly apicbaseLibraryId: string | null
  readonly apicbaseLibraryName: string | null
  readonly tokenType: TokenType
  readonly scopes: readonly string[]
  readonly apiBaseUrl: string
  readonly clientId: string
  readonly addedAt: number
  readonly issuedAt: number | null
  readonly expiresAt: number | null
  readonly lastRefreshedAt: number | null
  readonly lastUsedAt: number | null
  readonly lastError: LibraryFailureView | null
  readonly tokenPreview: string
  readonly status: LibraryStatus
  /**
   * Personal tokens only (absent or null otherwise). A personal token's own record has role 'connection'; each library
   * reached through it has role 'library' and shows its connection's token fields and status (the pair is stored once).
   */
  readonly personal?: PersonalView | null
}

/** Where a personal token's active library stands, as Larder last read it. Event 'personal.active' carries this. */
export interface PersonalActiveView {
  /** The record holding the personal token. */
  readonly connectionId: string
  /** The library its user has active at Apicbase (null before Larder first looked). */
  readonly activeLibraryId: string | null
  readonly activeLibraryName: string | null
  /** The library Larder last left it on; what "switch back" returns to. */
  readonly expectedLibraryId: string | null
  readonly expectedLibraryName: string | null
  /**
   * The active library was changed outside Larder. Larder refuses to act for, or copy the token for, any other library
   * until a person switches in Larder ('personal.switch' on that library), or keeps the one now active
   * ('personal.switch' on the connection).
   */
  readonly drifted: boolean
  readonly checkedAt: number | null
  /** Why the last look failed (e.g. no 'accounts' scope), or null. */
  readonly problem: string | null
}

export interface PersonalView extends PersonalActiveView {
  readonly role: 'connection' | 'library'
  readonly connectionName: string
  /** role 'library': its Apicbase library is the one active now. */
  readonly isActive: boolean
  /** How many libraries in Larder share this token. */
  readonly libraryCount: number
}

/** A library the personal token's user can reach (GET /api/v2/accounts/libraries/). */
export interface ReachableLibraryView {
  readonly apicbaseLibraryId: string
  readonly name: string | null
  readonly status: string | null
  readonly active: boolean
  /** Its library row in Larder when already added, else null. */
  readonly entryId: string | null
}

export interface OAuthStartedView {
  readonly flowId: string
  /** For the system browser (the main process opens it). */
  readonly authorizeUrl: string
  /** Larder forgets the flow after this. */
  readonly expiresAt: number
  /** An authorization code expires this long after Apicbase shows it (one minute): say so. */
  readonly codeLifetimeMs: number
  /** The loopback address catching the answer; null when the person pastes the code. */
  readonly redirectUri: string | null
}

export interface OAuthConnectedView {
  /** The new personal token's record (role 'connection'); add its libraries next with 'personal.add'. */
  readonly connection: LibraryView
  readonly activeLibrary: { readonly id: string; readonly name: string | null } | null
  /** Things to tell the person (a missing scope). */
  readonly notes: readonly string[]
}

/** On a copy receipt of a personal token: what Larder did to the active library first. */
export interface PersonalCopyNote {
  readonly switched: boolean
  readonly activeLibraryId: string | null
  readonly activeLibraryName: string | null
  /** A sentence for the person: "Switched … to Café Zuid before copying. …" */
  readonly message: string
}

export interface Settings {
  readonly expiringSoonMs: number
  readonly refreshAheadMs: number
  readonly copyFreshnessMarginMs: number
  readonly clipboardClearMs: number
  readonly notifications: { readonly expiring: boolean; readonly failed: boolean; readonly needsReauth: boolean }
  readonly defaultApiBaseUrl: string
}

export interface AuditEntryView {
  readonly seq: number
  readonly at: number
  readonly action: AuditAction
  readonly libraryId: string | null
  readonly libraryName: string | null
  readonly outcome: 'ok' | 'error'
  readonly detail?: string
}

/** Where the vault stands. Only 'open' lets library calls through. */
export type VaultState =
  | { readonly state: 'opening' }
  | { readonly state: 'open'; readonly cipher: 'keychain' | 'passphrase' }
  | { readonly state: 'locked'; readonly mode: 'unlock' | 'create' }
  | { readonly state: 'damaged'; readonly message: string; readonly backupSavedAt: number | null }
  | { readonly state: 'failed'; readonly message: string }

export interface CopyReceipt {
  readonly libraryId: string
  readonly format: CopyFormat
  readonly preview: string
  readonly clearsAt: number | null
  /** Set when the token is a personal token's: which library it acts on, and whether Larder switched first. */
  readonly personal?: PersonalCopyNote
}

export const addLibraryInput = z.strictObject({
  tokenType: tokenTypeSchema,
  name: pasted,
  clientId: pasted,
  clientSecret: pasted,
  accessToken: pasted,
  refreshToken: pasted,
  apiBaseUrl: pasted.optional()
})
export type AddLibraryInput = z.infer<typeof addLibraryInput>

const settingsPatch = z.strictObject({
  expiringSoonMs: millis.optional(),
  refreshAheadMs: millis.optional(),
  copyFreshnessMarginMs: millis.optional(),
  clipboardClearMs: millis.optional(),
  notifications: z
    .strictObject({ expiring: z.boolean().optional(), failed: z.boolean().optional(), needsReauth: z.boolean().optional() })
    .optional(),
  defaultApiBaseUrl: pasted.optional()
})
export type SettingsPatch = z.infer<typeof settingsPatch>

const auditQuery = z.strictObject({
  before: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(500),
  libraryId: id.optional(),
  action: auditActionSchema.optional(),
  since: millis.optional(),
  until: millis.optional()
})
export type AuditQuery = z.infer<typeof auditQuery>

const none = z.strictObject({})
const byId = z.strictObject({ id })

export const redirectModeSchema = z.enum(['paste', 'loopback'])
export type RedirectMode = z.infer<typeof redirectModeSchema>

export const oauthStartInput = z.strictObject({
  /** A name for the token in Larder (default "Personal token"). */
  name: pasted.optional(),
  clientId: pasted,
  clientSecret: pasted,
  /** e.g. ['accounts', 'library']; 'accounts' is needed to list and switch libraries. */
  scopes: z.array(z.string().max(64)).min(1).max(20),
  apiBaseUrl: pasted.optional(),
  /** 'paste': Apicbase shows the code and the person pastes it (no redirect URL registered). 'loopback': http://127.0.0.1:<port>/oauth/callback/ */
  redirect: redirectModeSchema
})
export type OAuthStartInput = z.infer<typeof oauthStartInput>

/** Each call: its input schema, and (as a type) what it answers. */
export const calls = {
  'app.info': none,
  'vault.state': none,
  'vault.unlock': z.strictObject({ passphrase: z.string().min(1).max(1024) }),
  'vault.restoreBackup': z.strictObject({ passphrase: z.string().min(1).max(1024).optional() }),
  'libraries.list': none,
  'libraries.add': addLibraryInput,
  'libraries.refresh': byId,
  'libraries.copy': z.strictObject({ id, format: copyFormatSchema }),
  'libraries.revoke': byId,
  'libraries.reauthorize': z.strictObject({ id, accessToken: pasted, refreshToken: pasted }),
  'libraries.remove': z.strictObject({ id, confirmName: z.string().max(200) }),
  'oauth.start': oauthStartInput,
  /** `code`: the code Apicbase showed, or the whole address the browser was sent to. */
  'oauth.complete': z.strictObject({ flowId: id, code: pasted }),
  /** Resolves once a loopback flow came back and its code was exchanged (or failed). */
  'oauth.wait': z.strictObject({ flowId: id }),
  'oauth.cancel': z.strictObject({ flowId: id }),
  'personal.libraries': z.strictObject({ connectionId: id }),
  'personal.add': z.strictObject({ connectionId: id, libraryIds: z.array(id).min(1).max(200) }),
  /** A library's id: switch to it (ends a drift). A personal token's own id: keep the library active now. */
  'personal.switch': byId,
  /** Reads the active library now; a personal token's id or one of its libraries'. */
  'personal.check': byId,
  'settings.get': none,
  'settings.update': settingsPatch,
  'audit.page': auditQuery,
  'audit.exportCsv': auditQuery.omit({ before: true, limit: true })
} as const

export interface CallResults {
  'app.info': { readonly name: string; readonly version: string; readonly host: 'electron' | 'browser' }
  'vault.state': VaultState
  'vault.unlock': VaultState
  'vault.restoreBackup': VaultState
  'libraries.list': readonly LibraryView[]
  'libraries.add': LibraryView
  'libraries.refresh': LibraryView
  'libraries.copy': CopyReceipt
  'libraries.revoke': LibraryView
  'libraries.reauthorize': LibraryView
  'libraries.remove': { readonly removed: string }
  'oauth.start': OAuthStartedView
  'oauth.complete': OAuthConnectedView
  'oauth.wait': OAuthConnectedView
  'oauth.cancel': { readonly cancelled: boolean }
  'personal.libraries': { readonly connectionId: string; readonly state: PersonalActiveView; readonly libraries: readonly ReachableLibraryView[] }
  'personal.add': readonly LibraryView[]
  'personal.switch': LibraryView
  'personal.check': PersonalActiveView
  'settings.get': Settings
  'settings.update': Settings
  'audit.page': { readonly entries: readonly AuditEntryView[]; readonly nextBefore: number | null }
  'audit.exportCsv': { readonly csv: string; readonly rows: number }
}

export type CallName = keyof typeof calls

// The plain name lists (used by the preload) and the schemas above must name the same calls and events.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
const callNamesMatch: Same<(typeof CALL_NAMES)[number], CallName> = true
void callNamesMatch
export type CallInput<N extends CallName> = z.input<(typeof calls)[N]>

/** Events pushed from main to the renderer. */
export interface EventPayloads {
  'library.changed': LibraryView
  'library.removed': { readonly id: string }
  'navigate.library': { readonly id: string }
  'vault.state': VaultState
  'personal.active': PersonalActiveView
}
export type EventName = keyof EventPayloads

const eventNamesMatch: Same<(typeof EVENT_NAMES)[number], EventName> = true
void eventNamesMatch

/** How a failed call reaches the renderer: a kind it can branch on and a message for a person. */
export interface BridgeErrorShape {
  readonly kind: 'invalid_input' | 'not_found' | 'api' | 'vault' | 'internal'
  readonly message: string
  readonly field?: string
  readonly apiKind?: string
}

export type CallResult<N extends CallName> =
  | { readonly ok: true; readonly value: CallResults[N] }
  | { readonly ok: false; readonly error: BridgeErrorShape }

/**
 * What preload puts on `window.larder`, and the web bridge implements over a WebSocket. `call` never rejects
 * for a refused call: it answers the result, so the error's kind and field survive the context bridge.
 */
export interface LarderBridge {
  readonly host: 'electron' | 'browser'
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>>
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void
}
