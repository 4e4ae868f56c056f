// The Electron entry (src/main/index.ts) with a fake 'electron' and the host stubbed out: what it does before the
// host starts. A packaged build must not let an environment variable move its data folder.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FakeElectron } from '../../support/fake-electron.ts'

vi.mock('electron', async () => (await import('../../support/fake-electron.ts')).fakeElectron)
vi.mock('../../../src/main/electron/host.ts', () => ({ startElectronHost: () => new Promise(() => undefined) }))

const electron = (await import('electron')) as unknown as FakeElectron
const REAL = '/home/someone/.config/larder'

beforeEach(() => {
  vi.resetModules()
  electron.app.setPath('userData', REAL)
  vi.stubEnv('LARDER_USER_DATA', '/tmp/another-vault')
})
afterEach(() => {
  electron.app.packaged = false
  vi.unstubAllEnvs()
})

describe('the Electron entry', () => {
  it('uses LARDER_USER_DATA in a development run', async () => {
    await import('../../../src/main/index.ts')
    expect(electron.app.getPath('userData')).toBe('/tmp/another-vault')
  })

  it('ignores LARDER_USER_DATA in a packaged build', async () => {
    electron.app.packaged = true
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    await import('../../../src/main/index.ts')
    expect(electron.app.getPath('userData')).toBe(REAL)
    warn.mockRestore()
  })
})
