// @vitest-environment happy-dom
// "Refresh all expiring" (the warnings banner) counts and sends only libraries the core would refresh. A library held
// back (paused after a restore that could not tell whether its token is still live: the core refuses to refresh it
// until a person ticks "Refresh it now") is left out, though its token has expired; its row and the "expired" link
// still name it.
import { afterEach, describe, expect, it } from 'vitest'
import type { LibraryView } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { DAY, library, NOW } from './fixtures.ts'
import { listViewOf } from '../../../src/shared/library-list-view.ts'
import { component, render, type Rendered } from './render.ts'

/** React's act, loaded by a path the Node type check does not follow (see render.ts). */
interface Act {
  act(callback: () => Promise<void> | void): Promise<void>
}
const reactSpecifier = 'react'
const act = async (callback: () => Promise<void> | void): Promise<void> => (await (import(/* @vite-ignore */ reactSpecifier) as Promise<Act>)).act(callback)

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

const paused = (): LibraryView =>
  library({
    name: 'Restored Oost',
    status: 'expired',
    expiresAt: NOW - DAY,
    hold: { kind: 'paused', at: NOW - DAY, message: 'Restored from a backup whose token had expired: nothing is sent until you say so.', to: null }
  })

async function bannerOf(libraries: LibraryView[]): Promise<{ bridge: FakeBridge; rendered: Rendered; scheduler: ManualScheduler }> {
  const bridge = new FakeBridge()
  bridge.libraries = libraries
  const store = createAppStore(bridge)
  const scheduler = new ManualScheduler()
  await connectStore(store, bridge, scheduler).ready
  shown = await render(store, await component('LibrariesView'))
  return { bridge, rendered: shown, scheduler }
}

const refreshButton = (rendered: Rendered): ReturnType<Rendered['button']> | undefined => rendered.all('button').find((button) => button.textContent === 'Refresh all expiring')
const refreshedIds = (bridge: FakeBridge): string[] => bridge.calls.filter((call) => call.name === 'libraries.refresh').map((call) => (call.input as { id: string }).id)

describe('Refresh all expiring with a paused library', () => {
  it('is not offered when the only expired library is paused (the core would refuse it)', async () => {
    const { rendered } = await bannerOf([library({ status: 'healthy' }), paused()])
    expect(rendered.button('1 expired')).toBeDefined()
    expect(refreshButton(rendered)).toBeUndefined()
  })

  it('sends only the libraries the core refreshes, never the paused one', async () => {
    const held = paused()
    const expiring = library({ status: 'expiring_soon', expiresAt: NOW + 3_600_000 })
    const expired = library({ status: 'expired', expiresAt: NOW - 3_600_000 })
    const { bridge, rendered } = await bannerOf([held, expiring, expired, library({ status: 'healthy' })])
    const button = refreshButton(rendered)
    if (button === undefined) throw new Error('no Refresh all expiring button')
    await rendered.click(button)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(refreshedIds(bridge).sort()).toEqual([expiring.id, expired.id].sort())
    expect(refreshedIds(bridge)).not.toContain(held.id)
  })

  it('is offered once the hold is lifted (a person ticked "Refresh it now" and the library came back active)', async () => {
    const held = paused()
    const { rendered, bridge, scheduler } = await bannerOf([held, library({ status: 'healthy' })])
    expect(refreshButton(rendered)).toBeUndefined()
    const { hold: _lifted, ...active } = held
    await act(() => {
      bridge.emit('library.changed', listViewOf(active))
      scheduler.run()
    })
    expect(refreshButton(rendered)).toBeDefined()
  })
})
