// The keys of other systems are asked with the library list and go in with its last rows (issue 15's mixed list: one
// render of the whole list, not a second one when the keys join). Key events that arrive between the keys' answer and
// that moment are newer than the answer and are not lost; a refused keys.list is said, the libraries still come in.
import { describe, expect, it } from 'vitest'
import { createBridgeClient } from '../../../src/renderer/src/bridge/client.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import type { KeyView } from '../../../src/shared/contract.ts'
import { FakeBridge } from './fake-bridge.ts'
import { airtableKey, safetyCultureKey, serviceTokenKey } from './key-fixtures.ts'
import { PagingMain, seeded } from './paging-main.ts'

const LIBRARIES = 1_000
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0))
}

function connected(keys: readonly KeyView[] | { refused: string }) {
  const main = new PagingMain(new FakeBridge())
  seeded(main, LIBRARIES)
  main.bridge.answers['keys.list'] = () =>
    'refused' in keys ? { ok: false, error: { kind: 'internal', message: keys.refused } } : { ok: true, value: { keys: [...keys] } }
  const store = createAppStore(createBridgeClient(main.bridge))
  // Every state the store goes through, as (libraries, keys) in it.
  const seen: { libraries: number; keys: number }[] = []
  store.subscribe((state) => seen.push({ libraries: state.ids.length, keys: state.keyIds.length }))
  const connection = connectStore(store, createBridgeClient(main.bridge), { schedule: (callback) => void setTimeout(callback, 0) }, { warm: () => {}, afterPaint: (callback) => setTimeout(callback, 0) })
  return { main, store, seen, connection }
}

describe('the keys with the library list', () => {
  it('asks keys.list right after the first page and puts the keys in with the last rows: no state has the whole list without them', async () => {
    const keys = [safetyCultureKey({ name: 'Audits' }), airtableKey({ name: 'Tracking' }), serviceTokenKey({ name: 'Platform' })]
    const { main, store, seen, connection } = connected(keys)
    await connection.ready
    await settle()
    const names = main.bridge.calls.map((call) => call.name)
    expect(names.indexOf('keys.list')).toBe(names.indexOf('libraries.listFirst') + 1)
    expect(names.indexOf('keys.list')).toBeLessThan(names.indexOf('libraries.listMore'))
    expect(names.filter((name) => name === 'keys.list')).toHaveLength(1)
    expect(store.getState().ids).toHaveLength(LIBRARIES)
    expect(store.getState().keyIds).toEqual(keys.map((key) => key.id))
    const whole = seen.filter((state) => state.libraries === LIBRARIES)
    expect(whole.length).toBeGreaterThan(0)
    expect(whole.filter((state) => state.keys !== keys.length), 'a state with the whole list but not its keys').toEqual([])
    // The first page came first, without keys: it is not held up by them.
    expect(seen.some((state) => state.libraries > 0 && state.libraries < LIBRARIES && state.keys === 0)).toBe(true)
  })

  it('puts the keys in with the whole list when the first page cannot be had (a host without libraries.listFirst)', async () => {
    const keys = [safetyCultureKey({ name: 'Audits' }), airtableKey({ name: 'Tracking' })]
    const { main, store, seen, connection } = connected(keys)
    delete main.bridge.answers['libraries.listFirst']
    await connection.ready
    await settle()
    const names = main.bridge.calls.map((call) => call.name)
    expect(names.slice(names.indexOf('libraries.listFirst'))).toEqual(expect.arrayContaining(['keys.list', 'libraries.list']))
    expect(store.getState().ids).toHaveLength(LIBRARIES)
    expect(store.getState().keyIds).toEqual(keys.map((key) => key.id))
    expect(seen.filter((state) => state.libraries === LIBRARIES && state.keys !== keys.length), 'a state with the whole list but not its keys').toEqual([])
  })

  it('keeps a key event that arrives after the keys answered and before the rest is in', async () => {
    const kept = safetyCultureKey({ name: 'Audits' })
    const gone = airtableKey({ name: 'Tracking' })
    const { main, store, connection } = connected([kept, gone])
    const added = serviceTokenKey({ name: 'Platform sync' })
    let once = false
    main.aroundChunk = () => {
      if (once) return
      once = true
      main.bridge.emit('key.changed', { ...kept, status: 'inactive' })
      main.bridge.emit('key.changed', added)
      main.bridge.emit('key.removed', { id: gone.id })
    }
    await connection.ready
    await settle()
    expect(once).toBe(true)
    expect(store.getState().keyIds).toEqual([kept.id, added.id])
    expect(store.getState().keysById[kept.id]?.status).toBe('inactive')
    // After the list is in, events apply directly again.
    main.bridge.emit('key.removed', { id: added.id })
    expect(store.getState().keyIds).toEqual([kept.id])
  })

  it('says a refused keys.list where the keys would be, and the libraries still come in', async () => {
    const { store, connection } = connected({ refused: 'The keys could not be read.' })
    await connection.ready
    await settle()
    expect(store.getState().ids).toHaveLength(LIBRARIES)
    expect(store.getState().keysError).toBe('The keys could not be read.')
    expect(store.getState().keyIds).toEqual([])
  })
})
