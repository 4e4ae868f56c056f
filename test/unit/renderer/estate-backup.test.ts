// @vitest-environment happy-dom
// The window's backup, restore, move and configuration (issue 17 items 2-4): the passphrase typed twice with its rule
// and what the file holds said first; scheduled backups off by default; a restore's plan in plain words per library,
// then the restore and a paused library's "Refresh it now"; a move only after its strong confirmation, then the rows
// saying where the libraries went and the pane's take-back behind its warning; the configuration without secrets.
import { afterEach, describe, expect, it } from 'vitest'
import type { BackupScheduleView, LibraryView } from '../../../src/shared/contract.ts'
import { connectStore, type Connected } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { listViewOf } from '../../../src/shared/library-list-view.ts'
import { act, buttonIn, inputIn, ok, openTab, part, refused, restoreReport } from './estate-fixtures.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { component, render, settle, type Rendered } from './render.ts'
import { focused, press, type } from './typing.ts'

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

const PASSPHRASE = 'correct horse battery staple'
const OFF: BackupScheduleView = { enabled: false, folder: null, everyHours: 24, keep: 7, hasPassphrase: false, lastRunAt: null, lastOutcome: null, lastMessage: null, lastFile: null, nextAt: null }

async function show(bridge: FakeBridge, view: 'EstateView' | 'LibrariesView' = 'EstateView'): Promise<{ store: AppStore; view: Rendered; connected: Connected }> {
  bridge.answers['backup.schedule'] ??= () => ok(OFF)
  const store = createAppStore(bridge)
  const connected = connectStore(store, bridge, new ManualScheduler())
  await connected.ready
  await settle()
  shown = await render(store, await component(view))
  await settle()
  return { store, view: shown, connected }
}

const value = (input: unknown): string => (input as { value: string }).value

describe('the view’s tabs', () => {
  it('one tab stop: arrow keys, Home and End move between the tabs (as the shortcuts table says), the panel follows', async () => {
    const { view } = await show(new FakeBridge())
    const tabs = view.all('[role="tab"]')
    expect(tabs.map((tab) => tab.textContent)).toEqual(['Import', 'Back up', 'Restore', 'Move', 'Configuration'])
    expect(tabs.map((tab) => tab.getAttribute('tabindex'))).toEqual(['0', '-1', '-1', '-1', '-1'])
    tabs[0]?.focus()
    await press(focused(), 'ArrowRight')
    expect(focused()?.textContent).toBe('Back up')
    expect(view.all('[role="tab"][aria-selected="true"]').map((tab) => tab.textContent)).toEqual(['Back up'])
    expect(view.all('[role="tabpanel"]:not([hidden])').map((panel) => panel.getAttribute('aria-labelledby'))).toEqual([focused()?.id])
    await press(focused(), 'End')
    expect(focused()?.textContent).toBe('Configuration')
    await press(focused(), 'ArrowRight')
    expect(focused()?.textContent).toBe('Import')
    await press(focused(), 'ArrowLeft')
    expect(focused()?.textContent).toBe('Configuration')
    await press(focused(), 'Home')
    expect(focused()?.textContent).toBe('Import')
  })
})

