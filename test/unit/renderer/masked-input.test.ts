// @vitest-environment happy-dom
// Masked fields with a "Show"/"Hide" toggle (issue 19, item 16): the add form's client secret and tokens and the
// re-authorize form's new pair. The toggle is a button with aria-pressed, tied to its field; it keeps the focus
// where it was, keeps the value, and the value reaches nothing but the field (no call, no store, no storage).
import type { HTMLElement } from 'happy-dom'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallName, CallResult } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { component, page, render, settle, type Rendered } from './render.ts'
import { field, focused, type } from './typing.ts'

const ok = <N extends CallName>(value: unknown): CallResult<N> => ({ ok: true, value }) as CallResult<N>
const FAKE = 'fake-value-not-a-secret'

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

async function storeOver(bridge: FakeBridge): Promise<AppStore> {
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  await settle()
  return store
}

function toggleOf(view: Rendered, input: HTMLElement): HTMLElement {
  const toggle = view.all('button[aria-controls]').find((button) => button.getAttribute('aria-controls') === input.id)
  if (!toggle) throw new Error(`no show toggle for #${input.id}`)
  return toggle
}

/** Shows and hides one masked field, checking what a person and a screen reader get at each step. */
async function checkToggle(view: Rendered, label: string): Promise<void> {
  const input = field(view, label)
  expect(input.getAttribute('type')).toBe('password')
  await type(input, FAKE)
  const toggle = toggleOf(view, input)
  expect(toggle.getAttribute('type')).toBe('button')
  expect(toggle.getAttribute('aria-pressed')).toBe('false')
  expect(toggle.textContent).toBe('Show')
  expect(toggle.getAttribute('aria-label')).toBe(`Show ${label.toLowerCase()}`)

  toggle.focus()
  await view.click(toggle)
  expect(input.getAttribute('type')).toBe('text')
  expect((input as unknown as { value: string }).value).toBe(FAKE)
  expect(input.getAttribute('spellcheck')).toBe('false')
  expect(input.getAttribute('autocomplete')).toBe('off')
  expect(toggle.getAttribute('aria-pressed')).toBe('true')
  expect(toggle.textContent).toBe('Hide')
  expect(focused()).toBe(toggle)

  // A mouse press does not take the focus from the field being typed in.
  input.focus()
  const pressed = new (page().defaultView as unknown as { MouseEvent: new (type: string, init: object) => Event }).MouseEvent('mousedown', { bubbles: true, cancelable: true })
  toggle.dispatchEvent(pressed as never)
  expect(pressed.defaultPrevented).toBe(true)
  await view.click(toggle)
  expect(input.getAttribute('type')).toBe('password')
  expect(toggle.getAttribute('aria-pressed')).toBe('false')
}

describe('masked fields', () => {
  it('the add form: client secret, access token and refresh token each have a Show/Hide toggle', async () => {
    const bridge = new FakeBridge()
    const store = await storeOver(bridge)
    store.getState().openAdd()
    shown = await render(store, await component('AddLibraryDialog'))
    for (const label of ['Client secret', 'Access token', 'Refresh token']) await checkToggle(shown, label)
    // The client ID and the name are not secrets: no toggle.
    expect(shown.all('button[aria-controls]').map((button) => button.getAttribute('aria-label'))).toEqual(['Show client secret', 'Show access token', 'Show refresh token'])
    expect(bridge.calls.filter((call) => JSON.stringify(call.input).includes(FAKE))).toEqual([])
    expect(JSON.stringify(store.getState())).not.toContain(FAKE)
    expect(JSON.stringify({ ...page().defaultView?.sessionStorage, ...page().defaultView?.localStorage })).not.toContain(FAKE)
  })

  it('the re-authorize form: the new access and refresh token have the same toggle', async () => {
    const bridge = new FakeBridge()
    bridge.libraries = [library({ id: 'oost', name: 'Trattoria Oost', status: 'needs_reauth' })]
    bridge.answers['audit.page'] = () => ok({ entries: [], nextBefore: null })
    const store = await storeOver(bridge)
    shown = await render(store, await component('LibrariesView'))
    store.getState().select('oost')
    await settle()
    for (const label of ['New access token', 'New refresh token']) await checkToggle(shown, label)
    expect(JSON.stringify(store.getState())).not.toContain(FAKE)
  })
})
