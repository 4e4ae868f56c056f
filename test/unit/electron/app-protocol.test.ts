// The larder:// protocol as Electron runs it, with a fake 'electron': the scheme is privileged before ready, and
// the handler answers only files inside the renderer folder, with the strict policy on every answer.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { APP_CSP, IMMUTABLE_CACHE } from '../../../src/main/core/desktop/app-protocol.ts'
import type { FakeElectron } from '../../support/fake-electron.ts'

vi.mock('electron', async () => (await import('../../support/fake-electron.ts')).fakeElectron)

const electron = (await import('electron')) as unknown as FakeElectron
const { registerAppScheme, serveApp } = await import('../../../src/main/electron/app-protocol.ts')

let tmp: string
let root: string

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-protocol-'))
  root = path.join(tmp, 'renderer')
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true })
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Larder</title>')
  fs.writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)\n')
  fs.writeFileSync(path.join(root, 'assets', 'index-CB4xEhDW.js'), 'console.log(2)\n')
  fs.mkdirSync(path.join(root, 'assets', 'folder.js'))
  fs.writeFileSync(path.join(tmp, 'vault.json'), '{"secret":"outside the renderer"}')
})

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

function request(url: string, method = 'GET'): Promise<Response> {
  const handler = electron.protocol.handlers.get('larder')
  if (!handler) throw new Error('larder:// is not handled')
  // Node's Request refuses non-http URLs, as Electron's does not: the handler reads only method and url.
  return Promise.resolve(handler({ url, method } as Request))
}

describe('the larder:// scheme', () => {
  it('is registered before ready as a standard, secure scheme, with V8 code cache', async () => {
    registerAppScheme()
    expect(electron.protocol.privileged).toEqual([
      { scheme: 'larder', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } }
    ])
    expect(electron.protocol.privilegedBeforeReady).toBe(true)
    await electron.app.whenReady()
    serveApp(root)
  })

  it('serves the page and its assets with their types and the strict policy', async () => {
    const page = await request('larder://app/index.html#/library/1')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toBe(APP_CSP)
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await page.text()).toBe('<!doctype html><title>Larder</title>')
    const script = await request('larder://app/assets/index-abc.js')
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await script.text()).toBe('console.log(1)\n')
    const head = await request('larder://app/index.html', 'HEAD')
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })

  it('lets a hashed build asset be kept from one start to the next; the page and any other file are never stored', async () => {
    const hashed = await request('larder://app/assets/index-CB4xEhDW.js')
    expect(hashed.status).toBe(200)
    expect(hashed.headers.get('cache-control')).toBe(IMMUTABLE_CACHE)
    expect(hashed.headers.get('content-security-policy')).toBe(APP_CSP)
    expect(hashed.headers.get('x-content-type-options')).toBe('nosniff')
    expect(hashed.headers.get('x-frame-options')).toBe('DENY')
    expect(await hashed.text()).toBe('console.log(2)\n')
    for (const url of ['larder://app/index.html', 'larder://app/assets/index-abc.js', 'larder://app/assets/missing-CB4xEhDW.js', 'larder://app/../assets/index-CB4xEhDW.js']) {
      expect((await request(url)).headers.get('cache-control'), url).toBe('no-store')
    }
  })

  it.each([
    ['a parent segment', 'larder://app/../vault.json'],
    ['encoded dots', 'larder://app/%2e%2e/vault.json'],
    ['an encoded slash', 'larder://app/assets%2f..%2f..%2fvault.json'],
    ['a file that is not there', 'larder://app/missing.js'],
    ['a folder', 'larder://app/assets/folder.js'],
    ['another host', 'larder://evil/index.html']
  ])('answers 404, with the policy, for %s', async (_what, url) => {
    const response = await request(url)
    expect(response.status).toBe(404)
    expect(response.headers.get('content-security-policy')).toBe(APP_CSP)
    expect(await response.text()).not.toContain('outside the renderer')
  })

  it('answers 404 to anything but GET and HEAD', async () => {
    expect((await request('larder://app/index.html', 'POST')).status).toBe(404)
  })
})
