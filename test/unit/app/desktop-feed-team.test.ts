// The desktop feed hands the notifier where this machine stands with its team (issue 16), so tokens expiring for want
// of a refresh while offline make one notice (NotificationPolicy.teamOffline); a notifier without it is left alone.
import { describe, expect, it } from 'vitest'
import { createDesktopFeed, type NotifierPort } from '../../../src/main/app/desktop-feed.ts'
import type { TrayModel } from '../../../src/main/core/desktop/tray-model.ts'
import { ManualClock } from '../../support/manual-clock.ts'

describe('the desktop feed and the team link', () => {
  it('forwards offline since / back online to the notifier, and nothing once disposed', () => {
    const heard: (number | null)[] = []
    const notifier: NotifierPort = {
      observe: () => undefined,
      forget: () => undefined,
      configure: () => undefined,
      teamOffline: (since) => void heard.push(since),
      dispose: () => undefined
    }
    const feed = createDesktopFeed({ notifier, clock: new ManualClock() })
    feed.team(1_000)
    feed.team(null)
    feed.dispose()
    feed.team(2_000)
    expect(heard).toEqual([1_000, null])
    const plain = createDesktopFeed({ notifier: { observe: () => undefined, forget: () => undefined, configure: () => undefined, dispose: () => undefined }, clock: new ManualClock() })
    expect(() => plain.team(1_000)).not.toThrow()
  })

  it('the tray says first that this machine is offline from the team, and stops saying it once back', async () => {
    const shown: TrayModel[] = []
    const clock = new ManualClock()
    const feed = createDesktopFeed({ tray: { show: (model) => void shown.push(model), update: () => undefined, destroy: () => undefined }, clock })
    feed.start(() => [], { expiring: true, failed: true, needsReauth: true }, () => [])
    const since = new Date(2026, 11, 7, 10, 42).getTime()
    feed.team(since)
    await clock.advance(2_000)
    const offline = shown.at(-1)
    expect(offline?.menu[0]).toEqual({ type: 'label', label: expect.stringContaining('Offline from the team since 10:42') })
    expect(offline?.tooltip).toContain('offline from the team')
    feed.team(null)
    await clock.advance(2_000)
    expect(JSON.stringify(shown.at(-1))).not.toContain('Offline from the team')
    feed.dispose()
  })
})

