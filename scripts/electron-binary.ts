// Where `npm start` finds the Electron binary, decided by looking at files only, before electron-vite or Electron's
// own installer can print anything. npm installs Electron's JavaScript package without the binary; the binary
// arrives in node_modules/electron/dist on first use (path.txt names the file), unless a variable points elsewhere.
import fs from 'node:fs'
import path from 'node:path'

export type ElectronBinary =
  /** A binary is there: hand it to electron-vite as ELECTRON_EXEC_PATH. */
  | { readonly kind: 'present'; readonly path: string }
  /** Not in Electron's package yet: Electron's installer may fetch it. */
  | { readonly kind: 'absent' }
  /** A variable names a place with no binary: downloading would not help (Electron's package would ignore it). */
  | { readonly kind: 'not-where-set'; readonly variable: 'ELECTRON_EXEC_PATH' | 'ELECTRON_OVERRIDE_DIST_PATH'; readonly path: string }

/** The executable inside an unpacked Electron, as Electron's installer names it for each platform. */
function executableName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron'
  if (platform === 'win32') return 'electron.exe'
  return 'electron'
}

function readIfThere(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim() || null
  } catch {
    return null
  }
}

/**
 * electron-vite's ELECTRON_EXEC_PATH (a binary) comes first, then Electron's ELECTRON_OVERRIDE_DIST_PATH (a
 * folder), then the package's own dist folder. An empty variable counts as not set.
 */
export function findElectronBinary(electronDir: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): ElectronBinary {
  const execPath = env['ELECTRON_EXEC_PATH']
  if (execPath) return fs.existsSync(execPath) ? { kind: 'present', path: execPath } : { kind: 'not-where-set', variable: 'ELECTRON_EXEC_PATH', path: execPath }
  const named = readIfThere(path.join(electronDir, 'path.txt'))
  const overrideDir = env['ELECTRON_OVERRIDE_DIST_PATH']
  if (overrideDir) {
    const binary = path.join(overrideDir, named ?? executableName(platform))
    return fs.existsSync(binary) ? { kind: 'present', path: binary } : { kind: 'not-where-set', variable: 'ELECTRON_OVERRIDE_DIST_PATH', path: binary }
  }
  if (named === null) return { kind: 'absent' }
  const binary = path.join(electronDir, 'dist', named)
  return fs.existsSync(binary) ? { kind: 'present', path: binary } : { kind: 'absent' }
}

const BROWSER_ALTERNATIVE = `To see the same app in a browser instead, without Electron: npm run dev:web
(\`npm test\` and \`npm run sandbox\` need no Electron binary either.)`

export function cannotFetchMessage(version: string, reason: string): string {
  return `Larder cannot start: the Electron ${version} binary is not installed and could not be downloaded (${reason}).

npm installs Electron's JavaScript package only; the binary (about 100 MB) is downloaded from Electron's release
server the first time the app starts, and this machine could not reach it. To get it, either:
  - run \`npm start\` again on a network that reaches Electron's releases, or set ELECTRON_MIRROR to a mirror
    you trust, or
  - set ELECTRON_OVERRIDE_DIST_PATH to a folder holding an unpacked Electron ${version}.

${BROWSER_ALTERNATIVE}`
}

export function overrideMissingMessage(version: string, binary: Extract<ElectronBinary, { kind: 'not-where-set' }>): string {
  const fix =
    binary.variable === 'ELECTRON_EXEC_PATH'
      ? `Point it at an Electron ${version} executable, or unset it.`
      : `Point it at a folder holding an unpacked Electron ${version}, or unset it to download Electron.`
  return `Larder cannot start: ${binary.variable} is set, but there is no Electron binary at ${binary.path}.
${fix}

${BROWSER_ALTERNATIVE}`
}

/** Longest reason quoted from the downloader. */
const REASON_LIMIT = 200

/**
 * One line of why Electron's installer failed, for Larder's message: the first line it printed that is not part
 * of a stack, with any user:password in a URL (a mirror's) removed.
 */
export function fetchFailureReason(run: { readonly stdout: string; readonly stderr: string; readonly status: number | null }): string {
  const line = `${run.stderr}\n${run.stdout}`
    .split(/\r?\n/)
    .map((text) => text.trim())
    .find((text) => text !== '' && !text.startsWith('at '))
  if (line === undefined) return `the downloader exited with code ${run.status ?? 'none'}`
  const reason = line.replace(/\/\/[^/\s@]*@/g, '//')
  return reason.length > REASON_LIMIT ? `${reason.slice(0, REASON_LIMIT - 1)}…` : reason
}
