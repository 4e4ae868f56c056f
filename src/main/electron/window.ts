import { BrowserWindow, session, type WebContents } from 'electron'
import { join } from 'node:path'

/** The BrowserWindow options of Electron's security checklist; exported so a test can read them. */
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
      spellcheck: false
    }
  }
}

/** Deny everything the page could use to leave its own files: navigation, new windows, permissions. */
export function lockDown(contents: WebContents, ownUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!ownUrl(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!ownUrl(url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

export function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
}

export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow(hardenedWindowOptions(join(import.meta.dirname, '../preload/index.cjs')))
  const devUrl = process.env['ELECTRON_RENDERER_URL']
  const rendererFile = join(import.meta.dirname, '../renderer/index.html')
  lockDown(window.webContents, (url) => (devUrl ? url.startsWith(devUrl) : url.startsWith('file://')))
  window.once('ready-to-show', () => window.show())
  if (devUrl) void window.loadURL(devUrl)
  else void window.loadFile(rendererFile)
  return window
}

