// What a packaged build turns off, with a fake 'electron': Electron's default menu (DevTools, reload) and the
// LARDER_USER_DATA test profile. A development run keeps both.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FakeElectron } from '../../support/fake-electron.ts'

vi.mock('electron', async () => (await import('../../support/fake-electron.ts')).fakeElectron)

const electron = (await import('electron')) as unknown as FakeElectron
const { applyUserDataOverride, useApplicationMenu } = await import('../../../src/main/electron/packaged-build.ts')

beforeEach(() => {
  electron.Menu.application = undefined
  electron.app.setPath('userData', '/home/someone/.config/larder')
})
afterEach(() => {
  electron.app.packaged = false
})

describe('the application menu', () => {
  it('is left as Electron makes it while developing', () => {
    useApplicationMenu('linux')
    expect(electron.Menu.application).toBeUndefined()
  })

  it.each(['linux', 'win32'])('is gone in a packaged build on %s', (platform) => {
    electron.app.packaged = true
    useApplicationMenu(platform)
    expect(electron.Menu.application).toBeNull()
  })

  it('on macOS keeps only the app, Edit and Window menus (Cmd+V reaches a field through the Edit menu), no DevTools or reload', () => {
    electron.app.packaged = true
    useApplicationMenu('darwin')
    const template = electron.Menu.application?.template ?? []
    expect(template.map((item) => item.role)).toEqual(['appMenu', 'editMenu', 'windowMenu'])
    expect(JSON.stringify(template)).not.toMatch(/devtools|reload|viewMenu/i)
  })
})

describe('LARDER_USER_DATA', () => {
  it('moves the data folder of a development run (the end-to-end tests use a throwaway profile)', () => {
    expect(applyUserDataOverride({ LARDER_USER_DATA: '/tmp/larder-test' })).toBe('applied')
    expect(electron.app.getPath('userData')).toBe('/tmp/larder-test')
  })

  it('is ignored by a packaged build: an environment variable must not point the real app at another vault', () => {
    electron.app.packaged = true
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    expect(applyUserDataOverride({ LARDER_USER_DATA: '/tmp/elsewhere' })).toBe('ignored')
    expect(electron.app.getPath('userData')).toBe('/home/someone/.config/larder')
    expect(warn).toHaveBeenCalledWith('LARDER_USER_DATA is ignored: this is a packaged build')
    warn.mockRestore()
  })

  it('changes nothing when it is not set', () => {
    expect(applyUserDataOverride({})).toBe('none')
    expect(electron.app.getPath('userData')).toBe('/home/someone/.config/larder')
  })
})
