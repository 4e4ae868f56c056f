import { describe, expect, it } from 'vitest'
import type { LibraryStatus } from '../../../src/shared/contract.ts'
import {
  NotificationPolicy,
  type Notice,
  type NotificationPolicyOptions,
  type NotificationToggles,
  type WatchedLibrary
} from '../../../src/main/core/desktop/notification-policy.ts'

const ALL_ON: NotificationToggles = { expiring: true, failed: true, needsReauth: true }
const HOUR = 3600_000

function setup(options: Partial<NotificationPolicyOptions> = {}) {
  let now = Date.UTC(2026, 0, 5, 9)
  const policy = new NotificationPolicy({ now: () => now, toggles: ALL_ON, ...options })
  return {
    policy,
    advance: (ms: number) => {
      now += ms
    },
    now: () => now
  }
}

const lib = (id: string, status: LibraryStatus, failureKind?: string): WatchedLibrary => ({
  id,
  name: `Library ${id}`,
  status,
  lastError: failureKind ? { kind: failureKind } : null
})
const healthy = (...ids: string[]): WatchedLibrary[] => ids.map((id) => lib(id, 'healthy'))
const ids = (notices: readonly Notice[]): string[][] => notices.map((n) => (n.type === 'digest' ? [...n.libraryIds] : [n.libraryId ?? '']))

describe('notification policy: one per library per change of state', () => {
  it('notifies when a library enters needs_reauth, error or expiring_soon, once', () => {
    const { policy, advance } = setup()
    expect(policy.observe(healthy('a', 'b', 'c'))).toEqual([])
    const first = policy.observe([lib('a', 'needs_reauth')])
    expect(first).toHaveLength(1)
    expect(first[0]).toMatchObject({ type: 'library', libraryId: 'a', alert: 'needsReauth', title: 'Library a needs re-authorization' })
    advance(HOUR)
    expect(policy.observe([lib('a', 'needs_reauth')])).toEqual([])
    expect(policy.observe([lib('b', 'error', 'invalid_client')])[0]).toMatchObject({
      libraryId: 'b',
      alert: 'failed',
      title: 'Refresh failed for Library b',
      body: "This library's client ID or secret was rejected. Click to open it in Larder."
    })
    advance(HOUR)
    expect(policy.observe([lib('c', 'expiring_soon')])[0]).toMatchObject({ libraryId: 'c', alert: 'expiring', silent: true })
  })

  it('does not notify again for a retry that fails again (refreshing is passed through)', () => {
    const { policy, advance } = setup()
    policy.observe(healthy('a'))
    expect(policy.observe([lib('a', 'error', 'network')])).toHaveLength(1)
    for (let i = 0; i < 10; i++) {
      advance(5 * 60_000)
      expect(policy.observe([lib('a', 'refreshing')])).toEqual([])
      expect(policy.observe([lib('a', 'error', 'timeout')])).toEqual([])
    }
  })

  it('notifies again after the library recovered and failed anew, or moved to another alert', () => {
    const { policy, advance } = setup()
    policy.observe(healthy('a'))
    expect(policy.observe([lib('a', 'error')])).toHaveLength(1)
    advance(HOUR)
    policy.observe([lib('a', 'healthy')])
    expect(policy.observe([lib('a', 'error')])).toHaveLength(1)
    advance(HOUR)
    expect(policy.observe([lib('a', 'needs_reauth')])[0]).toMatchObject({ alert: 'needsReauth' })
  })

  it('notifies a failure of a library first seen while refreshing', () => {
    const { policy } = setup()
    policy.observe([lib('a', 'refreshing')])
    expect(policy.observe([lib('a', 'error')])).toHaveLength(1)
  })

  it('says nothing about a library added while running, nor after it was forgotten', () => {
    const { policy, advance } = setup()
    policy.observe(healthy('a'))
    expect(policy.observe([lib('new', 'expiring_soon')])).toEqual([])
    policy.forget('a')
    advance(HOUR)
    expect(policy.observe([lib('a', 'error')])).toEqual([])
  })

  it('never puts a failure message in the text, only the kind in words', () => {
    const { policy } = setup()
    policy.observe(healthy('a'))
    const watched = { ...lib('a', 'error', 'made_up_kind'), lastError: { kind: 'made_up_kind', message: 'Bearer eyJsecret' } }
    const [notice] = policy.observe([watched])
    expect(JSON.stringify(notice)).not.toContain('eyJsecret')
    expect(notice).toMatchObject({ body: 'Open Larder to see why. Click to open it in Larder.' })
  })
})

