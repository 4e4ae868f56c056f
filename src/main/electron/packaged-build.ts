// What a packaged build turns off that a development run keeps: Electron's default menu (with DevTools and reload)
// and LARDER_USER_DATA, the throwaway profile the end-to-end tests start the app with.
import { app, Menu } from 'electron'

/**
 * Development keeps Electron's default menu. A packaged build has none on Windows and Linux; on macOS it keeps the
 * app menu (About, Hide, Quit) and the Edit and Window menus, because macOS delivers Cmd+C, Cmd+V and Cmd+A to a
 * text field through the Edit menu's roles: without it a token could not be pasted into the add form.
 */
export function useApplicationMenu(platform: string = process.platform): void {
  if (!app.isPackaged) return
  if (platform !== 'darwin') {
    Menu.setApplicationMenu(null)
    return
  }
  Menu.setApplicationMenu(Menu.buildFromTemplate([{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }]))
}

/**
 * LARDER_USER_DATA moves the data folder of a development run (tests start the app on a throwaway profile). A
 * packaged build ignores it: an environment variable must not point the installed app at another vault.
 */
export function applyUserDataOverride(env: Readonly<Record<string, string | undefined>> = process.env): 'applied' | 'ignored' | 'none' {
  const override = env['LARDER_USER_DATA']
  if (!override) return 'none'
  if (app.isPackaged) {
    console.warn('LARDER_USER_DATA is ignored: this is a packaged build')
    return 'ignored'
  }
  app.setPath('userData', override)
  return 'applied'
}
