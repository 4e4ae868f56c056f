// @vitest-environment happy-dom
// The window's bulk import (issue 17 item 1): the file named by its path (the host's dialog, or typed where the host has
// none), the dry run's table (every row with its number, name, system, status and problems; "only problems"; counts; a
// page at a time), each unconfirmed host named with its own checkbox, the import with its progress bar from
// 'import.progress' and Cancel, and the report saved where the person says.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CallResult, ImportReportView } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { act, buttonIn, deferred, importReport, importRow, inputIn, ok, part, refused } from './estate-fixtures.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { component, render, settle, type Rendered } from './render.ts'
import { type } from './typing.ts'

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

const ROWS = [
  importRow(1, { name: 'Brasserie Nord' }),
  importRow(2, { name: 'Grill Haven', status: 'problem', message: 'refresh token: missing', problems: [{ field: 'refresh token', message: 'missing' }] }),
  importRow(3, { name: 'Bistro West', status: 'duplicate', message: 'the same refresh token as row 1', problems: [{ field: 'refresh token', message: 'the same refresh token as row 1' }] }),
  importRow(4, { name: 'Site checks', system: 'safetyculture' })
]

async function showImport(bridge: FakeBridge, host: 'browser' | 'electron' = 'browser'): Promise<{ store: AppStore; view: Rendered }> {
  bridge.answers['app.info'] = () => ok({ name: 'Larder', version: '1', host })
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  await settle()
  shown = await render(store, await component('EstateView'))
  await settle()
  return { store, view: shown }
}

async function checkFile(view: Rendered, path: string): Promise<void> {
  const form = part(view, 'File to import')
  await type(inputIn(form, 'File to import (CSV or JSON)'), path)
  await view.click(buttonIn(form, 'Check the file'))
  await settle()
}

const tableRows = (view: Rendered): string[][] =>
  view.all('.import-table tbody tr').map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent.trim()))

