// @vitest-environment happy-dom
// A library's customer label in the window (issue 15 item 5: one list groups a customer's libraries with its keys):
// the row shows it, search finds it, the customer filter offers the libraries' labels beside the keys' and shows a
// customer's libraries with its keys, the add form sends it, and the library's pane shows it and changes it (and the
// name) with 'libraries.update', a refusal said at its field.
import type { HTMLElement } from 'happy-dom'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CallName, CallResult, LibraryView } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { createCustomersSelector } from '../../../src/renderer/src/store/customers.ts'
import { listViewOf } from '../../../src/shared/library-list-view.ts'
import { ManualScheduler, FakeBridge } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { airtableKey, bridgeWithKeys, safetyCultureKey } from './key-fixtures.ts'
import { component, render, settle, type Rendered } from './render.ts'
import { field, type } from './typing.ts'

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

const ok = <N extends CallName>(value: unknown): CallResult<N> => ({ ok: true, value }) as CallResult<N>

function world(): { libraries: LibraryView[]; bridge: FakeBridge } {
  const libraries = [
    library({ id: 'centrum', name: 'Grill Haven Centrum', customer: 'Grill Haven', apicbaseLibraryId: '2001', apicbaseLibraryName: 'GH Centrum' }),
    library({ id: 'west', name: 'Grill Haven West', customer: 'Grill Haven' }),
    library({ id: 'nord', name: 'Brasserie Nord', customer: 'Bistro Nord' }),
    library({ id: 'zuid', name: 'Café Zuid' })
  ]
  const bridge = bridgeWithKeys([
    safetyCultureKey({ name: 'Grill Haven inspections', customer: 'Grill Haven' }),
    airtableKey({ name: 'Reports base', customer: 'Bistro Nord' }),
    airtableKey({ name: 'Menu base', customer: 'Cantine Group' })
  ])
  bridge.libraries = libraries
  return { libraries, bridge }
}

async function showList(bridge: FakeBridge): Promise<{ store: AppStore; view: Rendered }> {
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  await settle()
  shown = await render(store, await component('LibrariesView'))
  await settle()
  return { store, view: shown }
}

const rowNames = (view: Rendered): string[] => view.all('.library-row .col-name').map((cell) => cell.textContent)
const rowOf = (view: Rendered, name: string): HTMLElement => {
  const row = view.all('.library-row').find((element) => element.querySelector('.col-name')?.textContent === name)
  if (!row) throw new Error(`no row ${name} in ${rowNames(view).join(', ')}`)
  return row
}

async function choose(view: Rendered, id: string, value: string): Promise<void> {
  const select = view.all('select').find((element) => element.id === id)
  if (!select) throw new Error(`no select #${id}`)
  Object.getOwnPropertyDescriptor(Object.getPrototypeOf(select), 'value')?.set?.call(select, value)
  select.dispatchEvent(new Event('change', { bubbles: true }) as never)
  await settle()
}

