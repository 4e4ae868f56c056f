// What each library status is called, for a person: one list for the window, the tray's words and the command line.
// Plain data (type-only imports), so the `larder` command can load it without the contract's schemas.
import type { LIBRARY_STATUSES } from './contract/words.ts'

export const STATUS_LABEL: Readonly<Record<(typeof LIBRARY_STATUSES)[number], string>> = {
  healthy: 'Healthy',
  expiring_soon: 'Expiring soon',
  expired: 'Expired',
  refreshing: 'Refreshing',
  needs_reauth: 'Needs re-authorization',
  error: 'Error',
  revoked: 'Revoked'
}