describe('Back up now', () => {
  it('says what the file holds, checks the passphrase rule and its repeat before sending, and clears it once written', async () => {
    const bridge = new FakeBridge()
    bridge.libraries = [library({ name: 'Brasserie Nord' }), library({ name: 'Grill Haven' })]
    bridge.answers['backup.create'] = () => ok({ path: '/home/pat/larder-backup.age', bytes: 12_800, createdAt: 1, libraries: 2, keys: 0, leftOut: [] })
    const { view } = await show(bridge)
    await openTab(view, 'Back up')
    const form = part(view, 'Back up now')
    expect(form.textContent).toContain('The backup holds every secret Larder keeps')
    expect(form.textContent).toContain('2 libraries and 0 keys now')
    expect(form.textContent).toContain('Anyone with the file and its passphrase can use every token in it')
    await type(inputIn(form, 'Save the backup to'), '/home/pat/larder-backup.age')
    await type(inputIn(form, 'Passphrase'), 'too short')
    await type(inputIn(form, 'Passphrase again'), 'too short')
    await view.click(buttonIn(form, 'Back up now'))
    expect(form.textContent).toContain('Too short: use at least 12 characters.')
    await type(inputIn(form, 'Passphrase'), PASSPHRASE)
    await type(inputIn(form, 'Passphrase again'), `${PASSPHRASE}!`)
    await view.click(buttonIn(form, 'Back up now'))
    expect(form.textContent).toContain('The two passphrases differ')
    expect(bridge.inputsOf('backup.create')).toEqual([])
    // Password fields, never remembered by the browser.
    expect(inputIn(form, 'Passphrase').getAttribute('type')).toBe('password')
    expect(inputIn(form, 'Passphrase').getAttribute('autocomplete')).toBe('new-password')
    await type(inputIn(form, 'Passphrase again'), PASSPHRASE)
    await view.click(buttonIn(form, 'Back up now'))
    expect(bridge.inputsOf('backup.create')).toEqual([{ path: '/home/pat/larder-backup.age', passphrase: PASSPHRASE }])
    expect(form.querySelector('[role="status"]')?.textContent).toBe('Backup written to /home/pat/larder-backup.age: 2 libraries, 0 keys (13 KB). Keep it and its passphrase safe.')
    expect(value(inputIn(form, 'Passphrase'))).toBe('')
    expect(value(inputIn(form, 'Passphrase again'))).toBe('')
    expect(view.root.innerHTML).not.toContain(PASSPHRASE)
  })

  it('shows Larder’s refusal at the field it names', async () => {
    const bridge = new FakeBridge()
    bridge.answers['backup.create'] = () => refused('The folder /nowhere does not exist', 'path')
    const { view } = await show(bridge)
    await openTab(view, 'Back up')
    const form = part(view, 'Back up now')
    await type(inputIn(form, 'Save the backup to'), '/nowhere/larder.age')
    await type(inputIn(form, 'Passphrase'), PASSPHRASE)
    await type(inputIn(form, 'Passphrase again'), PASSPHRASE)
    await view.click(buttonIn(form, 'Back up now'))
    expect(inputIn(form, 'Save the backup to').getAttribute('aria-invalid')).toBe('true')
    expect(form.textContent).toContain('The folder /nowhere does not exist')
  })
})

describe('scheduled backups', () => {
  it('are off by default; turning them on needs a folder and a passphrase, then sends every setting', async () => {
    const bridge = new FakeBridge()
    const sent: unknown[] = []
    bridge.answers['backup.schedule'] = (input) => {
      sent.push(input)
      const change = input as Partial<BackupScheduleView>
      return ok(Object.keys(change).length === 0 ? OFF : { ...OFF, ...change, hasPassphrase: true, nextAt: Date.UTC(2026, 10, 26, 9) })
    }
    const { view } = await show(bridge)
    await openTab(view, 'Back up')
    const form = part(view, 'Scheduled backups')
    expect(form.querySelector('.schedule-state')?.textContent).toBe('Off: no backup is written on its own.')
    expect((inputIn(form, 'Back up on a schedule') as unknown as { checked: boolean }).checked).toBe(false)
    await view.click(inputIn(form, 'Back up on a schedule'))
    await view.click(buttonIn(form, 'Save schedule'))
    expect(form.textContent).toContain('Choose the folder the backups go to.')
    await type(inputIn(form, 'Folder'), '/media/usb/larder')
    await view.click(buttonIn(form, 'Save schedule'))
    expect(form.textContent).toContain('Choose a passphrase for the file.')
    await type(inputIn(form, 'Every (hours)'), '12')
    await type(inputIn(form, 'Keep the last (files)'), '5')
    await type(inputIn(form, 'Passphrase'), PASSPHRASE)
    await type(inputIn(form, 'Passphrase again'), PASSPHRASE)
    await view.click(buttonIn(form, 'Save schedule'))
    expect(sent).toEqual([{}, { enabled: true, everyHours: 12, keep: 5, folder: '/media/usb/larder', passphrase: PASSPHRASE }])
    const saved = part(view, 'Scheduled backups')
    expect(saved.querySelector('.schedule-state')?.textContent).toContain('On: every 12 hours to /media/usb/larder, keeping the last 5.')
    expect(saved.textContent).toContain('A passphrase is stored for these backups')
    expect(saved.textContent).toContain('Saved.')
  })
})

