// Personal tokens in the renderer: the pure helpers (drift wording, the entry to switch back to, the OAuth form)
// and the store following events and refusals, with a fake bridge in Node.
import { describe, expect, it } from 'vitest'
import type { LibraryView, PersonalActiveView, PersonalView } from '../../../src/shared/contract.ts'
import { createBridgeClient } from '../../../src/renderer/src/bridge/client.ts'
import { EMPTY_OAUTH_DRAFT, missingOAuthFields, oauthFieldOfError, toOAuthStart } from '../../../src/renderer/src/features/personal/oauth-form.ts'
import {
  actsOnLabel,
  driftedTokens,
  driftSentence,
  isCodeRefusal,
  isDriftRefusal,
  removeConsequence,
  switchBackTarget
} from '../../../src/renderer/src/lib/personal.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { library } from './fixtures.ts'

const ACTIVE: PersonalActiveView = {
  connectionId: 'conn',
  activeLibraryId: '1001',
  activeLibraryName: 'Brasserie Nord',
  expectedLibraryId: '1001',
  expectedLibraryName: 'Brasserie Nord',
  drifted: false,
  checkedAt: 1,
  problem: null
}

function personal(role: 'connection' | 'library', overrides: Partial<PersonalView> = {}): PersonalView {
  return { ...ACTIVE, role, connectionName: 'Pat', isActive: false, libraryCount: 2, ...overrides }
}

function world(): { byId: Record<string, LibraryView>; ids: string[]; connection: LibraryView; nord: LibraryView; zuid: LibraryView; other: LibraryView } {
  const connection = library({ id: 'conn', name: 'Pat', tokenType: 'personal', apicbaseLibraryId: '1001', personal: personal('connection') })
  const nord = library({ id: 'nord', name: 'Brasserie Nord', tokenType: 'personal', apicbaseLibraryId: '1001', personal: personal('library', { isActive: true }) })
  const zuid = library({ id: 'zuid', name: 'Café Zuid', tokenType: 'personal', apicbaseLibraryId: '1002', personal: personal('library') })
  const other = library({ id: 'other', name: 'Service' })
  const all = [other, connection, nord, zuid]
  return { byId: Object.fromEntries(all.map((l) => [l.id, l])), ids: all.map((l) => l.id), connection, nord, zuid, other }
}

const DRIFT: PersonalActiveView = { ...ACTIVE, activeLibraryId: '1002', activeLibraryName: 'Café Zuid', drifted: true, checkedAt: 2 }

/** The rows as Larder sends them after the token drifted to Café Zuid: one 'library.changed' each, already right. */
function driftedRows(): { connection: LibraryView; nord: LibraryView; zuid: LibraryView } {
  const { connection, nord, zuid } = world()
  return {
    connection: { ...connection, personal: personal('connection', DRIFT) },
    nord: { ...nord, personal: personal('library', { ...DRIFT, isActive: false }) },
    zuid: { ...zuid, personal: personal('library', { ...DRIFT, isActive: true }) }
  }
}

describe('personal-token helpers', () => {
  it('words the active library and a drift the way the issue asks', () => {
    expect(actsOnLabel(ACTIVE)).toBe('acts on: Brasserie Nord')
    expect(driftSentence(DRIFT)).toBe('changed outside Larder: now Café Zuid (Larder left it on Brasserie Nord)')
    expect(actsOnLabel({ ...ACTIVE, activeLibraryName: null })).toBe('acts on: library #1001')
    expect(actsOnLabel({ ...ACTIVE, activeLibraryName: null, activeLibraryId: null })).toBe('acts on: no library yet')
  })

  it('finds each drifted token once, with the entry to switch back to', () => {
    const { byId, ids } = world()
    expect(driftedTokens(byId, ids)).toEqual([])
    const drifted = { ...byId, ...Object.fromEntries(Object.values(driftedRows()).map((l) => [l.id, l])) }
    const tokens = driftedTokens(drifted, ids)
    expect(tokens).toHaveLength(1)
    expect(tokens[0]).toMatchObject({ connectionId: 'conn', connectionName: 'Pat', switchBackId: 'nord' })
    expect(switchBackTarget(drifted, ids, 'conn', '1003')).toBeNull()
    expect(switchBackTarget(drifted, ids, 'conn', null)).toBeNull()
  })

  it('says what removing takes with it', () => {
    const { connection, nord, other } = world()
    expect(removeConsequence(connection)).toMatch(/also removes its 2 libraries/)
    expect(removeConsequence(nord)).toMatch(/Only this library goes/)
    expect(removeConsequence(other)).toBeNull()
  })

  it('recognises drift refusals and refused codes', () => {
    expect(isDriftRefusal({ kind: 'api', apiKind: 'library_drift', message: 'x' })).toBe(true)
    expect(isDriftRefusal({ kind: 'api', apiKind: 'invalid_grant', message: 'x' })).toBe(false)
    expect(isCodeRefusal({ kind: 'api', apiKind: 'invalid_grant', message: 'x' })).toBe(true)
    expect(isCodeRefusal({ kind: 'invalid_input', message: 'x' })).toBe(false)
  })

  it('checks the OAuth form locally and sends only what was given', () => {
    expect(Object.keys(missingOAuthFields(EMPTY_OAUTH_DRAFT))).toEqual(['clientId', 'clientSecret'])
    expect(Object.keys(missingOAuthFields({ ...EMPTY_OAUTH_DRAFT, clientId: 'c', clientSecret: 's', scopes: [] }))).toEqual(['scopes'])
    expect(toOAuthStart({ ...EMPTY_OAUTH_DRAFT, clientId: 'c', clientSecret: 's' })).toEqual({ clientId: 'c', clientSecret: 's', scopes: ['accounts', 'library'], redirect: 'paste' })
    expect(toOAuthStart({ ...EMPTY_OAUTH_DRAFT, name: ' Pat ', clientId: 'c', clientSecret: 's', apiBaseUrl: ' http://x ', redirect: 'loopback' })).toMatchObject({
      name: 'Pat',
      apiBaseUrl: 'http://x',
      redirect: 'loopback'
    })
    expect(oauthFieldOfError({ kind: 'invalid_input', field: 'scopes[0]', message: 'x' })).toBe('scopes')
    expect(oauthFieldOfError({ kind: 'api', apiKind: 'invalid_client', message: 'x' })).toBe('clientSecret')
    expect(oauthFieldOfError({ kind: 'api', apiKind: 'network', message: 'x' })).toBeNull()
  })
})

