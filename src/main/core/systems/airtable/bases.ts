// The bases a token can reach, offered when a person notes them: GET /v0/meta/bases (needs schema.bases:read),
// following `offset` for a bounded number of pages.
import type { AirtableDetails } from '../../../../shared/contract/key-details.ts'
import { field, getForCheck, outcomeOfStatus, retryAfter } from '../http-check.ts'
import { carryHeaders, type CheckContext, type CheckOutcome } from '../system.ts'
import { RATE_LIMIT_WAIT_MS } from './system.ts'

const MAX_PAGES = 20

export interface AirtableBase {
  readonly id: string
  readonly name: string
  readonly permissionLevel: string | null
}

export type BasesAnswer = { readonly outcome: 'ok'; readonly bases: readonly AirtableBase[]; readonly complete: boolean } | Exclude<CheckOutcome, { outcome: 'ok' }>

export async function listBases(context: CheckContext<AirtableDetails>): Promise<BasesAnswer> {
  const bases: AirtableBase[] = []
  let offset: string | null = null
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = new URL('/v0/meta/bases', context.details.apiBaseUrl)
    if (offset !== null) url.searchParams.set('offset', offset)
    const answer = await getForCheck({ url, headers: carryHeaders({ kind: 'bearer' }, context.token), dispatcher: context.dispatcher })
    if (answer.kind === 'unreachable') return { outcome: 'unreachable', message: answer.message }
    const now = context.now()
    if (answer.status === 403) {
      return { outcome: 'forbidden', status: 403, message: 'The token may not list bases: it needs the schema.bases:read scope. Note its bases by hand.' }
    }
    if (answer.status < 200 || answer.status > 299) {
      const outcome = outcomeOfStatus(answer.status, url.host, now, RATE_LIMIT_WAIT_MS, retryAfter(answer.headers, now), 'Airtable refused the token.')
      if (outcome.outcome !== 'ok') return outcome
    }
    const listed = (answer.json as { bases?: unknown } | undefined)?.bases
    if (!Array.isArray(listed)) return { outcome: 'unreachable', message: `${url.host} answered without a list of bases.` }
    for (const item of listed) {
      const id = field(item, 'id')
      const name = field(item, 'name')
      if (id !== null && name !== null) bases.push({ id, name, permissionLevel: field(item, 'permissionLevel') })
    }
    offset = field(answer.json, 'offset')
    if (offset === null) return { outcome: 'ok', bases, complete: true }
  }
  return { outcome: 'ok', bases, complete: false }
}
