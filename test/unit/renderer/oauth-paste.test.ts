// @vitest-environment happy-dom
// The connect dialog's paste step over a fake bridge: what Larder refuses in the pasted text (an address without
// state, a code with a space) is shown under the field, and the same authorization takes the right paste; a code
// Apicbase refused ends the attempt with "Start again".
import type { HTMLElement } from 'happy-dom'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallName, CallResult } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { render, settle, type Rendered } from './render.ts'

const ok = <N extends CallName>(value: unknown): CallResult<N> => ({ ok: true, value }) as CallResult<N>
const refused = <N extends CallName>(error: unknown): CallResult<N> => ({ ok: false, error }) as CallResult<N>

const STARTED = { flowId: 'flow-1', authorizeUrl: 'https://app.apicbase.com/oauth/authorize/?state=s', expiresAt: 0, codeLifetimeMs: 60_000, redirectUri: null }
const NO_STATE = 'This address carries no state, so Larder cannot tell it answers the authorization it started; its code was not used.'

/** ConnectPersonalDialog, loaded at run time by a path the type check does not follow (tsconfig.node.json has no JSX). */
async function connectDialog(): Promise<() => unknown> {
  const source: string = '../../../src/renderer/src/features/personal/ConnectPersonalDialog.tsx'
  const loaded = (await import(/* @vite-ignore */ source)) as { ConnectPersonalDialog: () => unknown }
  return loaded.ConnectPersonalDialog
}

function field(view: Rendered, label: string): HTMLElement {
  const found = view.all('label').find((element) => element.textContent.trim() === label)
  const id = found?.getAttribute('for')
  const input = id ? view.all('input').find((element) => element.id === id) : undefined
  if (!input) throw new Error(`no field "${label}" in: ${view.root.textContent}`)
  return input
}

/** Types into an input as a person would: React sees an input event with the new value. */
async function type(input: HTMLElement, value: string): Promise<void> {
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), 'value')?.set
  if (!setter) throw new Error('not an input')
  setter.call(input, value)
  input.dispatchEvent(new Event('input', { bubbles: true }) as never)
  await settle()
}

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

async function pasteStep(bridge: FakeBridge): Promise<{ store: AppStore; shown: Rendered }> {
  bridge.answers['oauth.start'] = () => ok(STARTED)
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  store.getState().openConnect()
  const view = await render(store, await connectDialog())
  await type(field(view, 'Client ID'), 'client-abc')
  await type(field(view, 'Client secret'), 'secret-abc')
  await view.click(view.button('Open Apicbase'))
  await settle()
  return { store, shown: view }
}

describe('pasting the code', () => {
  it('a paste Larder refuses (an address without state) is shown under the field, and the same authorization takes the code', async () => {
    const bridge = new FakeBridge()
    let attempts = 0
    bridge.answers['oauth.complete'] = () =>
      ++attempts === 1 ? refused({ kind: 'invalid_input', field: 'code', message: NO_STATE }) : refused({ kind: 'internal', message: 'stop here' })
    const opened = await pasteStep(bridge)
    shown = opened.shown
    await type(field(shown, 'Authorization code'), 'https://partner.example/callback?code=abc')
    await shown.click(shown.button('Finish'))
    await settle()
    expect(shown.root.textContent).toContain(NO_STATE)
    // Still the paste step of the same authorization: the field is there, no "Start again" failure.
    expect(shown.root.textContent).not.toContain('Connecting did not work.')
    expect(field(shown, 'Authorization code').getAttribute('aria-invalid')).toBe('true')
    await type(field(shown, 'Authorization code'), 'abc')
    expect(shown.root.textContent).not.toContain(NO_STATE)
    await shown.click(shown.button('Finish'))
    await settle()
    expect(bridge.inputsOf('oauth.complete')).toEqual([
      { flowId: 'flow-1', code: 'https://partner.example/callback?code=abc' },
      { flowId: 'flow-1', code: 'abc' }
    ])
    expect(bridge.inputsOf('oauth.start')).toHaveLength(1)
  })

  it('a code Apicbase refused ends the attempt: the failure, and Start again', async () => {
    const bridge = new FakeBridge()
    bridge.answers['oauth.complete'] = () => refused({ kind: 'api', apiKind: 'invalid_grant', message: 'Apicbase did not accept this authorization code.' })
    const opened = await pasteStep(bridge)
    shown = opened.shown
    await type(field(shown, 'Authorization code'), 'abc')
    await shown.click(shown.button('Finish'))
    await settle()
    expect(shown.root.textContent).toContain('The code did not work.')
    expect(shown.button('Start again')).toBeTruthy()
  })
})
