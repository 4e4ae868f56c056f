// What the renderer (and every other host) may see, as schemas: the types are derived from them, and the tests check
// every answer and event against them. Strict objects, so a field the app did not mean to send (a secret) fails the
// check instead of slipping through. Nothing here may ever carry a secret.
import { z } from 'zod'
import { API_HOST_KINDS } from '../api-host.ts'
import { auditActionSchema, auditOutcomeSchema, copyFormatSchema, idSchema, millisSchema, statusSchema, tokenTypeSchema, type LibraryStatus } from './vocabulary.ts'
import { HEALTH_OUTCOMES } from './words.ts'
import { guardedStateSchema, lockSettingsSchema } from './lock.ts'

const time = millisSchema
const nullableTime = millisSchema.nullable()
const text = z.string()

export const libraryFailureViewSchema = z.strictObject({
  kind: text,
  message: text,
  at: time,
  retryAt: time.optional(),
  /** The HTTP status Apicbase answered with (an error page's 502); absent when no answer came (network, timeout). */
  status: z.number().int().min(100).max(599).optional()
})

/**
 * Why Larder holds a library's refreshes back (issue 17): moved to another machine ("Moved to FILE on DATE"; taken back
 * only by a person, with a warning), or paused after a restore that could not tell whether its token is still live
 * (a person's "Refresh it now"). Absent when its refreshes go on as usual.
 */
export const libraryHoldViewSchema = z.strictObject({
  kind: z.enum(['moved', 'paused']),
  at: time,
  message: text,
  /** Moved: the backup file it went to. */
  to: text.nullable()
})

/** Where a personal token's active library stands, as Larder last read it. Event 'personal.active' carries this. */
export const personalActiveViewSchema = z.strictObject({
  /** The record holding the personal token. */
  connectionId: idSchema,
  /** The library its user has active at Apicbase (null before Larder first looked). */
  activeLibraryId: text.nullable(),
  activeLibraryName: text.nullable(),
  /** The library Larder last left it on; what "switch back" returns to. */
  expectedLibraryId: text.nullable(),
  expectedLibraryName: text.nullable(),
  /**
   * The active library was changed outside Larder. Larder refuses to act for, or copy the token for, any other library
   * until a person switches in Larder ('personal.switch' on that library), or keeps the one now active
   * ('personal.switch' on the connection).
   */
  drifted: z.boolean(),
  checkedAt: nullableTime,
  /** Why the last look failed (e.g. no 'accounts' scope), or null. */
  problem: text.nullable()
})

export const personalViewSchema = personalActiveViewSchema.extend({
  role: z.enum(['connection', 'library']),
  connectionName: text,
  /** role 'library': its Apicbase library is the one active now. */
  isActive: z.boolean(),
  /** How many libraries in Larder share this token. */
  libraryCount: z.number().int().min(0)
})

/** What Apicbase's rate-limit headers last said for a token, and until when Larder holds back after a 429. */
export const rateLimitViewSchema = z.strictObject({
  limit: z.number().int().min(0).nullable(),
  remaining: z.number().int().min(0).nullable(),
  resetAt: nullableTime,
  /** When Larder read these figures (null when it only knows of a 429 wait). */
  observedAt: nullableTime,
  /** Apicbase answered 429: Larder sends nothing for this token before then. Null when not waiting. */
  waitingUntil: nullableTime
})

/** A library's last health check (one cheap read its scopes allow) and the next one planned. */
export const healthCheckViewSchema = z.strictObject({
  checkedAt: nullableTime,
  outcome: z.enum(HEALTH_OUTCOMES).nullable(),
  /** The path that was read, e.g. /api/v2/library/recipes/. */
  endpoint: text.nullable(),
  /** Larder's sentence for anything but 'ok'. */
  message: text.nullable(),
  nextAt: nullableTime
})

/** The fields a library record and its view share (the core's LibraryMeta is built from the same list). */
export const libraryFieldsSchema = z.strictObject({
  id: idSchema,
  name: text,
  /** Groups a customer's libraries and keys together (shared/customer-label.ts); absent: none given. */
  customer: text.optional(),
  apicbaseLibraryId: text.nullable(),
  apicbaseLibraryName: text.nullable(),
  tokenType: tokenTypeSchema,
  scopes: z.array(text).readonly(),
  apiBaseUrl: text,
  /** OAuth client IDs are identifiers, not secrets. */
  clientId: text,
  addedAt: time,
  issuedAt: nullableTime,
  expiresAt: nullableTime,
  lastRefreshedAt: nullableTime,
  lastUsedAt: nullableTime,
  /** The last four characters of the access token, for recognising it: "…a91f". */
  tokenPreview: text
})

