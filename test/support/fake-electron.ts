// A stand-in for the 'electron' module, for tests of the Electron host in plain Node (the binary cannot run here).
// It does what the adapters ask of Electron and records what a person would see: events sent to the window, the
// tray's tooltip and menu, notifications shown, the URL the window loaded, the custom protocol and application menu,
// and whether the app was allowed to quit (and how often it asked to exit).
import { EventEmitter } from 'node:events'

type Listener = (...args: unknown[]) => unknown

interface MenuTemplateItem {
  readonly label?: string
  readonly role?: string
  readonly type?: string
  readonly enabled?: boolean
  readonly click?: () => void
  readonly submenu?: readonly MenuTemplateItem[]
}

export class FakeWebContents extends EventEmitter {
  readonly sent: Array<{ channel: string; payload: unknown }> = []
  readonly handlers = new Map<string, Listener>()
  readonly ipc = {
    handle: (channel: string, listener: Listener): void => {
      if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      this.handlers.set(channel, listener)
    },
    removeHandler: (channel: string): void => void this.handlers.delete(channel)
  }
  destroyed = false
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload })
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  setWindowOpenHandler(): void {}
  /** Calls a bridge channel as the app's own page would. */
  invoke(channel: string, input: unknown, url: string): Promise<unknown> {
    const handler = this.handlers.get(channel)
    if (!handler) throw new Error(`nothing handles ${channel}`)
    return Promise.resolve(handler({ senderFrame: { url, parent: null } }, input))
  }
}

class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = []
  readonly webContents = new FakeWebContents()
  visible = false
  readonly options: unknown
  /** What the window was asked to load: `file:<path>` for loadFile, the URL for loadURL. */
  readonly loaded: string[] = []
  constructor(options: unknown) {
    super()
    this.options = options
    FakeBrowserWindow.all.push(this)
  }
  loadFile(file: string): Promise<void> {
    this.loaded.push(`file:${file}`)
    return Promise.resolve()
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push(url)
    return Promise.resolve()
  }
  show(): void {
    this.visible = true
  }
  hide(): void {
    this.visible = false
  }
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false
  }
  isDestroyed(): boolean {
    return false
  }
}

