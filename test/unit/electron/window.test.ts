import { EventEmitter } from 'node:events'
import { beforeEach, describe, expect, it, vi } from 'vitest'

type Handler = (...args: unknown[]) => unknown

const fake = vi.hoisted(() => {
  const state = {
    opened: [] as string[],
    permissionRequest: null as Handler | null,
    permissionCheck: null as Handler | null,
    devicePermission: null as Handler | null
  }
  const shell = {
    openExternal: async (url: string) => {
      state.opened.push(url)
    }
  }
  const session = {
    defaultSession: {
      setPermissionRequestHandler: (handler: Handler) => (state.permissionRequest = handler),
      setPermissionCheckHandler: (handler: Handler) => (state.permissionCheck = handler),
      setDevicePermissionHandler: (handler: Handler) => (state.devicePermission = handler)
    }
  }
  return { state, shell, session, app: null as unknown as import('node:events').EventEmitter }
})

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events')
  fake.app = Object.assign(new Emitter(), { isPackaged: true })
  return { shell: fake.shell, session: fake.session, app: fake.app, BrowserWindow: class {} }
})

const { hardenedWindowOptions, lockDown, denyAllPermissions, openExternalSafely, hideOnClose, revealWindow, rendererLocation } = await import(
  '../../../src/main/electron/window.ts'
)

/** A webContents fake: an emitter plus the window-open handler it was given. */
class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler
  }
}

function navigation(url: string, isMainFrame = true) {
  return { url, isMainFrame, preventDefault: vi.fn() }
}

const OWN = 'larder://app/index.html'
const ownUrl = (url: string): boolean => url.startsWith(OWN)

beforeEach(() => {
  fake.state.opened = []
  fake.app.removeAllListeners()
})

describe('window options', () => {
  it("follow Electron's security checklist", () => {
    const options = hardenedWindowOptions('/app/out/preload/index.cjs')
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false
    })
    expect(options.show).toBe(false)
  })

  it('have no DevTools in a packaged build', () => {
    expect(hardenedWindowOptions('/app/out/preload/index.cjs').webPreferences?.devTools).toBe(false)
  })
})

describe('where the page comes from', () => {
  it('a packaged build loads larder://app/index.html, and only that page may call', () => {
    const location = rendererLocation()
    expect(location.devUrl).toBeUndefined()
    expect(location.pageUrl).toBe('larder://app/index.html')
    expect(location.isOwnUrl('larder://app/index.html#/settings')).toBe(true)
    expect(location.isOwnUrl(`file://${location.root}/index.html`)).toBe(false)
    expect(location.isOwnUrl('larder://app/larder.svg')).toBe(false)
  })
})

describe('lockDown', () => {
  function locked() {
    const contents = new FakeContents()
    lockDown(contents as unknown as Parameters<typeof lockDown>[0], ownUrl)
    return contents
  }

  it('lets the page navigate within itself only', () => {
    const contents = locked()
    const inside = navigation(`${OWN}#/settings`)
    contents.emit('will-navigate', inside)
    expect(inside.preventDefault).not.toHaveBeenCalled()
    const outside = navigation('https://evil.example/')
    contents.emit('will-navigate', outside)
    expect(outside.preventDefault).toHaveBeenCalled()
    expect(fake.state.opened).toEqual([])
  })

  it('sends a plain link to Apicbase to the browser instead of navigating', () => {
    const contents = locked()
    const link = navigation('https://app.apicbase.com/oauth/applications/')
    contents.emit('will-navigate', link)
    expect(link.preventDefault).toHaveBeenCalled()
    expect(fake.state.opened).toEqual(['https://app.apicbase.com/oauth/applications/'])
  })

  it('stops sub-frame navigation away from our page, and redirects', () => {
    const contents = locked()
    const frame = navigation('https://evil.example/', false)
    contents.emit('will-frame-navigate', frame)
    expect(frame.preventDefault).toHaveBeenCalled()
    const redirect = navigation('https://evil.example/')
    contents.emit('will-redirect', redirect)
    expect(redirect.preventDefault).toHaveBeenCalled()
  })

  it('never attaches a webview', () => {
    const contents = locked()
    const event = { preventDefault: vi.fn() }
    contents.emit('will-attach-webview', event)
    expect(event.preventDefault).toHaveBeenCalled()
  })

  it('denies every new window, routing Apicbase links to the browser', () => {
    const contents = locked()
    expect(contents.openHandler?.({ url: 'https://docs.apicbase.com/x' })).toEqual({ action: 'deny' })
    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    expect(contents.openHandler?.({ url: 'http://app.apicbase.com/' })).toEqual({ action: 'deny' })
    expect(contents.openHandler?.({ url: OWN })).toEqual({ action: 'deny' })
    expect(fake.state.opened).toEqual(['https://docs.apicbase.com/x'])
  })
})

describe('openExternalSafely', () => {
  it('opens https Apicbase links only', () => {
    expect(openExternalSafely('https://apicbase.com/')).toBe(true)
    expect(openExternalSafely('https://apicbase.com.evil.example/')).toBe(false)
    expect(openExternalSafely('file:///etc/passwd')).toBe(false)
    expect(fake.state.opened).toEqual(['https://apicbase.com/'])
  })
})

describe('permissions', () => {
  it('denies every permission request, check and device', () => {
    denyAllPermissions()
    const callback = vi.fn()
    fake.state.permissionRequest?.({}, 'notifications', callback)
    expect(callback).toHaveBeenCalledWith(false)
    expect(fake.state.permissionCheck?.({}, 'clipboard-read')).toBe(false)
    expect(fake.state.devicePermission?.({})).toBe(false)
  })
})

describe('close to tray', () => {
  function fakeWindow() {
    return Object.assign(new EventEmitter(), {
      hide: vi.fn(),
      show: vi.fn(),
      focus: vi.fn(),
      restore: vi.fn(),
      isMinimized: () => true,
      isDestroyed: () => false
    })
  }
  type Window = Parameters<typeof hideOnClose>[0]

  it('hides the window on close while the tray is there, and closes it when quitting', () => {
    const window = fakeWindow()
    const dispose = hideOnClose(window as unknown as Window, { trayAvailable: () => true })
    const close = { preventDefault: vi.fn() }
    window.emit('close', close)
    expect(close.preventDefault).toHaveBeenCalled()
    expect(window.hide).toHaveBeenCalled()

    fake.app.emit('before-quit', { preventDefault: vi.fn() })
    const closeOnQuit = { preventDefault: vi.fn() }
    window.emit('close', closeOnQuit)
    expect(closeOnQuit.preventDefault).not.toHaveBeenCalled()
    dispose()
    expect(window.listenerCount('close')).toBe(0)
    expect(fake.app.listenerCount('before-quit')).toBe(0)
  })

  it('closes normally when there is no tray to come back from', () => {
    const window = fakeWindow()
    hideOnClose(window as unknown as Window, { trayAvailable: () => false })
    const close = { preventDefault: vi.fn() }
    window.emit('close', close)
    expect(close.preventDefault).not.toHaveBeenCalled()
    expect(window.hide).not.toHaveBeenCalled()
  })

  it('brings a hidden, minimised window back', () => {
    const window = fakeWindow()
    revealWindow(window as unknown as Window)
    expect(window.restore).toHaveBeenCalled()
    expect(window.show).toHaveBeenCalled()
    expect(window.focus).toHaveBeenCalled()
  })
})
