import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { cannotFetchMessage, fetchFailureReason, findElectronBinary, overrideMissingMessage } from '../../../scripts/electron-binary.ts'

// `npm start` decides, before electron-vite or Electron can print anything, whether an Electron binary is at
// hand: in Electron's package (node_modules/electron/dist, named by path.txt), or where ELECTRON_OVERRIDE_DIST_PATH
// (or electron-vite's ELECTRON_EXEC_PATH) points. Only a binary that is simply not there yet is worth a download.
const made: string[] = []
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

function folder(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-electron-binary-'))
  made.push(dir)
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), content)
  }
  return dir
}

describe('finding the Electron binary', () => {
  it('is present when path.txt names a file in the package’s dist folder', () => {
    const electronDir = folder({ 'path.txt': 'electron', 'dist/electron': '' })
    expect(findElectronBinary(electronDir, {}, 'linux')).toEqual({ kind: 'present', path: path.join(electronDir, 'dist/electron') })
  })

  it('is absent (worth a download) when the package has no path.txt or its file is gone', () => {
    expect(findElectronBinary(folder(), {}, 'linux')).toEqual({ kind: 'absent' })
    expect(findElectronBinary(folder({ 'path.txt': 'electron' }), {}, 'linux')).toEqual({ kind: 'absent' })
  })

  it('uses ELECTRON_OVERRIDE_DIST_PATH when it holds the binary, named as Electron names it per platform', () => {
    const electronDir = folder()
    const linux = folder({ electron: '' })
    expect(findElectronBinary(electronDir, { ELECTRON_OVERRIDE_DIST_PATH: linux }, 'linux')).toEqual({ kind: 'present', path: path.join(linux, 'electron') })
    const windows = folder({ 'electron.exe': '' })
    expect(findElectronBinary(electronDir, { ELECTRON_OVERRIDE_DIST_PATH: windows }, 'win32')).toEqual({ kind: 'present', path: path.join(windows, 'electron.exe') })
    const mac = folder({ 'Electron.app/Contents/MacOS/Electron': '' })
    expect(findElectronBinary(electronDir, { ELECTRON_OVERRIDE_DIST_PATH: mac }, 'darwin')).toEqual({ kind: 'present', path: path.join(mac, 'Electron.app/Contents/MacOS/Electron') })
  })

  it('never downloads over an ELECTRON_OVERRIDE_DIST_PATH that holds no binary: it says where it looked', () => {
    const electronDir = folder({ 'path.txt': 'electron', 'dist/electron': '' })
    const empty = folder()
    expect(findElectronBinary(electronDir, { ELECTRON_OVERRIDE_DIST_PATH: empty }, 'linux')).toEqual({
      kind: 'not-where-set',
      variable: 'ELECTRON_OVERRIDE_DIST_PATH',
      path: path.join(empty, 'electron')
    })
  })

  it('honours electron-vite’s own ELECTRON_EXEC_PATH first, and says so when it names nothing', () => {
    const binary = path.join(folder({ 'my-electron': '' }), 'my-electron')
    const override = folder({ electron: '' })
    expect(findElectronBinary(folder(), { ELECTRON_EXEC_PATH: binary, ELECTRON_OVERRIDE_DIST_PATH: override }, 'linux')).toEqual({ kind: 'present', path: binary })
    expect(findElectronBinary(folder(), { ELECTRON_EXEC_PATH: '/nowhere/electron' }, 'linux')).toEqual({
      kind: 'not-where-set',
      variable: 'ELECTRON_EXEC_PATH',
      path: '/nowhere/electron'
    })
  })

  it('treats an empty variable as not set', () => {
    expect(findElectronBinary(folder(), { ELECTRON_OVERRIDE_DIST_PATH: '', ELECTRON_EXEC_PATH: '' }, 'linux')).toEqual({ kind: 'absent' })
  })
})

describe('what npm start says when there is no binary', () => {
  it('names both ways to get one and the browser alternative, never Electron’s own advice', () => {
    const message = cannotFetchMessage('45.6.1', 'fetch failed')
    expect(message).toMatch(/^Larder cannot start: the Electron 45\.6\.1 binary is not installed and could not be downloaded \(fetch failed\)\./)
    for (const needed of ['ELECTRON_MIRROR', 'ELECTRON_OVERRIDE_DIST_PATH', 'Electron 45.6.1', 'npm run dev:web']) expect(message).toContain(needed)
    expect(message).not.toContain('install-electron')
  })

  it('says where a set variable pointed, and the browser alternative', () => {
    const message = overrideMissingMessage('45.6.1', { kind: 'not-where-set', variable: 'ELECTRON_OVERRIDE_DIST_PATH', path: '/opt/e/electron' })
    expect(message).toMatch(/^Larder cannot start: ELECTRON_OVERRIDE_DIST_PATH is set, but there is no Electron binary at \/opt\/e\/electron\./)
    expect(message).toContain('Electron 45.6.1')
    expect(message).toContain('npm run dev:web')
  })

  it('keeps one line of the downloader’s failure: no stack, no credentials in a mirror URL', () => {
    const stack = 'HTTPError: Response code 404 (Not Found) for https://user:hunter22@mirror.example/v45.6.1/electron.zip\n    at FetchDownloader.download (file:///x.js:1:1)\n'
    expect(fetchFailureReason({ stdout: '', stderr: stack, status: 1 })).toBe('HTTPError: Response code 404 (Not Found) for https://mirror.example/v45.6.1/electron.zip')
    expect(fetchFailureReason({ stdout: '', stderr: 'TypeError: fetch failed\n', status: 1 })).toBe('TypeError: fetch failed')
    expect(fetchFailureReason({ stdout: '', stderr: '', status: 9 })).toBe('the downloader exited with code 9')
    expect(fetchFailureReason({ stdout: '', stderr: 'x'.repeat(500), status: 1 }).length).toBeLessThanOrEqual(200)
  })
})
