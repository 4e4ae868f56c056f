// @vitest-environment happy-dom
// Keys of other systems in the one list (issue 15, item 5): their rows beside the libraries (name, system, customer,
// the same status words plus 'Inactive'), search by customer and system, the system and customer filters, and a
// key's pane, whose buttons make the right bridge calls. No token anywhere in the page.
import type { HTMLElement } from 'happy-dom'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import type { KeyView } from '../../../src/shared/contract.ts'
import { ManualScheduler } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { airtableKey, bridgeWithKeys, safetyCultureKey, serviceTokenKey } from './key-fixtures.ts'
import { component, render, settle, type Rendered } from './render.ts'
import { field, type } from './typing.ts'

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

const brasserie = library({ name: 'Brasserie Nord' })
function keys(): KeyView[] {
  return [
    safetyCultureKey({ name: 'Grill Haven audits', customer: 'Grill Haven', status: 'inactive', actions: [] }),
    safetyCultureKey({ name: 'Grill Haven inspections', customer: 'Grill Haven' }),
    airtableKey({ name: 'Reports base', customer: 'Bistro Nord', status: 'needs_reauth', actions: ['check', 'regenerate'], lastCheck: { at: Date.now(), outcome: 'refused', identity: null, message: 'Airtable did not accept the token (401).' } }),
    serviceTokenKey({ name: 'Platform sync', customer: 'Bistro Nord' })
  ]
}

async function showList(held = keys()) {
  const bridge = bridgeWithKeys(held)
  bridge.libraries = [brasserie]
  const store: AppStore = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  await settle()
  const LibrariesView = await component('LibrariesView')
  shown = await render(store, LibrariesView)
  await settle()
  return { bridge, store, view: shown, held }
}

const rowNames = (view: Rendered): string[] => view.all('.library-row .col-name').map((cell) => cell.textContent)
const rowOf = (view: Rendered, name: string): HTMLElement => {
  const row = view.all('.library-row').find((element) => element.querySelector('.col-name')?.textContent === name)
  if (!row) throw new Error(`no row ${name} in ${rowNames(view).join(', ')}`)
  return row
}

/** Picks an option of a drop-down, as a person would: React sees a change event with the new value. */
async function choose(view: Rendered, id: string, value: string): Promise<void> {
  const select = view.all('select').find((element) => element.id === id)
  if (!select) throw new Error(`no select #${id}`)
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(select), 'value')?.set
  setter?.call(select, value)
  select.dispatchEvent(new Event('change', { bubbles: true }) as never)
  await settle()
}

describe('keys in the one list', () => {
  it('shows keys as rows beside the libraries, with their system, customer and status words', async () => {
    const { view } = await showList()
    expect(rowNames(view).sort()).toEqual(['Brasserie Nord', 'Grill Haven audits', 'Grill Haven inspections', 'Platform sync', 'Reports base'])
    const audits = rowOf(view, 'Grill Haven audits')
    expect(audits.querySelector('.col-type')?.textContent).toBe('SafetyCulture')
    expect(audits.querySelector('.col-apicbase')?.textContent).toBe('Grill Haven')
    expect(audits.querySelector('.badge')?.textContent).toBe('Inactive')
    expect(rowOf(view, 'Platform sync').querySelector('.col-type')?.textContent).toBe('Service token')
    expect(rowOf(view, 'Reports base').querySelector('.badge')?.textContent).toBe('Needs re-authorization')
    // The most urgent first, keys and libraries alike: refused, then inactive (beside expired).
    expect(rowNames(view).slice(0, 2)).toEqual(['Reports base', 'Grill Haven audits'])
    expect(view.root.textContent).toContain('5 libraries and keys')
  })

  it('searches a key by its customer and its system', async () => {
    const { view } = await showList()
    const search = view.all('input').find((element) => element.id === 'library-search') as HTMLElement
    await type(search, 'bistro nord')
    // The library is named Brasserie Nord: "bistro" is only the keys' customer.
    expect(rowNames(view).sort()).toEqual(['Platform sync', 'Reports base'])
    await type(search, 'safetyculture')
    expect(rowNames(view).sort()).toEqual(['Grill Haven audits', 'Grill Haven inspections'])
  })

  it('filters by system and by customer', async () => {
    const { view, store } = await showList()
    await choose(view, 'f-system', 'airtable')
    expect(rowNames(view)).toEqual(['Reports base'])
    await choose(view, 'f-system', 'apicbase')
    expect(rowNames(view)).toEqual(['Brasserie Nord'])
    await choose(view, 'f-system', 'all')
    const customers = view.all('#f-customer option').map((option) => option.textContent)
    expect(customers).toEqual(['All customers', 'Bistro Nord', 'Grill Haven'])
    await choose(view, 'f-customer', 'Grill Haven')
    expect(rowNames(view).sort()).toEqual(['Grill Haven audits', 'Grill Haven inspections'])
    expect(view.root.textContent).toContain('2 of 5 libraries and keys')
    await view.click(view.button('Clear filters'))
    expect(rowNames(view)).toHaveLength(5)
    expect(store.getState().customerFilter).toBeNull()
    // 'Inactive' is a status to filter by once keys are in the list.
    await choose(view, 'f-status', 'inactive')
    expect(rowNames(view)).toEqual(['Grill Haven audits'])
  })

  it('names the keys that want attention under the warnings, each a link filtering the list to them', async () => {
    const { view } = await showList()
    const warnings = view.all('section.key-warnings')[0] as HTMLElement
    expect(warnings.textContent).toBe('Keys of other systems:1 refused at its check1 inactive')
    await view.click(view.button('1 inactive'))
    expect(rowNames(view)).toEqual(['Grill Haven audits'])
  })

  it('lists libraries alone as before when there is no key: no system or customer filter', async () => {
    const { view } = await showList([])
    expect(rowNames(view)).toEqual(['Brasserie Nord'])
    expect(view.all('select').map((select) => select.id)).toEqual(['f-status', 'f-token-type', 'f-sort-by'])
    expect(view.root.textContent).toContain('1 library')
    expect(view.all('section.key-warnings')).toHaveLength(0)
  })
})

