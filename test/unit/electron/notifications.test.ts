import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { WatchedLibrary } from '../../../src/main/core/desktop/notification-policy.ts'

const fake = vi.hoisted(() => {
  const state = { supported: true }
  class Notification {
    static shown: Notification[] = []
    static isSupported(): boolean {
      return state.supported
    }
    readonly options: { title?: string; body?: string; silent?: boolean; id?: string }
    readonly handlers = new Map<string, () => void>()
    constructor(options: { title?: string; body?: string; silent?: boolean; id?: string }) {
      this.options = options
    }
    on(event: string, handler: () => void): this {
      this.handlers.set(event, handler)
      return this
    }
    show(): void {
      Notification.shown.push(this)
    }
    click(): void {
      this.handlers.get('click')?.()
    }
  }
  return { Notification, state }
})

vi.mock('electron', () => ({ Notification: fake.Notification }))

const { createNotifier } = await import('../../../src/main/electron/notifications.ts')

const START = Date.UTC(2026, 0, 5, 9)
const lib = (id: string, status: WatchedLibrary['status']): WatchedLibrary => ({ id, name: `Lib ${id}`, status })
const ALL_ON = { expiring: true, failed: true, needsReauth: true }

beforeEach(() => {
  vi.useFakeTimers({ now: START })
  fake.Notification.shown = []
  fake.state.supported = true
})
afterEach(() => vi.useRealTimers())

function setup(toggles = ALL_ON) {
  const onOpenLibrary = vi.fn()
  const onOpenWindow = vi.fn()
  const notifier = createNotifier({ toggles, onOpenLibrary, onOpenWindow, now: () => Date.now() })
  return { notifier, onOpenLibrary, onOpenWindow }
}

describe('notifications adapter', () => {
  it('offline from the team: one notice, and the expiring tokens it holds back are not announced one by one', () => {
    const { notifier } = setup()
    notifier.observe([lib('a', 'healthy'), lib('b', 'healthy')])
    notifier.teamOffline(START)
    notifier.observe([lib('a', 'expiring_soon'), lib('b', 'expiring_soon')])
    expect(fake.Notification.shown.map((shown) => shown.options.title)).toEqual([expect.stringContaining('Offline from the team')])
  })

  it('shows one notification per change, and a click opens that library', () => {
    const { notifier, onOpenLibrary } = setup()
    notifier.observe([lib('a', 'healthy')])
    notifier.observe([lib('a', 'needs_reauth')])
    notifier.observe([lib('a', 'needs_reauth')])
    expect(fake.Notification.shown).toHaveLength(1)
    const [shown] = fake.Notification.shown
    expect(shown?.options).toMatchObject({ title: 'Lib a needs re-authorization', silent: false, id: 'larder.library.a' })
    shown?.click()
    expect(onOpenLibrary).toHaveBeenCalledWith('a')
  })

  it('shows a digest for a burst, and a click on it opens the window', () => {
    const { notifier, onOpenWindow, onOpenLibrary } = setup()
    notifier.observe(['a', 'b', 'c', 'd'].map((id) => lib(id, 'healthy')))
    notifier.observe(['a', 'b', 'c', 'd'].map((id) => lib(id, 'error')))
    expect(fake.Notification.shown).toHaveLength(1)
    expect(fake.Notification.shown[0]?.options.title).toBe('4 libraries need attention')
    fake.Notification.shown[0]?.click()
    expect(onOpenWindow).toHaveBeenCalledOnce()
    expect(onOpenLibrary).not.toHaveBeenCalled()
  })

  it('sends what waited for the budget on its own timer, and the daily digest', async () => {
    const { notifier } = setup()
    notifier.observe(['a', 'b', 'c', 'd', 'e'].map((id) => lib(id, 'healthy')))
    notifier.observe(['a', 'b', 'c'].map((id) => lib(id, 'error')))
    notifier.observe(['d', 'e'].map((id) => lib(id, 'needs_reauth')))
    expect(fake.Notification.shown).toHaveLength(3)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(fake.Notification.shown).toHaveLength(5)
    await vi.advanceTimersByTimeAsync(24 * 3600_000)
    expect(fake.Notification.shown.at(-1)?.options).toMatchObject({ title: '5 libraries need attention', silent: true })
  })

  it('honours the toggles, also when changed later', () => {
    const { notifier } = setup({ ...ALL_ON, failed: false })
    notifier.observe([lib('a', 'healthy'), lib('b', 'healthy')])
    notifier.observe([lib('a', 'error')])
    expect(fake.Notification.shown).toHaveLength(0)
    notifier.configure({ ...ALL_ON, needsReauth: false })
    // Issue 13: switching "failed" on applies at once: a's failure, never announced, is shown now (this asserted 0).
    expect(fake.Notification.shown.map((shown) => shown.options.title)).toEqual(['Refresh failed for Lib a'])
    notifier.observe([lib('b', 'needs_reauth')])
    expect(fake.Notification.shown).toHaveLength(1)
  })

  it('shows nothing where notifications are not supported, and nothing after dispose', async () => {
    fake.state.supported = false
    const { notifier } = setup()
    notifier.observe([lib('a', 'healthy')])
    notifier.observe([lib('a', 'error')])
    expect(fake.Notification.shown).toHaveLength(0)
    fake.state.supported = true
    notifier.dispose()
    notifier.observe([lib('b', 'healthy')])
    await vi.advanceTimersByTimeAsync(48 * 3600_000)
    expect(fake.Notification.shown).toHaveLength(0)
    expect(vi.getTimerCount()).toBe(0)
  })
})
