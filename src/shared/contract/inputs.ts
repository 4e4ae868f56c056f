// What each call accepts, as schemas: the bridge's edge checks shape and size here, once; the core checks meaning
// (a token that works, a URL that is Apicbase's) and answers typed values from then on.
import { z } from 'zod'
import { LIST_LOCALE } from '../list-paging.ts'
import { lockSettingsPatchSchema } from './lock.ts'
import { auditActionSchema, copyFormatSchema, idSchema, millisSchema, pastedSchema, tokenTypeSchema } from './vocabulary.ts'

export const noInput = z.strictObject({})
/** A customer label as typed: bounded here, trimmed and checked by the core. */
const customerLabelInput = z.string().max(1_000)
/** The host a person confirmed they trust with a library's secrets, when its API host is not Apicbase's. */
const confirmedHostSchema = z.string().max(300)
export const byIdInput = z.strictObject({ id: idSchema })
/** The first page of the list in the default order, in the page's collation locale. */
export const listFirstInput = z.strictObject({ count: z.number().int().min(1).max(2_000), locale: z.string().regex(LIST_LOCALE) })
/** The keys, answered in the list's default order in `locale` (the page's), so the page's own sort finds them sorted. */
export const keysListInput = z.strictObject({ locale: z.string().regex(LIST_LOCALE).optional() })
/** The next rows of the list fixed by a first page (`version`), from a position in it. */
export const listMoreInput = z.strictObject({
  version: z.string().min(1).max(64),
  from: z.number().int().min(0).max(10_000_000),
  count: z.number().int().min(1).max(5_000)
})

export const addLibraryInput = z.strictObject({
  tokenType: tokenTypeSchema,
  name: pastedSchema,
  clientId: pastedSchema,
  clientSecret: pastedSchema,
  accessToken: pastedSchema,
  refreshToken: pastedSchema,
  apiBaseUrl: pastedSchema.optional(),
  confirmedHost: confirmedHostSchema.optional(),
  /** The id of the library Larder already holds with this client ID and token type, when a second entry is wanted. */
  confirmDuplicateOf: idSchema.optional(),
  /** Groups a customer's libraries and keys together (shared/customer-label.ts); '' or absent: none. */
  customer: customerLabelInput.optional()
})

/** What a person calls a library: its name, its customer label ('' takes it away). The core checks both. */
export const updateLibraryInput = z.strictObject({ id: idSchema, name: z.string().max(1_000).optional(), customer: customerLabelInput.optional() })

/** `from`: where the person asked (the audit says so, and the team's audit names the member too); the window when absent. */
export const copyInput = z.strictObject({ id: idSchema, format: copyFormatSchema, from: z.enum(['window', 'tray']).optional() })
export const reauthorizeInput = z.strictObject({ id: idSchema, accessToken: pastedSchema, refreshToken: pastedSchema, confirmedHost: confirmedHostSchema.optional() })
export const removeInput = z.strictObject({ id: idSchema, confirmName: z.string().max(200) })

export const settingsPatchInput = z.strictObject({
  expiringSoonMs: millisSchema.optional(),
  refreshAheadMs: millisSchema.optional(),
  copyFreshnessMarginMs: millisSchema.optional(),
  clipboardClearMs: millisSchema.optional(),
  notifications: z
    .strictObject({ expiring: z.boolean().optional(), failed: z.boolean().optional(), needsReauth: z.boolean().optional() })
    .optional(),
  defaultApiBaseUrl: pastedSchema.optional(),
  /** Needed when defaultApiBaseUrl moves to a host that is not Apicbase's: that host. */
  confirmedDefaultApiHost: confirmedHostSchema.optional(),
  /** The app lock's settings (the lock passphrase itself is set with 'lock.setPassphrase'). */
  lock: lockSettingsPatchSchema.optional()
})

export const auditQueryInput = z.strictObject({
  before: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(500),
  libraryId: idSchema.optional(),
  action: auditActionSchema.optional(),
  since: millisSchema.optional(),
  until: millisSchema.optional(),
  /** A team's trail only (issue 16): one member's entries. */
  memberId: idSchema.optional()
})
export const auditFilterInput = auditQueryInput.omit({ before: true, limit: true })

export const redirectModeSchema = z.enum(['paste', 'loopback'])

export const oauthStartInput = z.strictObject({
  /** A name for the token in Larder (default "Personal token"). */
  name: pastedSchema.optional(),
  clientId: pastedSchema,
  clientSecret: pastedSchema,
  /** e.g. ['accounts', 'library']; 'accounts' is needed to list and switch libraries. */
  scopes: z.array(z.string().max(64)).min(1).max(20),
  apiBaseUrl: pastedSchema.optional(),
  confirmedHost: confirmedHostSchema.optional(),
  /** 'paste': Apicbase shows the code and the person pastes it (no redirect URL registered). 'loopback': http://127.0.0.1:<port>/oauth/callback/ */
  redirect: redirectModeSchema
})

export const passphraseSchema = z.string().min(1).max(1024)

export type AddLibraryInput = z.infer<typeof addLibraryInput>
export type SettingsPatch = z.infer<typeof settingsPatchInput>
export type AuditQuery = z.infer<typeof auditQueryInput>
export type RedirectMode = z.infer<typeof redirectModeSchema>
export type OAuthStartInput = z.infer<typeof oauthStartInput>
