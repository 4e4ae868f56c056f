// @vitest-environment happy-dom
// Features rendered with a store built over a fake bridge: what they show, and what they ask Larder for. The
// components reach Larder only through the store, so the fake bridge sees every call a click causes.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AuditEntryView, CallResult, CallName } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { library, NOW } from './fixtures.ts'
import { component, render, settle, type Rendered } from './render.ts'

const ok = <N extends CallName>(value: unknown): CallResult<N> => ({ ok: true, value }) as CallResult<N>

function entry(seq: number, overrides: Partial<AuditEntryView> = {}): AuditEntryView {
  return { seq, at: NOW - seq * 60_000, action: 'refreshed', libraryId: 'nord', libraryName: 'Brasserie Nord', outcome: 'ok', ...overrides }
}

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
  vi.restoreAllMocks()
})

/** A store over `bridge`, fed as main.tsx feeds it; events are applied when the test runs the scheduler. */
async function storeOver(bridge: FakeBridge): Promise<AppStore> {
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  return store
}

describe('the audit view', () => {
  it('shows the page the store fetched, pages back on "Show older entries", and exports through Larder', async () => {
    const bridge = new FakeBridge()
    bridge.libraries = [library({ id: 'nord', name: 'Brasserie Nord' })]
    bridge.answers['audit.page'] = (input) =>
      (input as { before?: number }).before === undefined
        ? ok({ entries: [entry(3), entry(2, { action: 'copied', outcome: 'error', detail: 'format: token' })], nextBefore: 2 })
        : ok({ entries: [entry(1, { action: 'added', libraryId: null, libraryName: null })], nextBefore: null })
    bridge.answers['audit.exportCsv'] = () => ok({ csv: 'seq,action\n3,refreshed\n', rows: 3 })
    const store = await storeOver(bridge)

    shown = await render(store, await component('AuditView'))
    expect(shown.root.textContent).toContain('Loading…')
    await settle(350) // the view asks 300 ms after its filters last changed
    const rows = (): string[] => shown?.all('tbody tr').map((row) => row.textContent.trim()) ?? []
    expect(rows()).toHaveLength(2)
    expect(rows()[0]).toMatch(/Brasserie Nord\s*Refreshed\s*✓ OK/)
    expect(rows()[1]).toMatch(/Copied\s*✕ Failed\s*format: token/)
    expect(bridge.inputsOf('audit.page')).toEqual([{ limit: 100 }])

    await shown.click(shown.button('Show older entries'))
    expect(bridge.inputsOf('audit.page')).toEqual([{ limit: 100 }, { limit: 100, before: 2 }])
    expect(rows()).toHaveLength(3)
    expect(rows()[2]).toMatch(/all libraries\s*Added/)
    expect(shown.all('button').some((button) => button.textContent === 'Show older entries')).toBe(false)

    // The CSV is Larder's; the page only offers it as a download.
    const offered = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:larder-audit')
    vi.spyOn(URL, 'revokeObjectURL').mockReturnValue(undefined)
    await shown.click(shown.button('Export CSV'))
    expect(bridge.inputsOf('audit.exportCsv')).toEqual([{}])
    expect(offered).toHaveBeenCalledTimes(1)
    expect(store.getState().toasts.at(-1)?.text).toBe('Exported 3 audit entries as CSV.')
  })

  it('says what went wrong when Larder cannot read the trail', async () => {
    const bridge = new FakeBridge()
    bridge.answers['audit.page'] = () => ({ ok: false, error: { kind: 'vault', message: 'The audit trail could not be read.' } })
    shown = await render(await storeOver(bridge), await component('AuditView'))
    await settle(350)
    expect(shown.all('[role="alert"]').map((alert) => alert.textContent)).toEqual(['The audit trail could not be read.'])
    expect(shown.root.textContent).not.toContain('Loading…')
  })
})

describe('the libraries view', () => {
  it('lists the libraries, shows the selected one with its history, and copies through Larder', async () => {
    const bridge = new FakeBridge()
    bridge.libraries = [
      library({ id: 'nord', name: 'Brasserie Nord', status: 'healthy' }),
      library({ id: 'oost', name: 'Trattoria Oost', status: 'needs_reauth' })
    ]
    bridge.answers['audit.page'] = () => ok({ entries: [entry(5, { action: 'copied' })], nextBefore: null })
    bridge.answers['libraries.copy'] = () => ok({ libraryId: 'nord', format: 'token', preview: '…a91f', clearsAt: NOW + 30_000 })
    const store = await storeOver(bridge)

    shown = await render(store, await component('LibrariesView'))
    const names = shown.all('.library-row .col-name').map((cell) => cell.textContent)
    // Sorted by urgency: the library that needs a new token first.
    expect(names).toEqual(['Trattoria Oost', 'Brasserie Nord'])
    expect(shown.root.textContent).toContain('1 needs re-authorization')
    expect(shown.root.textContent).toContain('Select a library')

    const row = shown.all('.library-row').find((element) => element.textContent.includes('Brasserie Nord'))
    if (!row) throw new Error('no row for Brasserie Nord')
    await shown.click(row)
    expect(store.getState().selectedId).toBe('nord')
    expect(shown.all('#detail-title').map((title) => title.textContent)).toEqual(['Brasserie Nord'])
    expect(bridge.inputsOf('audit.page')).toEqual([{ libraryId: 'nord', limit: 25 }])
    expect(shown.all('.timeline-item').map((item) => item.textContent)).toEqual([expect.stringContaining('Copied')])

    await shown.click(shown.button('Copy token'))
    expect(bridge.inputsOf('libraries.copy')).toEqual([{ id: 'nord', format: 'token' }])
    // Only the masked preview reaches the page, on the receipt; no second message for the same copy.
    expect(shown.all('.receipt').map((receipt) => receipt.textContent)).toEqual([expect.stringMatching(/token …a91f copied/)])
    expect(store.getState().toasts).toEqual([])
  })
})
