import { app, BrowserWindow, session, shell, type WebContents } from 'electron'
import { join } from 'node:path'
import { APP_PAGE_URL } from '../core/desktop/app-protocol.ts'
import { closeAction, externalUrlToOpen, ownUrlMatcher } from '../core/desktop/window-policy.ts'

/**
 * The BrowserWindow options of Electron's security checklist; exported so a test can read them. A packaged build has
 * no DevTools: they would show the page's state and let anyone at the keyboard call the bridge by hand.
 */
export function hardenedWindowOptions(preloadPath: string): Electron.BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 720,
    minWidth: 640,
    minHeight: 420,
    show: false,
    title: 'Larder',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      devTools: !app.isPackaged
    }
  }
}

/**
 * Opens an https:// link on apicbase.com (or a subdomain) in the person's browser; anything else is refused.
 * Answers whether the link was handed over.
 */
export function openExternalSafely(url: unknown): boolean {
  const safe = externalUrlToOpen(url)
  if (safe === null) return false
  shell.openExternal(safe).catch(() => undefined)
  return true
}

/**
 * Deny everything the page could use to leave its own files: navigation (of any frame), redirects, webviews and
 * new windows. A link to Apicbase (new-window or plain navigation) goes to the browser instead.
 */
export function lockDown(contents: WebContents, ownUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (details) => {
    if (ownUrl(details.url)) return
    details.preventDefault()
    openExternalSafely(details.url)
  })
  contents.on('will-frame-navigate', (details) => {
    if (!details.isMainFrame && !ownUrl(details.url)) details.preventDefault()
  })
  contents.on('will-redirect', (details) => {
    if (!ownUrl(details.url)) details.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url)
    return { action: 'deny' }
  })
}

export function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
  session.defaultSession.setDevicePermissionHandler(() => false)
}

export interface RendererLocation {
  /** electron-vite's dev server (`npm run dev`); never in a packaged build. */
  readonly devUrl: string | undefined
  /** The built page on Larder's own scheme, served from `root` (see app-protocol.ts). */
  readonly pageUrl: string
  /** The built renderer folder (inside app.asar when packaged). */
  readonly root: string
  readonly isOwnUrl: (url: string) => boolean
}

/** Where the renderer is loaded from, and the check for "this URL is our page" that goes with it. */
export function rendererLocation(): RendererLocation {
  const devUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']
  const root = join(import.meta.dirname, '../renderer')
  const isOwnUrl = ownUrlMatcher({ devServerUrl: devUrl, pageUrl: APP_PAGE_URL })
  return { devUrl, pageUrl: APP_PAGE_URL, root, isOwnUrl }
}

export function createMainWindow(renderer: RendererLocation = rendererLocation()): BrowserWindow {
  const window = new BrowserWindow(hardenedWindowOptions(join(import.meta.dirname, '../preload/index.cjs')))
  lockDown(window.webContents, renderer.isOwnUrl)
  window.once('ready-to-show', () => window.show())
  void window.loadURL(renderer.devUrl ?? renderer.pageUrl)
  return window
}

/**
 * Closing the window hides it (Larder keeps refreshing and warns from the tray); quitting is explicit. Without a
 * tray the window closes as usual. Returns a disposer.
 */
export function hideOnClose(window: BrowserWindow, options: { readonly trayAvailable: () => boolean }): () => void {
  let quitting = false
  const onBeforeQuit = (): void => {
    quitting = true
  }
  const onClose = (event: Electron.Event): void => {
    if (closeAction({ quitting, trayAvailable: options.trayAvailable() }) === 'close') return
    event.preventDefault()
    window.hide()
  }
  app.on('before-quit', onBeforeQuit)
  window.on('close', onClose)
  return () => {
    app.removeListener('before-quit', onBeforeQuit)
    window.removeListener('close', onClose)
  }
}

/** Brings the window back from the tray (or a minimised state) and focuses it. */
export function revealWindow(window: BrowserWindow): void {
  if (window.isDestroyed()) return
  if (window.isMinimized()) window.restore()
  window.show()
  window.focus()
}
