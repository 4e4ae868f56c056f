// The Electron host: builds the app's ports from Electron's adapters, builds the app through the one factory, and
// forwards its events to the window. Tray and notifications are fed by the app; this file only connects them.
// With --demo (src/main/demo) the same app runs on a data folder of its own with the built-in stand-in API.
import path from 'node:path'
import { app, dialog, shell, type BrowserWindow } from 'electron'
import { createLarderApp, type LarderApp } from '../app/create-app.ts'
import { failureFacts } from '../app/bridge-errors.ts'
import type { AppPorts, LogPort, PresencePort } from '../app/ports.ts'
import { teamDatabaseOverride } from '../app/team/team-mode.ts'
import { wantsDemo } from '../demo/demo-folder.ts'
import { desktopDemo, type DesktopDemo } from '../demo/desktop-demo.ts'
import { worldLines } from '../demo/world-text.ts'
import { UnsafeEndpointError } from '../endpoint/checks.ts'
import { DataFolderHeldError, takeDataFolder, type DataFolderLock } from '../endpoint/lock.ts'
import { EXIT_CODES } from '../../shared/terminal-words.ts'
import { registerAppScheme, serveApp } from './app-protocol.ts'
import { createSecretClipboard } from './clipboard.ts'
import { createFileDialogs } from './file-dialogs.ts'
import { registerBridge, sendEvent } from './ipc-main.ts'
import { createFileLog } from '../node/log-file.ts'
import { createIdleTime, createPresence } from './lock-adapters.ts'
import { createNotifier } from './notifications.ts'
import { useApplicationMenu } from './packaged-build.ts'
import { watchPower } from './power.ts'
import { quitInOrder } from './quit.ts'
import { chooseCipherKind, createSafeStorageCipher } from './safe-storage-cipher.ts'
import { createTerminalPrompt } from './terminal-prompt.ts'
import { createLarderTray } from './tray.ts'
import { electronVaultFile } from './vault-store.ts'
import { createMainWindow, denyAllPermissions, hideOnClose, openExternalSafely, rendererLocation, revealWindow } from './window.ts'

export interface ElectronHost {
  readonly app: LarderApp
  readonly window: BrowserWindow
  /** Larder started with --demo: its folder and its stand-in API; null for the real app. */
  readonly demo: DesktopDemo | null
}

/**
 * Call before Electron is ready (the entry calls it at once): the larder:// scheme can only be made privileged
 * then. Answers the host once it runs (tests drive it through a mocked 'electron').
 */
