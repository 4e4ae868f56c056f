// The Electron host: builds the app's ports from Electron's adapters, builds the app through the one factory, and
// forwards its events to the window. Tray and notifications are fed by the app; this file only connects them.
import path from 'node:path'
import { app, type BrowserWindow } from 'electron'
import { createLarderApp, type LarderApp } from '../app/create-app.ts'
import { clearClipboardOnQuit, createSecretClipboard } from './clipboard.ts'
import { registerBridge, sendEvent } from './ipc-main.ts'
import { createNotifier } from './notifications.ts'
import { watchPower } from './power.ts'
import { chooseCipherKind, createSafeStorageCipher } from './safe-storage-cipher.ts'
import { createLarderTray } from './tray.ts'
import { electronVaultFile } from './vault-store.ts'
import { createMainWindow, denyAllPermissions, hideOnClose, openExternalSafely, rendererLocation, revealWindow } from './window.ts'

export interface ElectronHost {
  readonly app: LarderApp
  readonly window: BrowserWindow
}

/** Runs once Electron is ready. Answers the host (tests drive it through a mocked 'electron'). */
export async function startElectronHost(): Promise<ElectronHost> {
  await app.whenReady()
  app.setAppUserModelId('app.larder.desktop')
  denyAllPermissions()

  const userData = app.getPath('userData')
  const vaultFile = electronVaultFile({ directory: userData })
  const keychain = (await chooseCipherKind()) === 'safe-storage' ? createSafeStorageCipher() : null
  const clipboard = createSecretClipboard({ onError: (error) => console.error('clipboard:', describe(error)) })
  const window = createMainWindow()
  const openLibrary = (id?: string): void => {
    revealWindow(window)
    if (id !== undefined) larder.navigate(id)
  }
  const notifier = createNotifier({
    toggles: { expiring: true, failed: true, needsReauth: true },
    onOpenLibrary: openLibrary,
    onOpenWindow: () => revealWindow(window)
  })
  const larder: LarderApp = createLarderApp({
    info: { name: 'Larder', version: app.getVersion(), host: 'electron' },
    storage: { vaultPath: vaultFile.path, auditPath: path.join(userData, 'audit.jsonl'), openStore: vaultFile.openStore },
    keychain,
    clipboard,
    // Apicbase's authorization page opens in the system browser (never in our window); https Apicbase pages only.
    openExternal: (url) => void openExternalSafely(url),
    // A tray click has no window to answer in: a failed one is announced in a notification saying what failed and why.
    tray: createLarderTray(
      {
        copy: (id, format) => larder.handlers['libraries.copy']({ id, format }),
        refresh: (id) => larder.handlers['libraries.refresh']({ id }),
        open: openLibrary,
        quit: () => app.quit()
      },
      { onError: (error) => console.error('tray:', describe(error)), onFailed: (notice) => notifier.announce(notice) }
    ),
    notifier
  })

  registerBridge(larder.handlers, {
    isOwnUrl: rendererLocation().isOwnUrl,
    host: window.webContents.ipc,
    onRefused: (call, reason) => console.warn(`refused ${call}: ${reason}`)
  })
  larder.events.onAny((name, payload) => {
    if (!window.isDestroyed()) sendEvent(window.webContents, name, payload)
  })
  watchPower(() => larder.wake())
  hideOnClose(window, { trayAvailable: () => true })
  clearClipboardOnQuit(clipboard)

  // Let a refresh in flight finish writing its new pair before the process goes: a rotation cut off between the
  // server's answer and our write is a lost token.
  let closed = false
  app.on('before-quit', (event) => {
    if (closed) return
    event.preventDefault()
    closed = true
    void larder.close().finally(() => app.quit())
  })

  await larder.start()
  return { app: larder, window }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}
