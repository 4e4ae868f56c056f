// The app lock in the window's component tests: guarded states as Larder sends them, the lock's answers, the whole
// App over a fake bridge, and a key pressed with Ctrl or ⌘ (typing.ts presses keys without them).
import type { CallName, CallResult, LockInfoView, VaultState } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { page, render, settle, type Rendered } from './render.ts'

export const ok = <N extends CallName>(value: unknown): CallResult<N> => ({ ok: true, value }) as CallResult<N>
export const refused = <N extends CallName>(field: string, message: string): CallResult<N> => ({ ok: false, error: { kind: 'invalid_input', field, message } })

export type Guarded = Extract<VaultState, { state: 'guarded' }>

export function guarded(overrides: Partial<Guarded> = {}): Guarded {
  return { state: 'guarded', cipher: 'passphrase', since: Date.now() - 5 * 60_000, reason: 'now', unlockWith: ['passphrase'], failures: 0, retryAt: null, waiting: null, ...overrides }
}

export function lockInfo(overrides: Partial<LockInfoView> = {}): LockInfoView {
  return {
    available: true,
    locked: false,
    passphrase: 'vault',
    presence: null,
    idle: 'system',
    canForget: true,
    forgetNote: 'Closes the vault and forgets its key: no token is refreshed until you unlock it with your passphrase.',
    ...overrides
  }
}

/** The whole App, loaded at run time by a path the Node type check does not follow (tsconfig.node.json has no JSX). */
async function app(): Promise<() => unknown> {
  const source: string = '../../../src/renderer/src/App.tsx'
  const loaded = (await import(/* @vite-ignore */ source)) as { App: () => unknown }
  return loaded.App
}

// Strings, as render.ts names its components: the node type-check (no JSX) never resolves a .tsx.
const LAZY_LOCK_PARTS = ['LockScreen', 'LockChoicesDialog', 'LockPassphraseDialog'].map((name) => `../../../src/renderer/src/features/lock/${name}.tsx`)

export async function showApp(bridge: FakeBridge): Promise<{ store: AppStore; view: Rendered }> {
  bridge.answers['audit.page'] ??= () => ok({ entries: [], nextBefore: null })
  // The lock's screen and dialogs are loaded when first shown (React.lazy): loaded here first, so a test's settle()
  // sees them rendered as a window that has loaded them once would.
  await Promise.all(LAZY_LOCK_PARTS.map((source) => import(/* @vite-ignore */ source)))
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  await settle()
  const view = await render(store, await app())
  await settle()
  return { store, view }
}

/** A key pressed with Ctrl (or ⌘ with `meta`), on the focused element or the page. */
export async function pressCommand(key: string, options: { readonly meta?: boolean; readonly target?: unknown } = {}): Promise<void> {
  const { KeyboardEvent } = page().defaultView as unknown as { KeyboardEvent: new (type: string, init: object) => Event }
  const target = (options.target ?? page().activeElement ?? page().body) as { dispatchEvent(event: unknown): boolean }
  target.dispatchEvent(new KeyboardEvent('keydown', { key, ctrlKey: options.meta !== true, metaKey: options.meta === true, bubbles: true, cancelable: true }))
  await settle()
}

/** The text the elements `aria-describedby` names say. */
export function description(view: Rendered, input: { getAttribute(name: string): string | null }): string {
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean)
  return ids.map((id) => view.all(`[id="${id}"]`)[0]?.textContent ?? '').join(' ')
}

/** Everything the page holds, attributes and dialogs included. */
export function pageHtml(): string {
  return page().body.innerHTML
}
