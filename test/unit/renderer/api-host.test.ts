// @vitest-environment happy-dom
// The API host a library's secrets go to, as a person sees it: the add form always shows the address it will use,
// and asks for an explicit "I trust <host>" before anything goes to a host that is not Apicbase's; Settings asks the
// same before such a default; re-authorizing asks again; the detail page names the host, with a warning when it is
// not Apicbase's (issue 13, item 2).
import type { HTMLElement } from 'happy-dom'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallName, CallResult } from '../../../src/shared/contract.ts'
import { EMPTY_DRAFT, toInput } from '../../../src/renderer/src/features/add-library/add-form.ts'
import { EMPTY_OAUTH_DRAFT, toOAuthStart } from '../../../src/renderer/src/features/personal/oauth-form.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler, SETTINGS } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { component, render, settle, type Rendered } from './render.ts'

const ok = <N extends CallName>(value: unknown): CallResult<N> => ({ ok: true, value }) as CallResult<N>
const TRUST = (host: string): string => `I trust ${host} with this library’s client secret and tokens`

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

/** Types into an input as a person would: React sees an input event with the new value. */
async function type(input: HTMLElement, value: string): Promise<void> {
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), 'value')?.set
  if (!setter) throw new Error('not an input')
  setter.call(input, value)
  input.dispatchEvent(new Event('input', { bubbles: true }) as never)
  await settle()
}

function field(view: Rendered, label: string): HTMLElement {
  const found = view.all('label').find((element) => element.textContent.trim() === label)
  const id = found?.getAttribute('for')
  const input = id ? view.all('input').find((element) => element.id === id) : undefined
  if (!input) throw new Error(`no field "${label}" in: ${view.root.textContent}`)
  return input
}

function checkbox(view: Rendered, label: string): HTMLElement | undefined {
  return view.all('input[type="checkbox"]').find((input) => view.all(`label[for="${input.id}"]`)[0]?.textContent.trim() === label)
}

async function fillPair(view: Rendered): Promise<void> {
  for (const [label, value] of [
    ['Name', 'Bistro Elsewhere'],
    ['Client ID', 'client-1'],
    ['Client secret', 'secret-1'],
    ['Access token', 'access-1'],
    ['Refresh token', 'refresh-1']
  ] as const) {
    await type(field(view, label), value)
  }
}

describe('the add form', () => {
  it('shows where it sends, and asks for an explicit trust in a host that is not Apicbase before saving', async () => {
    const bridge = new FakeBridge()
    bridge.answers['libraries.add'] = () => ok(library({ name: 'Bistro Elsewhere' }))
    const store = await storeOver(bridge)
    store.getState().openAdd()
    shown = await render(store, await component('AddLibraryDialog'))
    // The address is in view, not only a placeholder in the collapsed section; Apicbase's own needs no question.
    expect(shown.all('.api-target').map((line) => line.textContent)).toEqual([expect.stringContaining('https://api.apicbase.com')])
    expect(shown.all('.api-host-notice')).toEqual([])

    await fillPair(shown)
    await type(field(shown, 'API base URL'), 'https://api.apicbase.com.evil.example')
    expect(shown.all('.api-target')[0]?.textContent).toContain('https://api.apicbase.com.evil.example')
    const notice = shown.all('.api-host-notice')
    expect(notice).toHaveLength(1)
    expect(notice[0]?.className).toContain('notice-warning')
    expect(notice[0]?.textContent).toContain('api.apicbase.com.evil.example is not an Apicbase address')
    const trust = checkbox(shown, TRUST('api.apicbase.com.evil.example'))
    expect(trust).toBeDefined()

    await shown.click(shown.button('Save'))
    expect(bridge.inputsOf('libraries.add')).toEqual([])
    expect(shown.all('.api-host-notice [role="alert"]').map((alert) => alert.textContent)).toEqual([expect.stringMatching(/Tick the box/)])

    if (trust) await shown.click(trust)
    await shown.click(shown.button('Save'))
    expect(bridge.inputsOf('libraries.add')).toEqual([
      expect.objectContaining({ apiBaseUrl: 'https://api.apicbase.com.evil.example', confirmedHost: 'api.apicbase.com.evil.example' })
    ])
  })

  it('shows the default from Settings when it is not api.apicbase.com, and asks per library', async () => {
    const bridge = new FakeBridge()
    bridge.answers['settings.get'] = () => ok({ ...SETTINGS, defaultApiBaseUrl: 'https://partner.example' })
    bridge.answers['libraries.add'] = () => ok(library({ name: 'Bistro Elsewhere' }))
    const store = await storeOver(bridge)
    store.getState().openAdd()
    shown = await render(store, await component('AddLibraryDialog'))
    expect(shown.all('.api-target')[0]?.textContent).toMatch(/https:\/\/partner\.example.*default from Settings/)
    expect(shown.all('.api-host-notice')[0]?.textContent).toContain('partner.example is not an Apicbase address')

    await fillPair(shown)
    const trust = checkbox(shown, TRUST('partner.example'))
    if (!trust) throw new Error('no confirmation for partner.example')
    await shown.click(trust)
    await shown.click(shown.button('Save'))
    const [sent] = bridge.inputsOf('libraries.add')
    expect(sent).toMatchObject({ confirmedHost: 'partner.example' })
    expect(sent).not.toHaveProperty('apiBaseUrl')
  })

  it('sends no confirmation for the loopback sandbox', async () => {
    const bridge = new FakeBridge()
    bridge.answers['libraries.add'] = () => ok(library({ name: 'Bistro Elsewhere' }))
    const store = await storeOver(bridge)
    store.getState().openAdd()
    shown = await render(store, await component('AddLibraryDialog'))
    await fillPair(shown)
    await type(field(shown, 'API base URL'), 'http://127.0.0.1:4010')
    expect(shown.all('.api-host-notice')).toEqual([])
    expect(shown.all('.api-target')[0]?.textContent).toContain('http://127.0.0.1:4010')
    await shown.click(shown.button('Save'))
    expect(bridge.inputsOf('libraries.add')).toEqual([expect.not.objectContaining({ confirmedHost: expect.anything() })])
  })
})

