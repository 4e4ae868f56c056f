// The audit trail's public surface.
export {
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
  MAX_DETAIL_LENGTH,
  MAX_PAGE_SIZE,
  type AuditAction,
  type AuditEntry,
  type AuditInput,
  type AuditOutcome,
  type AuditQuery
} from './audit-entry.ts'
export { AUDIT_GROUP_MS, openAuditLog, type AuditLog, type AuditMember, type AuditPage, type AuditStats, type OpenAuditLogOptions } from './audit-log.ts'
export { csvCell, toCsv } from './csv.ts'
export { auditFailureDetail } from './failure-detail.ts'
export { FactualAuditLog, libraryFacts, withFacts, type LibraryFacts } from './library-facts.ts'

/** The audit trail is a record, not a gate: a failed append must not fail the action it records. */
export function ignoreAuditFailure(): undefined {
  return undefined
}
