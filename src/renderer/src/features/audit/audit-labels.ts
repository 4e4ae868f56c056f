import type { AuditAction } from '../../../../shared/contract.ts'

export { AUDIT_ACTIONS } from '../../../../shared/contract/words.ts'

export const AUDIT_ACTION_LABEL: Readonly<Record<AuditAction, string>> = {
  added: 'Added',
  refreshed: 'Refreshed',
  copied: 'Copied',
  exported: 'Exported',
  switched: 'Switched library',
  removed: 'Removed',
  failed: 'Refresh failed',
  revoked: 'Revoked',
  restored: 'Restored',
  unlocked: 'Unlocked',
  settings_changed: 'Settings changed',
  authorization_started: 'Authorization started',
  authorized: 'Authorized',
  drift_seen: 'Active library changed elsewhere',
  handed_out: 'Handed to a terminal',
  session_allowed: 'Terminal allowed',
  session_refused: 'Terminal refused',
  session_revoked: 'Terminal revoked',
  session_ended: 'Terminal session ended',
  imported: 'Imported',
  locked: 'Locked'
}

export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(AUDIT_ACTION_LABEL, value)
}
