// The desktop feed hands the notifier where this machine stands with its team (issue 16), so tokens expiring for want
// of a refresh while offline make one notice (NotificationPolicy.teamOffline); a notifier without it is left alone.
import { describe, expect, it } from 'vitest'
import { createDesktopFeed, type NotifierPort } from '../../../src/main/app/desktop-feed.ts'
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
})
