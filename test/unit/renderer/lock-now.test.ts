// @vitest-environment happy-dom
// "Lock now" in the window (issue 17 item 5): a button in the top bar and Ctrl/⌘+L call 'lock.now' and the window
// shows the lock screen; a keychain vault without a lock passphrase first asks for one (twice, with the rule) through
// 'lock.setPassphrase', then locks; "Lock and forget the key" is a second, warned choice where Larder offers it, and
// where it does not, the window says why.
import { afterEach, describe, expect, it } from 'vitest'
import type { VaultState } from '../../../src/shared/contract.ts'
import { FakeBridge } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { description, guarded, lockInfo, ok, pageHtml, pressCommand, refused, showApp } from './lock-fixtures.ts'
import { page, settle, type Rendered } from './render.ts'
import { field, type } from './typing.ts'

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

const NEEDS_PASSPHRASE = 'Choose a lock passphrase first: this vault is sealed by the system keychain, so the lock needs a passphrase of its own to unlock with.'
const LOCKED_NOTE = 'Larder is locked. Tokens go on being refreshed in the background; nothing is shown, copied or handed to a terminal until you unlock.'

function openBridge(cipher: 'keychain' | 'passphrase' = 'passphrase'): FakeBridge {
  const bridge = new FakeBridge()
  bridge.vault = { state: 'open', cipher }
  bridge.libraries = [library({ id: 'nord', name: 'Brasserie Nord' })]
  bridge.answers['lock.now'] = () => ok({ state: guarded({ cipher }), note: LOCKED_NOTE })
  return bridge
}

async function show(bridge: FakeBridge): Promise<Rendered> {
  shown = (await showApp(bridge)).view
  return shown
}

const titles = (view: Rendered): string[] => view.all('h2').map((element) => element.textContent.trim())
const dialog = (view: Rendered, title: string) => view.all('dialog').find((element) => element.querySelector('h2')?.textContent.trim() === title)

describe('Lock now', () => {
  it('is a button in the top bar: Larder locks and the window shows the lock screen only', async () => {
    const bridge = openBridge()
    const view = await show(bridge)
    const header = view.all('header')[0]
    expect([...(header?.querySelectorAll('button') ?? [])].map((button) => button.textContent.trim())).toContain('Lock now')
    await view.click(view.button('Lock now'))
    expect(bridge.inputsOf('lock.now')).toEqual([{}])
    expect(titles(view)).toEqual(['Larder is locked'])
    expect(pageHtml()).not.toContain('Brasserie Nord')
  })

  it('is Ctrl+L, and ⌘L, even in a text field', async () => {
    const bridge = openBridge()
    const view = await show(bridge)
    const search = view.all('input[type="search"]')[0]
    search?.focus()
    await pressCommand('l', { target: search })
    expect(bridge.inputsOf('lock.now')).toHaveLength(1)
    expect(titles(view)).toEqual(['Larder is locked'])

    bridge.emit('vault.state', { state: 'open', cipher: 'passphrase' })
    await settle(150)
    await pressCommand('l', { meta: true, target: page().body })
    expect(bridge.inputsOf('lock.now')).toHaveLength(2)
  })

  it('a plain "l" is only a letter', async () => {
    const bridge = openBridge()
    const view = await show(bridge)
    const { KeyboardEvent } = page().defaultView as unknown as { KeyboardEvent: new (type: string, init: object) => Event }
    page().body.dispatchEvent(new KeyboardEvent('keydown', { key: 'l', bubbles: true }) as never)
    expect(bridge.inputsOf('lock.now')).toEqual([])
    expect(view.all('[role="grid"]')).toHaveLength(1)
  })

  it('a keychain vault without a lock passphrase asks for one first (twice, at least 10 characters), sets it, then locks', async () => {
    const bridge = openBridge('keychain')
    let set = false
    bridge.answers['lock.now'] = () => (set ? ok({ state: guarded({ cipher: 'keychain' }), note: LOCKED_NOTE }) : refused('passphrase', NEEDS_PASSPHRASE))
    bridge.answers['lock.setPassphrase'] = () => {
      set = true
      return ok(lockInfo({ passphrase: 'lock', canForget: false }))
    }
    const view = await show(bridge)
    await view.click(view.button('Lock now'))
    const asking = dialog(view, 'Choose a lock passphrase')
    if (!asking) throw new Error(`no dialog in: ${view.root.textContent}`)
    expect(asking.textContent).toContain('sealed by the system keychain')
    expect(titles(view)).not.toContain('Larder is locked')

    const first = field(view, 'New lock passphrase')
    const repeat = field(view, 'Repeat the lock passphrase')
    expect(first.getAttribute('type')).toBe('password')
    await type(first, 'short')
    await type(repeat, 'short')
    await view.click(view.button('Set and lock'))
    expect(description(view, first)).toMatch(/at least 10 characters/)
    await type(first, 'a long lock phrase')
    await type(repeat, 'a long lock phrasE')
    await view.click(view.button('Set and lock'))
    expect(description(view, repeat)).toContain('The two passphrases are not the same.')
    expect(bridge.inputsOf('lock.setPassphrase')).toEqual([])

    await type(repeat, 'a long lock phrase')
    await view.click(view.button('Set and lock'))
    expect(bridge.inputsOf('lock.setPassphrase')).toEqual([{ passphrase: 'a long lock phrase' }])
    expect(bridge.inputsOf('lock.now')).toHaveLength(2)
    expect(titles(view)).toEqual(['Larder is locked'])
    expect(pageHtml()).not.toContain('a long lock phrase')
  })

  it('Cancel in that dialog leaves Larder unlocked', async () => {
    const bridge = openBridge('keychain')
    bridge.answers['lock.now'] = () => refused('passphrase', NEEDS_PASSPHRASE)
    const view = await show(bridge)
    await view.click(view.button('Lock now'))
    await view.click(view.button('Cancel'))
    expect(dialog(view, 'Choose a lock passphrase')).toBeUndefined()
    expect(view.all('[role="grid"]')).toHaveLength(1)
    expect(bridge.inputsOf('lock.setPassphrase')).toEqual([])
  })
})

