// Admin-managed service tokens of a platform Larder cannot call by name (seed 003). Larder keeps what the admin tells
// it (service user, environment, expiry date or none, how a request carries the token) and records the admin's
// lifecycle actions; it checks only through a URL the person gives (a read-only GET answering 2xx while the token
// works). Its rule is the expiry date: warned a week ahead, and never copied once revoked or expired.
import { SYSTEM_LABEL } from '../../../../shared/status-words.ts'
import { serviceTokenDetailsSchema, type ServiceTokenDetails } from '../../../../shared/contract/key-details.ts'
import { parseDetails } from '../details.ts'
import { getForCheck, outcomeOfStatus, retryAfter } from '../http-check.ts'
import { carryHeaders, type CheckContext, type CheckOutcome, type KeySystem } from '../system.ts'

export const WARN_BEFORE_MS = 7 * 86_400_000
const RATE_LIMIT_WAIT_MS = 60_000
const CAUSES = 'The service refused the token. The likely causes: an admin revoked or deleted it, it expired, or its service user was removed.'

async function checkUrl(context: CheckContext<ServiceTokenDetails>): Promise<CheckOutcome> {
  const { checkUrl: address, carry } = context.details
  if (address === null) return { outcome: 'unreachable', message: 'No check address is set.' }
  const url = new URL(address)
  const answer = await getForCheck({ url, headers: carryHeaders(carry, context.token), dispatcher: context.dispatcher })
  if (answer.kind === 'unreachable') return { outcome: 'unreachable', message: answer.message }
  const now = context.now()
  if (answer.status >= 200 && answer.status <= 299) return { outcome: 'ok', identity: null }
  // Without a documented error shape, 403 reads as "refused" too: a check URL is one the token must be allowed.
  if (answer.status === 403) return { outcome: 'refused', status: 403, causes: CAUSES }
  return outcomeOfStatus(answer.status, url.host, now, RATE_LIMIT_WAIT_MS, retryAfter(answer.headers, now), CAUSES)
}

export const serviceToken: KeySystem<ServiceTokenDetails> = {
  id: 'service_token',
  label: SYSTEM_LABEL.service_token,
  parseDetails: (raw) => parseDetails(serviceTokenDetailsSchema, raw),
  carry: (details) => details.carry,
  checkWith: (details) => (details.checkUrl === null ? null : checkUrl),
  timeline: ({ details }) => ({
    expiresAt: details.expiresAt,
    warnFrom: details.expiresAt === null ? null : details.expiresAt - WARN_BEFORE_MS,
    byInactivity: false
  }),
  readUrl: (details) => details.checkUrl,
  sendsTo: (details) => details.checkUrl,
  // The platform is not named: its check URL is the admin's choice, so every host off this computer is confirmed.
  trustedHosts: [],
  actions: ['check', 'revoke', 'restore', 'delete', 'set_expiry', 'mark_used'],
  environment: (details, token) => ({ [details.envName]: token })
}