class FakeTray {
  static all: FakeTray[] = []
  tooltip = ''
  menu: readonly MenuTemplateItem[] = []
  updates = 0
  destroyed = false
  image: unknown
  constructor(image: unknown) {
    this.image = image
    FakeTray.all.push(this)
  }
  setImage(image: unknown): void {
    this.image = image
  }
  setToolTip(text: string): void {
    this.tooltip = text
    this.updates++
  }
  setContextMenu(menu: { template: readonly MenuTemplateItem[] }): void {
    this.menu = menu.template
  }
  on(): this {
    return this
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  destroy(): void {
    this.destroyed = true
  }
}

class FakeNotification extends EventEmitter {
  static shown: Array<{ title: string; body: string }> = []
  /** Every notification made, shown or not (what a test clicks or checks closed). */
  static all: FakeNotification[] = []
  static isSupported(): boolean {
    return true
  }
  readonly options: { title: string; body: string }
  constructor(options: { title: string; body: string }) {
    super()
    this.options = options
    FakeNotification.all.push(this)
  }
  show(): void {
    FakeNotification.shown.push({ title: this.options.title, body: this.options.body })
  }
  closed = false
  close(): void {
    this.closed = true
    this.emit('close')
  }
}

class FakeApp extends EventEmitter {
  userData = ''
  quits = 0
  /** Exit codes, one per `app.exit()`: the process ends at the first. */
  readonly exits: number[] = []
  /** A packaged build (`app.isPackaged`); tests flip it. */
  packaged = false
  /** Set once `whenReady()` was first called and its promise settled: what must happen before ready can be checked. */
  ready = false
  whenReady(): Promise<void> {
    return Promise.resolve().then(() => {
      this.ready = true
    })
  }
  setAppUserModelId(): void {}
  getPath(name: string): string {
    if (name === 'documents') return '/home/larder-test/Documents'
    if (name !== 'userData') throw new Error(`no path ${name} in the fake`)
    return this.userData
  }
  setPath(_name: string, value: string): void {
    this.userData = value
  }
  getVersion(): string {
    return '0.0.0-host-test'
  }
  get isPackaged(): boolean {
    return this.packaged
  }
  exit(code = 0): void {
    this.exits.push(code)
    // Electron emits neither 'before-quit' nor 'will-quit' here; tests listen to this to see the process end.
    this.emit('fake-exit', code)
  }
  quit(): void {
    this.quits++
    // As Electron does: 'before-quit' first; a listener may hold the quit back.
    let prevented = false
    this.emit('before-quit', { preventDefault: () => (prevented = true) })
    if (!prevented) this.emit('will-quit')
  }
  requestSingleInstanceLock(): boolean {
    return true
  }
}

const app = new FakeApp()

/** The custom protocol as the host registers it: privileged schemes (and whether before ready), handlers. */
const protocol = {
  privileged: [] as Array<{ scheme: string; privileges?: Record<string, boolean> }>,
  privilegedBeforeReady: false,
  handlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
  registerSchemesAsPrivileged(schemes: ReadonlyArray<{ scheme: string; privileges?: Record<string, boolean> }>): void {
    if (this.privileged.length > 0) throw new Error('registerSchemesAsPrivileged can be called only once')
    this.privilegedBeforeReady = !app.ready
    this.privileged.push(...schemes)
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    if (!app.ready) throw new Error('protocol.handle before ready')
    if (this.handlers.has(scheme)) throw new Error(`${scheme} is already handled`)
    this.handlers.set(scheme, handler)
  },
  unhandle(scheme: string): void {
    this.handlers.delete(scheme)
  }
}

/** The application menu: `undefined` while Electron's default menu (with DevTools and reload) is in place. */
const menu = {
  application: undefined as { template: readonly MenuTemplateItem[] } | null | undefined,
  buildFromTemplate: (template: readonly MenuTemplateItem[]) => ({ template }),
  setApplicationMenu(value: { template: readonly MenuTemplateItem[] } | null): void {
    menu.application = value
  }
}
const permissionHandlers = { setPermissionRequestHandler: () => undefined, setPermissionCheckHandler: () => undefined, setDevicePermissionHandler: () => undefined }

export const fakeElectron = {
  app,
  BrowserWindow: FakeBrowserWindow,
  Tray: FakeTray,
  Notification: FakeNotification,
  Menu: menu,
  protocol,
  nativeImage: { createFromBitmap: (bitmap: Buffer) => ({ bitmap }) },
  session: { defaultSession: permissionHandlers },
  shell: { openExternal: () => Promise.resolve() },
  /** Error boxes shown (`dialog.showErrorBox`), in order; file dialogs asked for, answered with `nextPath` (null: cancelled). */
  dialog: {
    errors: [] as Array<{ title: string; content: string }>,
    showErrorBox(title: string, content: string): void {
      this.errors.push({ title, content })
    },
    asked: [] as Array<{ kind: 'open' | 'save'; parent: unknown; options: Record<string, unknown> }>,
    nextPath: null as string | null,
    showOpenDialog(...args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> {
      const [parent, options] = args.length > 1 ? args : [null, args[0]]
      this.asked.push({ kind: 'open', parent, options: options as Record<string, unknown> })
      return Promise.resolve(this.nextPath === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [this.nextPath] })
    },
    showSaveDialog(...args: unknown[]): Promise<{ canceled: boolean; filePath: string }> {
      const [parent, options] = args.length > 1 ? args : [null, args[0]]
      this.asked.push({ kind: 'save', parent, options: options as Record<string, unknown> })
      return Promise.resolve(this.nextPath === null ? { canceled: true, filePath: '' } : { canceled: false, filePath: this.nextPath })
    }
  },
  ipcMain: { handle: () => undefined, removeHandler: () => undefined },
  // No keychain here, as on Linux without a secret service: the vault asks for a passphrase.
  safeStorage: { isEncryptionAvailable: () => false, getSelectedStorageBackend: () => 'basic_text' },
  powerMonitor: new EventEmitter(),
  clipboard: {
    text: '',
    write(items: ReadonlyArray<{ formats: Record<string, unknown> }>): Promise<void> {
      const text = items[0]?.formats['text/plain']
      this.text = typeof text === 'string' ? text : ''
      return Promise.resolve()
    },
    readText(): string {
      return this.text
    },
    clear(): void {
      this.text = ''
    }
  },
  ClipboardItem: class {
    readonly formats: Record<string, unknown>
    constructor(formats: Record<string, unknown>) {
      this.formats = formats
    }
  }
}

export type FakeElectron = typeof fakeElectron
