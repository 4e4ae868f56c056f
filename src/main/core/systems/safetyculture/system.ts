// SafetyCulture API tokens (seed 002; facts in shared/providers/README.md). A user token acts as its person and dies
// with their account; a service-user token belongs to a service user. Either expires after 30 days without use, so
// its rule is inactivity, counted from the last use Larder knows of (its own checks, copies and hand-outs, or a
// person saying it was used elsewhere). Larder checks with WhoAmI, and only when asked or when keep-alive is on: a
// check is a use, so planned checks would hide the very inactivity a person must be warned of.
import { SYSTEM_LABEL } from '../../../../shared/status-words.ts'
import { safetyCultureDetailsSchema, type SafetyCultureDetails } from '../../../../shared/contract/key-details.ts'
import { parseDetails } from '../details.ts'
import { field, getForCheck, outcomeOfStatus, retryAfter } from '../http-check.ts'
import { carryHeaders, type CheckContext, type CheckOutcome, type KeyFacts, type KeyTimeline, type KeySystem } from '../system.ts'

const DAY = 86_400_000
/** Unused this long, a token stops working (seed 002). */
export const INACTIVE_AFTER_MS = 30 * DAY
/** A week ahead: time to use it, or to let keep-alive do so. */
export const WARN_AFTER_MS = 23 * DAY
/** Keep-alive's WhoAmI goes this long after the last use: well before day 30, after the warning would have come. */
export const KEEP_ALIVE_AFTER_MS = 21 * DAY
const WHO_AM_I = '/accounts/user/v1/user:WhoAmI'
/** SafetyCulture documents no wait for a 429 here; a minute is the cautious reading. */
const RATE_LIMIT_WAIT_MS = 60_000

const USER_CAUSES =
  'SafetyCulture refused the token. The likely causes: the user it acts as was deactivated or left the organisation, the token was revoked in My Profile → Settings → API tokens, or it went 30 days unused.'
const SERVICE_CAUSES =
  'SafetyCulture refused the token. The likely causes: it was revoked (Settings → API tokens of the service user), the service user was removed, or it went 30 days unused.'

async function whoAmI(context: CheckContext<SafetyCultureDetails>): Promise<CheckOutcome> {
  const url = new URL(WHO_AM_I, context.details.apiBaseUrl)
  const answer = await getForCheck({ url, headers: carryHeaders({ kind: 'bearer' }, context.token), dispatcher: context.dispatcher })
  if (answer.kind === 'unreachable') return { outcome: 'unreachable', message: answer.message }
  const now = context.now()
  if (answer.status < 200 || answer.status > 299) {
    const causes = context.details.kind === 'user' ? USER_CAUSES : SERVICE_CAUSES
    return outcomeOfStatus(answer.status, url.host, now, RATE_LIMIT_WAIT_MS, retryAfter(answer.headers, now), causes)
  }
  const id = field(answer.json, 'user_id')
  if (id === null) return { outcome: 'unreachable', message: `${url.host} answered WhoAmI without a user_id.` }
  const who = [field(answer.json, 'firstname'), field(answer.json, 'lastname')].filter((part): part is string => part !== null && part !== '').join(' ')
  return { outcome: 'ok', identity: { id, who: who === '' ? null : who, organisation: field(answer.json, 'organisation_id') } }
}

export const safetyCulture: KeySystem<SafetyCultureDetails> = {
  id: 'safetyculture',
  label: SYSTEM_LABEL.safetyculture,
  parseDetails: (raw) => parseDetails(safetyCultureDetailsSchema, raw),
  carry: () => ({ kind: 'bearer' }),
  checkWith: () => whoAmI,
  timeline(key: KeyFacts<SafetyCultureDetails>): KeyTimeline {
    const since = key.lastUsedAt ?? key.addedAt
    return { expiresAt: since + INACTIVE_AFTER_MS, warnFrom: since + WARN_AFTER_MS, byInactivity: true }
  },
  readUrl: (details) => new URL(WHO_AM_I, details.apiBaseUrl).href,
  sendsTo: (details) => details.apiBaseUrl,
  // The documented API host (shared/providers/README.md lists no regional one).
  trustedHosts: ['api.safetyculture.io'],
  actions: ['check', 'mark_used', 'keep_alive'],
  environment: (details, token) => ({ SAFETYCULTURE_API_TOKEN: token, SAFETYCULTURE_API_URL: details.apiBaseUrl })
}

/** When keep-alive's WhoAmI is due for a key last used at `lastUsedAt` (null: keep-alive is off). */
export function keepAliveAt(key: KeyFacts<SafetyCultureDetails>): number | null {
  return key.details.keepAlive ? (key.lastUsedAt ?? key.addedAt) + KEEP_ALIVE_AFTER_MS : null
}
