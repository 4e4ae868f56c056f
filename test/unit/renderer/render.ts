// Renders renderer components into happy-dom for component tests (the test file says
// `// @vitest-environment happy-dom`), inside <StoreProvider> with a store the test built over a fake bridge.
//
// tsconfig.node.json checks the tests with Node's types only: no JSX, no DOM. The components are checked by
// tsconfig.web.json. Importing them here (or React, whose types declare empty DOM interfaces for the whole
// program) would break that check, so they are loaded at run time by paths the check does not follow, and typed
// here by the little the tests use of them.
import type { Document, HTMLElement } from 'happy-dom'
import type { AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { createNowStore, type NowStore } from '../../../src/renderer/src/store/now.ts'

/** A React element, opaque here. */
type Element = { readonly $$typeof: symbol }
type Component<P = object> = (props: P) => unknown

interface ReactApi {
  createElement<P>(type: Component<P>, props: P | null, ...children: Element[]): Element
  act(callback: () => Promise<void> | void): Promise<void>
}
interface ReactDomClient {
  createRoot(container: HTMLElement): { render(element: Element): void; unmount(): void }
}

interface RendererModules {
  readonly StoreProvider: Component<{ store: AppStore; now: NowStore }>
  readonly AuditView: Component
  readonly LibrariesView: Component
  readonly AddLibraryDialog: Component
  readonly SettingsView: Component
  readonly ApprovalDialog: Component
  readonly TerminalSessions: Component
  readonly EstateView: Component
}

const SOURCES: Readonly<Record<keyof RendererModules, string>> = {
  StoreProvider: '../../../src/renderer/src/store/provider.tsx',
  AuditView: '../../../src/renderer/src/features/audit/AuditView.tsx',
  LibrariesView: '../../../src/renderer/src/features/libraries/LibrariesView.tsx',
  AddLibraryDialog: '../../../src/renderer/src/features/add-library/AddLibraryDialog.tsx',
  SettingsView: '../../../src/renderer/src/features/settings/SettingsView.tsx',
  ApprovalDialog: '../../../src/renderer/src/features/terminal/ApprovalDialog.tsx',
  TerminalSessions: '../../../src/renderer/src/features/settings/TerminalSessions.tsx',
  EstateView: '../../../src/renderer/src/features/estate/EstateView.tsx'
}

const load = <T>(specifier: string): Promise<T> => import(/* @vite-ignore */ specifier) as Promise<T>
const react = (): Promise<ReactApi> => load<ReactApi>('react')
const reactDom = (): Promise<ReactDomClient> => load<ReactDomClient>('react-dom/client')

export async function component<K extends keyof RendererModules>(name: K): Promise<RendererModules[K]> {
  const source = SOURCES[name]
  const loaded = await load<Partial<RendererModules>>(source)
  const found = loaded[name]
  if (found === undefined) throw new Error(`${source} exports no ${name}`)
  return found as RendererModules[K]
}

/** happy-dom's document, which the environment put on globalThis. */
export function page(): Document {
  return (globalThis as unknown as { document: Document }).document
}

export interface Rendered {
  readonly root: HTMLElement
  /** Every element matching `selector`, as happy-dom elements. */
  all(selector: string): HTMLElement[]
  /** The button whose text (or aria-label) is `name`. */
  button(name: string): HTMLElement
  /** Clicks, and lets React and the store settle. */
  click(element: HTMLElement): Promise<void>
  unmount(): Promise<void>
}

/** Lets pending promises (bridge answers) and timers up to `ms` run, inside act so React applies what they set. */
export async function settle(ms = 0): Promise<void> {
  const { act } = await react()
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, ms))
  })
}

export async function render(store: AppStore, view: Component): Promise<Rendered> {
  ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
  const { act, createElement } = await react()
  const { createRoot } = await reactDom()
  const StoreProvider = await component('StoreProvider')
  const container = page().createElement('div')
  page().body.append(container)
  const reactRoot = createRoot(container)
  await act(async () => {
    reactRoot.render(createElement(StoreProvider, { store, now: createNowStore() }, createElement(view, null)))
  })
  const all = (selector: string): HTMLElement[] => [...container.querySelectorAll(selector)] as HTMLElement[]
  return {
    root: container,
    all,
    button(name) {
      const found = all('button').find((button) => button.textContent.trim() === name || button.getAttribute('aria-label') === name)
      if (!found) throw new Error(`no button "${name}" in: ${container.textContent}`)
      return found
    },
    async click(element) {
      await act(async () => {
        element.click()
      })
      await settle()
    },
    async unmount() {
      await act(() => reactRoot.unmount())
      container.remove()
    }
  }
}
