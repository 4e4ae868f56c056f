// The desktop demo (issue 19 item 6), through the Electron host with a mocked 'electron': `--demo` runs Larder on a
// data folder of its own beside the real one, with the built-in stand-in API on 127.0.0.1 and one library in each
// state; the page is told it is a demo (the banner); the real data folder is never read or written; the demo shows
// nothing outside its window (no tray, no desktop notifications) and opens only the stand-in's own pages.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { demoDataDir } from '../../../src/main/demo/demo-folder.ts'
import { callChannel } from '../../../src/shared/names.ts'
import { checkResult } from '../../support/contract-check.ts'
import type { FakeElectron, FakeWebContents } from '../../support/fake-electron.ts'
import { DEMO_STATES } from '../../support/demo-states.ts'

vi.mock('electron', async () => (await import('../../support/fake-electron.ts')).fakeElectron)
vi.mock('electron-store', async () => (await import('../../support/fake-electron-store.ts')).fakeElectronStoreModule())

const electron = (await import('electron')) as unknown as FakeElectron
const { startElectronHost } = await import('../../../src/main/electron/host.ts')

const OWN_PAGE = 'larder://app/index.html'

let root: string
let realDir: string
let realFiles: Record<string, string>
let host: Awaited<ReturnType<typeof startElectronHost>>
const opened: string[] = []

/** Every file under a folder with a digest of its bytes: what "never touched" is checked against. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {}
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath, entry.name)
    files[path.relative(dir, file)] = createHash('sha256').update(fs.readFileSync(file)).digest('hex')
  }
  return files
}

async function call(name: Parameters<typeof callChannel>[0], input: unknown): Promise<{ ok: boolean; value?: unknown }> {
  const result = (await (host.window.webContents as unknown as FakeWebContents).invoke(callChannel(name), input, OWN_PAGE)) as { ok: boolean; value?: unknown }
  checkResult(name as never, result)
  return result
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-demo-host-'))
  realDir = path.join(root, 'larder')
  // A real data folder with a vault in it, as a person who already uses Larder has.
  fs.mkdirSync(path.join(realDir, 'logs'), { recursive: true })
  fs.writeFileSync(path.join(realDir, 'vault.json'), '{"the real vault":"sealed"}\n')
  fs.writeFileSync(path.join(realDir, 'audit.jsonl'), '{"seq":1}\n')
  fs.writeFileSync(path.join(realDir, 'logs', 'larder.log'), 'earlier lines\n')
  realFiles = snapshot(realDir)
  electron.app.setPath('userData', realDir)
  vi.spyOn(electron.shell, 'openExternal').mockImplementation((...args: unknown[]) => {
    opened.push(String(args[0]))
    return Promise.resolve()
  })
  process.argv.push('--demo')
  host = await startElectronHost()
}, 30_000)

afterAll(async () => {
  process.argv.splice(process.argv.indexOf('--demo'), 1)
  await host?.app.close()
  await host?.demo?.close()
  fs.rmSync(root, { recursive: true, force: true })
})

describe('Larder --demo', () => {
  it('uses a data folder of its own beside the real one, and never touches the real one', async () => {
    const demoDir = demoDataDir(realDir)
    expect(demoDir).toBe(path.join(root, 'larder-demo'))
    expect(electron.app.getPath('userData')).toBe(demoDir)
    expect(fs.existsSync(path.join(demoDir, 'vault.json'))).toBe(true)
    expect(fs.existsSync(path.join(demoDir, '.larder-demo'))).toBe(true)
    await call('libraries.list', {})
    expect(snapshot(realDir)).toEqual(realFiles)
  })

  it('tells the page it is a demo (the banner), with the system clipboard and a browser that opens', async () => {
    expect(await call('app.info', {})).toEqual({
      ok: true,
      value: { name: 'Larder', version: expect.any(String), host: 'electron', clipboard: 'system', opensBrowser: true, demo: true }
    })
  })

  it('opens its demo vault without the keychain and holds one library in each state, on the stand-in API', async () => {
    expect(await call('vault.state', {})).toEqual({ ok: true, value: { state: 'open', cipher: 'passphrase' } })
    const list = (await call('libraries.list', {})).value as Array<{ id: string; name: string; status: string }>
    expect(Object.fromEntries(list.map((library) => [library.name, library.status]))).toEqual(DEMO_STATES)
    const standIn = host.demo?.sandbox().url ?? ''
    expect(standIn).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    // The list holds rows; each library's whole view says where it sends.
    const whole = await Promise.all(list.map(async ({ id }) => (await call('libraries.get', { id })).value as { apiBaseUrl: string }))
    expect(new Set(whole.map((library) => library.apiBaseUrl))).toEqual(new Set([standIn]))
    // The stand-in answers on loopback; its admin endpoints are off in the demo.
    expect((await fetch(`${standIn}/api/v2/accounts/libraries/`)).status).toBe(401)
    expect((await fetch(`${standIn}/__sandbox/`)).status).toBe(404)
  })

  it("holds the customer's other keys too, checked against their stand-ins on 127.0.0.1", () => {
    const keys = host.app.core()?.vault.keys() ?? []
    expect(keys.map((key) => key.system).sort()).toEqual(['airtable', 'airtable', 'safetyculture', 'safetyculture', 'safetyculture', 'service_token', 'service_token'])
    for (const key of keys) {
      const { details } = key
      const address = 'apiBaseUrl' in details ? details.apiBaseUrl : details.checkUrl
      expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+/)
    }
  })

  it('shows nothing outside its window: no tray, no desktop notification', () => {
    expect(electron.Tray.all).toEqual([])
    expect(electron.Notification.shown).toEqual([])
  })

  it("opens the stand-in's authorization page in the browser, and still nothing but Apicbase's otherwise", async () => {
    const partner = host.demo?.sandbox().fixtures.partner
    const started = await call('oauth.start', { clientId: partner?.clientId, clientSecret: partner?.clientSecret, scopes: ['accounts', 'library'], redirect: 'paste' })
    expect(started.ok).toBe(true)
    expect(opened).toHaveLength(1)
    expect(opened[0]?.startsWith(`${host.demo?.sandbox().url}/oauth/authorize/`)).toBe(true)
    // A foreign page is still refused.
    await call('oauth.start', { clientId: 'x', clientSecret: 'y', scopes: ['accounts'], redirect: 'paste', apiBaseUrl: 'http://localhost:9' })
    expect(opened).toHaveLength(1)
  })

  it('quitting closes the app and the stand-in, and exits once', async () => {
    const standIn = host.demo?.sandbox().url ?? ''
    electron.app.quit()
    await vi.waitFor(() => expect(electron.app.exits).toEqual([0]), { timeout: 5_000 })
    await expect(fetch(`${standIn}/oauth/authorize/`)).rejects.toThrow()
    expect(snapshot(realDir)).toEqual(realFiles)
  })
})