/** Opens a key's pane (its code loads the first time one is opened) and answers it once it is there. */
async function openKey(view: Awaited<ReturnType<typeof showList>>['view'], name: string): Promise<HTMLElement> {
  await view.click(rowOf(view, name))
  await vi.waitFor(() => {
    if (view.all('.key-detail').length === 0) throw new Error(`the pane of ${name} is not there yet`)
  })
  return view.all('.key-detail')[0] as HTMLElement
}

describe('a key’s pane', () => {
  it('SafetyCulture: who it acts as, Check now, Used elsewhere, keep-alive explained and off by default, copies with a receipt', async () => {
    const { view, bridge, held } = await showList()
    const key = held[1] as KeyView
    const pane = await openKey(view, 'Grill Haven inspections')
    expect(pane.querySelector('#detail-title')?.textContent).toBe('Grill Haven inspections')
    expect(pane.textContent).toContain('Pat Jansen · Grill Haven Group')
    await view.click(view.button('Check now'))
    expect(bridge.inputsOf('keys.check')).toEqual([{ id: key.id }])
    await view.click(view.button('Used elsewhere just now'))
    expect(bridge.inputsOf('keys.markUsed')).toEqual([{ id: key.id }])

    const keepAlive = field(view, 'Keep it alive') as unknown as { checked: boolean; click(): void }
    expect(keepAlive.checked).toBe(false)
    expect(pane.textContent).toContain('three weeks after each use')
    expect(pane.textContent).toContain('also hides that nobody really uses the token')
    await view.click(keepAlive as unknown as HTMLElement)
    expect(bridge.inputsOf('keys.update')).toEqual([{ id: key.id, details: { keepAlive: true } }])
    expect((field(view, 'Keep it alive') as unknown as { checked: boolean }).checked).toBe(true)

    await view.click(view.button('Copy header'))
    expect(bridge.inputsOf('keys.copy')).toEqual([{ id: key.id, format: 'header' }])
    expect(view.all('.receipt')[0]?.textContent).toContain('header …k3y9 copied')
  })

  it('an inactive key says what to do next and offers no copy', async () => {
    const { view } = await showList()
    const pane = await openKey(view, 'Grill Haven audits')
    expect(pane.querySelector('.next-step')?.textContent).toContain('Make a new token in SafetyCulture: My Profile → Settings → API tokens')
    expect(view.all('button').filter((button) => button.textContent.startsWith('Copy'))).toHaveLength(0)
    expect(view.all('button').some((button) => button.textContent === 'Check now')).toBe(false)
  })

  it('Airtable: paste the regenerated value in a masked field', async () => {
    const { view, bridge, held } = await showList()
    await openKey(view, 'Reports base')
    const input = field(view, 'New token value')
    expect(input.getAttribute('type')).toBe('password')
    await type(input, 'patNEWvalue.0123')
    await view.click(view.button('Save regenerated value'))
    expect(bridge.inputsOf('keys.regenerate')).toEqual([{ id: (held[2] as KeyView).id, token: 'patNEWvalue.0123' }])
    expect(view.root.textContent).not.toContain('patNEWvalue')
  })

  it('a service token: the admin’s actions with a confirm, its expiry, and Remove by typing the name', async () => {
    const { view, bridge, held, store } = await showList()
    const key = held[3] as KeyView
    const pane = await openKey(view, 'Platform sync')
    expect(pane.textContent).toContain('Expires')
    // Its expiry date, changed as the admin changed it (empty: none).
    const expiry = field(view, 'Expiry date set by the admin')
    expect(expiry.getAttribute('type')).toBe('date')
    await type(expiry, '')
    await view.click(view.button('Save expiry'))
    expect(bridge.inputsOf('keys.update')).toEqual([{ id: key.id, details: { expiresAt: null } }])
    expect(view.all('.key-admin button').map((button) => button.textContent)).toEqual(['Revoked by the admin', 'Expired by the admin'])
    await view.click(view.button('Revoked by the admin'))
    expect(bridge.inputsOf('keys.lifecycle')).toEqual([])
    await view.click(view.button('Record: revoked by the admin'))
    expect(bridge.inputsOf('keys.lifecycle')).toEqual([{ id: key.id, event: 'revoked' }])
    // Revoked: restore or delete, and no copy.
    expect(view.all('.key-admin button').map((button) => button.textContent)).toEqual(['Restored by the admin', 'Deleted by the admin'])
    expect(view.all('button').filter((button) => button.textContent.startsWith('Copy'))).toHaveLength(0)

    await view.click(view.button('Remove'))
    const confirm = view.button('Remove Platform sync')
    expect(confirm.hasAttribute('disabled')).toBe(true)
    await type(field(view, 'Type Platform sync to confirm'), 'Platform sync')
    await view.click(view.button('Remove Platform sync'))
    expect(bridge.inputsOf('keys.remove')).toEqual([{ id: key.id, confirmName: 'Platform sync' }])
    expect(store.getState().keyIds).not.toContain(key.id)
    expect(store.getState().selectedId).toBeNull()
  })
})
