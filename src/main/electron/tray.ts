// The tray icon: its picture, tooltip and menu come from the pure tray model; this file only turns the model
// into Electron objects and clicks into the callbacks.
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions, type NativeImage } from 'electron'
import type { LibraryView } from '../../shared/contract.ts'
import { drawTrayIcon } from '../core/desktop/tray-icon-pixels.ts'
import { buildTrayModel, type MenuNode, type TrayCommand, type TrayCopyFormat, type TrayLevel, type TrayModelOptions } from '../core/desktop/tray-model.ts'

export interface TrayCallbacks {
  copy(id: string, format: TrayCopyFormat): unknown
  refresh(id: string): unknown
  open(id?: string): unknown
  quit(): unknown
}

export interface LarderTray {
  update(libraries: readonly LibraryView[]): void
  destroy(): void
}

export interface LarderTrayOptions extends TrayModelOptions {
  /** Defaults to `process.platform`. */
  readonly platform?: string
  /** A callback threw or rejected. */
  readonly onError?: (error: unknown) => void
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
        return { label: node.label, enabled: node.enabled, click: () => run(node.command) }
    }
  })
}

export function createLarderTray(callbacks: TrayCallbacks, options: LarderTrayOptions = {}): LarderTray {
  const platform = options.platform ?? process.platform
  const onError = options.onError ?? (() => {})
  const run = (command: TrayCommand): void => {
    try {
      void Promise.resolve(dispatch(command, callbacks)).catch(onError)
    } catch (error) {
      onError(error)
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

  const larderTray: LarderTray = {
    update(libraries: readonly LibraryView[]) {
      if (tray.isDestroyed()) return
      const model = buildTrayModel(libraries, options)
      if (model.level !== shownLevel) tray.setImage(iconFor(model.level))
      shownLevel = model.level
      if (model.tooltip !== shownTooltip) tray.setToolTip(model.tooltip)
      shownTooltip = model.tooltip
      // Menus are rebuilt only when they change: status events can arrive by the hundred during a refresh wave.
      const menuKey = JSON.stringify(model.menu)
      if (menuKey !== shownMenu) tray.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(model.menu, run)))
      shownMenu = menuKey
    },
    destroy() {
      if (!tray.isDestroyed()) tray.destroy()
    }
  }
  larderTray.update([])
  return larderTray
}
