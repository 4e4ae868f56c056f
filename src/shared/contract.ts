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
  'libraries.remove': z.strictObject({ id, confirmName: z.string().max(200) }),
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
  'libraries.remove': { readonly removed: string }
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
