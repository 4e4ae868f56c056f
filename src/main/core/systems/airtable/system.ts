// Airtable personal access tokens (seed 004). The value is opaque and of any length; it never expires on its own,
// so its status comes from checks (whoami) and from what a person records: regenerating it in Airtable kills the old
// value at once, and the new one is pasted into the same key. A 429 means wait 30 seconds; checks respect it.
import { SYSTEM_LABEL } from '../../../../shared/status-words.ts'
import { airtableDetailsSchema, type AirtableDetails } from '../../../../shared/contract/key-details.ts'
import { parseDetails } from '../details.ts'
import { field, getForCheck, outcomeOfStatus, retryAfter } from '../http-check.ts'
import { carryHeaders, type CheckContext, type CheckOutcome, type KeySystem } from '../system.ts'

const WHOAMI = '/v0/meta/whoami'
/** Airtable's documented wait after a 429. */
export const RATE_LIMIT_WAIT_MS = 30_000
const CAUSES =
  'Airtable refused the token. The likely causes: it was regenerated (paste the new value here) or deleted in the Builder Hub, or the account it belongs to lost access.'

async function whoami(context: CheckContext<AirtableDetails>): Promise<CheckOutcome> {
  const url = new URL(WHOAMI, context.details.apiBaseUrl)
  const answer = await getForCheck({ url, headers: carryHeaders({ kind: 'bearer' }, context.token), dispatcher: context.dispatcher })
  if (answer.kind === 'unreachable') return { outcome: 'unreachable', message: answer.message }
  const now = context.now()
  if (answer.status < 200 || answer.status > 299) return outcomeOfStatus(answer.status, url.host, now, RATE_LIMIT_WAIT_MS, retryAfter(answer.headers, now), CAUSES)
  const id = field(answer.json, 'id')
  if (id === null) return { outcome: 'unreachable', message: `${url.host} answered whoami without an id.` }
  return { outcome: 'ok', identity: { id, who: field(answer.json, 'email'), organisation: null } }
}

export const airtable: KeySystem<AirtableDetails> = {
  id: 'airtable',
  label: SYSTEM_LABEL.airtable,
  parseDetails: (raw) => parseDetails(airtableDetailsSchema, raw),
  carry: () => ({ kind: 'bearer' }),
  checkWith: () => whoami,
  timeline: () => ({ expiresAt: null, warnFrom: null, byInactivity: false }),
  readUrl: (details) => new URL(WHOAMI, details.apiBaseUrl).href,
  sendsTo: (details) => details.apiBaseUrl,
  // The documented API host (shared/providers/README.md); no other is listed.
  trustedHosts: ['api.airtable.com'],
  actions: ['check', 'regenerate'],
  // AIRTABLE_API_KEY is what Airtable's own airtable.js (and most clients) read.
  environment: (details, token) => ({ AIRTABLE_API_KEY: token, AIRTABLE_API_URL: details.apiBaseUrl })
}
