// What a key of each token system holds besides its secret, as a person gives it (the add dialog, an import) and as
// the vault keeps it. One schema per system: the bridge's edge and the core read the same rules.
import { z } from 'zod'

/** A short line a person typed: trimmed, no control characters. */
const line = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters')
const name = line(200).min(1)
/** An https URL (http only on loopback, for the fakes and a local service). */
const serviceUrl = z
  .string()
  .trim()
  .max(2_000)
  .url()
  .refine((value) => {
    const url = new URL(value)
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
  }, 'an https address (http only on this machine)')
/** An HTTP header name (RFC 9110 token), not one that means something else to HTTP. */
const headerName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'letters, digits and - only')
  .refine((value) => !['host', 'content-length', 'content-type', 'cookie', 'connection', 'transfer-encoding'].includes(value.toLowerCase()), 'a header HTTP uses for itself')
/** An environment variable a shell can name. */
export const envNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _ only, not starting with a digit')

export const safetyCultureDetailsSchema = z.strictObject({
  /** A user API token acts as its person; a service-user token as a service user (seed 002). */
  kind: z.enum(['user', 'service_user']),
  /** The organisation the token belongs to (one token per organisation). */
  organisation: line(200),
  /** The person or service user it acts as. */
  owner: line(200),
  /** Off unless a person turns it on: a harmless WhoAmI before day 30 keeps an unused token from expiring. */
  keepAlive: z.boolean().default(false),
  apiBaseUrl: serviceUrl.default('https://api.safetyculture.io')
})

export const airtableDetailsSchema = z.strictObject({
  /** As the person noted them when the token was made (Airtable does not report a personal token's scopes). */
  scopes: z.array(line(100).min(1)).max(50).default([]),
  /** The bases and workspaces granted, as noted (ids or names); empty: not noted. */
  bases: z.array(line(200).min(1)).max(500).default([]),
  apiBaseUrl: serviceUrl.default('https://api.airtable.com')
})

export const carrySchema = z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('bearer') }), z.strictObject({ kind: z.literal('header'), name: headerName })])

export const serviceTokenDetailsSchema = z.strictObject({
  serviceUser: name,
  /** production, staging… as the admin names it. */
  environment: line(100),
  /** When the admin set it to expire; null: it does not. */
  expiresAt: z.number().int().min(0).nullable(),
  carry: carrySchema.default({ kind: 'bearer' }),
  /** A read-only GET that answers 2xx while the token works; null: Larder cannot check it. */
  checkUrl: serviceUrl.nullable().default(null),
  /** The variable `larder exec` puts it in. */
  envName: envNameSchema.default('SERVICE_TOKEN')
})

export type SafetyCultureDetails = z.infer<typeof safetyCultureDetailsSchema>
export type AirtableDetails = z.infer<typeof airtableDetailsSchema>
export type ServiceTokenDetails = z.infer<typeof serviceTokenDetailsSchema>
export type CarryView = z.infer<typeof carrySchema>
