// The store and its bridge feed, with a fake bridge in plain Node: no DOM, no window.
import { describe, expect, it } from 'vitest'
import { createBridgeClient, NOT_CONNECTED } from '../../../src/renderer/src/bridge/client.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { createNowStore, startTicker, type TickerClock } from '../../../src/renderer/src/store/now.ts'
import { createStatusCountsSelector, createVisibleIdsSelector, selectVisibleIds } from '../../../src/renderer/src/store/selectors.ts'
import { listViewOf } from '../../../src/shared/library-list-view.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { library, NOW } from './fixtures.ts'

async function connected(bridge: FakeBridge) {
  const store = createAppStore(createBridgeClient(bridge))
  const scheduler = new ManualScheduler()
  const connection = connectStore(store, createBridgeClient(bridge), scheduler)
  await connection.ready
  return { store, scheduler, connection }
}

describe('bridge client', () => {
  it('answers every call with a clear error when Larder is not there', async () => {
    const client = createBridgeClient(null)
    expect(client.connected).toBe(false)
    expect(await client.call('libraries.list', {})).toEqual({ ok: false, error: { kind: 'internal', message: NOT_CONNECTED } })
    expect(typeof client.on('library.changed', () => undefined)).toBe('function')
  })

  it('turns a transport failure into an error result instead of a rejection', async () => {
    const bridge = new FakeBridge()
    bridge.answers['libraries.list'] = () => Promise.reject(new Error('socket closed'))
    const result = await createBridgeClient(bridge).call('libraries.list', {})
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error.message).toContain('socket closed')
  })
})

