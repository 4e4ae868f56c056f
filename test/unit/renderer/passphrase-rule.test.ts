// @vitest-environment happy-dom
// A new vault or lock passphrase: the window's rule is Larder's (src/shared/passphrase-rule.ts, which the main process
// checks again: test/unit/vault/passphrase-cipher.test.ts). A passphrase of exactly the least length is sent; one a
// character shorter is refused at its field, with the same words the main process answers, and nothing is sent.
import { afterEach, describe, expect, it } from 'vitest'
import { MIN_PASSPHRASE_LENGTH, PASSPHRASE_TOO_SHORT } from '../../../src/shared/passphrase-rule.ts'
import { FakeBridge } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { description, guarded, lockInfo, ok, refused, showApp } from './lock-fixtures.ts'
import type { Rendered } from './render.ts'
import { field, type } from './typing.ts'

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

const atLeast = 'x'.repeat(MIN_PASSPHRASE_LENGTH)
// 'é' typed as e + a combining accent is one character, as the main process counts it (NFC).
const oneShort = 'e\u0301'.repeat(MIN_PASSPHRASE_LENGTH - 1)

describe('the least length of a new passphrase, in the window', () => {
  it('a new vault passphrase: one a character short is refused with the rule, the least length is sent', async () => {
    const bridge = new FakeBridge()
    bridge.vault = { state: 'locked', mode: 'create' }
    shown = (await showApp(bridge)).view
    const first = field(shown, 'New passphrase')
    await type(first, oneShort)
    await type(field(shown, 'Repeat the passphrase'), oneShort)
    await shown.click(shown.button('Create vault'))
    expect(description(shown, first)).toContain(PASSPHRASE_TOO_SHORT)
    expect(bridge.inputsOf('vault.unlock')).toEqual([])
    await type(first, atLeast)
    await type(field(shown, 'Repeat the passphrase'), atLeast)
    await shown.click(shown.button('Create vault'))
    expect(bridge.inputsOf('vault.unlock')).toEqual([{ passphrase: atLeast }])
  })

  it('a new lock passphrase: the same rule, and the hint says it', async () => {
    const bridge = new FakeBridge()
    bridge.vault = { state: 'open', cipher: 'keychain' }
    bridge.libraries = [library({ name: 'Brasserie Nord' })]
    let set = false
    bridge.answers['lock.now'] = () => (set ? ok({ state: guarded({ cipher: 'keychain' }), note: 'Locked.' }) : refused('passphrase', 'Choose a lock passphrase first.'))
    bridge.answers['lock.setPassphrase'] = () => {
      set = true
      return ok(lockInfo({ passphrase: 'lock', canForget: false }))
    }
    shown = (await showApp(bridge)).view
    await shown.click(shown.button('Lock now'))
    expect(shown.root.textContent).toContain(`Use at least ${MIN_PASSPHRASE_LENGTH} characters`)
    const first = field(shown, 'New lock passphrase')
    await type(first, oneShort)
    await type(field(shown, 'Repeat the lock passphrase'), oneShort)
    await shown.click(shown.button('Set and lock'))
    expect(description(shown, first)).toContain(PASSPHRASE_TOO_SHORT)
    expect(bridge.inputsOf('lock.setPassphrase')).toEqual([])
    await type(first, atLeast)
    await type(field(shown, 'Repeat the lock passphrase'), atLeast)
    await shown.click(shown.button('Set and lock'))
    expect(bridge.inputsOf('lock.setPassphrase')).toEqual([{ passphrase: atLeast }])
  })
})
