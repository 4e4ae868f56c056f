// The Electron host's wiring, in plain Node with a mocked 'electron': the page is served on larder://, the app is
// built through the one factory, its events reach the window, the tray and notifications follow the libraries,
// failures reach the log file, and quitting clears the clipboard and waits for a refresh in flight to be written
// before the process exits.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { callChannel, eventChannel } from '../../../src/shared/names.ts'
import { startSandbox, type Sandbox } from '../../sandbox/index.ts'
import { checkEvent, checkResult } from '../../support/contract-check.ts'
import type { FakeElectron, FakeWebContents } from '../../support/fake-electron.ts'
import { durableContent } from '../../support/vault-files.ts'

vi.mock('electron', async () => (await import('../../support/fake-electron.ts')).fakeElectron)
// electron-store is conf plus Electron's paths; conf writes the same file.
vi.mock('electron-store', async () => (await import('../../support/fake-electron-store.ts')).fakeElectronStoreModule())

const electron = (await import('electron')) as unknown as FakeElectron
const { startElectronHost } = await import('../../../src/main/electron/host.ts')

// The page the window loads, as the host's own-URL check knows it.
const OWN_PAGE = 'larder://app/index.html'
const PASSPHRASE = 'a passphrase for the host test'

let sandbox: Sandbox
let userData: string
let host: Awaited<ReturnType<typeof startElectronHost>>

async function call(name: Parameters<typeof callChannel>[0], input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { message: string } }> {
  const result = (await (host.window.webContents as unknown as FakeWebContents).invoke(callChannel(name), input, OWN_PAGE)) as { ok: boolean; value?: unknown; error?: { message: string } }
  checkResult(name as never, result)
  return result
}

function eventsSent(name: string): unknown[] {
  const webContents = host.window.webContents as unknown as FakeWebContents
  return webContents.sent.filter((event) => event.channel === eventChannel(name)).map((event) => event.payload)
}

beforeAll(async () => {
  sandbox = await startSandbox({ admin: true })
  userData = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-electron-host-'))
  electron.app.setPath('userData', userData)
  host = await startElectronHost()
})

afterAll(async () => {
  await host?.app.close()
  await sandbox?.close()
  fs.rmSync(userData, { recursive: true, force: true })
})

