// The desktop app on a data folder another Larder already serves (an agent, say): it takes the folder's lock right
// after Electron is ready, and held, it says who holds it in an error box and exits 10, before any window or vault.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { takeDataFolder, type DataFolderLock } from '../../../src/main/endpoint/lock.ts'
import type { FakeElectron } from '../../support/fake-electron.ts'

vi.mock('electron', async () => (await import('../../support/fake-electron.ts')).fakeElectron)
vi.mock('electron-store', async () => (await import('../../support/fake-electron-store.ts')).fakeElectronStoreModule())

const electron = (await import('electron')) as unknown as FakeElectron
const { startElectronHost } = await import('../../../src/main/electron/host.ts')

let userData: string
let agent: DataFolderLock

beforeAll(async () => {
  userData = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-held-'))
  agent = await takeDataFolder({ dataDir: userData, holder: () => ({ host: 'agent', pid: 4242, version: '1.0.0', vault: 'open' }) })
  electron.app.setPath('userData', userData)
})

afterAll(async () => {
  await agent.close()
  fs.rmSync(userData, { recursive: true, force: true })
})

describe('the desktop app on a data folder an agent holds', () => {
  it('shows who holds it, exits 10, and opens no window and no vault', async () => {
    let settled = false
    void startElectronHost([]).finally(() => (settled = true))
    await vi.waitFor(() => expect(electron.app.exits).toEqual([10]), { timeout: 10_000 })
    expect(electron.dialog.errors).toHaveLength(1)
    expect(electron.dialog.errors[0]?.title).toBe('Larder is already running on this data folder')
    expect(electron.dialog.errors[0]?.content).toMatch(/^A Larder agent is already running on .*larder-held-.* \(pid 4242, since \d\d:\d\d\)\. One data folder has one refresher: quit it first\.$/)
    expect(electron.BrowserWindow.all).toEqual([])
    expect(fs.existsSync(path.join(userData, 'vault.json'))).toBe(false)
    // The host goes no further while the process ends.
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(settled).toBe(false)
  })
})
