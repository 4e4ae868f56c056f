// `npm start` (`node scripts/start.ts preview`) and `npm run dev` (`… dev`): build Larder and run it in Electron
// through electron-vite. The Electron binary is not part of the npm package; it is downloaded on first use. This
// finds the binary first (scripts/electron-binary.ts) and hands it to electron-vite as ELECTRON_EXEC_PATH, so
// where it cannot be had, Larder's message is the only thing printed, not Electron's stack and advice.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { cannotFetchMessage, fetchFailureReason, findElectronBinary, overrideMissingMessage } from './electron-binary.ts'

const require = createRequire(import.meta.url)
const COMMANDS = ['preview', 'dev']

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`))
}

function readManifest(dir: string): { version: string; bin?: Record<string, string> } {
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string; bin?: Record<string, string> }
}

const [command, ...rest] = process.argv.slice(2)
if (command === undefined || !COMMANDS.includes(command)) {
  console.error(`usage: node scripts/start.ts ${COMMANDS.join('|')} [electron-vite options]`)
  process.exit(2)
}

const electronDir = packageDir('electron')
const { version } = readManifest(electronDir)
let binary = findElectronBinary(electronDir, process.env, process.platform)

if (binary.kind === 'absent') {
  // Electron's own installer, its output kept: on failure it prints a stack and advice that do not fit here.
  console.log(`Larder: downloading the Electron ${version} binary (about 100 MB, once) from ${process.env['ELECTRON_MIRROR'] ? 'ELECTRON_MIRROR' : "Electron's release server"}…`)
  const fetched = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  binary = findElectronBinary(electronDir, process.env, process.platform)
  if (binary.kind === 'absent') {
    console.error(cannotFetchMessage(version, fetchFailureReason(fetched)))
    process.exit(1)
  }
}
if (binary.kind === 'not-where-set') {
  console.error(overrideMissingMessage(version, binary))
  process.exit(1)
}

// electron-vite builds main, preload and renderer, then launches Electron from ELECTRON_EXEC_PATH.
const viteDir = packageDir('electron-vite')
const viteBin = readManifest(viteDir).bin?.['electron-vite'] ?? 'bin/electron-vite.js'
const run = spawnSync(process.execPath, [path.join(viteDir, viteBin), command, ...rest], {
  stdio: 'inherit',
  env: { ...process.env, ELECTRON_EXEC_PATH: binary.path }
})
process.exit(run.status ?? 1)
