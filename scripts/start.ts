// `npm start`: build Larder and run it in Electron. The Electron binary is not part of the npm package;
// it is fetched on first use. Where it cannot be fetched, say what is wrong and what to do, instead of a stack trace.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

function electronBinary(): string | Error {
  // Resolving 'electron' from Node returns the binary's path, downloading it first if it is missing.
  const probe = spawnSync(process.execPath, ['-e', 'process.stdout.write(require("electron"))'], {
    cwd: process.cwd(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit']
  })
  if (probe.status === 0 && probe.stdout) return probe.stdout
  return new Error(`exit code ${probe.status ?? probe.signal}`)
}

const binary = electronBinary()
if (binary instanceof Error) {
  const version = (require('electron/package.json') as { version: string }).version
  console.error(`
Larder cannot start: the Electron ${version} binary is not installed and could not be downloaded (${binary.message}).

npm installs Electron's JavaScript package only; the binary itself is fetched from Electron's release
server the first time the app starts. This machine could not reach it. Either:
  - run \`npm start\` again on a network that reaches Electron's releases (or set ELECTRON_MIRROR
    to a mirror you trust), or
  - point ELECTRON_OVERRIDE_DIST_PATH at a folder holding an unpacked Electron ${version}.

Everything except the desktop window works without the binary: \`npm test\` runs the whole test suite
and \`npm run sandbox\` starts the local Apicbase sandbox.
`)
  process.exit(1)
}

// electron-vite builds main, preload and renderer, then launches the app from the build.
const run = spawnSync('npx', ['electron-vite', 'preview', ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(run.status ?? 1)