describe('notification policy: never a storm', () => {
  it('sends one digest when more than three libraries need attention in one evaluation', () => {
    const { policy } = setup()
    policy.observe(healthy('a', 'b', 'c', 'd'))
    const notices = policy.observe([lib('a', 'needs_reauth'), lib('b', 'error'), lib('c', 'expiring_soon'), lib('d', 'error')])
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatchObject({ type: 'digest', reason: 'burst', title: '4 libraries need attention' })
    expect(notices[0]?.body).toBe(
      'Library a (needs re-authorization), Library b (refresh failed), Library c (expiring soon), Library d (refresh failed). Click to open Larder.'
    )
  })

  it('sends exactly three separately, as the limit allows', () => {
    const { policy } = setup()
    policy.observe(healthy('a', 'b', 'c'))
    expect(ids(policy.observe([lib('a', 'error'), lib('b', 'error'), lib('c', 'error')]))).toEqual([['a'], ['b'], ['c']])
  })

  it('keeps to three notifications a minute; the rest wait and go out together', () => {
    const { policy, advance } = setup()
    policy.observe(healthy('a', 'b', 'c', 'd', 'e', 'f'))
    expect(ids(policy.observe([lib('a', 'error'), lib('b', 'error')]))).toEqual([['a'], ['b']])
    advance(5_000)
    // One left in the budget, two arrive: one digest for both.
    expect(ids(policy.observe([lib('c', 'error'), lib('d', 'error')]))).toEqual([['c', 'd']])
    advance(5_000)
    expect(policy.observe([lib('e', 'error'), lib('f', 'needs_reauth')])).toEqual([])
    // They wait until the first notification leaves the one-minute window.
    expect(policy.nextTickAt()).toBe(Date.UTC(2026, 0, 5, 9) + 60_000)
    advance(30_000)
    expect(policy.tick()).toEqual([])
    advance(20_001)
    const later = policy.tick()
    expect(ids(later)).toEqual([['e'], ['f']])
  })

  it('drops a waiting alert when the library recovered in the meantime', () => {
    const { policy, advance } = setup({ maxPerWindow: 1 })
    policy.observe(healthy('a', 'b'))
    expect(policy.observe([lib('a', 'error')])).toHaveLength(1)
    expect(policy.observe([lib('b', 'error')])).toEqual([])
    policy.observe([lib('b', 'healthy')])
    advance(61_000)
    expect(policy.tick()).toEqual([])
  })

  it('describes more than four names as "and N more"', () => {
    const { policy } = setup()
    const all = ['a', 'b', 'c', 'd', 'e', 'f']
    policy.observe(healthy(...all))
    const [digest] = policy.observe(all.map((id) => lib(id, 'error')))
    expect(digest?.title).toBe('6 libraries need attention')
    expect(digest?.body).toContain('and 2 more')
  })
})

describe('notification policy: start-up and daily digest', () => {
  it('sums up what is pending at start in one digest, worst first', () => {
    const { policy } = setup()
    const notices = policy.observe([lib('x', 'expiring_soon'), lib('y', 'needs_reauth'), lib('z', 'healthy'), lib('w', 'error')])
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatchObject({ type: 'digest', reason: 'startup', libraryIds: ['y', 'w', 'x'] })
  })

  it('names a single pending library at start directly', () => {
    const { policy } = setup()
    expect(policy.observe([lib('y', 'needs_reauth'), lib('z', 'healthy')])[0]).toMatchObject({ type: 'library', libraryId: 'y' })
  })

  it('sends a daily digest while several are pending, and none when only one is', () => {
    const { policy, advance, now } = setup()
    policy.observe([lib('a', 'needs_reauth'), lib('b', 'error'), lib('c', 'healthy')])
    expect(policy.nextTickAt()).toBe(now() + 24 * HOUR)
    advance(24 * HOUR)
    const [daily] = policy.tick()
    expect(daily).toMatchObject({ type: 'digest', reason: 'daily', libraryIds: ['a', 'b'], silent: true })
    policy.observe([lib('b', 'healthy')])
    advance(24 * HOUR)
    expect(policy.tick()).toEqual([])
  })
})

