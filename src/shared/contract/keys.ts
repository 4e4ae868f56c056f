// The bridge's part for keys of systems Larder keeps as given (SafetyCulture, Airtable, admin-managed service tokens):
// what a window may see of a key (never its token) and what each key call accepts. Strict objects, as for libraries.
import { z } from 'zod'
import { airtableDetailsSchema, safetyCultureDetailsSchema, serviceTokenDetailsSchema } from './key-details.ts'
import { copyFormatSchema, idSchema, millisSchema } from './vocabulary.ts'
import { KEY_CHECK_OUTCOMES, KEY_HISTORY_EVENTS, KEY_LIFECYCLE_EVENTS, KEY_STATES, KEY_STATUSES, KEY_VIEW_ACTIONS } from './words.ts'

const text = z.string()
const nullableTime = millisSchema.nullable()

export const keyStatusSchema = z.enum(KEY_STATUSES)
export const keyActionSchema = z.enum(KEY_VIEW_ACTIONS)

/** The last check Larder made of a key: who it acts as when it worked, Larder's sentence when it did not. */
export const keyCheckViewSchema = z.strictObject({
  at: millisSchema,
  outcome: z.enum(KEY_CHECK_OUTCOMES),
  identity: z.strictObject({ id: text, who: text.nullable(), organisation: text.nullable() }).nullable(),
  message: text.nullable()
})

const keyFields = {
  id: idSchema,
  name: text,
  /** Groups a customer's keys together; null: none given. */
  customer: text.nullable(),
  notes: text,
  state: z.enum(KEY_STATES),
  status: keyStatusSchema,
  addedAt: millisSchema,
  /** The last use Larder made (a check, a copy, a hand-out) or was told of. */
  lastUsedAt: nullableTime,
  lastCheck: keyCheckViewSchema.nullable(),
  history: z.array(z.strictObject({ at: millisSchema, event: z.enum(KEY_HISTORY_EVENTS) })).readonly(),
  /** The token's last four characters: "…a91f". */
  tokenPreview: text,
  /** When it stops working on its own (an admin's date, 30 days unused); null: never. */
  expiresAt: nullableTime,
  /** From when Larder warns of it; null: never. */
  warnFrom: nullableTime,
  /** The rule that ends it is inactivity (its status then says 'inactive'). */
  byInactivity: z.boolean(),
  /** Its record was changed outside Larder: nothing is sent for it, it can only be removed. */
  tampered: z.boolean(),
  /** What a person may do now ('copy' only while the key works). Removing is always possible. */
  actions: z.array(keyActionSchema).readonly()
}

/** A key as the window sees it, its details by its system's own schema. Never its token. */
export const keyViewSchema = z.discriminatedUnion('system', [
  z.strictObject({ ...keyFields, system: z.literal('safetyculture'), details: safetyCultureDetailsSchema }),
  z.strictObject({ ...keyFields, system: z.literal('airtable'), details: airtableDetailsSchema }),
  z.strictObject({ ...keyFields, system: z.literal('service_token'), details: serviceTokenDetailsSchema })
])

export const keyCopyReceiptSchema = z.strictObject({ keyId: idSchema, format: copyFormatSchema, preview: text, clearsAt: nullableTime })

/** The bases an Airtable token reaches (GET /v0/meta/bases); `complete`: every page was read. */
export const keyBasesViewSchema = z.strictObject({
  bases: z.array(z.strictObject({ id: text, name: text, permissionLevel: text.nullable() })).readonly(),
  complete: z.boolean()
})

// ── inputs: shape and size here; each system's rules in the core (its parseDetails names `details.<field>`) ──

const line = z.string().max(1_000)
/** Any system's details as sent: every field any system has, each bounded; the key's system checks the rest. */
const detailsInput = z.strictObject({
  kind: z.enum(['user', 'service_user']).optional(),
  organisation: line.optional(),
  owner: line.optional(),
  keepAlive: z.boolean().optional(),
  apiBaseUrl: z.string().max(2_000).optional(),
  scopes: z.array(z.string().max(200)).max(50).optional(),
  bases: z.array(z.string().max(200)).max(500).optional(),
  serviceUser: line.optional(),
  environment: line.optional(),
  expiresAt: millisSchema.nullable().optional(),
  carry: z.strictObject({ kind: z.enum(['bearer', 'header']), name: z.string().max(100).optional() }).optional(),
  checkUrl: z.string().max(2_000).nullable().optional(),
  envName: z.string().max(100).optional()
})
const keyToken = z.string().max(16_384)
/** The host a person confirmed they trust with the token, when it is not the system's own: exactly as Larder named it. */
const confirmedHost = z.string().max(300)

export const addKeyInput = z.strictObject({
  system: z.enum(['safetyculture', 'airtable', 'service_token']),
  name: line,
  customer: line.optional(),
  notes: z.string().max(4_000).optional(),
  token: keyToken,
  details: detailsInput,
  confirmedHost: confirmedHost.optional()
})
/** `details`: the fields to change (keep-alive, an expiry date, the carry, a check URL, the variable name); the rest stay. */
export const updateKeyInput = z.strictObject({
  id: idSchema,
  name: line.optional(),
  /** '' takes the customer label away. */
  customer: line.optional(),
  notes: z.string().max(4_000).optional(),
  details: detailsInput.optional(),
  /** Needed when `details` move the token to a host that is not the system's own (its API address, a check URL). */
  confirmedHost: confirmedHost.optional()
})
export const markKeyUsedInput = z.strictObject({ id: idSchema, at: millisSchema.optional() })
export const regenerateKeyInput = z.strictObject({ id: idSchema, token: keyToken })
export const keyLifecycleInput = z.strictObject({ id: idSchema, event: z.enum(KEY_LIFECYCLE_EVENTS) })
export const copyKeyInput = z.strictObject({ id: idSchema, format: copyFormatSchema })
export const removeKeyInput = z.strictObject({ id: idSchema, confirmName: z.string().max(1_000) })

export type KeyView = z.infer<typeof keyViewSchema>
export type KeyStatusView = z.infer<typeof keyStatusSchema>
export type KeyActionView = z.infer<typeof keyActionSchema>
export type KeyCheckView = z.infer<typeof keyCheckViewSchema>
export type KeyCopyReceipt = z.infer<typeof keyCopyReceiptSchema>
export type KeyBasesView = z.infer<typeof keyBasesViewSchema>
export type AddKeyInput = z.infer<typeof addKeyInput>
export type UpdateKeyInput = z.infer<typeof updateKeyInput>