describe('the Electron host', () => {
  it('serves the page on larder://app (registered before ready), never from file://, and keeps the dev menu unpackaged', async () => {
    expect(electron.protocol.privilegedBeforeReady).toBe(true)
    expect(electron.protocol.privileged.map((scheme) => scheme.scheme)).toEqual(['larder'])
    expect(electron.protocol.handlers.has('larder')).toBe(true)
    const window = electron.BrowserWindow.all[0]!
    expect(window.loaded).toEqual([OWN_PAGE])
    const refused = await (host.window.webContents as unknown as FakeWebContents).invoke(
      callChannel('vault.state'),
      {},
      `file://${path.resolve('out/renderer/index.html')}`
    )
    expect(refused).toMatchObject({ ok: false, error: { kind: 'internal' } })
    expect(electron.Menu.application).toBeUndefined()
  })

  it('builds the app through the one factory: locked without a keychain, opened by the bridge, states pushed to the window', async () => {
    expect(eventsSent('vault.state').at(-1)).toEqual({ state: 'locked', mode: 'create' })
    // Until the vault opens the tray says it is locked and that nothing is refreshed, not "No libraries yet".
    const tray = electron.Tray.all[0]!
    expect(tray.tooltip).toBe('Larder — locked, no token is refreshed')
    expect(tray.menu[0]).toMatchObject({ label: 'Locked: open Larder to unlock it. No token is refreshed until then.', enabled: false })
    expect(await call('vault.unlock', { passphrase: PASSPHRASE })).toMatchObject({ ok: true, value: { state: 'open', cipher: 'passphrase' } })
    expect(eventsSent('vault.state').at(-1)).toEqual({ state: 'open', cipher: 'passphrase' })
    expect(tray.tooltip).not.toMatch(/locked/)
    expect(tray.menu[0]).toMatchObject({ label: 'No libraries yet' })
    expect(fs.existsSync(path.join(userData, 'vault.json'))).toBe(true)
  })

  it('answers the estate’s file pickers with the system’s dialogs, modal to the window', async () => {
    electron.dialog.nextPath = '/home/pat/Documents/larder-backup.age'
    const chosen = await call('files.choose', { purpose: 'backup', mode: 'save', suggestedName: 'larder-backup.age', filters: [{ name: 'Backups', extensions: ['age'] }] })
    expect(chosen).toEqual({ ok: true, value: { path: '/home/pat/Documents/larder-backup.age' } })
    expect(electron.dialog.asked.at(-1)).toMatchObject({ kind: 'save', parent: host.window, options: { title: 'Save an encrypted backup' } })
    electron.dialog.nextPath = null
    expect(await call('files.choose', { purpose: 'import', mode: 'open' })).toEqual({ ok: true, value: { cancelled: true } })
    expect(electron.dialog.asked.at(-1)).toMatchObject({ kind: 'open', parent: host.window })
  })

  it('pushes every library change to the window as a view, and the tray follows', async () => {
    const fixture = sandbox.fixtures.libraries[0]!
    const { tokenType, name, clientId, clientSecret, accessToken, refreshToken } = fixture
    const added = await call('libraries.add', { tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: sandbox.url })
    expect(added).toMatchObject({ ok: true, value: { name, status: 'healthy' } })
    await vi.waitFor(() => expect((eventsSent('library.changed') as Array<{ name: string }>).map((view) => view.name)).toContain(name))
    const changed = eventsSent('library.changed') as Array<{ name: string }>
    for (const payload of changed) checkEvent('library.changed', payload)
    const tray = electron.Tray.all[0]!
    // The tray's summary is rebuilt at most once a second: the change shows within that.
    await vi.waitFor(() => expect(tray.tooltip).toBe("Larder — the library is healthy"), { timeout: 3_000 })
    // Nothing the window or the tray got carries a secret.
    const shown = JSON.stringify([(host.window.webContents as unknown as FakeWebContents).sent, tray.tooltip, tray.menu])
    for (const secret of [clientSecret, accessToken, refreshToken]) expect(shown).not.toContain(secret)
  })

  it('a failed refresh reaches the window and a desktop notification', async () => {
    const [library] = ((await call('libraries.list', {})).value as Array<{ id: string; name: string }>)
    sandbox.faults.inject({ route: 'token', kind: 'status', status: 503, times: 1 })
    const refreshed = await call('libraries.refresh', { id: library!.id })
    expect(refreshed.ok).toBe(false)
    // The projection sends at most one batch a frame while changes come: the failure follows 'refreshing' within one.
    await vi.waitFor(() => {
      const last = (eventsSent('library.changed') as Array<{ id: string; status: string }>).filter((view) => view.id === library!.id).at(-1)
      expect(last?.status).toBe('error')
    })
    expect(electron.Notification.shown.map((notice) => notice.title).join('\n')).toContain(library!.name)
  })

  it('a failed call is in the log file, by call and kind, with nothing secret', async () => {
    const log = fs.readFileSync(path.join(userData, 'logs', 'larder.log'), 'utf8')
    expect(log).toMatch(/ WARN call failed \{"call":"libraries\.refresh","kind":"api","error":"ApiError","apiKind":"server_error"/)
    const { clientSecret, accessToken, refreshToken } = sandbox.fixtures.libraries[0]!
    for (const secret of [clientSecret, accessToken, refreshToken, PASSPHRASE]) expect(log).not.toContain(secret)
  })

  it('quitting clears the copied token, waits for a refresh in flight to be written, then exits once', async () => {
    const [library] = ((await call('libraries.list', {})).value as Array<{ id: string }>)
    const id = library!.id
    // A token on the clipboard, as after "Copy token".
    expect(await call('libraries.copy', { id, format: 'token' })).toMatchObject({ ok: true })
    expect(electron.clipboard.text).not.toBe('')
    sandbox.faults.inject({ route: 'token', kind: 'latency', ms: 400, times: 1 })
    let refreshedAt = 0
    const refresh = call('libraries.refresh', { id }).then((result) => {
      refreshedAt = performance.now()
      return result
    })
    await new Promise((resolve) => setTimeout(resolve, 50))
    // What the process leaves behind at the moment it ends (Electron's 'will-quit', or app.exit()).
    let ended: { at: number; clipboard: string; durable: { tokenPreview: string; lastRefreshedAt: number | null } } | null = null
    const end = (): void => {
      const { tokenPreview, lastRefreshedAt } = durableContent(path.join(userData, 'vault.json')).libraries[id]!.meta
      ended ??= { at: performance.now(), clipboard: electron.clipboard.text, durable: { tokenPreview, lastRefreshedAt } }
    }
    electron.app.on('will-quit', end)
    electron.app.on('fake-exit', end)
    electron.app.quit()
    // The quit is held back: the refresh is still waiting for Apicbase.
    expect(ended).toBeNull()
    const refreshed = await refresh
    expect(refreshed).toMatchObject({ ok: true, value: { status: 'healthy' } })
    await vi.waitFor(() => expect(ended).not.toBeNull(), { timeout: 5_000 })
    const view = refreshed.value as { tokenPreview: string; lastRefreshedAt: number }
    // The copied token was gone from the clipboard, and the rotation durable in the vault, when the process ended.
    expect(ended!.clipboard).toBe('')
    expect(ended!.durable).toEqual({ tokenPreview: view.tokenPreview, lastRefreshedAt: view.lastRefreshedAt })
    expect(ended!.at).toBeGreaterThanOrEqual(refreshedAt)
    // One way out: the person's quit, held, then exactly one exit; no second quit.
    expect(electron.app.quits).toBe(1)
    expect(electron.app.exits).toEqual([0])
    // The tray is gone with the app.
    expect(electron.Tray.all[0]!.destroyed).toBe(true)
  })
})
