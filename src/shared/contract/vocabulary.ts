// The words Larder's parts share, as schemas (the lists themselves are in words.ts, which the renderer imports
// without zod), and the rules for ids and times. The core, the bridge and the renderer all take them from here.
import { z } from 'zod'

import { AUDIT_ACTIONS, AUDIT_OUTCOMES, COPY_FORMATS, FAILURE_KINDS, LIBRARY_STATUSES, TOKEN_TYPES } from './words.ts'

export { AUDIT_ACTIONS, AUDIT_OUTCOMES, COPY_FORMATS, FAILURE_KINDS, LIBRARY_STATUSES, TOKEN_TYPES }

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
