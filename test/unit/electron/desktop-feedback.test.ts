// The tray and notifications as the Electron host wires them, on a whole app over the sandbox (a mocked 'electron'):
// a tray action that fails says so in a notification (issue 13, item 10), and a notification switch in Settings
// applies at once, not at the next library change (item 11).
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { LibraryStatus } from '../../../src/shared/contract.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

interface TemplateItem {
  label?: string
  enabled?: boolean
  toolTip?: string
  click?: () => void
  submenu?: TemplateItem[]
}

const fake = vi.hoisted(() => {
  class Notification {
    static shown: Array<{ title: string; body: string; id: string }> = []
    static isSupported(): boolean {
      return true
    }
    readonly options: { title: string; body: string; id: string }
    constructor(options: { title: string; body: string; id: string }) {
      this.options = options
    }
    on(): this {
      return this
    }
    show(): void {
      Notification.shown.push(this.options)
    }
  }
  class Tray {
    static last: Tray | null = null
    menu: TemplateItem[] = []
    constructor() {
      Tray.last = this
    }
    setImage(): void {}
    setToolTip(): void {}
    setContextMenu(menu: { template: TemplateItem[] }): void {
      this.menu = menu.template
    }
    on(): this {
      return this
    }
    isDestroyed(): boolean {
      return false
    }
    destroy(): void {}
  }
  const Menu = { buildFromTemplate: (template: TemplateItem[]) => ({ template }) }
  const nativeImage = { createFromBitmap: () => ({}) }
  return { Notification, Tray, Menu, nativeImage }
})

vi.mock('electron', () => ({ Notification: fake.Notification, Tray: fake.Tray, Menu: fake.Menu, nativeImage: fake.nativeImage }))

const { createNotifier } = await import('../../../src/main/electron/notifications.ts')
const { createLarderTray } = await import('../../../src/main/electron/tray.ts')

const ALL_ON = { expiring: true, failed: true, needsReauth: true }
let h: LarderHarness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
  fake.Notification.shown = []
})

/** The app with the Electron notifier and tray wired as host.ts wires them. */
async function desktopLarder(): Promise<{ harness: LarderHarness; onError: ReturnType<typeof vi.fn> }> {
  const app = (): LarderHarness => {
    if (!h) throw new Error('not started')
    return h
  }
  const notifier = createNotifier({ toggles: ALL_ON, onOpenLibrary: () => undefined, onOpenWindow: () => undefined, now: () => h?.clock.now() ?? Date.now() })
  const onError = vi.fn()
  const tray = createLarderTray(
    {
      copy: (id, format) => app().app.handlers['libraries.copy']({ id, format, from: 'tray' }),
      refresh: (id) => app().app.handlers['libraries.refresh']({ id }),
      open: () => undefined,
      quit: () => undefined
    },
    { platform: 'linux', onError, onFailed: (notice) => notifier.announce(notice) }
  )
  h = await startLarder({ ports: { notifier, tray } })
  return { harness: h, onError }
}

async function added(harness: LarderHarness, name: string): Promise<string> {
  const { tokenType, clientId, clientSecret, accessToken, refreshToken } = harness.sandbox.addLibraryWithApplication({ name })
  const library = await harness.actions.add({ tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: harness.sandbox.url })
  await harness.advance(1_000) // the tray's summary is rebuilt at most once a second
  return library.id
}

function trayItem(library: string, label: string): TemplateItem | undefined {
  return fake.Tray.last?.menu.find((item) => item.label === library)?.submenu?.find((item) => item.label === label)
}

const settled = async (harness: LarderHarness): Promise<void> => {
  for (let i = 0; i < 5; i++) await harness.nextTurn()
}

