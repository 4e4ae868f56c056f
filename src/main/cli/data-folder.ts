// Which data folder's Larder the command talks to: `--data-dir`, else LARDER_DATA_DIR, else the app's own folder as
// Electron names it (its app-data folder plus the app's name). Never a guess beyond those: a wrong folder would only
// say "not running", never reach another user's app.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** The per-user app-data folder Electron uses on each platform. */
export function appDataFolder(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  if (platform === 'win32') return env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming')
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support')
  return env['XDG_CONFIG_HOME'] !== undefined && env['XDG_CONFIG_HOME'] !== '' ? env['XDG_CONFIG_HOME'] : path.join(home, '.config')
}

/**
 * The folders to look in, in order. Without a folder named, the development build's (`larder`, the package name)
 * comes first, then the packaged app's (`Larder`, its product name) where the two differ.
 */
export function dataFolders(option: string | undefined, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string[] {
  if (option !== undefined && option !== '') return [path.resolve(option)]
  const named = env['LARDER_DATA_DIR']
  if (named !== undefined && named !== '') return [path.resolve(named)]
  const base = appDataFolder(platform, env)
  const folders = [path.join(base, 'larder'), path.join(base, 'Larder')]
  // Case-insensitive file systems (macOS, Windows) name one folder twice.
  return platform === 'linux' ? folders : folders.slice(0, 1)
}

/** The first of `folders` with a Larder endpoint in it, else the first. */
export function pickDataFolder(folders: readonly string[], hasEndpoint: (folder: string) => boolean = (folder) => fs.existsSync(path.join(folder, 'run'))): string {
  return folders.find(hasEndpoint) ?? (folders[0] as string)
}
