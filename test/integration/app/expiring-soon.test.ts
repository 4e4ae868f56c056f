// "Expiring soon" is a warning, not a weekday: with the default settings a library whose refreshes go through is
// Healthy all week, and nothing notifies. It warns when Larder's refresh of a token close to expiry is not on track:
// overdue (its planned time passed more than a grace ago and nothing refreshed it), or impossible (Larder's automatic
// refreshes are stopped). A failing refresh shows its failure ('error'); a token past expiry is 'expired' even though
// a refresh is planned.
import { afterEach, describe, expect, it } from 'vitest'
import type { NotifierPort } from '../../../src/main/app/desktop-feed.ts'
import { NotificationPolicy, type Notice } from '../../../src/main/core/desktop/notification-policy.ts'
import { REFRESH_GRACE_MS } from '../../../src/main/core/model.ts'
import type { LibraryStatus } from '../../../src/shared/contract.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const START = Date.UTC(2026, 10, 25, 9, 0, 0)

let h: LarderHarness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

/** The notification policy the Electron notifier runs, with what it decided to show kept for the test. */
function recordingNotifier(): { readonly port: NotifierPort; readonly notices: Notice[] } {
  const policy = new NotificationPolicy({ now: () => h?.clock.now() ?? START, toggles: { expiring: true, failed: true, needsReauth: true } })
  const notices: Notice[] = []
  const port: NotifierPort = {
    observe: (libraries) => void notices.push(...policy.observe(libraries)),
    forget: (id) => policy.forget(id),
    configure: (toggles) => void notices.push(...policy.configure(toggles)),
    dispose: () => undefined
  }
  return { port, notices }
}

async function larderWithOneLibrary(): Promise<{ harness: LarderHarness; id: string; notices: Notice[] }> {
  const { port, notices } = recordingNotifier()
  const harness = await startLarder({ start: START, ports: { notifier: port } })
  h = harness
  const credentials = harness.sandbox.addLibraryWithApplication({ name: 'Brasserie Week' })
  const { tokenType, name, clientId, clientSecret, accessToken, refreshToken } = credentials
  const library = await harness.actions.add({ tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: harness.sandbox.url })
  await harness.nextTurn()
  return { harness, id: library.id, notices }
}

function statusesSeen(harness: LarderHarness, id: string): LibraryStatus[] {
  return harness.events.of('library.changed').filter((view) => view.id === id).map((view) => view.status)
}

function tokenRequests(harness: LarderHarness): number {
  return harness.sandbox.counters.hits.filter((hit) => hit.route === 'token').length
}

describe("'expiring soon' warns only when the refresh is not on track", () => {
  it('with the default settings, a library whose refreshes go through stays Healthy for two weeks and nothing notifies', async () => {
    const { harness, id, notices } = await larderWithOneLibrary()
    const requestsAtAdd = tokenRequests(harness)
    const sampled = new Set<LibraryStatus>()
    for (let hour = 0; hour < 14 * 24; hour++) {
      await harness.advance(HOUR)
      sampled.add(harness.core.libraries.get(id).status)
    }
    // Refreshed on its own, about a day before each expiry: twice in two weeks.
    expect(tokenRequests(harness) - requestsAtAdd).toBe(2)
    expect([...sampled]).toEqual(['healthy'])
    expect(new Set(statusesSeen(harness, id))).toEqual(new Set(['healthy', 'refreshing']))
    expect(notices).toEqual([])
  })

  it('warns when the planned refresh is overdue: the machine slept through it and Larder has not noticed yet', async () => {
    const { harness, id, notices } = await larderWithOneLibrary()
    const { expiresAt } = harness.core.libraries.get(id)
    // Asleep through the refresh planned a day ahead (less a spread of under 30 min), until it is more than the grace late.
    const requests = tokenRequests(harness)
    const asleep = expiresAt! - DAY + 30 * 60_000 + REFRESH_GRACE_MS - harness.clock.now()
    harness.clock.jump(asleep)
    harness.sandbox.clock.advance(asleep)
    expect(tokenRequests(harness)).toBe(requests)
    expect(harness.core.libraries.get(id).status).toBe('expiring_soon')
    // The wake refreshes it at once; it is Healthy again.
    harness.app.wake()
    await harness.advance(1_000)
    expect(harness.core.libraries.get(id).status).toBe('healthy')
    expect(notices.filter((notice) => notice.type === 'library' && notice.alert === 'expiring')).toEqual([])
  })

  it('a planned refresh late by less than the grace is not a warning', async () => {
    const { harness, id } = await larderWithOneLibrary()
    const { expiresAt } = harness.core.libraries.get(id)
    const requests = tokenRequests(harness)
    // The refresh was planned a day ahead, less a spread of under 30 min: a second past that day it is due, not overdue.
    const asleep = expiresAt! - DAY + 1_000 - harness.clock.now()
    harness.clock.jump(asleep)
    harness.sandbox.clock.advance(asleep)
    expect(tokenRequests(harness)).toBe(requests)
    expect(harness.core.libraries.get(id).status).toBe('healthy')
  })

  it('warns near expiry when Larder cannot refresh on its own (its automatic refreshes have stopped)', async () => {
    const { harness, id } = await larderWithOneLibrary()
    harness.core.engine.stop()
    await harness.advance(4 * DAY)
    expect(harness.core.libraries.get(id).status).toBe('healthy')
    await harness.advance(DAY + 2 * HOUR) // 46 h left: inside the 48 h window, and nothing will refresh it
    expect(harness.core.libraries.get(id).status).toBe('expiring_soon')
  })

  it('a failing refresh warns as a failure, and never reads Healthy until a refresh goes through', async () => {
    const { harness, id, notices } = await larderWithOneLibrary()
    harness.sandbox.faults.inject({ route: 'token', kind: 'status', status: 503, times: 1_000 })
    const { expiresAt } = harness.core.libraries.get(id)
    await harness.advance(expiresAt! - DAY + HOUR - harness.clock.now())
    expect(harness.core.libraries.get(id).status).toBe('error')
    expect(notices.filter((notice) => notice.type === 'library').map((notice) => notice.title)).toEqual(['Refresh failed for Brasserie Week'])
    for (let hour = 0; hour < 22; hour++) {
      await harness.advance(HOUR)
      expect(['error', 'refreshing']).toContain(harness.core.libraries.get(id).status)
    }
  })

  it('past expiry the token is Expired, though a refresh is planned (the wake brings it back)', async () => {
    const { harness, id } = await larderWithOneLibrary()
    harness.clock.jump(8 * DAY)
    harness.sandbox.clock.advance(8 * DAY)
    expect(harness.core.libraries.get(id).status).toBe('expired')
    harness.app.wake()
    await harness.advance(1_000)
    expect(harness.core.libraries.get(id).status).toBe('healthy')
  })
})
