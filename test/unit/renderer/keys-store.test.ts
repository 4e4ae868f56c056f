// The keys slice (issue 15, item 5): keys of other systems listed with the library list, kept current by
// 'key.changed' / 'key.removed', and each call made through the bridge with its view put in at once.
import { describe, expect, it } from 'vitest'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { ManualScheduler } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { airtableKey, bridgeWithKeys, safetyCultureKey, serviceTokenKey } from './key-fixtures.ts'

async function connected(keys = [safetyCultureKey({ name: 'Audits' }), airtableKey({ name: 'Tracking' })]) {
  const bridge = bridgeWithKeys(keys)
  bridge.libraries = [library({ name: 'Brasserie' })]
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  await new Promise((resolve) => setTimeout(resolve, 0))
  return { bridge, store, keys }
}

describe('the keys slice', () => {
  it('lists the keys once, asked right after the library list (they go in with its last rows: keys-with-list.test.ts)', async () => {
    const { bridge, store, keys } = await connected()
    const names = bridge.calls.map((call) => call.name)
    expect(names.indexOf('keys.list')).toBe(names.indexOf('libraries.listFirst') + 1)
    expect(names.filter((name) => name === 'keys.list')).toHaveLength(1)
    expect(store.getState().keyIds).toEqual(keys.map((key) => key.id))
    expect(store.getState().keysById[keys[0]!.id]?.name).toBe('Audits')
  })

  it('follows key.changed and key.removed', async () => {
    const { bridge, store, keys } = await connected()
    const added = serviceTokenKey({ name: 'Platform sync' })
    bridge.emit('key.changed', added)
    bridge.emit('key.changed', { ...keys[0]!, status: 'inactive' })
    expect(store.getState().keyIds).toEqual([keys[0]!.id, keys[1]!.id, added.id])
    expect(store.getState().keysById[keys[0]!.id]?.status).toBe('inactive')
    store.getState().select(keys[1]!.id)
    bridge.emit('key.removed', { id: keys[1]!.id })
    expect(store.getState().keyIds).toEqual([keys[0]!.id, added.id])
    expect(store.getState().selectedId).toBeNull()
  })

  it('makes each call through the bridge and puts the answered view in', async () => {
    const { bridge, store, keys } = await connected()
    const [sc, at] = keys as [ReturnType<typeof safetyCultureKey>, ReturnType<typeof airtableKey>]
    const state = () => store.getState()
    expect((await state().checkKey(sc.id)).ok).toBe(true)
    expect((await state().markKeyUsed(sc.id)).ok).toBe(true)
    expect((await state().updateKey({ id: sc.id, details: { keepAlive: true } })).ok).toBe(true)
    const kept = state().keysById[sc.id]
    expect(kept?.system === 'safetyculture' && kept.details.keepAlive).toBe(true)
    expect((await state().regenerateKey(at.id, 'pat-new-value')).ok).toBe(true)
    expect(state().keysById[at.id]?.tokenPreview).toBe('…n3w1')
    const receipt = await state().copyKey(sc.id, 'header')
    expect(receipt.ok && receipt.value).toMatchObject({ keyId: sc.id, format: 'header', preview: '…k3y9' })
    expect(bridge.inputsOf('keys.check')).toEqual([{ id: sc.id }])
    expect(bridge.inputsOf('keys.markUsed')).toEqual([{ id: sc.id }])
    expect(bridge.inputsOf('keys.update')).toEqual([{ id: sc.id, details: { keepAlive: true } }])
    expect(bridge.inputsOf('keys.regenerate')).toEqual([{ id: at.id, token: 'pat-new-value' }])
    expect(bridge.inputsOf('keys.copy')).toEqual([{ id: sc.id, format: 'header' }])
    // A copy announces itself with the masked preview only.
    expect(state().toasts.at(-1)?.text).toContain('…k3y9')
    expect(JSON.stringify(state().toasts)).not.toContain('pat-new-value')

    expect((await state().removeKey(at.id, 'Tracking')).ok).toBe(true)
    expect(state().keyIds).toEqual([sc.id])
  })

  it('records the admin’s lifecycle and says so', async () => {
    const token = serviceTokenKey({ name: 'Platform sync' })
    const { bridge, store } = await connected([token])
    expect((await store.getState().keyLifecycle(token.id, 'revoked')).ok).toBe(true)
    expect(bridge.inputsOf('keys.lifecycle')).toEqual([{ id: token.id, event: 'revoked' }])
    expect(store.getState().keysById[token.id]?.status).toBe('revoked')
    expect(store.getState().toasts.at(-1)?.text).toBe('Platform sync recorded as revoked by its admin.')
  })

  it('keeps the reason when the keys cannot be listed, and the libraries still load', async () => {
    const bridge = bridgeWithKeys([])
    bridge.answers['keys.list'] = () => ({ ok: false, error: { kind: 'internal', message: 'vault busy' } })
    bridge.libraries = [library()]
    const store = createAppStore(bridge)
    await connectStore(store, bridge, new ManualScheduler()).ready
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(store.getState().loadState).toBe('ready')
    expect(store.getState().keysError).toBe('vault busy')
  })
})