describe('restore', () => {
  const planned = [
    { id: 'nord', name: 'Brasserie Nord', apicbaseLibraryId: '1001', outcome: 'restored', checkedAtApi: true, reason: 'Apicbase accepted the backed-up access token.' },
    { id: 'haven', name: 'Grill Haven', apicbaseLibraryId: '1002', outcome: 'needs_reauth', checkedAtApi: false, reason: 'this machine recorded its refresh token as used after the backup was made.' },
    { id: 'west', name: 'Bistro West', apicbaseLibraryId: null, outcome: 'paused', checkedAtApi: true, reason: 'its backed-up access token has expired.' },
    { id: 'zuid', name: 'Café Zuid', apicbaseLibraryId: null, outcome: 'kept', checkedAtApi: false, reason: 'This machine holds a newer token pair.' }
  ] as const

  it('says what a restore would do per library in plain words, restores, and offers a paused one’s refresh behind its warning', async () => {
    const bridge = new FakeBridge()
    const west: LibraryView = library({ id: 'west', name: 'Bistro West', hold: { kind: 'paused', at: 1, message: 'Bistro West is restored paused.', to: null } })
    bridge.libraries = [west]
    bridge.answers['backup.inspect'] = () => ok(restoreReport([...planned]))
    bridge.answers['backup.restore'] = () => ok(restoreReport([...planned], { dryRun: false }))
    bridge.answers['backup.resume'] = () => ok({ ...west, hold: undefined })
    const { view } = await show(bridge)
    await openTab(view, 'Restore')
    const form = part(view, 'Backup to restore')
    await type(inputIn(form, 'Backup file'), '/home/pat/larder-backup.age')
    await type(inputIn(form, 'Backup passphrase'), PASSPHRASE)
    await view.click(buttonIn(form, 'See what a restore would do'))
    expect(bridge.inputsOf('backup.inspect')).toEqual([{ path: '/home/pat/larder-backup.age', passphrase: PASSPHRASE }])
    const rows = (): string[][] => view.all('.restore-table tbody tr').map((row) => [...row.querySelectorAll('th, td')].slice(0, 2).map((cell) => cell.textContent.trim()))
    expect(rows()).toEqual([
      ['Brasserie Nord #1001', 'Restored live: refreshes go on (one read at the API with its access token)'],
      ['Grill Haven #1002', 'Needs re-authorization: its token was used since the backup'],
      ['Bistro West', 'Paused: Larder cannot tell whether its token is still live (one read at the API with its access token)'],
      ['Café Zuid', 'Kept as it is here: this machine holds a newer token']
    ])
    expect(view.root.querySelector('.restore-counts')?.textContent).toContain('1 library would need re-authorization (used since the backup)')
    expect(bridge.inputsOf('backup.restore')).toEqual([])

    await view.click(buttonIn(part(view, 'What a restore would do'), 'Restore'))
    expect(bridge.inputsOf('backup.restore')).toEqual([{ path: '/home/pat/larder-backup.age', passphrase: PASSPHRASE }])
    expect(view.all('.restore-report h3').map((heading) => heading.textContent)).toEqual(['Restored'])
    expect(value(inputIn(form, 'Backup passphrase'))).toBe('')

    // The paused library: its refresh asks first, with the warning, and sends nothing unticked.
    await view.click(view.button('Refresh it now: no other machine holds it'))
    const confirm = view.all('.hold-confirm')[0]
    expect(confirm?.textContent).toContain('Larder sends its refresh token now. If another machine or copy of Larder still holds this library, that token was used there and Apicbase may revoke the whole token family')
    await view.click(buttonIn(confirm as never, 'Refresh it now'))
    expect(bridge.inputsOf('backup.resume')).toEqual([])
    await view.click(inputIn(confirm as never, 'No other machine or copy of Larder holds this library'))
    await view.click(buttonIn(confirm as never, 'Refresh it now'))
    expect(bridge.inputsOf('backup.resume')).toEqual([{ id: 'west' }])
    // Resumed: no hold, no action.
    expect(view.all('.restore-action')).toHaveLength(0)
  })

  it('offers to take over a move’s file and asks again with takeOver', async () => {
    const bridge = new FakeBridge()
    bridge.answers['backup.inspect'] = (input) =>
      ok(restoreReport([{ ...planned[2], outcome: (input as { takeOver?: boolean }).takeOver ? 'restored' : 'paused' }], { move: { at: Date.UTC(2026, 10, 24), from: 'old-desk' } }))
    const { view } = await show(bridge)
    await openTab(view, 'Restore')
    const form = part(view, 'Backup to restore')
    await type(inputIn(form, 'Backup file'), '/home/pat/larder-move.age')
    await type(inputIn(form, 'Backup passphrase'), PASSPHRASE)
    await view.click(buttonIn(form, 'See what a restore would do'))
    expect(view.root.textContent).toContain('It is the file of a move from old-desk')
    await view.click(inputIn(view.root, 'Take these libraries over on this machine'))
    expect(bridge.inputsOf('backup.inspect')).toEqual([
      { path: '/home/pat/larder-move.age', passphrase: PASSPHRASE },
      { path: '/home/pat/larder-move.age', passphrase: PASSPHRASE, takeOver: true }
    ])
    expect(view.root.querySelector('.restore-table tbody td')?.textContent).toContain('Restored live')
  })
})