/** What the renderer knows about a library: metadata, a status and a masked preview; never a secret. */
export const libraryViewSchema = libraryFieldsSchema.extend({
  /** The host apiBaseUrl sends to, as the core reads it, and whose it is ('other': confirmed by a person when added). */
  apiHost: text,
  apiHostKind: z.enum(API_HOST_KINDS),
  lastError: libraryFailureViewSchema.nullable(),
  status: statusSchema,
  /**
   * Personal tokens only (absent otherwise). A personal token's own record has role 'connection'; each library reached
   * through it has role 'library' and shows its connection's token fields and status (the pair is stored once).
   */
  personal: personalViewSchema.nullable().optional(),
  /** Absent before Larder has heard anything about this token's rate limit. */
  rateLimit: rateLimitViewSchema.nullable().optional(),
  /** Records holding a service-account or connected-application token; personal tokens are checked through their active library. */
  health: healthCheckViewSchema.nullable().optional(),
  hold: libraryHoldViewSchema.optional()
})

/**
 * One row of the library list: what the list, its search, sort and counts, the warnings banner, the ticker and the add
 * form's duplicate rule read, and nothing else (a strict subset of a library's view, about half its bytes: 10,000 of
 * them are the start-up's biggest message). The detail pane asks for the whole view with 'libraries.get'.
 */
export const libraryListViewSchema = z.strictObject({
  id: libraryViewSchema.shape.id,
  name: libraryViewSchema.shape.name,
  customer: libraryViewSchema.shape.customer,
  apicbaseLibraryId: libraryViewSchema.shape.apicbaseLibraryId,
  apicbaseLibraryName: libraryViewSchema.shape.apicbaseLibraryName,
  tokenType: libraryViewSchema.shape.tokenType,
  clientId: libraryViewSchema.shape.clientId,
  addedAt: libraryViewSchema.shape.addedAt,
  expiresAt: libraryViewSchema.shape.expiresAt,
  lastRefreshedAt: libraryViewSchema.shape.lastRefreshedAt,
  lastUsedAt: libraryViewSchema.shape.lastUsedAt,
  status: libraryViewSchema.shape.status,
  personal: libraryViewSchema.shape.personal,
  hold: libraryViewSchema.shape.hold
})

/** How many libraries are in each status: one count per status word, in `LIBRARY_STATUSES` order. */
export const statusCountsSchema = z.strictObject({
  healthy: z.number().int().min(0),
  expiring_soon: z.number().int().min(0),
  expired: z.number().int().min(0),
  refreshing: z.number().int().min(0),
  needs_reauth: z.number().int().min(0),
  error: z.number().int().min(0),
  revoked: z.number().int().min(0),
  moved: z.number().int().min(0)
})

/**
 * The first page of the list in the default order (most urgent first), with the total and counts of the whole list at
 * that moment. `version` names the order fixed then, for reading the rest with 'libraries.listMore'; '' when `rows` is
 * the whole list.
 */
export const listFirstViewSchema = z.strictObject({
  version: z.string().max(64),
  total: z.number().int().min(0),
  counts: statusCountsSchema,
  rows: z.array(libraryListViewSchema).readonly()
})

/** Rows of a fixed order built now (libraries removed since are left out); `done` when the order is read to its end. */
export const listMoreViewSchema = z.strictObject({ rows: z.array(libraryListViewSchema).readonly(), done: z.boolean() })

/** Another row in Larder for the same Apicbase library (on the same API host) as a reachable one. */
export const heldLibraryViewSchema = z.strictObject({
  id: idSchema,
  name: text,
  tokenType: tokenTypeSchema,
  /** The personal token it goes through, for an entry of another personal token; else null. */
  connectionName: text.nullable()
})

/** A library the personal token's user can reach (GET /api/v2/accounts/libraries/). */
export const reachableLibraryViewSchema = z.strictObject({
  apicbaseLibraryId: text,
  name: text.nullable(),
  status: text.nullable(),
  active: z.boolean(),
  /** Its library row in Larder when already added, else null. */
  entryId: idSchema.nullable(),
  /** The other rows in Larder for this Apicbase library (a service-account record…); absent when there is none. */
  heldBy: z.array(heldLibraryViewSchema).readonly().optional()
})

export const oauthStartedViewSchema = z.strictObject({
  flowId: idSchema,
  /** For the system browser (the host opens it). */
  authorizeUrl: text,
  /** Larder forgets the flow after this. */
  expiresAt: time,
  /** An authorization code expires this long after Apicbase shows it (one minute): say so. */
  codeLifetimeMs: time,
  /** The loopback address catching the answer; null when the person pastes the code. */
  redirectUri: text.nullable()
})

export const oauthConnectedViewSchema = z.strictObject({
  /** The new personal token's record (role 'connection'); add its libraries next with 'personal.add'. */
  connection: libraryViewSchema,
  activeLibrary: z.strictObject({ id: text, name: text.nullable() }).nullable(),
  /** Things to tell the person (a missing scope). */
  notes: z.array(text).readonly()
})

/** On a copy receipt of a personal token: what Larder did to the active library first. */
export const personalCopyNoteSchema = z.strictObject({
  switched: z.boolean(),
  activeLibraryId: text.nullable(),
  activeLibraryName: text.nullable(),
  /** A sentence for the person: "Switched … to Café Zuid before copying. …" */
  message: text
})

