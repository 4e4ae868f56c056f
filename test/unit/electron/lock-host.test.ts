// The app lock as the Electron host wires it (a mocked 'electron'): the tray's "Lock now", the screen locking and the
// computer going to sleep lock Larder (each a setting); locked, the window is sent nothing but where Larder stands and
// the tray lists nothing but "Unlock Larder…" (which brings the window) and Quit. The adapters: Touch ID on a Mac only
// (systemPreferences), the system's idle time (powerMonitor), 0 where the system cannot say.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { callChannel, eventChannel } from '../../../src/shared/names.ts'
import { checkResult } from '../../support/contract-check.ts'
import type { FakeElectron, FakeWebContents } from '../../support/fake-electron.ts'

vi.mock('electron', async () => {
  const { fakeElectron } = await import('../../support/fake-electron.ts')
  // What the lock's adapters ask of Electron, scripted per test below.
  const systemPreferences = { canPromptTouchID: vi.fn(() => true), promptTouchID: vi.fn(async (_reason: string) => undefined) }
  Object.assign(fakeElectron.powerMonitor, { getSystemIdleTime: vi.fn(() => 0) })
  return { ...fakeElectron, systemPreferences }
})
vi.mock('electron-store', async () => (await import('../../support/fake-electron-store.ts')).fakeElectronStoreModule())

const electron = (await import('electron')) as unknown as FakeElectron & {
  systemPreferences: { canPromptTouchID: ReturnType<typeof vi.fn>; promptTouchID: ReturnType<typeof vi.fn> }
  powerMonitor: { getSystemIdleTime: ReturnType<typeof vi.fn> }
}
const { startElectronHost } = await import('../../../src/main/electron/host.ts')
const { createIdleTime, createPresence } = await import('../../../src/main/electron/lock-adapters.ts')

const OWN_PAGE = 'larder://app/index.html'
const PASSPHRASE = 'a passphrase for the lock test'
let userData: string
let host: Awaited<ReturnType<typeof startElectronHost>>

interface Item {
  readonly label?: string
  readonly click?: () => void
  readonly submenu?: readonly Item[]
}

async function call(name: Parameters<typeof callChannel>[0], input: unknown): Promise<{ ok: boolean; value?: unknown; error?: unknown }> {
  const result = (await (host.window.webContents as unknown as FakeWebContents).invoke(callChannel(name), input, OWN_PAGE)) as { ok: boolean; value?: unknown }
  checkResult(name as never, result)
  return result
}

function sent(): { channel: string; payload: unknown }[] {
  return (host.window.webContents as unknown as FakeWebContents).sent
}

function trayLabels(): string[] {
  const tray = electron.Tray.all.at(-1)!
  return (tray.menu as readonly Item[]).map((item) => item.label ?? '---')
}

function clickTray(label: string): void {
  const tray = electron.Tray.all.at(-1)!
  const item = (tray.menu as readonly Item[]).find((one) => one.label === label)
  if (item?.click === undefined) throw new Error(`no tray item ${label}: ${trayLabels().join(', ')}`)
  item.click()
}

beforeAll(async () => {
  userData = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-lock-host-'))
  electron.app.setPath('userData', userData)
  host = await startElectronHost([])
  expect(await call('vault.unlock', { passphrase: PASSPHRASE })).toMatchObject({ ok: true })
}, 30_000)

afterAll(async () => {
  await host?.app.close()
  fs.rmSync(userData, { recursive: true, force: true })
})

describe('the app lock in the desktop app', () => {
  it('"Lock now" in the tray locks; the window hears only where Larder stands; "Unlock Larder…" brings the window', async () => {
    await vi.waitFor(() => expect(trayLabels()).toContain('Lock now'))
    const window = electron.BrowserWindow.all[0]!
    window.hide()
    const before = sent().length
    clickTray('Lock now')
    await vi.waitFor(() => expect(host.app.lock?.guarded()).toBe(true))
    expect(sent().slice(before).map((event) => event.channel)).toEqual([eventChannel('vault.state')])
    expect(sent().at(-1)?.payload).toMatchObject({ state: 'guarded', reason: 'now' })
    expect(trayLabels()).toEqual(['Locked: tokens are still refreshed. Unlock Larder to see or copy them.', '---', 'Unlock Larder…', 'Quit Larder'])
    expect(await call('libraries.list', {})).toMatchObject({ ok: false, error: { kind: 'locked' } })
    clickTray('Unlock Larder…')
    expect(window.visible).toBe(true)
    expect(await call('lock.unlock', { passphrase: PASSPHRASE })).toMatchObject({ ok: true, value: { state: 'open' } })
    await vi.waitFor(() => expect(trayLabels()).toContain('Lock now'))
  })

  it('locks when the screen locks and when the computer sleeps, unless turned off in Settings', async () => {
    electron.powerMonitor.emit('lock-screen')
    expect(host.app.lock?.view()).toMatchObject({ state: 'guarded', reason: 'screen' })
    await call('lock.unlock', { passphrase: PASSPHRASE })
    electron.powerMonitor.emit('suspend')
    expect(host.app.lock?.view()).toMatchObject({ state: 'guarded', reason: 'suspend' })
    await call('lock.unlock', { passphrase: PASSPHRASE })
    expect(await call('settings.update', { lock: { onScreenLock: false, onSuspend: false } })).toMatchObject({ ok: true })
    electron.powerMonitor.emit('lock-screen')
    electron.powerMonitor.emit('suspend')
    expect(host.app.lock?.guarded()).toBe(false)
  })
})

describe('the lock adapters', () => {
  it('Touch ID on a Mac: offered while the system can prompt, confirmed or not by the person', async () => {
    expect(createPresence('linux')).toBeNull()
    expect(createPresence('win32')).toBeNull()
    const presence = createPresence('darwin')!
    expect(presence.kind).toBe('touch_id')
    expect(presence.available()).toBe(true)
    electron.systemPreferences.canPromptTouchID.mockReturnValueOnce(false)
    expect(presence.available()).toBe(false)
    expect(await presence.confirm('unlock Larder')).toBe(true)
    expect(electron.systemPreferences.promptTouchID).toHaveBeenLastCalledWith('unlock Larder')
    electron.systemPreferences.promptTouchID.mockRejectedValueOnce(new Error('cancelled'))
    expect(await presence.confirm('unlock Larder')).toBe(false)
  })

  it("the system's idle time in seconds; 0 where the system cannot say", () => {
    const idle = createIdleTime()
    electron.powerMonitor.getSystemIdleTime.mockReturnValueOnce(125)
    expect(idle.seconds()).toBe(125)
    electron.powerMonitor.getSystemIdleTime.mockReturnValueOnce(-1)
    expect(idle.seconds()).toBe(0)
    electron.powerMonitor.getSystemIdleTime.mockImplementationOnce(() => {
      throw new Error('no idle support')
    })
    expect(idle.seconds()).toBe(0)
  })
})
