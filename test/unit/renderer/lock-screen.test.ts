// @vitest-environment happy-dom
// The app lock's screen in the window (issue 17 item 5): while Larder is 'guarded' the window shows only the lock
// screen (no list, no pane, no dialog, no toast) and the store drops what it held of libraries and keys; it says since
// when and why, that refreshes go on, and takes the passphrase (or the OS prompt where there is one). Unlocked, the list
// is read afresh: nothing from before the lock comes back.
import { afterEach, describe, expect, it } from 'vitest'
import { formatExact } from '../../../src/renderer/src/lib/time.ts'
import type { AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { serviceTokenKey } from './key-fixtures.ts'
import { description, guarded, ok, pageHtml, refused, showApp } from './lock-fixtures.ts'
import { settle, type Rendered } from './render.ts'
import { field, focused, type } from './typing.ts'

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

async function show(bridge: FakeBridge): Promise<{ store: AppStore; view: Rendered }> {
  const result = await showApp(bridge)
  shown = result.view
  return result
}

function lockedBridge(overrides: Parameters<typeof guarded>[0] = {}): FakeBridge {
  const bridge = new FakeBridge()
  bridge.libraries = [library({ id: 'nord', name: 'Brasserie Nord' })]
  bridge.vault = guarded(overrides)
  return bridge
}

const heading = (view: Rendered): string[] => view.all('h2').map((element) => element.textContent.trim())

describe('the lock screen', () => {
  it('is all the window shows while Larder is guarded: no list, no views, no library asked for', async () => {
    const bridge = lockedBridge()
    const { view } = await show(bridge)
    expect(heading(view)).toEqual(['Larder is locked'])
    expect(view.all('[role="grid"]')).toEqual([])
    expect(view.all('nav')).toEqual([])
    expect(view.all('button').map((button) => button.textContent.trim())).not.toContain('Add library')
    expect(pageHtml()).not.toContain('Brasserie Nord')
    expect(bridge.calls.map((call) => call.name).filter((name) => name.startsWith('libraries.') || name.startsWith('keys.'))).toEqual([])
    expect(view.root.textContent).toMatch(/Tokens go on being refreshed/)
  })

  it('has a password field with the focus, no autocomplete, and an Unlock button', async () => {
    const { view } = await show(lockedBridge())
    const passphrase = field(view, 'Passphrase')
    expect(passphrase.getAttribute('type')).toBe('password')
    expect(passphrase.getAttribute('autocomplete')).toBe('off')
    expect(focused()).toBe(passphrase)
    expect(view.button('Unlock')).toBeDefined()
  })

  it('asks for the lock passphrase where the keychain seals the vault', async () => {
    const { view } = await show(lockedBridge({ cipher: 'keychain' }))
    expect(field(view, 'Lock passphrase').getAttribute('type')).toBe('password')
  })

  it.each([
    ['now', /You locked Larder/],
    ['idle', /no input on this computer/],
    ['screen', /the screen locked/],
    ['suspend', /the computer went to sleep/],
    ['start', /Larder starts locked/]
  ] as const)('says since when and why (%s)', async (reason, words) => {
    const since = Date.now() - 12 * 60_000
    const { view } = await show(lockedBridge({ reason, since }))
    expect(view.root.textContent).toMatch(words)
    expect(view.root.textContent).toContain(formatExact(since))
    expect(view.root.textContent).toMatch(/12 min ago/)
  })

  it('says a copy asked from the tray waits for the unlock', async () => {
    const { view } = await show(lockedBridge({ waiting: 'copy' }))
    expect(view.root.textContent).toMatch(/copy you asked for from the tray is done once you unlock/i)
  })

  it('a wrong passphrase is said at the field; after too many, Unlock waits until Larder checks again', async () => {
    const bridge = lockedBridge()
    bridge.answers['lock.unlock'] = () => refused('passphrase', 'That passphrase does not unlock Larder.')
    const { view } = await show(bridge)
    const passphrase = field(view, 'Passphrase')
    await type(passphrase, 'not it')
    await view.click(view.button('Unlock'))
    expect(bridge.inputsOf('lock.unlock')).toEqual([{ passphrase: 'not it' }])
    expect(passphrase.getAttribute('aria-invalid')).toBe('true')
    expect(description(view, passphrase)).toContain('That passphrase does not unlock Larder.')

    bridge.emit('vault.state', guarded({ failures: 5, retryAt: Date.now() + 1_500 }))
    await settle()
    expect(view.root.textContent).toMatch(/5 wrong passphrases/)
    expect(view.root.textContent).toMatch(/try again in [12] s/)
    expect(view.button('Unlock').hasAttribute('disabled')).toBe(true)
    await settle(1_700)
    expect(view.button('Unlock').hasAttribute('disabled')).toBe(false)
  })

  it('offers Touch ID where Larder says it unlocks, and says when it did not confirm', async () => {
    const bridge = lockedBridge({ unlockWith: ['presence', 'passphrase'] })
    bridge.answers['lock.unlock'] = () => refused('presence', 'Touch ID did not confirm it was you: use the passphrase.')
    const { view } = await show(bridge)
    await view.click(view.button('Unlock with Touch ID'))
    expect(bridge.inputsOf('lock.unlock')).toEqual([{ presence: true }])
    expect(view.all('[role="alert"]').map((element) => element.textContent)).toContain('Touch ID did not confirm it was you: use the passphrase.')
  })

  it('offers no OS prompt where there is none', async () => {
    const { view } = await show(lockedBridge())
    expect(view.all('button').map((button) => button.textContent.trim())).not.toContain('Unlock with Touch ID')
  })
})

describe('locking and unlocking the window', () => {
  it('drops every library, key, selection, dialog and message when Larder locks; reads all afresh once unlocked', async () => {
    const bridge = new FakeBridge()
    bridge.vault = { state: 'open', cipher: 'passphrase' }
    bridge.libraries = [library({ id: 'nord', name: 'Brasserie Nord', customer: 'Bistro Nord' }), library({ id: 'zuid', name: 'Café Zuid' })]
    const key = serviceTokenKey({ name: 'Platform sync' })
    bridge.answers['keys.list'] = () => ok({ keys: [key] })
    const { store, view } = await show(bridge)
    expect(view.root.textContent).toContain('Brasserie Nord')
    expect(view.root.textContent).toContain('Platform sync')
    store.getState().select('nord')
    store.getState().setCustomerFilter('Bistro Nord')
    store.getState().openAdd()
    store.getState().pushToast('success', 'Copied the token of Brasserie Nord.')
    // What the Import & backup view held: an import's report (names) and the schedule's folder.
    store.setState({
      imports: { ...store.getState().imports, phase: 'checked', path: '/home/pat/customers.csv' },
      backupSchedule: { enabled: true, folder: '/home/pat/larder-backups' } as never
    })
    await settle()
    expect(pageHtml()).toContain('Brasserie Nord')

    bridge.emit('vault.state', guarded())
    await settle()
    expect(heading(view)).toEqual(['Larder is locked'])
    expect(pageHtml()).not.toContain('Brasserie Nord')
    expect(pageHtml()).not.toContain('Platform sync')
    expect(pageHtml()).not.toContain('<dialog')
    const state = store.getState()
    expect({ ids: state.ids, byId: state.byId, keyIds: state.keyIds, keysById: state.keysById, detail: state.detail, selectedId: state.selectedId }).toEqual({
      ids: [],
      byId: {},
      keyIds: [],
      keysById: {},
      detail: null,
      selectedId: null
    })
    expect(state.addOpen).toBe(false)
    expect(state.toasts).toEqual([])
    expect(state.customerFilter).toBeNull()
    expect(state.imports).toMatchObject({ phase: 'idle', path: '', report: null })
    expect(state.backupSchedule).toBeNull()

    // While locked, a library was renamed and another added: the window shows what Larder holds now, nothing older.
    bridge.libraries = [library({ id: 'nord', name: 'Brasserie Noord' }), library({ id: 'haven', name: 'Grill Haven' })]
    bridge.answers['lock.unlock'] = () => ok({ state: 'open', cipher: 'passphrase' })
    await type(field(view, 'Passphrase'), 'the right one')
    await view.click(view.button('Unlock'))
    await settle(150)
    expect(view.all('[role="grid"]')).toHaveLength(1)
    expect(view.root.textContent).toContain('Grill Haven')
    expect(view.root.textContent).toContain('Brasserie Noord')
    expect(view.root.textContent).not.toContain('Café Zuid')
    expect(pageHtml()).not.toContain('Brasserie Nord')
    expect(bridge.inputsOf('keys.list')).toHaveLength(2)
  })

  it('drops the same when Larder forgets the key (the vault locked): the vault screen asks for the passphrase', async () => {
    const bridge = new FakeBridge()
    bridge.vault = { state: 'open', cipher: 'passphrase' }
    bridge.libraries = [library({ id: 'nord', name: 'Brasserie Nord' })]
    const { store, view } = await show(bridge)
    bridge.emit('vault.state', { state: 'locked', mode: 'unlock' })
    await settle()
    expect(heading(view)).toEqual(['Larder is locked'])
    expect(view.root.textContent).toMatch(/no token is refreshed/i)
    expect(pageHtml()).not.toContain('Brasserie Nord')
    expect(store.getState().ids).toEqual([])
  })
})