describe('a paused library’s pane', () => {
  it('says why nothing is sent and offers only the deliberate refresh, not Refresh now', async () => {
    const bridge = new FakeBridge()
    const paused = library({ id: 'west', name: 'Bistro West', status: 'expired', hold: { kind: 'paused', at: 1, message: 'Bistro West is restored paused: its backed-up access token has expired.', to: null } })
    bridge.libraries = [paused]
    bridge.answers['backup.resume'] = () => ok({ ...paused, status: 'healthy', hold: undefined })
    const { view, store } = await show(bridge, 'LibrariesView')
    expect(view.all('.library-row .tag-hold')[0]?.textContent).toBe('paused')
    await act(() => store.getState().select('west'))
    await settle()
    const pane = view.all('.detail-pane')[0]
    expect(pane?.querySelector('.hold-notice')?.textContent).toContain('Paused after a restore. Bistro West is restored paused')
    // Not "press Refresh now": Larder refuses it for a paused library; the notice's own action is the way.
    expect(view.all('.detail-pane .next-step')).toHaveLength(0)
    expect(buttonIn(pane as never, 'Refresh now').hasAttribute('disabled')).toBe(true)
    await view.click(buttonIn(pane as never, 'Refresh it now: no other machine holds it'))
    await view.click(inputIn(pane as never, 'No other machine or copy of Larder holds this library'))
    await view.click(buttonIn(pane as never, 'Refresh it now'))
    expect(bridge.inputsOf('backup.resume')).toEqual([{ id: 'west' }])
    expect(view.all('.detail-pane .hold-notice')).toHaveLength(0)
  })
})