describe('the store fed by the bridge', () => {
  it('loads the list once the vault is open, then follows events without polling', async () => {
    const bridge = new FakeBridge()
    const a = library({ name: 'A' })
    bridge.libraries = [a]
    const { store, scheduler } = await connected(bridge)
    expect(store.getState().loadState).toBe('ready')
    expect(store.getState().ids).toEqual([a.id])
    expect(store.getState().settings?.clipboardClearMs).toBe(30_000)
    const listCalls = bridge.calls.filter((c) => c.name === 'libraries.list').length

    const b = library({ name: 'B' })
    bridge.emit('library.changed', b)
    bridge.emit('library.changed', { ...a, status: 'expiring_soon' })
    expect(store.getState().ids).toEqual([a.id]) // gathered, not yet applied
    scheduler.run()
    expect(store.getState().ids).toEqual([a.id, b.id])
    expect(store.getState().byId[a.id]?.status).toBe('expiring_soon')

    bridge.emit('library.removed', { id: a.id })
    scheduler.run()
    expect(store.getState().ids).toEqual([b.id])
    expect(bridge.calls.filter((c) => c.name === 'libraries.list').length).toBe(listCalls)
  })

  it('applies a burst of events for many libraries in one update', async () => {
    const bridge = new FakeBridge()
    const { store, scheduler } = await connected(bridge)
    let updates = 0
    store.subscribe((state, previous) => {
      if (state.byId !== previous.byId) updates += 1
    })
    for (let i = 0; i < 5000; i++) bridge.emit('library.changed', library({ name: `L${i}` }))
    expect(scheduler.queued.length).toBe(1)
    scheduler.run()
    expect(updates).toBe(1)
    expect(store.getState().ids.length).toBe(5000)
  })

  it('keeps only the latest event per library, and a removal wins over an earlier change', async () => {
    const bridge = new FakeBridge()
    const a = library({ name: 'A' })
    bridge.libraries = [a]
    const { store, scheduler } = await connected(bridge)
    const row = listViewOf(a)
    bridge.emit('library.changed', { ...row, status: 'refreshing' })
    bridge.emit('library.changed', { ...row, status: 'healthy', lastRefreshedAt: 0xbeef })
    scheduler.run()
    expect(store.getState().byId[a.id]?.lastRefreshedAt).toBe(0xbeef)
    bridge.emit('library.changed', { ...row, status: 'refreshing' })
    bridge.emit('library.removed', { id: a.id })
    scheduler.run()
    expect(store.getState().byId[a.id]).toBeUndefined()
  })

  it('clears the selection when the selected library is removed, and navigate.library selects one', async () => {
    const bridge = new FakeBridge()
    const a = library()
    const b = library()
    bridge.libraries = [a, b]
    const { store, scheduler } = await connected(bridge)
    store.getState().setView('settings')
    bridge.emit('navigate.library', { id: b.id })
    expect(store.getState().selectedId).toBe(b.id)
    expect(store.getState().view).toBe('libraries')
    bridge.emit('library.removed', { id: b.id })
    scheduler.run()
    expect(store.getState().selectedId).toBeNull()
  })

  it('waits for a locked vault to open before asking for libraries', async () => {
    const bridge = new FakeBridge()
    bridge.vault = { state: 'locked', mode: 'unlock' }
    bridge.libraries = [library()]
    bridge.answers['vault.unlock'] = (input) =>
      (input as { passphrase: string }).passphrase === 'right one'
        ? { ok: true, value: { state: 'open', cipher: 'passphrase' } }
        : { ok: false, error: { kind: 'invalid_input', field: 'passphrase', message: 'Wrong passphrase' } }
    const { store } = await connected(bridge)
    expect(store.getState().vault).toEqual({ state: 'locked', mode: 'unlock' })
    expect(bridge.calls.some((c) => c.name === 'libraries.list')).toBe(false)

    const wrong = await store.getState().unlockVault('wrong')
    expect(wrong.ok).toBe(false)
    expect(store.getState().vault?.state).toBe('locked')

    await store.getState().unlockVault('right one')
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(store.getState().vault?.state).toBe('open')
    expect(store.getState().loadState).toBe('ready')
    expect(store.getState().ids.length).toBe(1)
    // The passphrase is not kept anywhere in the store.
    expect(JSON.stringify(store.getState())).not.toContain('right one')
  })

  it('opens when the vault.state event says so', async () => {
    const bridge = new FakeBridge()
    bridge.vault = { state: 'opening' }
    const { store } = await connected(bridge)
    expect(store.getState().loadState).toBe('idle')
    bridge.emit('vault.state', { state: 'open', cipher: 'keychain' })
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(store.getState().loadState).toBe('ready')
  })

  it('says when the list could not be loaded', async () => {
    const bridge = new FakeBridge()
    bridge.answers['libraries.list'] = () => ({ ok: false, error: { kind: 'vault', message: 'The vault could not be read' } })
    const { store } = await connected(bridge)
    expect(store.getState().loadState).toBe('failed')
    expect(store.getState().loadError).toBe('The vault could not be read')
  })
})

