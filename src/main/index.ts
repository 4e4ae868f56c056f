// Wiring only: build the core with Electron's adapters and connect them. Everything that imports 'electron'
// lives in ./electron; everything with logic lives in ./core and is tested in plain Node.
import path from 'node:path'
import { app, type BrowserWindow } from 'electron'
import type { EventName, EventPayloads } from '../shared/contract.ts'
import { LarderCore } from './core/larder-core.ts'
import { createSecretClipboard, clearClipboardOnQuit } from './electron/clipboard.ts'
import { registerBridge, sendEvent } from './electron/ipc-main.ts'
import { createNotifier } from './electron/notifications.ts'
import { watchPower } from './electron/power.ts'
import { chooseCipherKind, createSafeStorageCipher } from './electron/safe-storage-cipher.ts'
import { createLarderTray } from './electron/tray.ts'
import { electronVaultFile } from './electron/vault-store.ts'
import { createMainWindow, denyAllPermissions, hideOnClose, openExternalSafely, rendererLocation, revealWindow } from './electron/window.ts'
import { createHandlers, toLibraryView, toPersonalActiveView, type Handlers } from './ipc.ts'
import { VaultSession } from './vault-session.ts'

// Tests run the app against a throwaway profile.
const userDataOverride = process.env['LARDER_USER_DATA']
if (userDataOverride) app.setPath('userData', userDataOverride)

if (!app.requestSingleInstanceLock()) app.quit()
else void start()

async function start(): Promise<void> {
  let window: BrowserWindow | null = null
  app.on('second-instance', () => window && revealWindow(window))
  app.on('activate', () => window && revealWindow(window))
  await app.whenReady()
  app.setAppUserModelId('app.larder.desktop')
  denyAllPermissions()

  const userData = app.getPath('userData')
  const vaultFile = electronVaultFile({ directory: userData })
  const keychain = (await chooseCipherKind()) === 'safe-storage' ? createSafeStorageCipher() : null
  const clipboard = createSecretClipboard({ onError: (error) => console.error('clipboard:', describe(error)) })
  const session = new VaultSession({
    vaultPath: vaultFile.path,
    auditPath: path.join(userData, 'audit.jsonl'),
    openStore: vaultFile.openStore,
    keychain,
    makeCore: (vault, audit) => new LarderCore({ vault, audit, sink: clipboard })
  })
  const coreHandlers = createHandlers(session, { name: 'Larder', version: app.getVersion(), host: 'electron' })
  const handlers: Handlers = {
    ...coreHandlers,
    // Apicbase's authorization page opens in the system browser (never in our window); https Apicbase pages only.
    'oauth.start': async (input) => {
      const result = await coreHandlers['oauth.start'](input)
      if (result.ok) openExternalSafely(result.value.authorizeUrl)
      return result
    }
  }

  window = createMainWindow()
  const shown = window
  registerBridge(handlers, {
    isOwnUrl: rendererLocation().isOwnUrl,
    host: shown.webContents.ipc,
    onRefused: (call, reason) => console.warn(`refused ${call}: ${reason}`)
  })
  const send = <E extends EventName>(name: E, payload: EventPayloads[E]): void => {
    if (!shown.isDestroyed()) sendEvent(shown.webContents, name, payload)
  }
  const openLibrary = (id?: string): void => {
    revealWindow(shown)
    if (id) send('navigate.library', { id })
  }

  const tray = createLarderTray(
    {
      copy: (id, format) => session.core()?.copy(id, format),
      refresh: (id) => session.core()?.refresh(id),
      open: openLibrary,
      quit: () => app.quit()
    },
    { onError: (error) => console.error('tray:', describe(error)) }
  )
  const notifier = createNotifier({
    toggles: { expiring: true, failed: true, needsReauth: true },
    onOpenLibrary: openLibrary,
    onOpenWindow: () => revealWindow(shown)
  })

  const attach = (core: LarderCore): void => {
    const views = (): ReturnType<typeof toLibraryView>[] => core.libraries.list().map(toLibraryView)
    notifier.configure(core.settings().notifications)
    notifier.observe(views())
    tray.update(views())
    core.on('library.changed', (library) => {
      const view = toLibraryView(library)
      send('library.changed', view)
      notifier.configure(core.settings().notifications)
      notifier.observe([view])
      tray.update(views())
    })
    core.on('personal.active', (state) => send('personal.active', toPersonalActiveView(state)))
    core.on('library.removed', ({ id }) => {
      send('library.removed', { id })
      notifier.forget(id)
      tray.update(views())
    })
  }
  session.on('state', (state) => {
    send('vault.state', state)
    const core = session.core()
    if (state.state === 'open' && core) attach(core)
  })

  watchPower(() => session.core()?.wake())
  hideOnClose(shown, { trayAvailable: () => true })
  clearClipboardOnQuit(clipboard)

  // Let a refresh in flight finish writing its new pair before the process goes: a rotation cut off between
  // the server's answer and our write is a lost token.
  let closed = false
  app.on('before-quit', (event) => {
    if (closed) return
    event.preventDefault()
    closed = true
    tray.destroy()
    notifier.dispose()
    void session.close().finally(() => app.quit())
  })

  await session.start()
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}