async function connected(bridge: FakeBridge) {
  const client = createBridgeClient(bridge)
  const store = createAppStore(client)
  const scheduler = new ManualScheduler()
  const connection = connectStore(store, client, scheduler)
  await connection.ready
  return { store, scheduler }
}

describe('the store and personal tokens', () => {
  it('adds entries that first arrive as library.changed (an upsert), then follows the rows Larder sends with personal.active', async () => {
    const bridge = new FakeBridge()
    const { connection, nord, zuid } = world()
    bridge.libraries = [connection]
    const { store, scheduler } = await connected(bridge)
    bridge.emit('library.changed', nord)
    bridge.emit('library.changed', zuid)
    scheduler.run()
    expect(store.getState().ids).toEqual(['conn', 'nord', 'zuid'])
    // A stale library.changed still queued must not undo the newer active library: Larder sends every row of the
    // token again with the event, and the latest event per row wins.
    bridge.emit('library.changed', nord)
    bridge.emit('personal.active', DRIFT)
    for (const row of Object.values(driftedRows())) bridge.emit('library.changed', row)
    scheduler.run()
    expect(store.getState().byId['nord']?.personal?.drifted).toBe(true)
    expect(store.getState().byId['zuid']?.personal?.isActive).toBe(true)
  })

  it('keeps the personal.active payload for the token and leaves the rows to library.changed', async () => {
    const bridge = new FakeBridge()
    const { connection, nord, zuid } = world()
    bridge.libraries = [connection, nord, zuid]
    const { store, scheduler } = await connected(bridge)
    const rows = store.getState().byId
    bridge.emit('personal.active', DRIFT)
    scheduler.run()
    expect(store.getState().personalActive['conn']).toEqual(DRIFT)
    expect(store.getState().byId).toBe(rows)
    expect(store.getState().byId['zuid']?.personal?.isActive).toBe(false)
  })

  it('remembers a copy refused for drift (no toast), and forgets it once the drift ends', async () => {
    const bridge = new FakeBridge()
    const { connection, nord } = world()
    bridge.libraries = [connection, nord]
    bridge.answers['libraries.copy'] = () => ({ ok: false, error: { kind: 'api', apiKind: 'library_drift', message: 'changed outside Larder' } })
    const { store } = await connected(bridge)
    const result = await store.getState().copyLibrary('nord', 'token')
    expect(result.ok).toBe(false)
    expect(store.getState().driftRefusal).toEqual({ connectionId: 'conn', libraryId: 'nord', message: 'changed outside Larder' })
    expect(store.getState().toasts).toEqual([])
    store.getState().notePersonalActive(DRIFT)
    expect(store.getState().driftRefusal).not.toBeNull()
    store.getState().notePersonalActive(ACTIVE)
    expect(store.getState().driftRefusal).toBeNull()
  })

  it('switching back applies the answer and clears the refusal', async () => {
    const bridge = new FakeBridge()
    const { connection, nord } = world()
    bridge.libraries = [connection, { ...nord, personal: personal('library', { ...DRIFT, isActive: false }) }]
    bridge.answers['personal.switch'] = () => ({ ok: true, value: nord })
    const { store } = await connected(bridge)
    store.getState().noteDriftRefusal({ connectionId: 'conn', libraryId: 'nord', message: 'm' })
    const result = await store.getState().switchPersonal('nord')
    expect(result.ok).toBe(true)
    expect(store.getState().byId['nord']?.personal?.drifted).toBe(false)
    expect(store.getState().byId['conn']?.personal?.drifted).toBe(false)
    expect(store.getState().driftRefusal).toBeNull()
    expect(store.getState().toasts.at(-1)?.text).toMatch(/now acts on Brasserie Nord/)
  })

  it('opening the connect dialog closes the add dialog', async () => {
    const { store } = await connected(new FakeBridge())
    store.getState().openAdd()
    store.getState().openConnect()
    expect(store.getState().addOpen).toBe(false)
    expect(store.getState().personalDialog).toEqual({ mode: 'connect' })
  })
})