describe('move to another machine', () => {
  it('asks for the strong confirmation first, then says where the libraries went', async () => {
    const bridge = new FakeBridge()
    bridge.libraries = [library({ name: 'Brasserie Nord' }), library({ name: 'Grill Haven' }), library({ name: 'Bistro West' })]
    bridge.answers['move.export'] = () => ok({ path: '/media/usb/larder-move.age', bytes: 4_000, at: 1, moved: 3, keys: 1, leftOut: [], takeBackWarning: 'Take a library back only if…' })
    const { view } = await show(bridge)
    await openTab(view, 'Move')
    const form = part(view, 'Move to another machine')
    expect(form.textContent).toContain('Every library on this machine stops refreshing at once.')
    await type(inputIn(form, 'Save the file for the move to'), '/media/usb/larder-move.age')
    await type(inputIn(form, 'Passphrase'), PASSPHRASE)
    await type(inputIn(form, 'Passphrase again'), PASSPHRASE)
    await view.click(buttonIn(form, 'Move every library to another machine'))
    expect(form.textContent).toContain('Tick the box to confirm that Larder on this machine stops refreshing every library.')
    expect(bridge.inputsOf('move.export')).toEqual([])
    await view.click(inputIn(form, 'I understand: Larder on this machine stops refreshing all 3 libraries now'))
    await view.click(buttonIn(form, 'Move every library to another machine'))
    expect(bridge.inputsOf('move.export')).toEqual([{ path: '/media/usb/larder-move.age', passphrase: PASSPHRASE }])
    expect(view.root.querySelector('.estate-result')?.textContent).toContain('3 libraries moved to /media/usb/larder-move.age')
  })

  it('a moved library’s row says where it went, and its pane takes it back only after the warning', async () => {
    const bridge = new FakeBridge()
    // The core reads a moved library as 'moved' (nothing is refreshed or copied here); the window says where it went.
    const moved = library({ id: 'nord', name: 'Brasserie Nord', status: 'moved', hold: { kind: 'moved', at: 1, message: 'Brasserie Nord was moved to /media/usb/larder-move.age on 2026-11-24; Larder on this machine no longer refreshes it.', to: '/media/usb/larder-move.age' } })
    bridge.libraries = [moved]
    bridge.answers['move.takeBack'] = () => ok({ takenBack: ['nord'] })
    const { view, store, connected } = await show(bridge, 'LibrariesView')
    const tag = view.all('.library-row .tag-hold')[0]
    expect(tag?.textContent).toBe('moved to larder-move.age')
    expect(tag?.getAttribute('title')).toContain('Larder on this machine no longer refreshes it')
    await act(() => store.getState().select('nord'))
    await settle()
    const notice = view.all('.detail-pane .hold-notice')[0]
    expect(notice?.textContent).toContain('Moved to another machine.')
    // Not "ask the owner for a new token": the token is fine, it went to another machine.
    expect(view.all('.detail-pane .next-step')).toHaveLength(0)
    expect(view.all('.detail-pane')[0]?.textContent).not.toContain('Paste the new token pair')
    await view.click(buttonIn(notice as never, 'Take it back on this machine…'))
    expect(notice?.textContent).toContain('Apicbase may revoke the whole token family')
    await view.click(buttonIn(notice as never, 'Take it back'))
    expect(bridge.inputsOf('move.takeBack')).toEqual([])
    await view.click(inputIn(notice as never, 'The machine it was moved to no longer holds it'))
    await view.click(buttonIn(notice as never, 'Take it back'))
    expect(bridge.inputsOf('move.takeBack')).toEqual([{ ids: ['nord'], acknowledged: true }])
    // Larder then sends the library's row without its hold: the row and the pane follow.
    await act(() => bridge.emit('library.changed', listViewOf({ ...moved, hold: undefined })))
    await act(() => connected.flush())
    expect(view.all('.library-row .tag-hold')).toHaveLength(0)
  })
})

describe('configuration without secrets', () => {
  it('is written where the person says, and the answer says so', async () => {
    const bridge = new FakeBridge()
    bridge.answers['config.export'] = () => ok({ path: '/home/pat/larder-config.json', bytes: 900, libraries: 4, keys: 2 })
    const { view } = await show(bridge)
    await openTab(view, 'Configuration')
    const form = part(view, 'Configuration without secrets')
    expect(form.textContent).toContain('no client secret and no token')
    await type(inputIn(form, 'Save the configuration to'), '/home/pat/larder-config.json')
    await view.click(buttonIn(form, 'Export configuration'))
    expect(bridge.inputsOf('config.export')).toEqual([{ path: '/home/pat/larder-config.json' }])
    expect(view.root.querySelector('.estate-result')?.textContent).toBe('Configuration written to /home/pat/larder-config.json: 4 libraries, 2 keys, no secrets.')
  })
})
