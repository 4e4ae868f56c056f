// The tray icon: its picture, tooltip and menu come from the pure tray model; this file only turns the model
// into Electron objects and clicks into the callbacks. A click that fails has no window to answer in: it is handed
// back as a notice (core/desktop/action-notice.ts) for the host to show.
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions, type NativeImage } from 'electron'
import type { LibraryView, VaultState } from '../../shared/contract.ts'
import { actionFailedNotice, type ActionRefusal } from '../core/desktop/action-notice.ts'
import type { Notice } from '../core/desktop/notification-policy.ts'
import { drawTrayIcon } from '../core/desktop/tray-icon-pixels.ts'
import { buildClosedVaultTrayModel, buildTrayModel, type MenuNode, type TrayCommand, type TrayCopyFormat, type TrayLevel, type TrayModel, type TrayModelOptions } from '../core/desktop/tray-model.ts'

/** What a copy or refresh may answer: done, or refused with the kind of failure (a bridge call's result fits). */
export type TrayActionResult = { readonly ok: true } | { readonly ok: false; readonly error: ActionRefusal }

/** A copy or refresh that answers (or resolves to) a refused TrayActionResult, throws or rejects has failed. */
export interface TrayCallbacks {
  copy(id: string, format: TrayCopyFormat): unknown
  refresh(id: string): unknown
  open(id?: string): unknown
  quit(): unknown
  /** "Lock now" (the app lock); absent: the menu offers none. */
  lock?(): unknown
}

export interface LarderTray {
  /** A summary kept by the desktop feed (O(changes)), with the names of the libraries its menu lists. */
  show(model: TrayModel, listed: ReadonlyMap<string, string>): void
  update(libraries: readonly LibraryView[]): void
  /** The vault is not open (yet): says so, instead of listing no libraries. */
  vault(state: Exclude<VaultState, { state: 'open' }>): void
  destroy(): void
}

export interface LarderTrayOptions extends TrayModelOptions {
  /** Defaults to `process.platform`. */
  readonly platform?: string
  /** A callback threw or rejected. */
  readonly onError?: (error: unknown) => void
  /** A click failed (refused, threw or rejected): what failed and why, for a notification. */
  readonly onFailed?: (notice: Notice) => void
}

/** 16 logical pixels drawn at 32 so it stays sharp on high-density displays. */
export function trayIcon(level: TrayLevel): NativeImage {
  const { width, height, bgra } = drawTrayIcon(level, 32)
  return nativeImage.createFromBitmap(bgra, { width, height, scaleFactor: 2 })
}

export function dispatch(command: TrayCommand, callbacks: TrayCallbacks): unknown {
  switch (command.kind) {
    case 'copy':
      return callbacks.copy(command.id, command.format)
    case 'refresh':
      return callbacks.refresh(command.id)
    case 'open':
      return command.id === undefined ? callbacks.open() : callbacks.open(command.id)
    case 'quit':
      return callbacks.quit()
    case 'lock':
      return callbacks.lock?.()
  }
}

export function toMenuTemplate(nodes: readonly MenuNode[], run: (command: TrayCommand) => void): MenuItemConstructorOptions[] {
  return nodes.map((node): MenuItemConstructorOptions => {
    switch (node.type) {
      case 'separator':
        return { type: 'separator' }
      case 'label':
        return { label: node.label, enabled: false }
      case 'submenu':
        return { label: node.label, submenu: toMenuTemplate(node.children, run) }
      case 'item':
        // Menu item tooltips show on macOS only; the model also says why on a line of its own.
        return { label: node.label, enabled: node.enabled, ...(node.reason === undefined ? {} : { toolTip: node.reason }), click: () => run(node.command) }
    }
  })
}

export function createLarderTray(callbacks: TrayCallbacks, options: LarderTrayOptions = {}): LarderTray {
  const platform = options.platform ?? process.platform
  const onError = options.onError ?? (() => {})
  // Names as the menu last showed them, so a failure can say which library it was for.
  let names = new Map<string, string>()
  const failed = (command: TrayCommand, refusal: ActionRefusal): void => {
    if (command.kind !== 'copy' && command.kind !== 'refresh') return
    const name = names.get(command.id)
    const action = command.kind === 'copy' ? { kind: 'copy' as const, format: command.format } : { kind: 'refresh' as const }
    options.onFailed?.(actionFailedNotice(action, name === undefined ? null : { id: command.id, name }, refusal))
  }
  const broke = (command: TrayCommand, error: unknown): void => {
    onError(error)
    failed(command, { kind: 'internal' })
  }
  const run = (command: TrayCommand): void => {
    try {
      void Promise.resolve(dispatch(command, callbacks)).then(
        (result) => {
          if (isRefusal(result)) failed(command, result.error)
        },
        (error: unknown) => broke(command, error)
      )
    } catch (error) {
      broke(command, error)
    }
  }
  const icons = new Map<TrayLevel, NativeImage>()
  const iconFor = (level: TrayLevel): NativeImage => {
    let icon = icons.get(level)
    if (!icon) icons.set(level, (icon = trayIcon(level)))
    return icon
  }
  const tray = new Tray(iconFor('ok'))
  // On macOS a click opens the menu; elsewhere the menu is on right-click and a click should open the window.
  if (platform !== 'darwin') tray.on('click', () => run({ kind: 'open' }))
  let shownLevel: TrayLevel = 'ok'
  let shownTooltip = ''
  let shownMenu = ''

  const show = (model: TrayModel): void => {
    if (model.level !== shownLevel) tray.setImage(iconFor(model.level))
    shownLevel = model.level
    if (model.tooltip !== shownTooltip) tray.setToolTip(model.tooltip)
    shownTooltip = model.tooltip
    // Menus are rebuilt only when they change: status events can arrive by the hundred during a refresh wave.
    const menuKey = JSON.stringify(model.menu)
    if (menuKey !== shownMenu) tray.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(model.menu, run)))
    shownMenu = menuKey
  }

  const larderTray: LarderTray = {
    show(model, listed) {
      if (tray.isDestroyed()) return
      names = new Map(listed)
      show(model)
    },
    update(libraries: readonly LibraryView[]) {
      if (tray.isDestroyed()) return
      names = new Map(libraries.map((library) => [library.id, library.name]))
      show(buildTrayModel(libraries, options))
    },
    vault(state) {
      if (tray.isDestroyed()) return
      names = new Map()
      show(buildClosedVaultTrayModel(state))
    },
    destroy() {
      if (!tray.isDestroyed()) tray.destroy()
    }
  }
  larderTray.vault({ state: 'opening' })
  return larderTray
}

function isRefusal(result: unknown): result is Extract<TrayActionResult, { ok: false }> {
  return typeof result === 'object' && result !== null && (result as { ok?: unknown }).ok === false && 'error' in result
}
