// What each status and token type is called on screen, and how urgent a status is. Plain data, no DOM.
import type { LibraryStatus, TokenType } from '../../../shared/contract.ts'

/** Every status, in the order of urgency: the trouble first. */
export const STATUSES_BY_URGENCY = [
  'needs_reauth',
  'expired',
  'error',
  'expiring_soon',
  'refreshing',
  'healthy',
  'revoked',
  'moved'
] as const satisfies readonly LibraryStatus[]

import { STATUS_LABEL } from '../../../shared/status-words.ts'

export { STATUS_LABEL }

/** A shape beside the word, so colour is never the only signal ('inactive': a key unused past its system's limit). */
export const STATUS_GLYPH: Readonly<Record<LibraryStatus | 'inactive', string>> = {
  healthy: '✓',
  expiring_soon: '◔',
  expired: '✕',
  refreshing: '↻',
  needs_reauth: '⚠',
  error: '!',
  revoked: '⊘',
  moved: '→',
  inactive: '◌'
}

/** Lower is more urgent; shared with the main side, which answers the first page in the same order. */
export { URGENCY_RANK } from '../../../shared/library-order.ts'

/** The statuses that want a person's attention (the warnings banner counts these). */
export const ATTENTION_STATUSES = ['expiring_soon', 'expired', 'needs_reauth', 'error'] as const satisfies readonly LibraryStatus[]

export { TOKEN_TYPES } from '../../../shared/contract/words.ts'

export const TOKEN_TYPE_LABEL: Readonly<Record<TokenType, string>> = {
  service_account: 'Service account',
  connected_application: 'Connected application',
  personal: 'Personal'
}

export function isStatus(value: string): value is LibraryStatus {
  return Object.hasOwn(STATUS_LABEL, value)
}

export function isTokenType(value: string): value is TokenType {
  return Object.hasOwn(TOKEN_TYPE_LABEL, value)
}