describe('notification policy: per-kind toggles', () => {
  it.each<[keyof NotificationToggles, LibraryStatus]>([
    ['expiring', 'expiring_soon'],
    ['expiring', 'expired'],
    ['failed', 'error'],
    ['needsReauth', 'needs_reauth']
  ])('with %s off, %s says nothing', (kind, status) => {
    const { policy } = setup({ toggles: { ...ALL_ON, [kind]: false } })
    policy.observe(healthy('a'))
    expect(policy.observe([lib('a', status)])).toEqual([])
  })

  it('applies a change of toggles to what is waiting and to the digests', () => {
    const { policy, advance } = setup({ maxPerWindow: 1 })
    policy.observe(healthy('a', 'b', 'c'))
    policy.observe([lib('a', 'error')])
    policy.observe([lib('b', 'expiring_soon'), lib('c', 'needs_reauth')])
    policy.configure({ ...ALL_ON, expiring: false })
    advance(61_000)
    expect(ids(policy.tick())).toEqual([['c']])
    expect(policy.pending()).toEqual(['c', 'a'])
  })
})

describe('notification policy: a switch in Settings applies at once (issue 13)', () => {
  it('turning a kind on announces, at once, a library already in that state that was never announced', () => {
    const { policy } = setup({ toggles: { ...ALL_ON, failed: false } })
    policy.observe(healthy('a', 'b'))
    expect(policy.observe([lib('a', 'error', 'network')])).toEqual([])
    const notices = policy.configure(ALL_ON)
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatchObject({ type: 'library', libraryId: 'a', alert: 'failed', title: 'Refresh failed for Library a' })
    // Said once: the next look at the same state says nothing more.
    expect(policy.observe([lib('a', 'error', 'network')])).toEqual([])
  })

  it('turning a kind off and on again does not repeat what was already said', () => {
    const { policy } = setup()
    policy.observe(healthy('a'))
    expect(policy.observe([lib('a', 'expiring_soon')])).toHaveLength(1)
    expect(policy.configure({ ...ALL_ON, expiring: false })).toEqual([])
    expect(policy.configure(ALL_ON)).toEqual([])
  })

  it('a library left out of the start-up summary because its kind was off is announced when the kind is turned on', () => {
    const { policy } = setup({ toggles: { ...ALL_ON, needsReauth: false } })
    expect(policy.observe([lib('a', 'needs_reauth'), lib('b', 'healthy')])).toEqual([])
    expect(ids(policy.configure(ALL_ON))).toEqual([['a']])
  })

  it('turning a kind off drops what of it was waiting at once: Larder no longer wakes for it', () => {
    const { policy, now } = setup({ maxPerWindow: 1 })
    policy.observe(healthy('a', 'b'))
    expect(policy.observe([lib('a', 'error')])).toHaveLength(1)
    expect(policy.observe([lib('b', 'expiring_soon')])).toEqual([]) // waits for the budget
    expect(policy.nextTickAt()).toBe(now() + 60_000)
    expect(policy.configure({ ...ALL_ON, expiring: false })).toEqual([])
    expect(policy.nextTickAt()).toBe(now() + 24 * HOUR)
  })

  it('turning a kind on while the budget is spent queues its announcements for when the budget frees', () => {
    const { policy, advance } = setup({ maxPerWindow: 1, toggles: { ...ALL_ON, expiring: false } })
    policy.observe(healthy('a', 'b'))
    expect(policy.observe([lib('a', 'error'), lib('b', 'expiring_soon')])).toHaveLength(1)
    expect(policy.configure(ALL_ON)).toEqual([])
    advance(61_000)
    expect(ids(policy.tick())).toEqual([['b']])
  })
})
