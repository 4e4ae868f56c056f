// @vitest-environment happy-dom
// Adding a key of another system (issue 15, items 2–5): each system's form with its guidance, what it sends to
// 'keys.add', an answer's error shown at the field it names with nothing saved, the saved step saying what Larder
// found, the token gone from the page once saved, and an Airtable token's bases offered to note.
import type { HTMLElement } from 'happy-dom'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallInput, CallName, CallResult, KeyView } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { airtableKey, safetyCultureKey, serviceTokenKey } from './key-fixtures.ts'
import { render, settle, type Rendered } from './render.ts'
import { field, type } from './typing.ts'

const ok = <N extends CallName>(value: unknown): CallResult<N> => ({ ok: true, value }) as CallResult<N>
const refused = <N extends CallName>(field: string, message: string): CallResult<N> => ({ ok: false, error: { kind: 'invalid_input', field, message } }) as CallResult<N>

/** Loaded at run time, as render.ts loads components (tsconfig.node.json does not follow JSX). */
interface ReactApi {
  createElement(type: unknown, props: object | null): unknown
}
type DialogModule = { AddKeyDialog: unknown }
const load = <T>(specifier: string): Promise<T> => import(/* @vite-ignore */ specifier) as Promise<T>

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

async function openDialog(bridge: FakeBridge): Promise<{ store: AppStore; view: Rendered; closed: () => number }> {
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  await settle()
  const { createElement } = await load<ReactApi>('react')
  const { AddKeyDialog } = await load<DialogModule>('../../../src/renderer/src/features/add-key/AddKeyDialog.tsx')
  let closes = 0
  const Wrapper = () => createElement(AddKeyDialog, { onClose: () => (closes += 1) })
  shown = await render(store, Wrapper as never)
  return { store, view: shown, closed: () => closes }
}

const radio = (view: Rendered, value: string): HTMLElement => {
  const found = view.all('input[type="radio"]').find((element) => element.getAttribute('value') === value)
  if (!found) throw new Error(`no choice ${value}`)
  return found
}
const checkbox = (view: Rendered, label: string, kind: 'checkbox' | 'radio' = 'checkbox'): HTMLElement => {
  const id = view.all('label').find((element) => element.textContent.trim() === label)?.getAttribute('for')
  const found = view.all(`input[type="${kind}"]`).find((element) => element.id === id)
  if (!found) throw new Error(`no checkbox ${label}`)
  return found
}
const textArea = (view: Rendered, label: string): HTMLElement => {
  const id = view.all('label').find((element) => element.textContent.trim() === label)?.getAttribute('for')
  const found = view.all('textarea').find((element) => element.id === id)
  if (!found) throw new Error(`no text area ${label}`)
  return found
}
/** The error shown at a field: its input's described-by error line. */
const errorAt = (view: Rendered, input: HTMLElement): string | null => {
  const id = `${input.id}-error`
  return view.all('.field-error').find((element) => element.id === id)?.textContent.replace('✕ ', '') ?? null
}

const TOKEN = 'sc-token-7f3a9c1e55b2'

