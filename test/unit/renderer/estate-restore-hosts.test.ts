// @vitest-environment happy-dom
// The window's Restore and the host rule (issue 17, session 9): a backup that names a host that is neither Apicbase's
// nor this computer shows the same warning and checkbox the import and the add dialog use ("Larder will send … to
// HOST"), one per host; the plan is asked again with the ticked hosts, and the restore sends them. Larder's refusal of
// a restore without them is shown as it says it.
import { afterEach, describe, expect, it } from 'vitest'
import type { BackupScheduleView, RestoreReportView } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { buttonIn, inputIn, ok, openTab, part, refused, restoreReport } from './estate-fixtures.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { component, render, settle, type Rendered } from './render.ts'
import { type } from './typing.ts'

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

const PASSPHRASE = 'correct horse battery staple'
const FILE = '/home/pat/made-elsewhere.age'
const OFF: BackupScheduleView = { enabled: false, folder: null, everyHours: 24, keep: 7, hasPassphrase: false, lastRunAt: null, lastOutcome: null, lastMessage: null, lastFile: null, nextAt: null }
const REFUSAL =
  "This backup sends tokens to a host that is neither Apicbase's nor this computer: partner-proxy.example (Bistro Proxied). Larder restores it only once you confirm that you trust partner-proxy.example with them (tick it in the window's Restore, or larder restore --confirm-host partner-proxy.example). Nothing was restored."

async function show(bridge: FakeBridge): Promise<Rendered> {
  bridge.answers['backup.schedule'] ??= () => ok(OFF)
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  await settle()
  shown = await render(store, await component('EstateView'))
  await settle()
  return shown
}

/** The plan as Larder answers it: the proxied library waits while its host is not among `confirmedHosts`. */
function plan(input: unknown): RestoreReportView {
  const confirmed = ((input as { confirmedHosts?: string[] }).confirmedHosts ?? []).includes('partner-proxy.example')
  return restoreReport(
    [
      { id: 'nord', name: 'Brasserie Nord', apicbaseLibraryId: '1001', outcome: 'restored', checkedAtApi: true, reason: 'Apicbase accepted the backed-up access token.' },
      confirmed
        ? { id: 'proxied', name: 'Bistro Proxied', apicbaseLibraryId: null, outcome: 'restored', checkedAtApi: true, reason: 'Apicbase accepted the backed-up access token.' }
        : { id: 'proxied', name: 'Bistro Proxied', apicbaseLibraryId: null, outcome: 'confirm_host', checkedAtApi: false, reason: 'Bistro Proxied sends its tokens to partner-proxy.example.' }
    ],
    { hostsToConfirm: confirmed ? [] : ['partner-proxy.example'] }
  )
}

describe('restore: a host that is not Apicbase’s', () => {
  it('is shown with the import’s warning and checkbox; the plan and the restore carry the ticked host', async () => {
    const bridge = new FakeBridge()
    bridge.answers['backup.inspect'] = (input) => ok(plan(input))
    bridge.answers['backup.restore'] = (input) =>
      (input as { confirmedHosts?: string[] }).confirmedHosts?.includes('partner-proxy.example') ? ok({ ...plan(input), dryRun: false }) : refused(REFUSAL, 'confirmedHosts')
    const view = await show(bridge)
    await openTab(view, 'Restore')
    const form = part(view, 'Backup to restore')
    await type(inputIn(form, 'Backup file'), FILE)
    await type(inputIn(form, 'Backup passphrase'), PASSPHRASE)
    await view.click(buttonIn(form, 'See what a restore would do'))

    const report = part(view, 'What a restore would do')
    const notice = report.querySelector('.api-host-notice')
    expect(notice?.getAttribute('role')).toBe('group')
    expect(notice?.textContent).toContain('partner-proxy.example is not an Apicbase address.')
    expect(notice?.textContent).toContain('Larder will send the backed-up tokens of this backup’s libraries and keys that name it')
    const row = view.all('.restore-table tbody tr').find((tr) => tr.textContent.includes('Bistro Proxied'))
    expect(row?.textContent).toContain('Waits for you: confirm its host above')
    expect(report.querySelector('.restore-counts')?.textContent).toContain('1 library waits for you to confirm its host')

    // Restore without the tick: Larder's refusal, as it says it; nothing changes on the page but the message.
    await view.click(buttonIn(report, 'Restore'))
    expect(bridge.inputsOf('backup.restore')).toEqual([{ path: FILE, passphrase: PASSPHRASE }])
    expect(view.root.querySelector('[role="alert"]')?.textContent).toBe(REFUSAL)

    // Ticked: the plan is asked again with the host (the warning stays, ticked), then the restore sends it.
    await view.click(inputIn(report, 'I trust partner-proxy.example with the tokens of this backup’s libraries and keys that name it'))
    expect(bridge.inputsOf('backup.inspect')).toEqual([
      { path: FILE, passphrase: PASSPHRASE },
      { path: FILE, passphrase: PASSPHRASE, confirmedHosts: ['partner-proxy.example'] }
    ])
    const again = part(view, 'What a restore would do')
    expect((inputIn(again, 'I trust partner-proxy.example with the tokens of this backup’s libraries and keys that name it') as unknown as { checked: boolean }).checked).toBe(true)
    expect(view.all('.restore-table tbody tr').find((tr) => tr.textContent.includes('Bistro Proxied'))?.textContent).toContain('Restored live')
    await view.click(buttonIn(again, 'Restore'))
    expect(bridge.inputsOf('backup.restore')).toEqual([
      { path: FILE, passphrase: PASSPHRASE },
      { path: FILE, passphrase: PASSPHRASE, confirmedHosts: ['partner-proxy.example'] }
    ])
    expect(view.all('.restore-report h3').map((heading) => heading.textContent)).toEqual(['Restored'])
  })
})
