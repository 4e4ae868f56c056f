// @vitest-environment happy-dom
// Connecting a personal token the first time (issue 19 item 11): the form says whose client ID and secret to use
// (the partner application's, not a library's own); the picker marks libraries already in Larder before anything
// is added, whether this token or another record holds them; an entry's detail title names the token it goes through.
import type { HTMLElement } from 'happy-dom'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallName, CallResult, PersonalActiveView, PersonalView } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { component, render, settle, type Rendered } from './render.ts'

const ok = <N extends CallName>(value: unknown): CallResult<N> => ({ ok: true, value }) as CallResult<N>

const ACTIVE: PersonalActiveView = {
  connectionId: 'pat',
  activeLibraryId: '1001',
  activeLibraryName: 'Brasserie Nord',
  expectedLibraryId: '1001',
  expectedLibraryName: 'Brasserie Nord',
  drifted: false,
  checkedAt: 1,
  problem: null
}

function personal(role: 'connection' | 'library', overrides: Partial<PersonalView> = {}): PersonalView {
  return { ...ACTIVE, role, connectionName: 'Pat Partner', isActive: false, libraryCount: 1, ...overrides }
}

/** ConnectPersonalDialog, loaded at run time by a path the type check does not follow (tsconfig.node.json has no JSX). */
async function connectDialog(): Promise<() => unknown> {
  const source: string = '../../../src/renderer/src/features/personal/ConnectPersonalDialog.tsx'
  const loaded = (await import(/* @vite-ignore */ source)) as { ConnectPersonalDialog: () => unknown }
  return loaded.ConnectPersonalDialog
}

async function storeOver(bridge: FakeBridge): Promise<AppStore> {
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  return store
}

/** The text that describes a field: what its aria-describedby points at. */
function description(view: Rendered, label: string): string {
  const found = view.all('label').find((element) => element.textContent.trim() === label)
  const input = view.all('input').find((element) => element.id === found?.getAttribute('for'))
  if (!input) throw new Error(`no field "${label}" in: ${view.root.textContent}`)
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean)
  return ids.map((id) => view.all(`[id="${id}"]`)[0]?.textContent ?? '').join(' ')
}

function item(view: Rendered, name: string): HTMLElement {
  const found = view.all('.discover-list li').find((element) => element.textContent.includes(name))
  if (!found) throw new Error(`no reachable library "${name}" in: ${view.root.textContent}`)
  return found
}

function checkbox(element: HTMLElement): HTMLElement {
  const box = element.querySelector('input[type="checkbox"]') as HTMLElement | null
  if (!box) throw new Error('no checkbox')
  return box
}

function row(view: Rendered, id: string): HTMLElement {
  const found = view.all('.library-row').find((element) => element.getAttribute('data-id') === id)
  if (!found) throw new Error(`no row ${id}`)
  return found
}

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

describe('connecting a personal token: whose client ID and secret', () => {
  it("asks for the partner application's client ID and secret, the one Apicbase gave the partner, not a library's own", async () => {
    const store = await storeOver(new FakeBridge())
    store.getState().openConnect()
    shown = await render(store, await connectDialog())
    const text = shown.root.textContent
    expect(text).not.toContain('(or a library’s)')
    expect(description(shown, 'Client ID')).toContain('your partner application')
    expect(description(shown, 'Client ID')).toContain('Apicbase gave you as an integration partner')
    expect(description(shown, 'Client ID')).toContain('not the client ID of a library’s own application')
    expect(description(shown, 'Client secret')).toContain('partner application')

    // Pressing on with the fields empty says the same.
    await shown.click(shown.button('Open Apicbase'))
    expect(description(shown, 'Client ID')).toContain('partner application')
    expect(description(shown, 'Client ID')).not.toContain('library’s API settings')
  })
})

describe('the libraries a personal token reaches', () => {
  it('marks those already in Larder before adding: this token’s entries, and another record of the same Apicbase library', async () => {
    const bridge = new FakeBridge()
    bridge.libraries = [library({ id: 'pat', name: 'Pat Partner', tokenType: 'personal', personal: personal('connection') })]
    bridge.answers['personal.libraries'] = () =>
      ok({
        connectionId: 'pat',
        state: ACTIVE,
        libraries: [
          { apicbaseLibraryId: '1001', name: 'Brasserie Nord', status: 'active', active: true, entryId: null },
          { apicbaseLibraryId: '1002', name: 'Café Zuid', status: 'active', active: false, entryId: 'zuid-pat' },
          {
            apicbaseLibraryId: '1003',
            name: 'Trattoria Oost',
            status: 'active',
            active: false,
            entryId: null,
            heldBy: [{ id: 'oost-sa', name: 'Oost kitchen', tokenType: 'service_account', connectionName: null }]
          }
        ]
      })
    const store = await storeOver(bridge)
    store.getState().openDiscover('pat')
    shown = await render(store, await connectDialog())
    await settle()

    expect(item(shown, 'Brasserie Nord').textContent).not.toContain('already in Larder')
    expect(checkbox(item(shown, 'Brasserie Nord')).hasAttribute('disabled')).toBe(false)
    // Already an entry of this token: nothing to add.
    expect(item(shown, 'Café Zuid').textContent).toContain('already in Larder')
    expect(checkbox(item(shown, 'Café Zuid')).hasAttribute('disabled')).toBe(true)
    // Held by a service-account record: marked, named, and still possible to add through this token (another token type).
    expect(item(shown, 'Trattoria Oost').textContent).toContain('already in Larder as a service account (Oost kitchen)')
    expect(checkbox(item(shown, 'Trattoria Oost')).hasAttribute('disabled')).toBe(false)
  })
})

describe('the detail of a library reached through a personal token', () => {
  it('is titled with the token it goes through: "Trattoria Oost via Pat Partner"', async () => {
    const bridge = new FakeBridge()
    bridge.libraries = [
      library({ id: 'pat', name: 'Pat Partner', tokenType: 'personal', personal: personal('connection') }),
      library({ id: 'oost-pat', name: 'Trattoria Oost', tokenType: 'personal', apicbaseLibraryId: '1003', personal: personal('library') }),
      library({ id: 'oost-sa', name: 'Trattoria Oost', apicbaseLibraryId: '1003' })
    ]
    bridge.answers['audit.page'] = () => ok({ entries: [], nextBefore: null })
    const store = await storeOver(bridge)
    shown = await render(store, await component('LibrariesView'))
    await shown.click(row(shown, 'oost-pat'))
    expect(shown.all('#detail-title').map((title) => title.textContent)).toEqual(['Trattoria Oost via Pat Partner'])
    await shown.click(row(shown, 'oost-sa'))
    expect(shown.all('#detail-title').map((title) => title.textContent)).toEqual(['Trattoria Oost'])
  })
})
