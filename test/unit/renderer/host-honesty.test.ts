// @vitest-environment happy-dom
// The page says what the host really did (issue 19 items 5, 6): a copy in the browser host went to its stand-in
// clipboard, not this computer's; "Larder opened Apicbase's authorization page" only where the host opens a browser,
// else "Open this address in your browser"; a demo is marked on every screen.
import type { HTMLElement } from 'happy-dom'
import { afterEach, describe, expect, it } from 'vitest'
import type { AppInfo, CallName, CallResult, CopyFormat } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { component, render, settle, type Rendered } from './render.ts'

const ok = <N extends CallName>(value: unknown): CallResult<N> => ({ ok: true, value }) as CallResult<N>

const BROWSER_HOST: AppInfo = { name: 'Larder', version: '1', host: 'browser', clipboard: 'stand-in', opensBrowser: false }
const DESKTOP: AppInfo = { name: 'Larder', version: '1', host: 'electron', clipboard: 'system', opensBrowser: true }
const STARTED = { flowId: 'flow-1', authorizeUrl: 'http://127.0.0.1:9/oauth/authorize/?state=s', expiresAt: 0, codeLifetimeMs: 60_000, redirectUri: null }
const BANNER = 'Demo — not your real vault; the API is a stand-in on this computer'

/** A renderer module by a path the Node type check does not follow (tsconfig.node.json has no JSX; see render.ts). */
async function load<T>(source: string, name: string): Promise<T> {
  const loaded = (await import(/* @vite-ignore */ source)) as Record<string, unknown>
  return loaded[name] as T
}

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

async function storeOn(info: AppInfo, prepare: (bridge: FakeBridge) => void = () => undefined): Promise<{ bridge: FakeBridge; store: AppStore }> {
  const bridge = new FakeBridge()
  bridge.answers['app.info'] = () => ok(info)
  bridge.answers['audit.page'] = () => ok({ entries: [], nextBefore: null })
  prepare(bridge)
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  await settle()
  return { bridge, store }
}

function field(view: Rendered, label: string): HTMLElement {
  const id = view.all('label').find((element) => element.textContent.trim() === label)?.getAttribute('for')
  const input = id ? view.all('input').find((element) => element.id === id) : undefined
  if (!input) throw new Error(`no field "${label}"`)
  return input
}

async function type(input: HTMLElement, value: string): Promise<void> {
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), 'value')?.set
  setter?.call(input, value)
  input.dispatchEvent(new Event('input', { bubbles: true }) as never)
  await settle()
}

async function startAuthorization(info: AppInfo): Promise<string> {
  const { store } = await storeOn(info, (bridge) => (bridge.answers['oauth.start'] = () => ok(STARTED)))
  store.getState().openConnect()
  shown = await render(store, await load('../../../src/renderer/src/features/personal/ConnectPersonalDialog.tsx', 'ConnectPersonalDialog'))
  await type(field(shown, 'Client ID'), 'client-abc')
  await type(field(shown, 'Client secret'), 'secret-abc')
  await shown.click(shown.button('Open Apicbase'))
  await settle()
  return shown.root.textContent
}

async function copyInDetail(info: AppInfo): Promise<{ text: string; store: AppStore }> {
  const shownLibrary = library({ name: 'Brasserie Nord' })
  const { store } = await storeOn(info, (bridge) => {
    bridge.libraries = [shownLibrary]
    bridge.answers['libraries.copy'] = (input) => ok({ libraryId: shownLibrary.id, format: (input as { format: CopyFormat }).format, preview: '…a91f', clearsAt: Date.now() + 30_000 })
  })
  shown = await render(store, await component('LibrariesView'))
  store.getState().select(shownLibrary.id)
  await settle()
  await shown.click(shown.button('Copy token'))
  await settle()
  return { text: shown.root.textContent, store }
}

describe('the authorization page', () => {
  it('in the browser host, nothing opened: the page says to open the address, with the link', async () => {
    const text = await startAuthorization(BROWSER_HOST)
    expect(text).toContain('Open this address in your browser')
    expect(text).not.toContain('Larder opened')
    expect(shown?.all('a').map((link) => link.getAttribute('href'))).toContain(STARTED.authorizeUrl)
  })

  it('where the host opens the browser, it says Larder opened it', async () => {
    const text = await startAuthorization(DESKTOP)
    expect(text).toContain('Larder opened Apicbase’s authorization page in your browser')
  })
})

describe('a copy', () => {
  it('in the browser host says the token went to its stand-in clipboard, for its tests, not this computer’s', async () => {
    const { text } = await copyInDetail(BROWSER_HOST)
    expect(text).toContain('token …a91f copied')
    expect(text).toContain('stand-in clipboard')
    expect(text).toContain('not this computer’s')
  })

  it('on the desktop says nothing of a stand-in', async () => {
    const { text } = await copyInDetail(DESKTOP)
    expect(text).toContain('token …a91f copied')
    expect(text).not.toContain('stand-in')
  })

  it('announced in a message (a copy from the list) says the same', async () => {
    const shownLibrary = library({ name: 'Café Zuid' })
    const { store } = await storeOn(BROWSER_HOST, (bridge) => {
      bridge.libraries = [shownLibrary]
      bridge.answers['libraries.copy'] = () => ok({ libraryId: shownLibrary.id, format: 'token', preview: '…a91f', clearsAt: Date.now() + 30_000 })
    })
    await store.getState().copyLibrary(shownLibrary.id, 'token')
    expect(store.getState().toasts.map((toast) => toast.text).join('\n')).toMatch(/Token for Café Zuid copied .*stand-in clipboard/)
  })
})

describe('the demo banner', () => {
  it('is on every screen of a demo: the dashboard and the vault screen', async () => {
    const App = await load<() => unknown>('../../../src/renderer/src/App.tsx', 'App')
    const { store } = await storeOn({ ...DESKTOP, demo: true }, (bridge) => (bridge.libraries = [library()]))
    shown = await render(store, App)
    expect(shown.all('[role="note"]').map((note) => note.textContent)).toEqual([expect.stringContaining(BANNER)])
    // The window's title too (the task bar, the window switcher).
    expect((globalThis as unknown as { document: { title: string } }).document.title).toMatch(/— Demo$/)
    await shown.unmount()
    const locked = await storeOn({ ...DESKTOP, demo: true }, (bridge) => (bridge.vault = { state: 'locked', mode: 'create' }))
    shown = await render(locked.store, App)
    expect(shown.root.textContent).toContain(BANNER)
  })

  it('is not there outside a demo', async () => {
    const App = await load<() => unknown>('../../../src/renderer/src/App.tsx', 'App')
    const { store } = await storeOn(DESKTOP, (bridge) => (bridge.libraries = [library()]))
    shown = await render(store, App)
    expect(shown.root.textContent).not.toContain('Demo')
  })
})