describe('adding a SafetyCulture key', () => {
  it('shows the kinds with when to choose which, the limits, the 30-day rule and the keep-alive, off', async () => {
    const { view } = await openDialog(new FakeBridge())
    const text = view.root.textContent
    expect(radio(view, 'safetyculture').getAttribute('checked') !== null || (radio(view, 'safetyculture') as unknown as { checked: boolean }).checked).toBe(true)
    expect(text).toContain('Service-user token')
    expect(text).toContain('stops working when they are deactivated or leave')
    expect(text).toContain('Staff leaving does not touch it')
    expect(text).toContain('10 active user tokens')
    expect(text).toContain('20 active service-user tokens')
    expect(text).toContain('one organisation only')
    expect(text).toContain('unused for 30 days stops working')
    expect((checkbox(view, 'Keep it alive') as unknown as { checked: boolean }).checked).toBe(false)
    expect(text).toContain('it also hides that nobody uses the token any more')
    expect(field(view, 'Token').getAttribute('type')).toBe('password')
  })

  it('sends its kind, organisation, owner and keep-alive; the saved step says who it acts as; the token is gone', async () => {
    const bridge = new FakeBridge()
    const added = safetyCultureKey({ name: 'Grill Haven inspections', customer: 'Grill Haven' })
    bridge.answers['keys.add'] = () => ok(added)
    const { store, view } = await openDialog(bridge)
    await view.click(radio(view, 'service_user'))
    await type(field(view, 'Name'), 'Grill Haven inspections')
    await type(field(view, 'Customer (optional)'), 'Grill Haven')
    await type(field(view, 'Organisation'), 'Grill Haven Group')
    await type(field(view, 'Service user'), 'svc-audits')
    await type(field(view, 'Token'), TOKEN)
    await view.click(checkbox(view, 'Keep it alive'))
    await type(field(view, 'Notes (optional)'), 'for the weekly report')
    await view.click(view.button('Save'))

    expect(bridge.inputsOf('keys.add')).toEqual([
      {
        system: 'safetyculture',
        name: 'Grill Haven inspections',
        customer: 'Grill Haven',
        notes: 'for the weekly report',
        token: TOKEN,
        details: { kind: 'service_user', organisation: 'Grill Haven Group', owner: 'svc-audits', keepAlive: true }
      }
    ] satisfies CallInput<'keys.add'>[])
    expect(view.root.textContent).toContain('Grill Haven inspections is saved')
    expect(view.root.textContent).toContain('acts as Pat Jansen in Grill Haven Group')
    expect(store.getState().keysById[added.id]?.name).toBe('Grill Haven inspections')
    expect(view.root.innerHTML).not.toContain(TOKEN)
  })

  it('asks for a name and the token before sending anything', async () => {
    const bridge = new FakeBridge()
    const { view } = await openDialog(bridge)
    await view.click(view.button('Save'))
    expect(bridge.inputsOf('keys.add')).toEqual([])
    expect(errorAt(view, field(view, 'Name'))).toMatch(/Give the key a name/)
    expect(errorAt(view, field(view, 'Token'))).toBe('Paste the token.')
  })

  it('shows a refused token at the token field, keeps nothing, and keeps the form', async () => {
    const bridge = new FakeBridge()
    const causes = 'SafetyCulture refused the token. The likely causes: the user it acts as was deactivated or left the organisation, the token was revoked, or it went 30 days unused.'
    bridge.answers['keys.add'] = () => refused('token', causes)
    const { store, view } = await openDialog(bridge)
    await type(field(view, 'Name'), 'Old token')
    await type(field(view, 'Token'), TOKEN)
    await view.click(view.button('Save'))
    expect(errorAt(view, field(view, 'Token'))).toBe(causes)
    expect(field(view, 'Token').getAttribute('aria-invalid')).toBe('true')
    expect(store.getState().keyIds).toEqual([])
    expect(view.root.textContent).not.toContain('is saved')
  })
})

describe('adding an Airtable key', () => {
  it('takes any token, sends the noted scopes and bases, and says Airtable does not report the scopes', async () => {
    const bridge = new FakeBridge()
    bridge.answers['keys.add'] = () => ok(airtableKey({ name: 'Reports base', details: { scopes: ['data.records:read'], bases: [], apiBaseUrl: 'https://api.airtable.com' } }))
    const { view } = await openDialog(bridge)
    await view.click(radio(view, 'airtable'))
    expect(view.root.textContent).toContain('Airtable does not tell Larder a personal token’s scopes')
    await type(field(view, 'Name'), 'Reports base')
    await type(field(view, 'Token'), 'x')
    await type(textArea(view, 'Scopes (as noted)'), 'data.records:read,  data.records:write\nschema.bases:read')
    await type(textArea(view, 'Bases and workspaces (as noted)'), 'Inspections tracker\nappABC123')
    await view.click(view.button('Save'))
    expect(bridge.inputsOf('keys.add')).toEqual([
      { system: 'airtable', name: 'Reports base', token: 'x', details: { scopes: ['data.records:read', 'data.records:write', 'schema.bases:read'], bases: ['Inspections tracker', 'appABC123'] } }
    ])
    // Without schema.bases:read in what it holds, no bases are offered.
    expect(view.root.textContent).not.toContain('List its bases')
  })

  it('offers the bases from keys.bases when the token may read them, and notes the ticked ones', async () => {
    const bridge = new FakeBridge()
    const added = airtableKey({ name: 'Tracker', details: { scopes: ['schema.bases:read'], bases: [], apiBaseUrl: 'https://api.airtable.com' } })
    bridge.answers['keys.add'] = () => ok(added)
    bridge.answers['keys.bases'] = () => ok({ bases: [{ id: 'app1', name: 'Inspections tracker', permissionLevel: 'create' }, { id: 'app2', name: 'Menu costs', permissionLevel: 'read' }], complete: true })
    bridge.answers['keys.update'] = (input) => ok({ ...added, details: { ...added.details, ...(input as CallInput<'keys.update'>).details } } as KeyView)
    const { view } = await openDialog(bridge)
    await view.click(radio(view, 'airtable'))
    await type(field(view, 'Name'), 'Tracker')
    await type(field(view, 'Token'), 'patXYZ.123')
    await view.click(view.button('Save'))
    await view.click(view.button('List its bases'))
    expect(bridge.inputsOf('keys.bases')).toEqual([{ id: added.id }])
    await view.click(checkbox(view, 'Menu costs'))
    await view.click(view.button('Note the ticked bases'))
    expect(bridge.inputsOf('keys.update')).toEqual([{ id: added.id, details: { bases: ['Inspections tracker'] } }])
    expect(view.root.textContent).toContain('Noted on the key.')
  })
})