describe('a tray action that fails says so in a notification', () => {
  it('Copy token on a library whose token died after the menu was built: a notification says what and why, no console', async () => {
    const { harness, onError } = await desktopLarder()
    const id = await added(harness, 'Bistro Tray')
    const { accessToken, refreshToken } = await harness.core.vault.secrets(id, ['accessToken', 'refreshToken'])
    expect(trayItem('Bistro Tray', 'Copy token')).toMatchObject({ enabled: true })
    // Revoked in Larder; the tray's menu is rebuilt at most once a second, so a click may still meet the old one.
    await harness.actions.revoke(id)
    await harness.nextTurn()
    expect(trayItem('Bistro Tray', 'Copy token')).toMatchObject({ enabled: true })
    trayItem('Bistro Tray', 'Copy token')?.click?.()
    await vi.waitFor(() => expect(fake.Notification.shown).toHaveLength(1))
    expect(fake.Notification.shown[0]).toMatchObject({
      id: `larder.action.${id}`,
      title: 'Could not copy the token of Bistro Tray',
      body: 'The customer must issue a new token. Click to open it in Larder.'
    })
    expect(onError).not.toHaveBeenCalled()
    expect(JSON.stringify(fake.Notification.shown)).not.toContain(accessToken)
    expect(JSON.stringify(fake.Notification.shown)).not.toContain(refreshToken)
    expect(harness.clipboard.text).toBeNull()
    // The audit says where the copy was asked for.
    await vi.waitFor(async () => expect((await harness.core.audit.page({ limit: 5, action: 'copied' })).entries[0]).toMatchObject({ outcome: 'error', detail: expect.stringMatching(/^token from the tray: /) }))
  })

  it('once the menu is rebuilt, Copy token and Refresh now are disabled with the reason', async () => {
    const { harness } = await desktopLarder()
    const id = await added(harness, 'Bistro Dead')
    await harness.actions.revoke(id)
    await harness.advance(1_000) // the tray's once-a-second rebuild
    const reason = 'Cannot copy or refresh: the token was revoked'
    expect(fake.Tray.last?.menu.find((item) => item.label === 'Bistro Dead')?.submenu?.[0]).toMatchObject({ label: reason, enabled: false })
    for (const label of ['Copy token', 'Copy as Authorization header', 'Refresh now']) {
      expect(trayItem('Bistro Dead', label)).toMatchObject({ enabled: false, toolTip: reason })
    }
  })

  it('a refresh from the tray that Apicbase refuses is announced as the action that failed', async () => {
    const { harness } = await desktopLarder()
    await added(harness, 'Bistro Busy')
    await harness.app.handlers['settings.update']({ notifications: { failed: false } }) // only the action speaks
    harness.sandbox.faults.inject({ route: 'token', kind: 'status', status: 503, times: 1 })
    trayItem('Bistro Busy', 'Refresh now')?.click?.()
    await vi.waitFor(() => expect(fake.Notification.shown).toHaveLength(1))
    expect(fake.Notification.shown[0]).toMatchObject({ title: 'Could not refresh Bistro Busy', body: expect.stringMatching(/^Apicbase had a server error; Larder is retrying\./) })
  })
})

describe('a notification switch in Settings applies at once', () => {
  function statusOf(harness: LarderHarness, id: string): LibraryStatus {
    return harness.core.libraries.get(id).status
  }

  it('turning "Refresh failed" on announces a library already failing, without waiting for another change', async () => {
    const { harness } = await desktopLarder()
    const id = await added(harness, 'Bistro Switch')
    expect(await harness.app.handlers['settings.update']({ notifications: { failed: false } })).toMatchObject({ ok: true })
    harness.sandbox.faults.inject({ route: 'token', kind: 'status', status: 503, times: 1 })
    await harness.app.handlers['libraries.refresh']({ id })
    await settled(harness)
    expect(statusOf(harness, id)).toBe('error')
    expect(fake.Notification.shown).toEqual([])
    expect(await harness.app.handlers['settings.update']({ notifications: { failed: true } })).toMatchObject({ ok: true })
    expect(fake.Notification.shown.map((shown) => shown.title)).toEqual(['Refresh failed for Bistro Switch'])
  })
})
