import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

// `npm start` runs scripts/start.ts. Here it runs for real in a copy of the project whose Electron package has
// no binary: Electron's own installer (node_modules/electron/install.js, copied) tries a mirror that refuses
// connections, so the download fails on every machine, quickly, and a machine that has Electron is not
// disturbed. electron-vite is a stand-in that reports how it was called.
const ROOT = path.resolve(import.meta.dirname, '../../..')
const ELECTRON = path.join(ROOT, 'node_modules/electron')
const version = (JSON.parse(fs.readFileSync(path.join(ELECTRON, 'package.json'), 'utf8')) as { version: string }).version

const made: string[] = []
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

const FAKE_ELECTRON_VITE = `#!/usr/bin/env node\nprocess.stdout.write(JSON.stringify({ argv: process.argv.slice(2), exec: process.env.ELECTRON_EXEC_PATH }))\n`

/** A project folder with scripts/ and an Electron package as npm installs it (no binary). */
function projectWithoutBinary(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-start-'))
  made.push(dir)
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'larder-start-copy', private: true, type: 'module' }))
  fs.cpSync(path.join(ROOT, 'scripts'), path.join(dir, 'scripts'), { recursive: true })
  const electron = path.join(dir, 'node_modules/electron')
  fs.mkdirSync(electron, { recursive: true })
  for (const file of ['package.json', 'index.js', 'install.js', 'checksums.json']) fs.copyFileSync(path.join(ELECTRON, file), path.join(electron, file))
  for (const scope of ['@electron', '@electron-internal']) fs.symlinkSync(path.join(ROOT, 'node_modules', scope), path.join(dir, 'node_modules', scope))
  const vite = path.join(dir, 'node_modules/electron-vite')
  fs.mkdirSync(path.join(vite, 'bin'), { recursive: true })
  fs.writeFileSync(path.join(vite, 'package.json'), JSON.stringify({ name: 'electron-vite', bin: { 'electron-vite': 'bin/electron-vite.js' } }))
  fs.writeFileSync(path.join(vite, 'bin/electron-vite.js'), FAKE_ELECTRON_VITE)
  fs.mkdirSync(path.join(dir, 'node_modules/.bin'))
  fs.symlinkSync('../electron-vite/bin/electron-vite.js', path.join(dir, 'node_modules/.bin/electron-vite'))
  fs.chmodSync(path.join(vite, 'bin/electron-vite.js'), 0o755)
  return dir
}

/** The environment without any Electron setting of this machine's, downloads pointed at a closed port. */
function environment(dir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) if (!/electron/i.test(key)) env[key] = value
  return { ...env, ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: path.join(dir, 'cache'), ...extra }
}

function start(dir: string, args: string[], env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['scripts/start.ts', ...args], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 })
}

describe('npm start without an Electron binary', () => {
  it('stops with only Larder’s message, which names the mirror, the override and dev:web', () => {
    const dir = projectWithoutBinary()
    const run = start(dir, ['preview'], environment(dir))
    expect(run.error).toBeUndefined()
    expect(run.status).toBe(1)
    const printed = run.stdout + run.stderr
    expect(run.stderr).toMatch(new RegExp(`^Larder cannot start: the Electron ${version.replaceAll('.', '\\.')} binary is not installed and could not be downloaded`))
    for (const needed of ['ELECTRON_MIRROR', 'ELECTRON_OVERRIDE_DIST_PATH', 'npm run dev:web']) expect(run.stderr).toContain(needed)
    expect(printed).not.toContain('install-electron')
    expect(printed).not.toMatch(/^\s+at /m)
    expect(printed).not.toContain('Node.js v')
    expect(printed).not.toContain('"argv"')
  })

  it('stops at once, without downloading, when ELECTRON_OVERRIDE_DIST_PATH holds no binary', () => {
    const dir = projectWithoutBinary()
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-empty-'))
    made.push(empty)
    const run = start(dir, ['preview'], environment(dir, { ELECTRON_OVERRIDE_DIST_PATH: empty }))
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(/^Larder cannot start: ELECTRON_OVERRIDE_DIST_PATH is set, but there is no Electron binary at /)
    expect(run.stderr).toContain('npm run dev:web')
  })
})

describe('npm start with an Electron binary (what users’ machines do)', () => {
  it('hands the binary in the package to electron-vite, with the arguments, and says nothing itself', () => {
    const dir = projectWithoutBinary()
    const binary = path.join(dir, 'node_modules/electron/dist/electron')
    fs.mkdirSync(path.dirname(binary))
    fs.writeFileSync(binary, '')
    fs.writeFileSync(path.join(dir, 'node_modules/electron/path.txt'), 'electron')
    const run = start(dir, ['preview', '--sourcemap'], environment(dir))
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual({ argv: ['preview', '--sourcemap'], exec: binary })
  })

  it('uses the binary ELECTRON_OVERRIDE_DIST_PATH points at (electron-vite alone would not)', () => {
    const dir = projectWithoutBinary()
    const override = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-override-'))
    made.push(override)
    fs.writeFileSync(path.join(override, process.platform === 'win32' ? 'electron.exe' : 'electron'), '')
    const run = start(dir, ['dev'], environment(dir, { ELECTRON_OVERRIDE_DIST_PATH: override }))
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual({ argv: ['dev'], exec: path.join(override, 'electron') })
  })

  it('npm run demo hands --demo to Electron, through electron-vite\'s "--"', () => {
    const dir = projectWithoutBinary()
    const override = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-override-'))
    made.push(override)
    fs.writeFileSync(path.join(override, process.platform === 'win32' ? 'electron.exe' : 'electron'), '')
    const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts
    const args = (scripts['demo'] ?? '').split(' ').slice(2)
    expect(scripts['demo']?.startsWith('node scripts/start.ts ')).toBe(true)
    const run = start(dir, args, environment(dir, { ELECTRON_OVERRIDE_DIST_PATH: override }))
    expect(run.status).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual({ argv: ['preview', '--', '--demo'], exec: path.join(override, 'electron') })
  })

  it('downloads a missing binary first, then starts', () => {
    const dir = projectWithoutBinary()
    // A stand-in for Electron's installer that succeeds the way the real one does: dist/ and path.txt.
    fs.writeFileSync(
      path.join(dir, 'node_modules/electron/install.js'),
      "const fs = require('fs'); fs.mkdirSync(__dirname + '/dist'); fs.writeFileSync(__dirname + '/dist/electron', ''); fs.writeFileSync(__dirname + '/path.txt', 'electron'); console.error('some progress')\n"
    )
    const run = start(dir, ['preview'], environment(dir))
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(new RegExp(`^Larder: downloading the Electron ${version.replaceAll('.', '\\.')} binary`))
    expect(run.stdout).toContain(JSON.stringify({ argv: ['preview'], exec: path.join(dir, 'node_modules/electron/dist/electron') }))
  })
})
