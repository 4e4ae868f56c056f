// How statuses and failures read to a person, shared by the tray and the notifications so both say the same.
import type { LibraryStatus } from '../../../shared/contract.ts'

/**
 * Worst first: the order the tray lists groups in. The attention group leads, then the warnings, then healthy, then
 * revoked: it no longer works, but the person revoked it in Larder and nothing about it is urgent (as the dashboard).
 * Moved last: refreshed on another machine now, nothing to do here at all.
 */
export const STATUSES_WORST_FIRST: readonly LibraryStatus[] = [
  'needs_reauth',
  'error',
  'expired',
  'expiring_soon',
  'refreshing',
  'healthy',
  'revoked',
  'moved'
]

export type AttentionLevel = 'ok' | 'warning' | 'attention'

export function levelOf(status: LibraryStatus): AttentionLevel {
  switch (status) {
    // A revoked token does not work, but it was revoked on purpose; a moved one works on the other machine: nothing is
    // urgent, so neither raises the icon. The tooltip names them.
    case 'healthy':
    case 'revoked':
    case 'moved':
      return 'ok'
    case 'expiring_soon':
    case 'expired':
    case 'refreshing':
      return 'warning'
    case 'needs_reauth':
    case 'error':
      return 'attention'
  }
}

export const STATUS_HEADINGS: Readonly<Record<LibraryStatus, string>> = {
  needs_reauth: 'Needs re-authorization',
  error: 'Refresh failed',
  revoked: 'Revoked',
  moved: 'Moved',
  expired: 'Expired',
  expiring_soon: 'Expiring soon',
  refreshing: 'Refreshing',
  healthy: 'Healthy'
}

/** Lower-case phrases for running text ("Bistro (needs re-authorization)"). */
export const STATUS_PHRASES: Readonly<Record<LibraryStatus, string>> = {
  needs_reauth: 'needs re-authorization',
  error: 'refresh failed',
  revoked: 'revoked',
  moved: 'moved to another machine',
  expired: 'expired',
  expiring_soon: 'expiring soon',
  refreshing: 'refreshing',
  healthy: 'healthy'
}

// Failure kinds as a person can act on them. Notifications show these, never the failure's own message,
// so no text from a server (or anything pasted) can reach the desktop's notification history.
const FAILURE_PHRASES: Readonly<Record<string, string>> = {
  invalid_grant: 'The customer must issue a new token',
  invalid_client: "This library's client ID or secret was rejected",
  unauthorized: 'Apicbase refused the token',
  forbidden: 'A scope or permission is missing',
  rate_limited: 'Apicbase is rate limiting; Larder will try again later',
  server_error: 'Apicbase had a server error; Larder is retrying',
  network: 'Apicbase could not be reached; Larder is retrying',
  timeout: 'Apicbase did not answer in time; Larder is retrying',
  malformed_response: 'Apicbase sent an answer Larder could not read',
  invalid_request: 'Apicbase refused the request as invalid',
  storage: 'The vault could not be written',
  tampered: 'The vault was changed outside Larder; nothing is sent for this library',
  // Issue 16: never a library's recorded failure, only a refusal answered to a click (and the offline notice).
  team_offline: "This machine is offline from the team database: nothing of the team's is refreshed or changed until Larder reaches it"
}

export function failurePhrase(kind: string | undefined): string {
  return (kind !== undefined && Object.hasOwn(FAILURE_PHRASES, kind) ? FAILURE_PHRASES[kind] : undefined) ?? 'Open Larder to see why'
}

/** "1 library" / "3 libraries". */
export function libraries(count: number): string {
  return `${count} ${count === 1 ? 'library' : 'libraries'}`
}

const MAX_NAME_CHARS = 60

/** A library name made safe for one line of a menu or notification: no control characters, bounded length. */
export function displayName(name: string): string {
  const flat = name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim()
  const chars = [...flat]
  if (chars.length === 0) return '(unnamed library)'
  return chars.length > MAX_NAME_CHARS ? `${chars.slice(0, MAX_NAME_CHARS - 1).join('')}…` : flat
}