export async function startElectronHost(argv: readonly string[] = process.argv): Promise<ElectronHost> {
  registerAppScheme()
  // A demo moves the data folder before Electron is ready, so nothing of it (Chromium's files included) lands in the
  // real one. Its folder is checked to be apart from the real one, links followed, before anything is written.
  const demo = wantsDemo(argv) ? desktopDemo(app.getPath('userData')) : null
  if (demo) {
    demo.prepareFolder()
    app.setPath('userData', demo.dataDir)
  }
  await app.whenReady()
  app.setAppUserModelId('app.larder.desktop')
  denyAllPermissions()
  useApplicationMenu()

  const userData = app.getPath('userData')
  // <data folder>/logs/larder.log: where the page's "the details are in its log" points (the README says so).
  const { log } = createFileLog({ directory: path.join(userData, 'logs') })
  // One data folder, one refresher: the lock (which is the `larder` command's endpoint) is taken before the vault is
  // read, so an agent already serving this folder keeps it and this app says who holds it and stops. A demo takes no
  // lock and serves no endpoint: its folder and its stand-in API are its window's alone.
  let built: LarderApp | null = null
  const lock = demo === null ? await takeFolder(userData, () => built, log) : null
  // The process is ending (app.exit); nothing more starts.
  if (lock === 'stop') return new Promise<never>(() => undefined)
  const vaultFile = electronVaultFile({ directory: userData })
  // The demo vault is sealed with a public passphrase: the OS keychain is never asked for it.
  const keychain = demo === null && (await chooseCipherKind()) === 'safe-storage' ? createSafeStorageCipher() : null
  await demo?.start()
  const clipboard = createSecretClipboard({ onError: logFailure(log, 'clipboard') })
  const renderer = rendererLocation()
  serveApp(renderer.root)
  const window = createMainWindow(renderer)
  const openLibrary = (id?: string): void => {
    revealWindow(window)
    if (id !== undefined) larder.navigate(id)
  }
  // A demo lives in its window only: no tray and no desktop notification, which outlive it in the system's own
  // history and carry no demo mark. Closing its window ends it.
  const notifier =
    demo === null
      ? createNotifier({ toggles: { expiring: true, failed: true, needsReauth: true }, onOpenLibrary: openLibrary, onOpenWindow: () => revealWindow(window) })
      : null
  const larder: LarderApp = createLarderApp({
    info: { name: 'Larder', version: app.getVersion(), host: 'electron', clipboard: 'system', opensBrowser: true, demo: demo !== null },
    storage: { vaultPath: vaultFile.path, auditPath: path.join(userData, 'audit.jsonl'), openStore: vaultFile.openStore },
    keychain,
    clipboard,
    // Apicbase's authorization page opens in the system browser (never in our window); https Apicbase pages only,
    // and in a demo the stand-in's own authorization page on 127.0.0.1.
    openExternal: (url) => void (demo?.isStandInPage(url) === true ? shell.openExternal(url).catch(() => undefined) : openExternalSafely(url)),
    // The handlers log each failed call; a tray click has no window to answer in, so a failed one is also announced
    // in a notification saying what failed and why.
    ...(notifier === null
      ? {}
      : {
          tray: createLarderTray(
            {
              // Locked: the window shows its lock screen (Touch ID asks first where there is one); the copy waits for the unlock.
              copy: (id, format) => {
                const copy = () => larder.handlers['libraries.copy']({ id, format, from: 'tray' })
                return larder.lock === null ? copy() : larder.lock.whenUnlocked(copy, () => revealWindow(window))
              },
              lock: async () => {
                const answer = await larder.handlers['lock.now']({})
                // A keychain vault without a lock passphrase yet: the window is where one is chosen.
                if (!answer.ok) {
                  revealWindow(window)
                  notifier.announce({ type: 'action', libraryId: null, title: 'Larder could not lock', body: `${answer.error.message} Open Larder's settings to choose one.`, silent: false })
                }
                return answer
              },
              refresh: (id) => larder.handlers['libraries.refresh']({ id }),
              open: openLibrary,
              quit: () => app.quit()
            },
            { onError: logFailure(log, 'tray'), onFailed: (notice) => notifier.announce(notice) }
          ),
          notifier
        }),
    ...(demo === null ? {} : { clock: demo.clock, scryptCost: demo.scryptCost }),
    // The app lock: the system's idle time, and Touch ID where the Mac has it (a demo locks only when asked).
    ...(demo === null ? { idle: createIdleTime(), ...withPresence() } : {}),
    // A terminal's first request asks in the window (its dialog) and in a notification; never in a demo.
    ...(demo === null ? { terminal: { policy: 'ask' as const, prompt: createTerminalPrompt({ reveal: () => revealWindow(window) }) } } : {}),
    // The estate's file pickers: the system's open, save and folder dialogs, modal to the window.
    files: createFileDialogs(() => window),
    // LARDER_TEAM_DATABASE_URL: a member's vault reaches its team there instead of at the URL saved when it joined.
    ...teamDatabaseUrl(),
    log
  })
  built = larder
  // Locked, a token Larder copied is taken off the clipboard at once rather than at its timer.
  larder.lock?.onLocked(() => void clipboard.clearNow().catch(logFailure(log, 'clipboard')))
  lock?.serve(larder.terminal.handlers)

  registerBridge(larder.handlers, {
    isOwnUrl: renderer.isOwnUrl,
    host: window.webContents.ipc,
    onRefused: (call, reason) => log('warn', 'call refused', { call, reason }),
    onError: (call, error) => log('error', 'call failed', { call, kind: 'internal', ...failureFacts(error, 'internal') })
  })
  larder.events.onAny((name, payload) => {
    if (!window.isDestroyed()) sendEvent(window.webContents, name, payload)
  })
  watchPower(() => larder.wake(), { onSuspend: () => larder.lock?.system('suspend'), onLockScreen: () => larder.lock?.system('screen') })
  hideOnClose(window, { trayAvailable: () => demo === null })
  // One way out: clear the copied token, let a refresh in flight finish writing its new pair (a rotation cut off
  // between the server's answer and our write is a lost token), close, exit.
  quitInOrder({
    clearClipboard: () => clipboard.clearNow(),
    close: async () => {
      try {
        // The endpoint first: no terminal call starts while the app closes (calls in flight finish briefly).
        await lock?.close().catch(logFailure(log, 'endpoint close'))
        await larder.close()
      } finally {
        await demo?.close()
      }
    },
    onError: (step, error) => logFailure(log, `quit: ${step}`)(error)
  })

  await larder.start()
  if (demo) {
    const world = await demo.open(larder)
    // The stand-in's test credentials, for the terminal that started the demo only (never a log or a file, so not
    // when stdout goes anywhere else).
    if (process.stdout.isTTY) console.log([`Larder demo: the stand-in API is ${demo.sandbox().url}; data in ${demo.dataDir}`, ...worldLines(demo.sandbox(), world)].join('\n'))
  }
  return { app: larder, window, demo }
}