describe('adding a service token', () => {
  it('sends the admin’s details, the carry, the check URL and the variable (SERVICE_TOKEN by default)', async () => {
    const bridge = new FakeBridge()
    bridge.answers['keys.add'] = () => ok(serviceTokenKey({ name: 'Platform sync' }))
    const { view } = await openDialog(bridge)
    await view.click(radio(view, 'service_token'))
    expect(view.root.textContent).toContain('a read-only GET that answers 2xx while the token works')
    expect((field(view, 'Variable for scripts') as unknown as { value: string }).value).toBe('SERVICE_TOKEN')
    await type(field(view, 'Name'), 'Platform sync')
    await type(field(view, 'Service user'), 'svc-sync')
    await type(field(view, 'Environment'), 'staging')
    await type(field(view, 'Expiry date'), '2027-03-01')
    await view.click(checkbox(view, 'A named header', 'radio'))
    await type(field(view, 'Header name'), 'X-Api-Token')
    await type(field(view, 'Check URL'), 'https://svc.example/whoami')
    await type(field(view, 'Token'), 'svc-token-1')
    await view.click(view.button('Save'))
    expect(bridge.inputsOf('keys.add')).toEqual([
      {
        system: 'service_token',
        name: 'Platform sync',
        token: 'svc-token-1',
        details: {
          serviceUser: 'svc-sync',
          environment: 'staging',
          expiresAt: new Date('2027-03-01T00:00:00').getTime(),
          carry: { kind: 'header', name: 'X-Api-Token' },
          checkUrl: 'https://svc.example/whoami',
          envName: 'SERVICE_TOKEN'
        }
      }
    ])
    expect(view.root.textContent).toContain('acts as svc-sync, as noted')
  })

  it('shows a refused check URL at its field and a refused header name at the header field', async () => {
    const bridge = new FakeBridge()
    const answers = [refused('details.checkUrl', 'an https address (http only on this machine)'), refused('details.carry.name', 'letters, digits and - only')]
    bridge.answers['keys.add'] = () => answers.shift() ?? refused('token', 'no more')
    const { store, view } = await openDialog(bridge)
    await view.click(radio(view, 'service_token'))
    await type(field(view, 'Name'), 'Platform sync')
    await type(field(view, 'Service user'), 'svc-sync')
    await type(field(view, 'Check URL'), 'http://svc.example/whoami')
    await type(field(view, 'Token'), 'svc-token-1')
    await view.click(view.button('Save'))
    expect(errorAt(view, field(view, 'Check URL'))).toBe('an https address (http only on this machine)')
    await view.click(checkbox(view, 'A named header', 'radio'))
    await type(field(view, 'Header name'), 'X Token')
    await view.click(view.button('Save'))
    expect(errorAt(view, field(view, 'Header name'))).toBe('letters, digits and - only')
    expect(store.getState().keyIds).toEqual([])
  })
})