describe('Lock and forget the key', () => {
  it('is offered with its warning where Larder can forget: refreshes stop until the vault is unlocked', async () => {
    const bridge = openBridge('passphrase')
    bridge.answers['lock.info'] = () => ok(lockInfo())
    const locked: VaultState = { state: 'locked', mode: 'unlock' }
    bridge.answers['lock.forget'] = () => ok({ state: locked, note: 'Larder closed the vault and forgot its key.' })
    const view = await show(bridge)
    await view.click(view.button('More ways to lock'))
    const choices = dialog(view, 'Lock Larder')
    if (!choices) throw new Error(`no dialog in: ${view.root.textContent}`)
    expect(choices.textContent).toMatch(/refreshes stop until you unlock/i)
    expect(choices.textContent).toMatch(/tokens can expire/i)
    await view.click(view.button('Lock and forget the key'))
    expect(bridge.inputsOf('lock.forget')).toEqual([{}])
    expect(titles(view)).toEqual(['Larder is locked'])
    expect(view.root.textContent).toMatch(/no token is refreshed/i)
    expect(pageHtml()).not.toContain('Brasserie Nord')
  })

  it('where it is not offered (the keychain gives the key back), says why and offers Lock now only', async () => {
    const bridge = openBridge('keychain')
    const why = 'This vault is sealed by the system keychain, which hands its key back to Larder without asking you, so Larder cannot forget it.'
    bridge.answers['lock.info'] = () => ok(lockInfo({ passphrase: 'lock', canForget: false, forgetNote: why }))
    const view = await show(bridge)
    await view.click(view.button('More ways to lock'))
    const choices = dialog(view, 'Lock Larder')
    expect(choices?.textContent).toContain(why)
    expect([...(choices?.querySelectorAll('button') ?? [])].map((button) => button.textContent.trim())).not.toContain('Lock and forget the key')
    await view.click(view.all('dialog button').find((button) => button.textContent.trim() === 'Lock now') ?? view.button('Lock now'))
    expect(bridge.inputsOf('lock.now')).toEqual([{}])
    expect(bridge.inputsOf('lock.forget')).toEqual([])
  })
})
