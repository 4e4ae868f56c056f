// @vitest-environment happy-dom
// A notification about a key, clicked (issue 15): the host's 'navigate.key' brings the list back and opens the key's
// pane, whatever view the window was on; a library's 'navigate.library' still opens the library's.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { ManualScheduler } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { airtableKey, bridgeWithKeys, safetyCultureKey } from './key-fixtures.ts'
import { component, render, settle, type Rendered } from './render.ts'

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

describe('navigating to a key from the desktop', () => {
  it("'navigate.key' selects the key and shows its pane; 'navigate.library' a library's", async () => {
    const key = safetyCultureKey({ name: 'Grill Haven inspections', status: 'expiring_soon' })
    const bridge = bridgeWithKeys([airtableKey({ name: 'Tracking base' }), key])
    const brasserie = library({ name: 'Brasserie Nord' })
    bridge.libraries = [brasserie]
    const store = createAppStore(bridge)
    await connectStore(store, bridge, new ManualScheduler()).ready
    await settle()
    store.getState().setView('settings')

    bridge.emit('navigate.key', { id: key.id })
    expect(store.getState().view).toBe('libraries')
    expect(store.getState().selectedId).toBe(key.id)
    shown = await render(store, await component('LibrariesView'))
    // The key's pane: its code loads the first time one is opened.
    await vi.waitFor(async () => {
      await settle(10)
      if (shown?.all('.key-detail').length === 0) throw new Error("the key's pane is not there yet")
    })
    expect(shown.all('.key-detail #detail-title').map((title) => title.textContent)).toEqual(['Grill Haven inspections'])

    bridge.emit('navigate.library', { id: brasserie.id })
    await settle()
    expect(store.getState().selectedId).toBe(brasserie.id)
    expect(shown.all('.key-detail')).toHaveLength(0)
  })

  it("'navigate.key' for a key the window does not hold (removed meanwhile) leaves the selection as it was", async () => {
    const key = airtableKey({ name: 'Tracking base' })
    const bridge = bridgeWithKeys([key])
    const brasserie = library({ name: 'Brasserie Nord' })
    bridge.libraries = [brasserie]
    const store = createAppStore(bridge)
    await connectStore(store, bridge, new ManualScheduler()).ready
    await settle()
    store.getState().select(brasserie.id)
    bridge.emit('key.removed', { id: key.id })
    bridge.emit('navigate.key', { id: key.id })
    expect(store.getState().selectedId).toBe(brasserie.id)
  })

  it("'navigate.key' that comes before the keys are in (the window just opened) opens the key once they are", async () => {
    const key = airtableKey({ name: 'Tracking base' })
    const bridge = bridgeWithKeys([key])
    bridge.libraries = [library({ name: 'Brasserie Nord' })]
    const listed = bridge.answers['keys.list']!
    let answer: () => void = () => undefined
    bridge.answers['keys.list'] = (input) => new Promise((resolve) => (answer = () => resolve(listed(input))))
    const store = createAppStore(bridge)
    // The load waits for the keys' answer (they go in with the list), so it is awaited after the answer is let go.
    const connection = connectStore(store, bridge, new ManualScheduler())
    await settle()
    bridge.emit('navigate.key', { id: key.id })
    expect(store.getState().keyIds).toEqual([])
    answer()
    await connection.ready
    await settle()
    expect(store.getState().selectedId).toBe(key.id)
  })
})