describe('a library’s customer label in the list', () => {
  it('the row shows it beside its Apicbase library; a library without one shows its Apicbase library as before', async () => {
    const { view } = await showList(world().bridge)
    expect(rowOf(view, 'Grill Haven Centrum').querySelector('.col-apicbase')?.textContent).toBe('Grill Haven · GH Centrum #2001')
    expect(rowOf(view, 'Café Zuid').querySelector('.col-apicbase')?.textContent).toMatch(/^Apicbase \d+ #\d+$/)
    expect(rowOf(view, 'Café Zuid').querySelector('.col-apicbase .row-customer')).toBeNull()
  })

  it('the customer filter offers the libraries’ labels with the keys’, and shows a customer’s libraries with its keys', async () => {
    const { view, store } = await showList(world().bridge)
    expect(view.all('#f-customer option').map((option) => option.textContent)).toEqual(['All customers', 'Bistro Nord', 'Cantine Group', 'Grill Haven'])
    await choose(view, 'f-customer', 'Grill Haven')
    expect(rowNames(view).sort()).toEqual(['Grill Haven Centrum', 'Grill Haven West', 'Grill Haven inspections'])
    expect(view.root.textContent).toContain('3 of 7 libraries and keys')
    // With the system too: that customer's Apicbase libraries only.
    await choose(view, 'f-system', 'apicbase')
    expect(rowNames(view).sort()).toEqual(['Grill Haven Centrum', 'Grill Haven West'])
    await choose(view, 'f-system', 'all')
    await choose(view, 'f-customer', 'Bistro Nord')
    expect(rowNames(view).sort()).toEqual(['Brasserie Nord', 'Reports base'])
    await view.click(view.button('Clear filters'))
    expect(rowNames(view)).toHaveLength(7)
    expect(store.getState().customerFilter).toBeNull()
  })

  it('search finds a library by its customer label, as it finds a key', async () => {
    const { view } = await showList(world().bridge)
    const search = view.all('input').find((element) => element.id === 'library-search') as HTMLElement
    await type(search, 'bistro')
    expect(rowNames(view).sort()).toEqual(['Brasserie Nord', 'Reports base'])
  })

  it('with no key, libraries with labels still get the customer filter (no system filter)', async () => {
    const bridge = new FakeBridge()
    bridge.libraries = world().libraries
    const { view } = await showList(bridge)
    expect(view.all('select').map((select) => select.id)).toEqual(['f-status', 'f-token-type', 'f-customer', 'f-sort-by'])
    await choose(view, 'f-customer', 'Grill Haven')
    expect(rowNames(view).sort()).toEqual(['Grill Haven Centrum', 'Grill Haven West'])
  })
})

describe('the add form’s customer field', () => {
  async function openForm(bridge: FakeBridge): Promise<Rendered> {
    const store = createAppStore(bridge)
    await connectStore(store, bridge, new ManualScheduler()).ready
    await settle()
    store.getState().openAdd()
    shown = await render(store, await component('AddLibraryDialog'))
    return shown
  }

  async function fill(view: Rendered, customer: string): Promise<void> {
    for (const [label, value] of [
      ['Name', 'Grill Haven Oost'],
      ['Customer (optional)', customer],
      ['Client ID', 'client-oost'],
      ['Client secret', 'secret-1'],
      ['Access token', 'access-1'],
      ['Refresh token', 'refresh-1']
    ] as const) {
      await type(field(view, label), value)
    }
  }

  it('sends the label with the add, offering the labels Larder knows', async () => {
    const { bridge } = world()
    bridge.answers['libraries.add'] = () => ok(library({ name: 'Grill Haven Oost', customer: 'Grill Haven' }))
    const view = await openForm(bridge)
    const input = field(view, 'Customer (optional)')
    const list = view.all('datalist').find((element) => element.id === input.getAttribute('list'))
    expect([...(list?.querySelectorAll('option') ?? [])].map((option) => option.getAttribute('value'))).toEqual(['Bistro Nord', 'Cantine Group', 'Grill Haven'])
    await fill(view, 'Grill Haven')
    await view.click(view.button('Save'))
    expect(bridge.inputsOf('libraries.add')).toEqual([expect.objectContaining({ name: 'Grill Haven Oost', customer: 'Grill Haven' })])
  })

  it('leaves it out when empty; a label too long is said at the field and nothing is sent', async () => {
    const { bridge } = world()
    bridge.answers['libraries.add'] = () => ok(library({ name: 'Grill Haven Oost' }))
    const view = await openForm(bridge)
    await fill(view, 'x'.repeat(201))
    await view.click(view.button('Save'))
    expect(bridge.inputsOf('libraries.add')).toEqual([])
    expect(view.root.textContent).toContain('The customer label is longer than 200 characters.')
    await type(field(view, 'Customer (optional)'), '  ')
    await view.click(view.button('Save'))
    expect(bridge.inputsOf('libraries.add')).toHaveLength(1)
    expect(bridge.inputsOf('libraries.add')[0]).not.toHaveProperty('customer')
  })
})

describe('a library’s pane: its customer label and name', () => {
  async function openPane(bridge: FakeBridge, name: string): Promise<{ view: Rendered; pane: HTMLElement }> {
    const { view } = await showList(bridge)
    await view.click(rowOf(view, name))
    await vi.waitFor(() => {
      if (view.all('.detail-pane .meta').length === 0) throw new Error('the pane is not there yet')
    })
    return { view, pane: view.all('.detail-pane')[0] as HTMLElement }
  }

  it('shows the label, and Edit changes it and the name with libraries.update', async () => {
    const { bridge, libraries } = world()
    const centrum = libraries[0] as LibraryView
    bridge.answers['libraries.update'] = (input) => {
      const { name, customer } = input as { name: string; customer: string }
      const view = { ...centrum, name, customer }
      bridge.libraries = bridge.libraries.map((known) => (known.id === centrum.id ? view : known))
      return ok(view)
    }
    const { view, pane } = await openPane(bridge, 'Grill Haven Centrum')
    expect(pane.querySelector('.detail-labels')?.textContent).toContain('Customer Grill Haven')
    await view.click(view.button('Edit name and customer'))
    await type(field(view, 'Name'), 'Grill Haven Centraal')
    await type(field(view, 'Customer (optional)'), 'Grill Haven Group')
    await view.click(view.button('Save'))
    expect(bridge.inputsOf('libraries.update')).toEqual([{ id: 'centrum', name: 'Grill Haven Centraal', customer: 'Grill Haven Group' }])
    await settle()
    expect(view.all('#detail-title')[0]?.textContent).toBe('Grill Haven Centraal')
    expect(view.all('.detail-labels')[0]?.textContent).toContain('Customer Grill Haven Group')
    expect(rowOf(view, 'Grill Haven Centraal').querySelector('.col-apicbase')?.textContent).toContain('Grill Haven Group')
  })

  it('a refusal is said at its field and the form stays; Cancel leaves everything as it was', async () => {
    const { bridge } = world()
    bridge.answers['libraries.update'] = () => ({ ok: false, error: { kind: 'invalid_input', field: 'customer', message: 'The customer label must be one line, without tabs or control characters.' } })
    const { view, pane } = await openPane(bridge, 'Café Zuid')
    expect(pane.querySelector('.detail-labels')?.textContent).toContain('Customer none')
    await view.click(view.button('Edit name and customer'))
    await type(field(view, 'Customer (optional)'), 'Zuid')
    await view.click(view.button('Save'))
    expect(view.root.textContent).toContain('The customer label must be one line')
    expect(field(view, 'Customer (optional)').getAttribute('aria-invalid')).toBe('true')
    await view.click(view.button('Cancel'))
    expect(view.all('.detail-labels')[0]?.textContent).toContain('Customer none')
    expect(bridge.inputsOf('libraries.update')).toHaveLength(1)
  })
})

describe('the labels the list names', () => {
  it('follows the libraries a wave touches: the same array while no label comes or goes', () => {
    const store = createAppStore(new FakeBridge())
    const rows = Array.from({ length: 2_000 }, (_, i) => listViewOf(library({ name: `Kitchen ${i}`, ...(i % 10 === 0 ? { customer: i % 20 === 0 ? 'Grill Haven' : 'Bistro Nord' } : {}) })))
    store.getState().applyLibraryChanges(rows, [])
    const select = createCustomersSelector()
    const labels = select(store.getState())
    expect(labels).toEqual(['Bistro Nord', 'Grill Haven'])
    // A refresh wave: rows replaced, labels as they were.
    store.getState().applyLibraryChanges(rows.slice(0, 100).map((row) => ({ ...row, lastRefreshedAt: 1 })), [])
    expect(select(store.getState())).toBe(labels)
    // One library labelled anew, then the last 'Bistro Nord' ones relabelled: the list follows.
    const [first] = rows
    store.getState().applyLibraryChanges([{ ...rows[1]!, customer: 'Cantine Group' }], [])
    expect(select(store.getState())).toEqual(['Bistro Nord', 'Cantine Group', 'Grill Haven'])
    const bistro = rows.filter((row) => row.customer === 'Bistro Nord')
    store.getState().applyLibraryChanges(bistro.map((row) => ({ ...row, customer: 'Grill Haven' })), [])
    expect(select(store.getState())).toEqual(['Cantine Group', 'Grill Haven'])
    store.getState().applyLibraryChanges([], [rows[1]!.id])
    expect(select(store.getState())).toEqual(['Grill Haven'])
    expect(first?.customer).toBe('Grill Haven')
  })
})
