// @vitest-environment happy-dom
// The app lock's settings in the window (issue 17 item 5): idle minutes (15 by default, 0 never), lock on screen lock,
// lock on suspend, saved with the other settings; and the lock passphrase of a keychain vault set or changed through
// 'lock.setPassphrase' (the one set now first); a passphrase vault's lock uses the vault's own passphrase.
import { afterEach, describe, expect, it } from 'vitest'
import type { LockInfoView, Settings } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler, SETTINGS } from './fake-bridge.ts'
import { description, lockInfo, ok, pageHtml, refused } from './lock-fixtures.ts'
import { component, render, settle, type Rendered } from './render.ts'
import { field, type } from './typing.ts'

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

const WITH_LOCK: Settings = { ...SETTINGS, lock: { idleMinutes: 15, onScreenLock: true, onSuspend: true } }

async function settingsPage(info: LockInfoView, stored: Settings = WITH_LOCK): Promise<{ view: Rendered; bridge: FakeBridge }> {
  const bridge = new FakeBridge()
  bridge.answers['settings.get'] = () => ok(stored)
  bridge.answers['settings.update'] = (patch) => ok({ ...stored, ...(patch as object) })
  bridge.answers['lock.info'] = () => ok(info)
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  shown = await render(store, await component('SettingsView'))
  await settle()
  return { view: shown, bridge }
}

const checkbox = (view: Rendered, label: string) => field(view, label) as unknown as { checked: boolean; click(): void }
const valueOf = (input: unknown): string => (input as { value: string }).value

describe('the lock settings', () => {
  it('shows idle minutes, screen lock and suspend as stored, and saves them with the other settings', async () => {
    const { view, bridge } = await settingsPage(lockInfo())
    const idle = field(view, 'Lock after this many idle minutes')
    expect(valueOf(idle)).toBe('15')
    expect(description(view, idle)).toMatch(/0: never/)
    expect(checkbox(view, 'Lock when the screen locks').checked).toBe(true)
    expect(checkbox(view, 'Lock when the computer goes to sleep').checked).toBe(true)

    await type(idle, '0')
    checkbox(view, 'Lock when the screen locks').click()
    await settle()
    await view.click(view.button('Save settings'))
    expect(bridge.inputsOf('settings.update')).toEqual([expect.objectContaining({ lock: { idleMinutes: 0, onScreenLock: false, onSuspend: true } })])
  })

  it('refuses idle minutes that are not a whole number from 0 to 1440, and sends nothing', async () => {
    const { view, bridge } = await settingsPage(lockInfo())
    const idle = field(view, 'Lock after this many idle minutes')
    for (const typed of ['-3', '2.5', 'soon', '1441']) {
      await type(idle, typed)
      await view.click(view.button('Save settings'))
      expect(description(view, idle)).toMatch(/whole number of minutes from 0 to 1440/)
    }
    expect(bridge.inputsOf('settings.update')).toEqual([])
  })

  it('says where the idle lock cannot work', async () => {
    const { view } = await settingsPage(lockInfo({ idle: 'none' }))
    expect(view.root.textContent).toMatch(/cannot tell how long this computer has been idle/)
  })

  it('a passphrase vault: the lock unlocks with the vault passphrase, nothing to set', async () => {
    const { view } = await settingsPage(lockInfo({ passphrase: 'vault' }))
    expect(view.root.textContent).toMatch(/unlocks with the vault.s passphrase/)
    expect(view.all('button').map((button) => button.textContent.trim())).not.toContain('Change the lock passphrase')
  })

  it('a keychain vault without one: sets a lock passphrase, typed twice', async () => {
    const { view, bridge } = await settingsPage(lockInfo({ passphrase: 'none', canForget: false }))
    bridge.answers['lock.setPassphrase'] = () => ok(lockInfo({ passphrase: 'lock', canForget: false }))
    expect(view.root.textContent).toMatch(/Lock now needs one/)
    await view.click(view.button('Set a lock passphrase'))
    expect(view.all('label').map((label) => label.textContent.trim())).not.toContain('Current lock passphrase')
    await type(field(view, 'New lock passphrase'), 'a long lock phrase')
    await type(field(view, 'Repeat the lock passphrase'), 'a long lock phrase')
    await view.click(view.button('Set the passphrase'))
    expect(bridge.inputsOf('lock.setPassphrase')).toEqual([{ passphrase: 'a long lock phrase' }])
    expect(view.all('dialog')).toEqual([])
    expect(view.all('button').map((button) => button.textContent.trim())).toContain('Change the lock passphrase')
    expect(pageHtml()).not.toContain('a long lock phrase')
  })

  it('a keychain vault with one: changing it asks for the one set now, and says at that field when it is wrong', async () => {
    const { view, bridge } = await settingsPage(lockInfo({ passphrase: 'lock', canForget: false }))
    bridge.answers['lock.setPassphrase'] = (input) =>
      (input as { current?: string }).current === 'the old phrase'
        ? ok(lockInfo({ passphrase: 'lock', canForget: false }))
        : refused('current', 'That passphrase does not unlock Larder.')
    await view.click(view.button('Change the lock passphrase'))
    const current = field(view, 'Current lock passphrase')
    await type(current, 'a wrong phrase')
    await type(field(view, 'New lock passphrase'), 'a new lock phrase')
    await type(field(view, 'Repeat the lock passphrase'), 'a new lock phrase')
    await view.click(view.button('Change the passphrase'))
    expect(description(view, current)).toContain('That passphrase does not unlock Larder.')
    await type(current, 'the old phrase')
    await view.click(view.button('Change the passphrase'))
    expect(bridge.inputsOf('lock.setPassphrase')).toEqual([
      { passphrase: 'a new lock phrase', current: 'a wrong phrase' },
      { passphrase: 'a new lock phrase', current: 'the old phrase' }
    ])
    expect(view.all('dialog')).toEqual([])
    expect(view.root.textContent).toMatch(/lock passphrase changed/i)
  })
})
