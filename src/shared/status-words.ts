// What each library status is called, for a person: one list for the window, the tray's words and the command line.
// Plain data (type-only imports), so the `larder` command can load it without the contract's schemas.
import type { KEY_STATUSES, LIBRARY_STATUSES, SYSTEM_IDS } from './contract/words.ts'

export const STATUS_LABEL: Readonly<Record<(typeof LIBRARY_STATUSES)[number] | (typeof KEY_STATUSES)[number], string>> = {
  healthy: 'Healthy',
  expiring_soon: 'Expiring soon',
  expired: 'Expired',
  refreshing: 'Refreshing',
  needs_reauth: 'Needs re-authorization',
  error: 'Error',
  revoked: 'Revoked',
  moved: 'Moved',
  inactive: 'Inactive'
}

/** What each token system is called, for a person (the window, the command line, the core's messages). */
export const SYSTEM_LABEL: Readonly<Record<(typeof SYSTEM_IDS)[number], string>> = {
  apicbase: 'Apicbase',
  safetyculture: 'SafetyCulture',
  airtable: 'Airtable',
  service_token: 'Service token'
}
