// The tray and notifications while this machine is offline from its team (issue 16). A refresh the team refused is
// never the library's failure; a click refused for it says why in Larder's words; and tokens expiring here because
// nothing can be refreshed make one notice per time offline, not one per library (a storm with many credentials).
import { describe, expect, it } from 'vitest'
import { actionFailedNotice } from '../../../src/main/core/desktop/action-notice.ts'
import { NotificationPolicy, type Notice, type WatchedLibrary } from '../../../src/main/core/desktop/notification-policy.ts'
import { DAY, record, world } from '../engine/refresh-turn-support.ts'

const HOUR = 3_600_000
const ALL_ON = { expiring: true, failed: true, needsReauth: true }

describe('a tray click refused offline from the team', () => {
  it('says the machine is offline from the team database, not "open Larder to see why"', () => {
    const notice = actionFailedNotice({ kind: 'copy', format: 'token' }, { id: 'lib-1', name: 'Bistro Noord' }, { kind: 'api', apiKind: 'team_offline' })
    expect(notice).toMatchObject({ type: 'action', libraryId: 'lib-1', title: 'Could not copy the token of Bistro Noord' })
    expect(notice.body).toMatch(/^This machine is offline from the team database: .*Click to open it in Larder\.$/)
  })
})

describe('offline from the team for a day, 30 team credentials', () => {
  it('no library reads as failed; expiring tokens make one notice, and none more until the machine is back', async () => {
    const team = world([], { refreshTurn: async () => ({ kind: 'offline', since: offlineSince }) })
    const { clock, engine, records } = team
    const offlineSince = clock.now()
    // Tokens issued over the last week: their planned refreshes fall through the day ahead.
    for (let n = 0; n < 30; n++) {
      const issuedAt = clock.now() - 6 * DAY + n * 40 * 60_000
      records.set(`lib-${n}`, record(`lib-${n}`, issuedAt, { name: `Bistro ${n}` }))
    }
    const policy = new NotificationPolicy({ now: () => clock.now(), toggles: ALL_ON })
    const watched = (): WatchedLibrary[] => [...records.values()].map((meta) => ({ id: meta.id, name: meta.name, status: engine.statusOf(meta), lastError: meta.lastError }))
    // The app opened offline from the team: the policy hears so before its first look.
    const notices: Notice[] = [...policy.teamOffline(offlineSince)]
    engine.start()
    notices.push(...policy.observe(watched()))
    const statuses = new Set<string>()
    for (let hour = 0; hour < 24; hour++) {
      await clock.advance(HOUR)
      const now = watched()
      for (const library of now) statuses.add(library.status)
      notices.push(...policy.observe(now), ...policy.tick())
    }
    engine.stop()
    // The engine refused to refresh (offline) and wrote nothing: no failure on any record, no 'error' status.
    expect([...records.values()].filter((meta) => meta.lastError !== null)).toEqual([])
    expect(statuses.has('error')).toBe(false)
    expect(statuses.has('expiring_soon')).toBe(true)
    expect(team.sent).toEqual([])
    expect(notices.filter((notice) => notice.type === 'library')).toEqual([])
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatchObject({ type: 'digest', reason: 'team_offline', title: expect.stringMatching(/^Offline from the team since \d\d:\d\d$/) })
    expect(notices[0]?.body).toContain('offline from the team database')
  })

  it('back online: what was held back is not announced at once; a refresh that then fails is', () => {
    let now = Date.UTC(2026, 11, 7, 9)
    const policy = new NotificationPolicy({ now: () => now, toggles: ALL_ON })
    const lib = (id: string, status: WatchedLibrary['status'], kind?: string): WatchedLibrary => ({ id, name: `Bistro ${id}`, status, lastError: kind ? { kind } : null })
    policy.observe([lib('a', 'healthy'), lib('b', 'healthy'), lib('c', 'healthy'), lib('d', 'healthy')])
    expect(policy.teamOffline(now)).toEqual([])
    now += HOUR
    const offline = policy.observe([lib('a', 'expiring_soon'), lib('b', 'expiring_soon'), lib('c', 'expiring_soon'), lib('d', 'needs_reauth')])
    // A verdict on a token (another member's re-authorization adopted before) still says itself.
    expect(offline.map((notice) => (notice.type === 'digest' ? notice.reason : notice.type === 'library' ? notice.alert : notice.type))).toEqual(['team_offline', 'needsReauth'])
    now += HOUR
    expect(policy.teamOffline(null)).toEqual([])
    expect(policy.observe([lib('a', 'refreshing'), lib('b', 'refreshing')])).toEqual([])
    now += 60_000
    expect(policy.observe([lib('a', 'healthy'), lib('b', 'error', 'network')])).toMatchObject([{ type: 'library', libraryId: 'b', alert: 'failed' }])
    // Offline again: a new time offline, told once again.
    now += HOUR
    policy.teamOffline(now)
    expect(policy.observe([lib('a', 'expiring_soon')])).toMatchObject([{ type: 'digest', reason: 'team_offline', libraryIds: ['a'] }])
  })
})