export const copyReceiptSchema = z.strictObject({
  libraryId: idSchema,
  format: copyFormatSchema,
  preview: text,
  clearsAt: nullableTime,
  /** Set when the token is a personal token's: which library it acts on, and whether Larder switched first. */
  personal: personalCopyNoteSchema.optional()
})

export const notificationTogglesSchema = z.strictObject({ expiring: z.boolean(), failed: z.boolean(), needsReauth: z.boolean() })

export const settingsSchema = z.strictObject({
  expiringSoonMs: time,
  refreshAheadMs: time,
  copyFreshnessMarginMs: time,
  clipboardClearMs: time,
  notifications: notificationTogglesSchema,
  defaultApiBaseUrl: text,
  /** The app lock's settings (idle minutes, on screen lock, on suspend); Larder always sends them, older fixtures may not. */
  lock: lockSettingsSchema.optional()
})

export const auditEntryViewSchema = z.strictObject({
  seq: z.number().int().min(1),
  at: time,
  action: auditActionSchema,
  libraryId: text.nullable(),
  libraryName: text.nullable(),
  outcome: auditOutcomeSchema,
  detail: text.optional(),
  /** Which library it was, recorded with the entry (older entries have none): Apicbase's id, the token type, the personal token it goes through. */
  apicbaseLibraryId: text.optional(),
  tokenType: tokenTypeSchema.optional(),
  via: text.optional(),
  /** A team's trail (issue 16): who wrote it (name null when the roster does not hold them) and whether its signature checks. */
  member: z.strictObject({ id: idSchema, name: text.nullable(), verified: z.boolean() }).optional()
})

/** Where the vault stands. Only 'open' lets library calls through ('guarded': open, but the app lock is on). */
export const vaultStateSchema = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('opening') }),
  z.strictObject({ state: z.literal('open'), cipher: z.enum(['keychain', 'passphrase']) }),
  z.strictObject({ state: z.literal('locked'), mode: z.enum(['unlock', 'create']) }),
  z.strictObject({ state: z.literal('damaged'), message: text, backupSavedAt: nullableTime }),
  z.strictObject({ state: z.literal('failed'), message: text }),
  /** Open, but locked by the app lock: tokens go on being refreshed; nothing of a library or key reaches a window. */
  guardedStateSchema
])

export const hostKindSchema = z.enum(['electron', 'browser', 'agent'])
export const appInfoSchema = z.strictObject({
  name: text,
  version: text,
  host: hostKindSchema,
  /** Where a copied token goes: the system clipboard, or a stand-in the host keeps (the browser host, for its tests). Absent: not said. */
  clipboard: z.enum(['system', 'stand-in']).optional(),
  /** Whether starting an authorization opens the page in the system browser for the person. Absent: not said. */
  opensBrowser: z.boolean().optional(),
  /** A demo: not the person's vault, and the API is a stand-in on this computer. Absent: false. */
  demo: z.boolean().optional()
})

export type LibraryFailureView = z.infer<typeof libraryFailureViewSchema>
export type LibraryHoldView = z.infer<typeof libraryHoldViewSchema>
export type PersonalActiveView = z.infer<typeof personalActiveViewSchema>
export type RateLimitView = z.infer<typeof rateLimitViewSchema>
export type HealthCheckView = z.infer<typeof healthCheckViewSchema>
export type PersonalView = z.infer<typeof personalViewSchema>
export type LibraryFields = z.infer<typeof libraryFieldsSchema>
export type LibraryView = z.infer<typeof libraryViewSchema>
export type LibraryListView = z.infer<typeof libraryListViewSchema>
export type StatusCountsView = z.infer<typeof statusCountsSchema>
export type ListFirstView = z.infer<typeof listFirstViewSchema>
export type ListMoreView = z.infer<typeof listMoreViewSchema>
// The counts name every status and nothing else (the order, LIBRARY_STATUSES', is checked in list-first.test.ts).
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
const countsNameEveryStatus: SameKeys<keyof StatusCountsView, LibraryStatus> = true
void countsNameEveryStatus
export type HeldLibraryView = z.infer<typeof heldLibraryViewSchema>
export type ReachableLibraryView = z.infer<typeof reachableLibraryViewSchema>
export type OAuthStartedView = z.infer<typeof oauthStartedViewSchema>
export type OAuthConnectedView = z.infer<typeof oauthConnectedViewSchema>
export type PersonalCopyNote = z.infer<typeof personalCopyNoteSchema>
export type CopyReceipt = z.infer<typeof copyReceiptSchema>
export type NotificationToggles = z.infer<typeof notificationTogglesSchema>
export type Settings = z.infer<typeof settingsSchema>
export type AuditEntryView = z.infer<typeof auditEntryViewSchema>
export type VaultState = z.infer<typeof vaultStateSchema>
export type HostKind = z.infer<typeof hostKindSchema>
export type AppInfo = z.infer<typeof appInfoSchema>