describe('Settings', () => {
  it('makes a host that is not Apicbase the default only with an explicit confirmation', async () => {
    const bridge = new FakeBridge()
    bridge.answers['settings.update'] = (input) => ok({ ...SETTINGS, defaultApiBaseUrl: (input as { defaultApiBaseUrl: string }).defaultApiBaseUrl })
    const store = await storeOver(bridge)
    shown = await render(store, await component('SettingsView'))
    expect(shown.all('.api-host-notice')).toEqual([])
    await type(field(shown, 'Default API base URL'), 'https://partner.example')
    expect(shown.all('.api-host-notice')[0]?.textContent).toContain('partner.example is not an Apicbase address')

    await shown.click(shown.button('Save settings'))
    expect(bridge.inputsOf('settings.update')).toEqual([])
    const trust = checkbox(shown, 'I trust partner.example with the client secret and tokens of the libraries added with this default')
    if (!trust) throw new Error('no confirmation for partner.example')
    await shown.click(trust)
    await shown.click(shown.button('Save settings'))
    expect(bridge.inputsOf('settings.update')).toEqual([expect.objectContaining({ defaultApiBaseUrl: 'https://partner.example', confirmedDefaultApiHost: 'partner.example' })])
  })
})

describe('the detail page', () => {
  it('names the API host, with a warning for one that is not Apicbase, and asks again before a new pair goes there', async () => {
    const bridge = new FakeBridge()
    bridge.libraries = [
      library({ id: 'home', name: 'Brasserie Nord' }),
      library({ id: 'away', name: 'Bistro Elsewhere', status: 'needs_reauth', apiBaseUrl: 'https://partner.example', apiHost: 'partner.example', apiHostKind: 'other' })
    ]
    bridge.answers['audit.page'] = () => ok({ entries: [], nextBefore: null })
    bridge.answers['libraries.reauthorize'] = () => ok(bridge.libraries[1])
    const store = await storeOver(bridge)
    shown = await render(store, await component('LibrariesView'))
    const hostLine = (): { text: string; warning: boolean } => {
      const term = shown?.all('dt').find((dt) => dt.textContent === 'API host')
      const value = term?.nextElementSibling as HTMLElement | null | undefined
      return { text: value?.textContent ?? '', warning: value?.className.includes('api-host-other') ?? false }
    }

    store.getState().select('home')
    await settle()
    expect(hostLine()).toEqual({ text: 'api.apicbase.com', warning: false })

    store.getState().select('away')
    await settle()
    expect(hostLine().text).toMatch(/^partner\.example.*not an Apicbase address/)
    expect(hostLine().warning).toBe(true)

    await type(field(shown, 'New access token'), 'access-2')
    await type(field(shown, 'New refresh token'), 'refresh-2')
    await shown.click(shown.button('Save new token'))
    expect(bridge.inputsOf('libraries.reauthorize')).toEqual([])
    const trust = checkbox(shown, TRUST('partner.example'))
    if (!trust) throw new Error('no confirmation for partner.example')
    await shown.click(trust)
    await shown.click(shown.button('Save new token'))
    expect(bridge.inputsOf('libraries.reauthorize')).toEqual([{ id: 'away', accessToken: 'access-2', refreshToken: 'refresh-2', confirmedHost: 'partner.example' }])
  })
})

describe('what the forms send', () => {
  it('carries the confirmed host only when there is one (the personal-token form too)', () => {
    expect(toInput(EMPTY_DRAFT)).not.toHaveProperty('confirmedHost')
    expect(toInput(EMPTY_DRAFT, 'partner.example')).toMatchObject({ confirmedHost: 'partner.example' })
    const oauth = { ...EMPTY_OAUTH_DRAFT, clientId: 'c', clientSecret: 's' }
    expect(toOAuthStart(oauth)).not.toHaveProperty('confirmedHost')
    expect(toOAuthStart({ ...oauth, apiBaseUrl: 'https://partner.example', confirmedHost: 'partner.example' })).toMatchObject({
      apiBaseUrl: 'https://partner.example',
      confirmedHost: 'partner.example'
    })
  })
})
