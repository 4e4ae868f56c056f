import type { AuditAction } from '../../../../shared/contract.ts'

export const AUDIT_ACTIONS = ['added', 'refreshed', 'copied', 'exported', 'switched', 'removed', 'failed', 'revoked', 'restored'] as const satisfies readonly AuditAction[]

export const AUDIT_ACTION_LABEL: Readonly<Record<AuditAction, string>> = {
  added: 'Added',
  refreshed: 'Refreshed',
  copied: 'Copied',
  exported: 'Exported',
  switched: 'Switched library',
  removed: 'Removed',
  failed: 'Refresh failed',
  revoked: 'Revoked',
  restored: 'Restored'
}

export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(AUDIT_ACTION_LABEL, value)
}