/** LARDER_TEAM_DATABASE_URL from the environment the app was started in, as the app's port (absent when unset or blank). */
function teamDatabaseUrl(): Pick<AppPorts, 'teamDatabaseUrl'> {
  const url = teamDatabaseOverride(process.env)
  return url === undefined ? {} : { teamDatabaseUrl: url }
}

/**
 * Takes the data folder's lock, or (held by an agent or another Larder) says who holds it in a dialog and exits 10:
 * answers 'stop' then, and the host goes no further while the process ends.
 */
async function takeFolder(dataDir: string, current: () => LarderApp | null, log: LogPort): Promise<DataFolderLock | 'stop'> {
  try {
    return await takeDataFolder({
      dataDir,
      holder: () => ({ host: 'desktop', pid: process.pid, version: app.getVersion(), vault: current()?.session.state().state ?? 'opening' }),
      log: (line) => log('warn', 'endpoint', { line })
    })
  } catch (error) {
    if (error instanceof DataFolderHeldError) {
      log('warn', 'data folder held', { host: error.host ?? 'unknown', pid: String(error.pid ?? 'unknown') })
      dialog.showErrorBox('Larder is already running on this data folder', error.message)
      app.exit(EXIT_CODES.folderHeld)
      return 'stop'
    }
    // A run/ folder or socket with the wrong owner or modes: refused, never repaired (the message says how).
    if (error instanceof UnsafeEndpointError) {
      dialog.showErrorBox('Larder cannot use its data folder safely', error.message)
      app.exit(EXIT_CODES.unsafeEndpoint)
      return 'stop'
    }
    throw error
  }
}

/** Touch ID on a Mac that has it; nothing elsewhere (Windows Hello has no Electron API). */
function withPresence(): { presence?: PresencePort } {
  const presence = createPresence()
  return presence === null ? {} : { presence }
}

/** An adapter's failure for the log: by name and kind, never its message. */
function logFailure(log: LogPort, what: string): (error: unknown) => void {
  return (error) => log('error', `${what} failed`, failureFacts(error, 'internal'))
}
