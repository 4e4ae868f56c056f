// @vitest-environment happy-dom
// The add form and a library Larder already holds (issue 19, item 9): the form warns as soon as the client ID is one
// the store knows for that token type, naming the entry, before Save; Save then sends nothing; "Add it anyway" sends
// the confirmation; "Open the existing one" goes to it. A refusal from Larder (the store did not know) is shown. After
// an add, the saved dialog says when the Apicbase library is one another entry of that token type already reaches,
// and its "remove it now" has a Remove button behind the usual confirmation (item 16).
import type { HTMLElement } from 'happy-dom'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallName, CallResult } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { library, NOW } from './fixtures.ts'
import { component, render, settle, type Rendered } from './render.ts'
import { field, type } from './typing.ts'

const ok = <N extends CallName>(value: unknown): CallResult<N> => ({ ok: true, value }) as CallResult<N>

const ZUID = library({ id: 'zuid', name: 'Café Zuid', clientId: 'client-zuid', apicbaseLibraryId: '1002', apicbaseLibraryName: 'Café Zuid', addedAt: NOW })

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

async function openForm(bridge: FakeBridge): Promise<{ store: AppStore; view: Rendered }> {
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  await settle()
  store.getState().openAdd()
  shown = await render(store, await component('AddLibraryDialog'))
  return { store, view: shown }
}

async function fill(view: Rendered, clientId: string, name = 'Café Zuid again'): Promise<void> {
  for (const [label, value] of [
    ['Name', name],
    ['Client ID', clientId],
    ['Client secret', 'secret-1'],
    ['Access token', 'access-1'],
    ['Refresh token', 'refresh-1']
  ] as const) {
    await type(field(view, label), value)
  }
}

const warning = (view: Rendered): HTMLElement | undefined => view.all('.duplicate-warning')[0]

describe('the add form, for a library Larder already holds', () => {
  it('warns as the client ID is typed, naming the entry; Save sends nothing; "Add it anyway" sends the confirmation', async () => {
    const bridge = new FakeBridge()
    bridge.libraries = [ZUID, library({ name: 'Brasserie Nord' })]
    bridge.answers['libraries.add'] = () => ok(library({ name: 'Café Zuid again', clientId: 'client-zuid' }))
    const { view } = await openForm(bridge)
    expect(warning(view)).toBeUndefined()

    await type(field(view, 'Client ID'), ' "client-zuid"\n')
    const shownWarning = warning(view)
    expect(shownWarning?.textContent).toContain('"Café Zuid" (Apicbase library "Café Zuid", id 1002; added 2026-11-25)')
    expect(view.all('.duplicate-warning button').map((button) => button.textContent)).toEqual(['Open the existing one', 'Add it anyway'])

    // A connected application's client ID is the partner's, shared by every customer: no warning.
    const connected = view.all('input[type="radio"]').find((radio) => radio.getAttribute('value') === 'connected_application')
    if (!connected) throw new Error('no connected-application choice')
    await view.click(connected)
    expect(warning(view)).toBeUndefined()
    const service = view.all('input[type="radio"]').find((radio) => radio.getAttribute('value') === 'service_account')
    if (!service) throw new Error('no service-account choice')
    await view.click(service)
    expect(warning(view)).toBeDefined()

    await fill(view, 'client-zuid')
    await view.click(view.button('Save'))
    expect(bridge.inputsOf('libraries.add')).toEqual([])
    expect(view.all('.duplicate-warning [role="alert"]').map((alert) => alert.textContent)).toEqual([expect.stringMatching(/Open the existing one, or add it anyway/)])

    await view.click(view.button('Add it anyway'))
    expect(bridge.inputsOf('libraries.add')).toEqual([expect.objectContaining({ clientId: 'client-zuid', confirmDuplicateOf: 'zuid' })])
    expect(view.root.textContent).toContain('Café Zuid again is saved.')
  })

  it('"Open the existing one" selects it and closes the form, sending nothing', async () => {
    const bridge = new FakeBridge()
    bridge.libraries = [ZUID]
    const { store, view } = await openForm(bridge)
    await type(field(view, 'Client ID'), 'client-zuid')
    await view.click(view.button('Open the existing one'))
    expect(store.getState().selectedId).toBe('zuid')
    expect(store.getState().addOpen).toBe(false)
    expect(bridge.inputsOf('libraries.add')).toEqual([])
  })

  it('shows Larder’s refusal when the store did not know the library', async () => {
    const bridge = new FakeBridge()
    const message =
      'This library is already in Larder: "Café Zuid" (Apicbase library "Café Zuid", id 1002; added 2026-11-25) has this client ID and token type. Nothing was sent or saved.'
    bridge.answers['libraries.add'] = () => ({ ok: false, error: { kind: 'invalid_input', field: 'confirmDuplicateOf', message } })
    const { view } = await openForm(bridge)
    await fill(view, 'client-zuid')
    await view.click(view.button('Save'))
    expect(bridge.inputsOf('libraries.add')).toHaveLength(1)
    expect(view.all('[role="alert"]').map((alert) => alert.textContent)).toEqual([expect.stringContaining('"Café Zuid" (Apicbase library "Café Zuid", id 1002')])
  })
})

describe('the saved dialog', () => {
  it('says when another entry of the same token type reaches the same Apicbase library (not as an error)', async () => {
    const bridge = new FakeBridge()
    bridge.libraries = [ZUID]
    bridge.answers['libraries.add'] = () => ok(library({ id: 'new', name: 'Zuid second app', clientId: 'client-other', apicbaseLibraryId: '1002', apicbaseLibraryName: 'Café Zuid' }))
    const { view } = await openForm(bridge)
    await fill(view, 'client-other', 'Zuid second app')
    await view.click(view.button('Save'))
    const notes = view.all('.same-library')
    expect(notes.map((note) => note.textContent)).toEqual([expect.stringContaining('"Café Zuid" (Apicbase library "Café Zuid", id 1002')])
    expect(notes[0]?.className).not.toContain('notice-error')
    expect(notes[0]?.getAttribute('role')).not.toBe('alert')
  })

  it('"remove it now" has a Remove button that removes the library just added after its name is typed', async () => {
    const bridge = new FakeBridge()
    const added = library({ id: 'wrong', name: 'Bistro Neu', apicbaseLibraryName: 'Somebody else' })
    bridge.answers['libraries.add'] = () => ok(added)
    bridge.answers['libraries.remove'] = () => ok({ removed: ['wrong'] })
    const { store, view } = await openForm(bridge)
    await fill(view, 'client-neu', 'Bistro Neu')
    await view.click(view.button('Save'))
    expect(view.root.textContent).toMatch(/If that is not the customer you meant,\s*remove it now/)

    await view.click(view.button('Remove Bistro Neu…'))
    const confirm = view.all('dialog').find((dialog) => dialog.textContent.includes('Remove Bistro Neu?'))
    if (!confirm) throw new Error(`no confirmation in: ${view.root.textContent}`)
    const removeButton = (): HTMLElement => view.button('Remove Bistro Neu')
    expect(removeButton().hasAttribute('disabled')).toBe(true)
    const typed = confirm.querySelector('input') as HTMLElement | null
    if (!typed) throw new Error('no name field')
    await type(typed, 'Bistro Neu')
    await view.click(removeButton())
    expect(bridge.inputsOf('libraries.remove')).toEqual([{ id: 'wrong', confirmName: 'Bistro Neu' }])
    expect(store.getState().addOpen).toBe(false)
    expect(store.getState().byId['wrong']).toBeUndefined()
  })
})
