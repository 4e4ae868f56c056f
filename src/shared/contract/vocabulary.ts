// The words Larder's parts share, declared once: token types, statuses, copy formats, audit actions, failure kinds,
// and the rules for ids and times. The core, the bridge and the renderer all take them from here.
import { z } from 'zod'

export const TOKEN_TYPES = ['service_account', 'connected_application', 'personal'] as const
export const LIBRARY_STATUSES = ['healthy', 'expiring_soon', 'expired', 'refreshing', 'needs_reauth', 'error', 'revoked'] as const
export const COPY_FORMATS = ['token', 'header', 'env', 'curl'] as const
export const AUDIT_ACTIONS = ['added', 'refreshed', 'copied', 'exported', 'switched', 'removed', 'failed', 'revoked', 'restored'] as const
export const AUDIT_OUTCOMES = ['ok', 'error'] as const
/** The closed set of failures a person can act on (the core's errors.ts words each one). */
export const FAILURE_KINDS = [
  'invalid_grant',
  'invalid_client',
  'unauthorized',
  'forbidden',
  'rate_limited',
  'server_error',
  'network',
  'timeout',
  'malformed_response',
  'invalid_request',
  'storage'
] as const

export const tokenTypeSchema = z.enum(TOKEN_TYPES)
export const statusSchema = z.enum(LIBRARY_STATUSES)
export const copyFormatSchema = z.enum(COPY_FORMATS)
export const auditActionSchema = z.enum(AUDIT_ACTIONS)
export const auditOutcomeSchema = z.enum(AUDIT_OUTCOMES)

export type TokenType = z.infer<typeof tokenTypeSchema>
export type LibraryStatus = z.infer<typeof statusSchema>
export type CopyFormat = z.infer<typeof copyFormatSchema>
export type AuditAction = z.infer<typeof auditActionSchema>
export type AuditOutcome = z.infer<typeof auditOutcomeSchema>
export type FailureKind = (typeof FAILURE_KINDS)[number]

/** Larder's own record ids, and the longest the vault stores: one rule for the bridge and the vault. */
export const ID_MAX_LENGTH = 128
export const idSchema = z.string().min(1).max(ID_MAX_LENGTH)
/** A time in ms since the epoch, or a duration in ms. */
export const millisSchema = z.number().int().min(0).max(8.64e15)
/** Whatever a person pastes into a field: the core checks its meaning, the bridge only its size. */
export const pastedSchema = z.string().max(8192)
