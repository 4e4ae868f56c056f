// @vitest-environment happy-dom
// The audit view tells two same-named libraries apart (issue 19 item 14): a row about "Trattoria Oost" says whether it
// was the service account or the library through Pat Partner's personal token, with the Apicbase library id, from
// what the entry recorded or (for older entries) from the library as Larder holds it now.
import { afterEach, describe, expect, it } from 'vitest'
import type { AuditEntryView, CallName, CallResult } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { library, NOW } from './fixtures.ts'
import { component, render, settle, type Rendered } from './render.ts'

const ok = <N extends CallName>(value: unknown): CallResult<N> => ({ ok: true, value }) as CallResult<N>

function entry(seq: number, overrides: Partial<AuditEntryView>): AuditEntryView {
  return { seq, at: NOW - seq * 60_000, action: 'refreshed', libraryId: 'x', libraryName: 'x', outcome: 'ok', ...overrides }
}

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

describe('the audit view and libraries of the same name', () => {
  it('says which one each row was: through a personal token, the service account, with the Apicbase library id', async () => {
    const bridge = new FakeBridge()
    bridge.libraries = [
      library({ id: 'sa-now', name: 'Café Zuid', apicbaseLibraryId: '1002' }),
      library({ id: 'other', name: 'Brasserie Nord' }),
      library({ id: 'sa-1', name: 'Trattoria Oost', apicbaseLibraryId: '1003' })
    ]
    bridge.answers['audit.page'] = () =>
      ok({
        entries: [
          entry(5, { action: 'copied', libraryId: 'e-1', libraryName: 'Trattoria Oost', apicbaseLibraryId: '1003', tokenType: 'personal', via: 'Pat Partner' }),
          // Recorded before Larder learnt its Apicbase id: the library as Larder holds it now adds it.
          entry(4, { action: 'added', libraryId: 'sa-1', libraryName: 'Trattoria Oost', tokenType: 'service_account' }),
          // An entry written before entries carried facts: the library as Larder holds it now says.
          entry(3, { libraryId: 'sa-now', libraryName: 'Café Zuid' }),
          entry(2, { libraryId: 'zuid-pat', libraryName: 'Café Zuid', apicbaseLibraryId: '1002', tokenType: 'personal', via: 'Pat Partner' }),
          entry(1, { libraryId: 'other', libraryName: 'Brasserie Nord' })
        ],
        nextBefore: null
      })
    const store = createAppStore(bridge)
    await connectStore(store, bridge, new ManualScheduler()).ready
    shown = await render(store, await component('AuditView'))
    await settle(350)
    const libraryCells = (shown.all('tbody tr') as unknown as { children: { textContent: string }[] }[]).map((row) => row.children[1]?.textContent ?? '')
    expect(libraryCells).toEqual([
      'Trattoria Oostvia Pat Partner · #1003',
      'Trattoria Oostservice account · #1003',
      'Café Zuidservice account · #1002',
      'Café Zuidvia Pat Partner · #1002',
      // Only one library of this name: nothing to tell apart.
      'Brasserie Nord'
    ])
  })
})