describe('the import’s dry run', () => {
  it('names the file by a typed path on a host without a file dialog, and shows every row with what is wrong in it', async () => {
    const bridge = new FakeBridge()
    bridge.answers['import.dryRun'] = () => ok(importReport(ROWS))
    const { view } = await showImport(bridge)
    // The browser host has no file dialog: the path is typed, and the field says so.
    const form = part(view, 'File to import')
    expect(form.textContent).toContain('Type the full path on the computer Larder runs on')
    expect(form.textContent).not.toContain('Choose file…')
    await checkFile(view, '/home/pat/customers.csv')
    expect(bridge.inputsOf('import.dryRun')).toEqual([{ path: '/home/pat/customers.csv' }])
    expect(bridge.inputsOf('files.choose')).toEqual([])
    expect(view.root.querySelector('.import-counts')?.textContent).toBe('4 rows: 2 ready, 1 problem, 1 duplicate. Nothing was sent or stored.')
    expect(tableRows(view)).toEqual([
      ['1', 'Brasserie Nord', 'Apicbase', 'ready', ''],
      ['2', 'Grill Haven', 'Apicbase', 'problem', 'refresh token: missing'],
      ['3', 'Bistro West', 'Apicbase', 'duplicate', 'refresh token: the same refresh token as row 1'],
      ['4', 'Site checks', 'SafetyCulture', 'ready', '']
    ])
    // Only the rows that need fixing.
    await view.click(inputIn(view.root, 'Only rows with problems'))
    expect(tableRows(view).map((row) => row[0])).toEqual(['2', '3'])
    expect(view.button('Import 2 ready rows')).toBeTruthy()
  })

  it('says a file Larder cannot read, and sends nothing', async () => {
    const bridge = new FakeBridge()
    bridge.answers['import.dryRun'] = () => refused('There is no file at /home/pat/missing.csv', 'path')
    const { view } = await showImport(bridge)
    await checkFile(view, '/home/pat/missing.csv')
    expect(view.all('[role="alert"]').map((alert) => alert.textContent)).toContain('There is no file at /home/pat/missing.csv')
    expect(view.all('.import-table')).toHaveLength(0)
    expect(bridge.inputsOf('import.start')).toEqual([])
  })

  it('shows a big file a page of rows at a time', async () => {
    const bridge = new FakeBridge()
    const many = Array.from({ length: 250 }, (_, index) => importRow(index + 1))
    bridge.answers['import.dryRun'] = () => ok(importReport(many))
    const { view } = await showImport(bridge)
    await checkFile(view, '/home/pat/big.csv')
    expect(view.all('.import-table tbody tr')).toHaveLength(100)
    expect(view.root.querySelector('.import-table-range')?.textContent).toBe('Rows 1–100 of 250')
    await view.click(view.button('Next rows'))
    await view.click(view.button('Next rows'))
    expect(view.root.querySelector('.import-table-range')?.textContent).toBe('Rows 201–250 of 250')
    expect(tableRows(view)[0]?.[0]).toBe('201')
    expect(view.all('.import-table tbody tr')).toHaveLength(50)
  })

  it('names each unconfirmed host with its own checkbox, and checks the file again with the hosts ticked', async () => {
    const bridge = new FakeBridge()
    const hostRow = importRow(2, { name: 'Proxy library', status: 'problem', hostToConfirm: 'api.partner-proxy.example', problems: [{ field: 'api base url', message: 'api.partner-proxy.example is not confirmed' }] })
    bridge.answers['import.dryRun'] = (input) => {
      const confirmed = (input as { confirmedHosts?: string[] }).confirmedHosts ?? []
      return confirmed.includes('api.partner-proxy.example')
        ? ok(importReport([importRow(1), importRow(2, { name: 'Proxy library' })], { importId: 'import-2' }))
        : ok(importReport([importRow(1), hostRow], { hostsToConfirm: ['api.partner-proxy.example'] }))
    }
    const { view, store } = await showImport(bridge)
    await checkFile(view, '/home/pat/customers.csv')
    const notice = view.all('.api-host-notice')
    expect(notice).toHaveLength(1)
    expect(notice[0]?.textContent).toContain('api.partner-proxy.example is not an Apicbase address.')
    const box = inputIn(notice[0] as never, 'I trust api.partner-proxy.example with the secrets of this file’s rows that name it')
    await view.click(box)
    await settle()
    expect(bridge.inputsOf('import.dryRun')).toEqual([{ path: '/home/pat/customers.csv' }, { path: '/home/pat/customers.csv', confirmedHosts: ['api.partner-proxy.example'] }])
    // Confirmed, the host stays named and ticked (the report no longer asks for it); the import sends it along.
    expect((view.all('.api-host-notice input')[0] as unknown as { checked: boolean } | undefined)?.checked).toBe(true)
    bridge.answers['import.start'] = () => ok(importReport([importRow(1, { status: 'imported' }), importRow(2, { status: 'imported' })], { importId: 'import-2', dryRun: false }))
    await view.click(view.button('Import 2 ready rows'))
    await settle()
    expect(bridge.inputsOf('import.start')).toEqual([{ importId: 'import-2', confirmedHosts: ['api.partner-proxy.example'] }])
    expect(store.getState().imports.phase).toBe('done')
  })

  it('asks the host’s own dialog where it has one, and falls back to a typed path when it answers unavailable', async () => {
    const bridge = new FakeBridge()
    let answer: CallResult<'files.choose'> = ok({ path: '/home/pat/Documents/customers.json' })
    bridge.answers['files.choose'] = () => answer
    const { view } = await showImport(bridge, 'electron')
    const form = part(view, 'File to import')
    const input = inputIn(form, 'File to import (CSV or JSON)')
    expect(input.hasAttribute('readonly')).toBe(true)
    await view.click(buttonIn(form, 'Choose file…'))
    expect(bridge.inputsOf('files.choose')).toEqual([{ purpose: 'import', mode: 'open', filters: [{ name: 'CSV or JSON', extensions: ['csv', 'json'] }] }])
    expect((inputIn(form, 'File to import (CSV or JSON)') as unknown as { value: string }).value).toBe('/home/pat/Documents/customers.json')
    answer = ok({ unavailable: true })
    await view.click(buttonIn(form, 'Choose file…'))
    expect(inputIn(form, 'File to import (CSV or JSON)').hasAttribute('readonly')).toBe(false)
    expect(form.textContent).toContain('Type the full path on the computer Larder runs on')
  })
})