describe('actions', () => {
  it('refresh all expiring refreshes only expiring and expired libraries, with progress', async () => {
    const bridge = new FakeBridge()
    const expiring = library({ status: 'expiring_soon' })
    const expired = library({ status: 'expired' })
    const healthy = library({ status: 'healthy' })
    const reauth = library({ status: 'needs_reauth' })
    bridge.libraries = [expiring, expired, healthy, reauth]
    bridge.answers['libraries.refresh'] = (input) => {
      const id = (input as { id: string }).id
      if (id === expired.id) return { ok: false, error: { kind: 'api', apiKind: 'network', message: 'offline' } }
      return { ok: true, value: { ...expiring, status: 'healthy' } }
    }
    const { store } = await connected(bridge)
    const progress: number[] = []
    store.subscribe((state) => {
      if (state.bulk) progress.push(state.bulk.done)
    })
    await store.getState().refreshAllExpiring()
    expect(bridge.calls.filter((c) => c.name === 'libraries.refresh').map((c) => (c.input as { id: string }).id).sort()).toEqual([expiring.id, expired.id].sort())
    expect(store.getState().bulk).toEqual({ running: false, total: 2, done: 2, failed: 1 })
    expect(progress).toContain(1)
    expect(store.getState().byId[expiring.id]?.status).toBe('healthy')
    expect(store.getState().toasts.at(-1)?.tone).toBe('error')
  })

  it('a copy shows only the receipt: the masked preview and when the clipboard clears', async () => {
    const bridge = new FakeBridge()
    const a = library({ name: 'Nord' })
    bridge.libraries = [a]
    bridge.answers['libraries.copy'] = () => ({ ok: true, value: { libraryId: a.id, format: 'token', preview: '…a91f', clearsAt: NOW + 30_000 } })
    const { store } = await connected(bridge)
    await store.getState().copyLibrary(a.id, 'token')
    expect(store.getState().toasts.at(-1)?.text).toBe('Token for Nord copied (…a91f). Clears in 30 s.')
    await store.getState().copyLibrary(a.id, 'token', { announce: false })
    expect(store.getState().toasts.length).toBe(1)
  })

  it('remove passes the typed name and drops the library on success', async () => {
    const bridge = new FakeBridge()
    const a = library({ name: 'Nord' })
    bridge.libraries = [a]
    bridge.answers['libraries.remove'] = () => ({ ok: true, value: { removed: a.id } })
    const { store } = await connected(bridge)
    store.getState().select(a.id)
    await store.getState().removeLibrary(a.id, 'Nord')
    expect(bridge.calls.find((c) => c.name === 'libraries.remove')?.input).toEqual({ id: a.id, confirmName: 'Nord' })
    expect(store.getState().ids).toEqual([])
    expect(store.getState().selectedId).toBeNull()
  })
})

describe('selectors', () => {
  it('returns the same array while nothing it depends on changed, and re-filters without re-sorting', async () => {
    const bridge = new FakeBridge()
    bridge.libraries = [library({ name: 'Bravo' }), library({ name: 'Alpha', status: 'expired' })]
    const { store } = await connected(bridge)
    const select = createVisibleIdsSelector()
    const first = select(store.getState())
    store.getState().pushToast('info', 'unrelated')
    expect(select(store.getState())).toBe(first)
    store.getState().setSearch('alpha')
    expect(select(store.getState())).toEqual([store.getState().ids[1]])
    store.getState().setSearch('')
    expect(select(store.getState())).toEqual(first)
  })

  it('the shared visible-ids selector and the counts follow the libraries', async () => {
    const bridge = new FakeBridge()
    bridge.libraries = [library({ status: 'expired' }), library({ status: 'healthy' })]
    const { store } = await connected(bridge)
    expect(selectVisibleIds(store.getState()).length).toBe(2)
    const counts = createStatusCountsSelector()
    const before = counts(store.getState())
    expect(before.expired).toBe(1)
    store.getState().pushToast('info', 'unrelated')
    expect(counts(store.getState())).toBe(before)
  })
})

describe('the shared ticker', () => {
  it('ticks every 30 s normally, every second near an expiry, and stops', () => {
    let now = NOW
    const timers: { at: number; callback: () => void }[] = []
    const clock: TickerClock = {
      now: () => now,
      setTimeout: (callback, ms) => {
        const timer = { at: now + ms, callback }
        timers.push(timer)
        return timer
      },
      clearTimeout: (handle) => {
        const index = timers.indexOf(handle as (typeof timers)[number])
        if (index >= 0) timers.splice(index, 1)
      }
    }
    const store = createNowStore(0)
    let expiries: (number | null)[] = [NOW + 10 * 60_000]
    const ticker = startTicker(store, () => expiries, clock)
    expect(store.getState().now).toBe(NOW)
    expect(timers.map((t) => t.at - now)).toEqual([30_000])
    expiries = [NOW + 45_000]
    ticker.poke()
    expect(timers.map((t) => t.at - now)).toEqual([1000])
    now += 1000
    timers.shift()?.callback()
    expect(store.getState().now).toBe(NOW + 1000)
    ticker.stop()
    expect(timers).toEqual([])
  })
})
