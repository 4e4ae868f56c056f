// @vitest-environment happy-dom
// The detail pane's whole view (issue 18, start-up): the list holds rows only, so the pane asks for the selected
// library with 'libraries.get', waits quietly for it (never showing another library's view), asks again when that
// library's row changes, drops an answer overtaken by a newer one, and takes a call's whole answer as it is.
import { afterEach, describe, expect, it } from 'vitest'
import type { CallName, CallResult, LibraryView } from '../../../src/shared/contract.ts'
import { listViewOf } from '../../../src/shared/library-list-view.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { component, render, settle, type Rendered } from './render.ts'

const ok = <N extends CallName>(value: unknown): CallResult<N> => ({ ok: true, value }) as CallResult<N>

/** 'libraries.get' answers held until the test lets each one go. */
function heldGets(bridge: FakeBridge): { readonly asked: string[]; release(index: number, view: LibraryView): void } {
  const asked: string[] = []
  const pending: ((result: CallResult<'libraries.get'>) => void)[] = []
  bridge.answers['libraries.get'] = (input) => {
    asked.push((input as { id: string }).id)
    return new Promise((resolve) => pending.push(resolve as (result: CallResult<'libraries.get'>) => void))
  }
  return { asked, release: (index, view) => pending[index]?.(ok<'libraries.get'>(view)) }
}

async function connected(libraries: LibraryView[]) {
  const bridge = new FakeBridge()
  bridge.libraries = libraries
  bridge.answers['audit.page'] = () => ok({ entries: [], nextBefore: null })
  const store = createAppStore(bridge)
  const scheduler = new ManualScheduler()
  await connectStore(store, bridge, scheduler).ready
  return { bridge, store, scheduler }
}

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

describe('the detail entry', () => {
  it('holds rows in the list and the whole view of the open library only', async () => {
    const a = library({ name: 'A', tokenPreview: '…aaaa' })
    const b = library({ name: 'B' })
    const { store } = await connected([a, b])
    expect(store.getState().byId[a.id]).toEqual(listViewOf(a))
    expect(store.getState().byId[a.id]).not.toHaveProperty('tokenPreview')
    await store.getState().loadDetail(a.id)
    expect(store.getState().detail).toEqual({ id: a.id, view: a, error: null })
    await store.getState().loadDetail(null)
    expect(store.getState().detail).toBeNull()
  })

  it("asks again when the open library's row changes, and only then", async () => {
    const a = library({ name: 'A', tokenPreview: '…aaaa' })
    const b = library({ name: 'B' })
    const { bridge, store, scheduler } = await connected([a, b])
    await store.getState().loadDetail(a.id)
    const gets = (): number => bridge.inputsOf('libraries.get').length
    expect(gets()).toBe(1)
    bridge.emit('library.changed', { ...listViewOf(b), status: 'refreshing' })
    scheduler.run()
    await settle()
    expect(gets()).toBe(1)
    const refreshed = { ...a, tokenPreview: '…bbbb', lastRefreshedAt: a.lastRefreshedAt! + 1 }
    bridge.libraries = [refreshed, b]
    bridge.emit('library.changed', listViewOf(refreshed))
    scheduler.run()
    await settle()
    expect(gets()).toBe(2)
    expect(store.getState().detail?.view?.tokenPreview).toBe('…bbbb')
    bridge.emit('library.removed', { id: a.id })
    scheduler.run()
    expect(store.getState().detail).toBeNull()
  })

  it('drops an answer overtaken by a newer ask, and one for a library no longer open', async () => {
    const a = library({ name: 'A', tokenPreview: '…aaaa' })
    const b = library({ name: 'B', tokenPreview: '…bbbb' })
    const { bridge, store } = await connected([a, b])
    const gets = heldGets(bridge)
    const first = store.getState().loadDetail(a.id)
    const second = store.getState().loadDetail(a.id)
    gets.release(1, { ...a, tokenPreview: '…new0' })
    await second
    gets.release(0, { ...a, tokenPreview: '…old0' })
    await first
    expect(store.getState().detail?.view?.tokenPreview).toBe('…new0')
    // Switching to B: A's late answer is not B's view, and B waits with no view at all.
    const third = store.getState().loadDetail(a.id)
    const fourth = store.getState().loadDetail(b.id)
    expect(store.getState().detail).toEqual({ id: b.id, view: null, error: null })
    gets.release(2, a)
    await third
    expect(store.getState().detail).toEqual({ id: b.id, view: null, error: null })
    gets.release(3, b)
    await fourth
    expect(store.getState().detail?.view).toEqual(b)
  })

  it("takes a call's whole answer for the open library without asking, and over an older ask still on its way", async () => {
    const a = library({ name: 'A', tokenPreview: '…aaaa' })
    const { bridge, store } = await connected([a])
    await store.getState().loadDetail(a.id)
    const gets = heldGets(bridge)
    const late = store.getState().loadDetail(a.id)
    const refreshed = { ...a, tokenPreview: '…cccc' }
    bridge.answers['libraries.refresh'] = () => ok(refreshed)
    await store.getState().refreshLibrary(a.id)
    expect(store.getState().detail?.view).toEqual(refreshed)
    expect(store.getState().byId[a.id]).toEqual(listViewOf(refreshed))
    gets.release(0, a)
    await late
    expect(store.getState().detail?.view?.tokenPreview).toBe('…cccc')
    expect(gets.asked).toEqual([a.id])
  })
})

describe('the detail pane', () => {
  it("waits quietly with the row's name until the whole view arrives, then shows it", async () => {
    const a = library({ name: 'Brasserie Nord', tokenPreview: '…a91f' })
    const { bridge, store } = await connected([a])
    const gets = heldGets(bridge)
    shown = await render(store, await component('LibrariesView'))
    store.getState().select(a.id)
    await settle()
    const pane = (): string => shown?.all('.detail-pane').map((element) => element.textContent).join(' ') ?? ''
    expect(gets.asked).toEqual([a.id])
    expect(pane()).toContain('Brasserie Nord')
    expect(pane()).toContain('Reading the details')
    expect(pane()).not.toContain('…a91f')
    expect(shown.all('.detail-pane[aria-busy="true"]').length).toBe(1)
    // Enter on a row focuses the heading; the whole view's arrival keeps it there (the heading is not replaced).
    const [heading] = shown.all('#detail-title')
    if (!heading) throw new Error('no heading')
    heading.focus()
    gets.release(0, a)
    await settle()
    expect(pane()).toContain('…a91f')
    expect(pane()).not.toContain('Reading the details')
    expect(shown.all('.detail-pane[aria-busy="true"]').length).toBe(0)
    expect(heading.ownerDocument.activeElement).toBe(heading)
    expect(heading.isConnected).toBe(true)
    // Closing the pane lets go of the whole view.
    store.getState().select(null)
    await settle()
    expect(store.getState().detail).toBeNull()
  })
})