describe('the import under way', () => {
  let bridge: FakeBridge
  let started: ReturnType<typeof deferred<CallResult<'import.start'>>>
  beforeEach(() => {
    bridge = new FakeBridge()
    bridge.answers['import.dryRun'] = () => ok(importReport(ROWS))
    started = deferred<CallResult<'import.start'>>()
    bridge.answers['import.start'] = () => started.promise
    bridge.answers['import.cancel'] = () => ok({ cancelled: true })
  })

  it('shows a progress bar from import.progress, cancels, then shows the report and offers it for saving', async () => {
    const { view } = await showImport(bridge)
    await checkFile(view, '/home/pat/customers.csv')
    await view.click(view.button('Import 2 ready rows'))
    expect(bridge.inputsOf('import.start')).toEqual([{ importId: 'import-1' }])
    const bar = (): { now: string | null; max: string | null; text: string | null } => {
      const element = view.root.querySelector('[role="progressbar"]')
      return { now: element?.getAttribute('aria-valuenow') ?? null, max: element?.getAttribute('aria-valuemax') ?? null, text: element?.getAttribute('aria-valuetext') ?? null }
    }
    expect(bar()).toEqual({ now: '0', max: '2', text: '0 of 2 rows done' })
    await act(() => {
      bridge.emit('import.progress', { importId: 'import-1', total: 2, done: 1, ok: 1, failed: 0, cancelling: false, finished: false })
      // Another import's progress is not this one's.
      bridge.emit('import.progress', { importId: 'import-other', total: 9, done: 9, ok: 9, failed: 0, cancelling: false, finished: true })
    })
    expect(bar()).toEqual({ now: '1', max: '2', text: '1 of 2 rows done' })
    expect(view.root.querySelector('.import-progress-words')?.textContent).toBe('1 of 2 rows done: 1 imported.')

    await view.click(view.button('Cancel import'))
    expect(bridge.inputsOf('import.cancel')).toEqual([{ importId: 'import-1' }])
    expect(view.button('Cancelling…').hasAttribute('disabled')).toBe(true)

    const done: ImportReportView = importReport(
      [importRow(1, { name: 'Brasserie Nord', status: 'imported', message: 'added', id: 'lib-9' }), ROWS[1]!, ROWS[2]!, importRow(4, { name: 'Site checks', system: 'safetyculture', status: 'cancelled', message: 'not started before the cancel' })],
      { dryRun: false, cancelled: true }
    )
    await act(() => started.resolve(ok(done)))
    expect(view.all('[role="progressbar"]')).toHaveLength(0)
    expect(view.root.querySelector('.import-report h3')?.textContent).toBe('Import cancelled: customers.csv')
    expect(view.root.querySelector('.import-counts')?.textContent).toBe('4 rows: 1 imported, 1 problem, 1 duplicate, 1 cancelled. Rows not started before the cancel were not sent.')
    expect(tableRows(view).map((row) => row[3])).toEqual(['imported', 'problem', 'duplicate', 'cancelled'])

    // Save report…: written by Larder where the person says (no dialog here: a typed path), never a secret in it.
    bridge.answers['import.saveReport'] = (input) => ok({ path: (input as { path: string }).path, bytes: 120 })
    const save = part(view, 'Save the report')
    await view.click(buttonIn(save, 'Save report as CSV'))
    expect(save.textContent).toContain('Type where to save the report')
    expect(bridge.inputsOf('import.saveReport')).toEqual([])
    await type(inputIn(save, 'Save the report to'), '/home/pat/customers report.csv')
    await view.click(buttonIn(save, 'Save report as CSV'))
    expect(bridge.inputsOf('import.saveReport')).toEqual([{ importId: 'import-1', format: 'csv', path: '/home/pat/customers report.csv' }])
    expect(save.querySelector('[role="status"]')?.textContent).toBe('Report saved to /home/pat/customers report.csv. It holds no secret.')
  })

  it('saves the report through the host’s save dialog where it has one', async () => {
    bridge.answers['files.choose'] = () => ok({ path: '/home/pat/Documents/customers import report.json' })
    bridge.answers['import.saveReport'] = (input) => ok({ path: (input as { path: string }).path, bytes: 300 })
    const { view } = await showImport(bridge, 'electron')
    await view.click(buttonIn(part(view, 'File to import'), 'Choose file…'))
    await view.click(buttonIn(part(view, 'File to import'), 'Check the file'))
    await view.click(view.button('Import 2 ready rows'))
    await act(() => started.resolve(ok(importReport([importRow(1, { status: 'imported' })], { dryRun: false }))))
    await view.click(view.button('Save report as JSON…'))
    expect(bridge.inputsOf('files.choose').at(-1)).toEqual({ purpose: 'import_report', mode: 'save', suggestedName: 'customers import report.json', filters: [{ name: 'JSON', extensions: ['json'] }] })
    expect(bridge.inputsOf('import.saveReport')).toEqual([{ importId: 'import-1', format: 'json', path: '/home/pat/Documents/customers import report.json' }])
  })

  it('says where things stand when Larder locked while the import ran (its answer held back), and offers no stale Import', async () => {
    const { view, store } = await showImport(bridge)
    await checkFile(view, '/home/pat/customers.csv')
    await view.click(view.button('Import 2 ready rows'))
    await act(() => started.resolve({ ok: false, error: { kind: 'locked', message: 'Larder is locked: unlock it to go on.' } }))
    expect(store.getState().imports.phase).toBe('idle')
    expect(view.all('[role="alert"]').map((alert) => alert.textContent)).toContain(
      'Larder locked while the import ran. The import went on: what it added is in the list, and the audit log has its summary. Check the file again to see where each row stands now.'
    )
    expect(view.all('button').map((button) => button.textContent)).not.toContain('Import 2 ready rows')
    expect((inputIn(part(view, 'File to import'), 'File to import (CSV or JSON)') as unknown as { value: string }).value).toBe('/home/pat/customers.csv')
  })

  it('says a refused import and keeps the dry run to try again', async () => {
    const { view, store } = await showImport(bridge)
    await checkFile(view, '/home/pat/customers.csv')
    await view.click(view.button('Import 2 ready rows'))
    await act(() => started.resolve(refused('Larder is busy with a restore; try again when it is done')))
    expect(store.getState().imports.phase).toBe('checked')
    expect(view.all('[role="alert"]').map((alert) => alert.textContent)).toContain('Larder is busy with a restore; try again when it is done')
    expect(view.button('Import 2 ready rows').hasAttribute('disabled')).toBe(false)
  })
})
