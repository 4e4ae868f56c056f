// A terminal asks the desktop app for a token (issue 14, item 3), through the Electron host with a mocked 'electron'
// and a real endpoint on the data folder: the window comes forward, a notification names what asked, the window is
// told (terminal.requested); the person's answer over the bridge lets the call through or refuses it, and the
// notification goes once the request is settled. Quitting closes the endpoint before the app.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { callEndpoint } from '../../../src/main/endpoint/client.ts'
import { endpointFor } from '../../../src/main/endpoint/paths.ts'
import { callChannel, eventChannel } from '../../../src/shared/names.ts'
import type { ClientFacts } from '../../../src/shared/terminal-words.ts'
import { checkEvent, checkResult } from '../../support/contract-check.ts'
import type { FakeElectron, FakeWebContents } from '../../support/fake-electron.ts'

vi.mock('electron', async () => (await import('../../support/fake-electron.ts')).fakeElectron)
vi.mock('electron-store', async () => (await import('../../support/fake-electron-store.ts')).fakeElectronStoreModule())

const electron = (await import('electron')) as unknown as FakeElectron
const { startElectronHost } = await import('../../../src/main/electron/host.ts')

const OWN_PAGE = 'larder://app/index.html'
let userData: string
let host: Awaited<ReturnType<typeof startElectronHost>>

const facts = (session: string, tty: string): ClientFacts => ({ pid: 5151, ppid: 4100, session, tty, cwd: '/home/someone/project', command: 'ls' })

async function call(name: Parameters<typeof callChannel>[0], input: unknown): Promise<{ ok: boolean; value?: unknown }> {
  const result = (await (host.window.webContents as unknown as FakeWebContents).invoke(callChannel(name), input, OWN_PAGE)) as { ok: boolean; value?: unknown }
  checkResult(name as never, result)
  return result
}

function eventsSent(name: string): unknown[] {
  return (host.window.webContents as unknown as FakeWebContents).sent.filter((event) => event.channel === eventChannel(name)).map((event) => event.payload)
}

beforeAll(async () => {
  userData = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-terminal-prompt-'))
  electron.app.setPath('userData', userData)
  host = await startElectronHost([])
  expect(await call('vault.unlock', { passphrase: 'a passphrase for the prompt test' })).toMatchObject({ ok: true })
}, 30_000)

afterAll(async () => {
  await host?.app.close()
  fs.rmSync(userData, { recursive: true, force: true })
})

describe('a terminal asks the desktop app', () => {
  it('the window comes forward with a notification naming what asked; Allow over the bridge lets the call through and closes it', async () => {
    const window = electron.BrowserWindow.all[0]!
    window.hide()
    const pending: string[] = []
    const asked = callEndpoint({ dataDir: userData, client: facts('linux:sid=1;tty=9;start=1', 'pts/9'), name: 'ls', input: {}, onPending: (line) => pending.push(line) })
    await vi.waitFor(() => expect(electron.Notification.shown).toHaveLength(1))
    expect(electron.Notification.shown[0]).toEqual({ title: 'Larder', body: 'A terminal asks for a token: larder ls from pts/9, shell pid 4100. Allow or deny it in Larder.' })
    expect(window.visible).toBe(true)
    const [request] = eventsSent('terminal.requested') as Array<{ requestId: string; command: string; tty: string; cwd: string; pid: number }>
    checkEvent('terminal.requested', request)
    expect(request).toMatchObject({ command: 'ls', tty: 'pts/9', cwd: '/home/someone/project', pid: 5151 })
    expect(pending).toEqual(['Waiting for approval in Larder (window and notification)'])
    const notification = electron.Notification.all.at(-1)!
    expect(notification.closed).toBe(false)

    expect(await call('terminal.approve', { requestId: request!.requestId })).toMatchObject({ ok: true, value: { label: 'pts/9, shell pid 4100' } })
    expect(notification.closed).toBe(true)
    const { result } = await asked
    expect(result).toEqual({ ok: true, value: { libraries: [] } })
    expect(await call('terminal.sessions', {})).toMatchObject({ ok: true, value: { sessions: [{ label: 'pts/9, shell pid 4100' }], pending: [] } })
  })

  it('a click on the notification brings the window; Deny refuses the call and closes it', async () => {
    const window = electron.BrowserWindow.all[0]!
    const asked = callEndpoint({ dataDir: userData, client: facts('linux:sid=2;tty=10;start=1', 'pts/10'), name: 'ls', input: {} })
    await vi.waitFor(() => expect(electron.Notification.shown).toHaveLength(2))
    const notification = electron.Notification.all.at(-1)!
    window.hide()
    notification.emit('click')
    expect(window.visible).toBe(true)
    const request = (eventsSent('terminal.requested') as Array<{ requestId: string }>).at(-1)!
    expect(await call('terminal.deny', { requestId: request.requestId })).toEqual({ ok: true, value: { denied: true } })
    expect(notification.closed).toBe(true)
    const { result } = await asked
    expect(result).toMatchObject({ ok: false, error: { kind: 'not_approved' } })
  })

  it('quitting closes the endpoint (the folder is free) and exits once', async () => {
    const socket = endpointFor(userData).socket
    expect(fs.existsSync(socket)).toBe(true)
    electron.app.quit()
    await vi.waitFor(() => expect(electron.app.exits).toEqual([0]), { timeout: 5_000 })
    expect(fs.existsSync(socket)).toBe(false)
    await expect(callEndpoint({ dataDir: userData, client: facts('linux:sid=3;tty=11;start=1', 'pts/11'), name: 'ls', input: {} })).rejects.toThrow()
  })
})
