// @vitest-environment happy-dom
// A library that needs a new token, and removing a revoked one (issue 19 item 12): the next step names only the steps
// of the library's own token type (a service account: New token; a connected application: the owner's Connected
// Applications page; a personal token: its user connects again), and the remove dialog of a revoked library does not
// tell the person to revoke it first.
import { afterEach, describe, expect, it } from 'vitest'
import type { CallName, CallResult, LibraryView, PersonalView } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { component, render, type Rendered } from './render.ts'

const ok = <N extends CallName>(value: unknown): CallResult<N> => ({ ok: true, value }) as CallResult<N>

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

const PERSONAL: PersonalView = {
  connectionId: 'pat',
  activeLibraryId: '1003',
  activeLibraryName: 'Trattoria Oost',
  expectedLibraryId: '1003',
  expectedLibraryName: 'Trattoria Oost',
  drifted: false,
  checkedAt: 1,
  problem: null,
  role: 'connection',
  connectionName: 'Pat Partner',
  isActive: false,
  libraryCount: 1
}

/** The dashboard over a fake bridge holding `rows`, with `selected`'s details open. */
async function detailOf(rows: readonly LibraryView[], selected: string): Promise<Rendered> {
  const bridge = new FakeBridge()
  bridge.libraries = [...rows]
  bridge.answers['audit.page'] = () => ok({ entries: [], nextBefore: null })
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  shown = await render(store, await component('LibrariesView'))
  const row = shown.all('.library-row').find((element) => element.getAttribute('data-id') === selected)
  if (!row) throw new Error(`no row ${selected}`)
  await shown.click(row)
  return shown
}

async function nextStepOf(rows: readonly LibraryView[], selected: string): Promise<{ title: string; text: string }> {
  const view = await detailOf(rows, selected)
  const step = view.all('.next-step')[0]
  if (!step) throw new Error('no next step shown')
  return { title: step.querySelector('h3')?.textContent ?? '', text: step.textContent }
}

describe('the next step of a library that needs a new token, by token type', () => {
  it('a service account: the owner makes a new token under Library Settings → API Settings → New token', async () => {
    const step = await nextStepOf([library({ id: 'nord', name: 'Brasserie Nord', status: 'needs_reauth' })], 'nord')
    expect(step.title).toBe('Next step: ask the owner for a new token')
    expect(step.text).toContain('Library Settings → API Settings → New token')
    expect(step.text).not.toContain('Connected Applications')
    expect(step.text).toContain('paste the new pair below')
  })

  it('a connected application: the owner makes one on Connected Applications → Manage tokens for your application', async () => {
    const step = await nextStepOf([library({ id: 'west', name: 'Bistro West', tokenType: 'connected_application', status: 'needs_reauth' })], 'west')
    expect(step.title).toBe('Next step: ask the owner for a new token')
    expect(step.text).toContain('Connected Applications → Manage tokens')
    expect(step.text).toContain('your application')
    expect(step.text).not.toContain('New token')
    expect(step.text).not.toContain('service account')
  })

  it('a personal token: the person whose token it is connects again; no library owner, no API Settings', async () => {
    const connection = library({ id: 'pat', name: 'Pat Partner', tokenType: 'personal', status: 'needs_reauth', personal: PERSONAL })
    const entry = library({
      id: 'oost-pat',
      name: 'Trattoria Oost',
      tokenType: 'personal',
      status: 'needs_reauth',
      personal: { ...PERSONAL, role: 'library', isActive: true }
    })
    const own = await nextStepOf([connection, entry], 'pat')
    expect(own.title).toBe('Next step: its user connects again')
    expect(own.text).toContain('Connect personal token')
    expect(own.text).not.toContain('API Settings')
    expect(own.text).not.toContain('owner')
    await shown?.unmount()
    shown = null
    const shared = await nextStepOf([connection, entry], 'oost-pat')
    expect(shared.title).toBe('Next step: its user connects again')
    expect(shared.text).toContain('Pat Partner')
    expect(shared.text).toContain('Connect personal token')
    expect(shared.text).not.toContain('API Settings')
  })
})

describe('removing a library', () => {
  async function removeDialogText(row: LibraryView): Promise<string> {
    const view = await detailOf([row], row.id)
    await view.click(view.button('Remove'))
    const dialog = view.all('dialog')[0]
    if (!dialog) throw new Error('no remove dialog')
    return dialog.textContent
  }

  it('a revoked library: nothing to revoke first, Apicbase already refuses its token', async () => {
    const text = await removeDialogText(library({ id: 'haven', name: 'Pizzeria Haven', status: 'revoked' }))
    expect(text).not.toContain('Revoke first')
    expect(text).toContain('already revoked')
  })

  it('a working library: still suggests revoking first', async () => {
    const text = await removeDialogText(library({ id: 'deli', name: 'Deli Station', status: 'healthy' }))
    expect(text).toContain('use Revoke first')
  })
})
