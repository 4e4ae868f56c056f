// @vitest-environment happy-dom
// The detail page's "Health check" and "Rate limit" lines (issue 13, items 14 and 15): what the last check found and
// when the next is due, the last rate-limit figures, and "waiting until" after a 429.
import { afterEach, describe, expect, it } from 'vitest'
import type { CallName, CallResult, LibraryView } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { component, render, settle, type Rendered } from './render.ts'

const ok = <N extends CallName>(value: unknown): CallResult<N> => ({ ok: true, value }) as CallResult<N>
const MINUTE = 60_000
const HOUR = 60 * MINUTE

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

async function detailOf(libraries: LibraryView[], id: string): Promise<{ store: AppStore; line: (term: string) => string }> {
  const bridge = new FakeBridge()
  bridge.libraries = libraries
  bridge.answers['audit.page'] = () => ok({ entries: [], nextBefore: null })
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  await settle()
  shown = await render(store, await component('LibrariesView'))
  store.getState().select(id)
  await settle()
  const line = (term: string): string => {
    const dt = shown?.all('dt').find((element) => element.textContent === term)
    return dt?.nextElementSibling?.textContent?.replace(/\s+/g, ' ').trim() ?? `(no "${term}" line)`
  }
  return { store, line }
}

describe('the health-check line', () => {
  it('says what the last check found, how long ago, and when the next is due', async () => {
    const now = Date.now()
    const { line } = await detailOf(
      [
        library({ id: 'good', health: { checkedAt: now - 2 * HOUR, outcome: 'ok', endpoint: '/api/v2/library/recipes/', message: null, nextAt: now + 22 * HOUR + 5 * MINUTE + 30_000 } }),
        library({ id: 'new', health: { checkedAt: null, outcome: null, endpoint: null, message: null, nextAt: now + 3 * HOUR + 30 * MINUTE + 30_000 } })
      ],
      'good'
    )
    expect(line('Health check')).toBe('✓ Token works (read /api/v2/library/recipes/) · 2 h ago · next in 22 h 5 min')
  })

  it('shows a refused token and a missing scope with their messages, and a library not yet checked', async () => {
    const now = Date.now()
    const libraries = [
      library({ id: 'refused', status: 'needs_reauth', health: { checkedAt: now - 5 * MINUTE, outcome: 'unauthorized', endpoint: null, message: 'Ask the owner for a new token.', nextAt: null } }),
      library({ id: 'scope', status: 'error', health: { checkedAt: now - 5 * MINUTE, outcome: 'forbidden', endpoint: '/api/v2/library/recipes/', message: 'The token lacks the library scope.', nextAt: now + 24 * HOUR } }),
      library({ id: 'new', health: { checkedAt: null, outcome: null, endpoint: null, message: null, nextAt: now + 3 * HOUR + 30 * MINUTE + 30_000 } })
    ]
    const { store, line } = await detailOf(libraries, 'refused')
    expect(line('Health check')).toBe('⚠ Token refused (HTTP 401) · 5 min agoAsk the owner for a new token.')
    store.getState().select('scope')
    await settle()
    expect(line('Health check')).toMatch(/^⚠ Refused \(HTTP 403\): a scope or permission is missing · 5 min ago · next in 2\d h.*The token lacks the library scope\.$/)
    store.getState().select('new')
    await settle()
    expect(line('Health check')).toBe('Not checked since Larder started · next in 3 h 30 min')
  })

  it('a check that got no usable answer (here Apicbase answered 502) does not claim Apicbase could not be reached', async () => {
    const now = Date.now()
    const message = 'Apicbase answered with an error page (HTTP 502) instead of JSON while reading recipes for Nord.'
    const { line } = await detailOf([library({ id: 'page', health: { checkedAt: now - 5 * MINUTE, outcome: 'unreachable', endpoint: '/api/v2/library/recipes/', message, nextAt: now + HOUR } })], 'page')
    expect(line('Health check')).not.toMatch(/could not be reached/)
    expect(line('Health check')).toMatch(/^… No usable answer from Apicbase; status unchanged · 5 min ago/)
    expect(line('Health check')).toContain(message)
  })
})

describe('the rate-limit line', () => {
  it('shows the last figures Apicbase sent, and "waiting until" while a 429 holds Larder back', async () => {
    const now = Date.now()
    const waitingUntil = now + 45_000
    const { store, line } = await detailOf(
      [
        library({ id: 'calm', rateLimit: { limit: 100, remaining: 87, resetAt: now + 40_000, observedAt: now - 10_000, waitingUntil: null } }),
        library({ id: 'busy', rateLimit: { limit: 100, remaining: 0, resetAt: now + 45_000, observedAt: now - 1_000, waitingUntil } }),
        library({ id: 'quiet' })
      ],
      'calm'
    )
    expect(line('Rate limit')).toBe('87 of 100 requests left · resets in 40 s (as of just now)')
    store.getState().select('busy')
    await settle()
    expect(line('Rate limit')).toMatch(/^0 of 100 requests left · resets in 4\d s \(as of just now\)◷ Waiting until .+ \(in 4\d s\): Apicbase answered 429 Too Many Requests/)
    expect(shown?.all('.rate-limit-waiting [datetime]')[0]?.getAttribute('datetime')).toBe(new Date(waitingUntil).toISOString())
    store.getState().select('quiet')
    await settle()
    expect(line('Rate limit')).toBe('No figures yet: Apicbase sends them with each answer')
  })
})
