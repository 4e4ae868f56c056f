// Pat Partner's personal token in a whole Larder app, for the personal-token tests: connecting it, adding its
// libraries, and reading what reached the sandbox and the state stream.
import type { MenuNode } from '../../../src/main/core/desktop/tray-model.ts'
import type { LibraryWithStatus } from '../../../src/main/core/libraries/library-service.ts'
import type { PersonalState } from '../../../src/main/core/personal/personal-types.ts'
import { LIBRARY_IDS, type Hit } from '../../sandbox/index.ts'
import type { LarderHarness } from '../../support/larder-harness.ts'

export const NORD = String(LIBRARY_IDS.brasserieNord)
export const ZUID = String(LIBRARY_IDS.cafeZuid)
export const OOST = String(LIBRARY_IDS.trattoriaOost)

/** Pat Partner's personal token pasted into Larder: the record that holds the pair (the connection). */
export async function connectPat(h: LarderHarness): Promise<LibraryWithStatus> {
  const pat = h.sandbox.fixtures.user.token
  return h.actions.add({
    tokenType: 'personal',
    name: 'Pat (personal)',
    clientId: pat.clientId,
    clientSecret: pat.clientSecret,
    accessToken: pat.accessToken,
    refreshToken: pat.refreshToken,
    apiBaseUrl: h.sandbox.url
  })
}

export async function connectWithEntries(h: LarderHarness): Promise<{ connection: LibraryWithStatus; nord: LibraryWithStatus; zuid: LibraryWithStatus; oost: LibraryWithStatus }> {
  const connection = await connectPat(h)
  const [nord, zuid, oost] = await h.actions.addPersonalLibraries(connection.id, [NORD, ZUID, OOST])
  if (!nord || !zuid || !oost) throw new Error('entries missing')
  return { connection, nord, zuid, oost }
}

export function familyHits(h: LarderHarness): Hit[] {
  const family = h.sandbox.fixtures.user.token.familyId
  return h.sandbox.counters.hits.filter((hit) => hit.familyId === family)
}

export function states(h: LarderHarness): PersonalState[] {
  const seen: PersonalState[] = []
  h.core.on('personal.active', (state) => seen.push(state))
  return seen
}

/** The most requests in any 60-second window. */
export function peakPerMinute(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b)
  let best = 0
  for (let end = 0, start = 0; end < sorted.length; end++) {
    while (sorted[start]! <= sorted[end]! - 60_000) start++
    best = Math.max(best, end - start + 1)
  }
  return best
}

export function flatten(menu: readonly MenuNode[]): string[] {
  return menu.flatMap((node) => (node.type === 'submenu' ? [node.label, ...flatten(node.children)] : node.type === 'separator' ? [] : [node.label]))
}
