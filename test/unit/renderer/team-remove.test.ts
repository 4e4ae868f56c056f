// @vitest-environment happy-dom
// Settings → Team: removing a member (issue 16). "Remove…" is offered beside every member but this machine's; it
// opens a confirmation that says what removal does and cannot undo; confirming asks 'team.remove' for that member,
// Cancel asks nothing; the removal's progress from 'team.changed' is read out politely; a refusal is said in the dialog.
import { afterEach, describe, expect, it } from 'vitest'
import type { TeamRemovalView } from '../../../src/shared/contract.ts'
import { act, ok, refused } from './estate-fixtures.ts'
import { FakeBridge } from './fake-bridge.ts'
import { settle, type Rendered } from './render.ts'
import { MEMBER, describedText, dialog, dialogButton, showTeamSection, unmountShown } from './team-fixtures.ts'
import { focused } from './typing.ts'

const REMOVAL: TeamRemovalView = {
  removed: { id: 'm-2', name: 'Sam, office laptop' },
  startedAt: 1,
  resealed: { done: 12, total: 12, finished: true },
  refreshed: { done: 7, total: 12, finished: false, left: [{ id: 'lib-9', name: 'Bistro Nord', why: 'Apicbase did not answer.' }] },
  message: 'Sam, office laptop was removed from the team. Larder is refreshing all 12 team credentials: 7 of 12 done.'
}

afterEach(unmountShown)

/** Settings → Team, Dana's view of her team with Sam in it (unless the test answers 'team.state' itself). */
async function show(bridge: FakeBridge): Promise<Rendered> {
  return (await showTeamSection(bridge, MEMBER)).view
}

const REMOVE_SAM = 'Remove Sam, office laptop from the team…'

describe('removing a member', () => {
  it('offers "Remove…" beside the other members, named by member, never beside yourself', async () => {
    const view = await show(new FakeBridge())
    const removes = view.all('button').filter((button) => button.textContent.trim().startsWith('Remove'))
    expect(removes.map((button) => button.textContent.trim())).toEqual([REMOVE_SAM])
    expect(removes.some((button) => button.textContent.includes('Dana'))).toBe(false)
  })

  it('the confirmation says what removal does; confirming asks team.remove for that member, shows its first state and focuses it', async () => {
    const bridge = new FakeBridge()
    bridge.answers['team.remove'] = () => ok(REMOVAL)
    const view = await show(bridge)
    await view.click(view.button(REMOVE_SAM))
    const text = dialog()?.textContent ?? ''
    expect(text).toContain('Larder makes a new team key')
    expect(text).toContain('seals every credential again')
    expect(text).toContain('stop working at Apicbase')
    expect(text).toContain('Until a credential is refreshed, Sam, office laptop’s copy of it still works.')
    expect(text).toContain('Client secrets Sam, office laptop saw stay valid')
    expect(text).toContain('regenerate')
    expect(text).toContain('database password')
    dialogButton('Cancel')
    await view.click(dialogButton('Remove Sam, office laptop'))
    expect(bridge.inputsOf('team.remove')).toEqual([{ memberId: 'm-2' }])
    expect(dialog()).toBeNull()
    expect(view.root.querySelector('.team-removal')?.textContent).toContain('7 of 12')
    // The button that opened the confirmation may leave with the member: the focus goes to the removal's progress.
    await settle()
    expect(focused()?.textContent.trim()).toBe('Removing Sam, office laptop')
  })

  it('Cancel closes the confirmation and asks Larder nothing', async () => {
    const bridge = new FakeBridge()
    bridge.answers['team.remove'] = () => ok(REMOVAL)
    const view = await show(bridge)
    await view.click(view.button(REMOVE_SAM))
    expect(dialog()).not.toBeNull()
    await view.click(dialogButton('Cancel'))
    expect(dialog()).toBeNull()
    expect(bridge.inputsOf('team.remove')).toEqual([])
  })

  it('the progress from team.changed is shown in a polite live region: counts, what is left and why, the message', async () => {
    const bridge = new FakeBridge()
    const view = await show(bridge)
    await act(() => bridge.emit('team.changed', { ...MEMBER, removal: REMOVAL }))
    const region = view.root.querySelector('.team-removal')
    expect(region?.getAttribute('role')).toBe('status')
    const text = region?.textContent ?? ''
    expect(text).toContain('Sealed again12 of 12 (done)')
    expect(text).toContain('Refreshed7 of 12')
    expect(text).toContain('Bistro Nord: Apicbase did not answer.')
    expect(text).toContain(REMOVAL.message)
  })

  it('a removal whose member the roster does not name (an older roster) is headed "Removing a member"', async () => {
    const bridge = new FakeBridge()
    const view = await show(bridge)
    const unnamed = { ...REMOVAL, removed: null, message: 'A member was removed from the team. Every team credential was refreshed.' }
    await act(() => bridge.emit('team.changed', { ...MEMBER, removal: unnamed }))
    const region = view.root.querySelector('.team-removal')
    expect(region?.querySelector('h5')?.textContent.trim()).toBe('Removing a member')
    expect(region?.textContent).toContain(unnamed.message)
  })

  it('a refusal is said by the Remove button, and the confirmation stays open', async () => {
    const bridge = new FakeBridge()
    bridge.answers['team.remove'] = () => refused('Larder cannot reach the team database: nothing was changed.', 'team')
    const view = await show(bridge)
    await view.click(view.button(REMOVE_SAM))
    const confirm = dialogButton('Remove Sam, office laptop')
    await view.click(confirm)
    expect(dialog()).not.toBeNull()
    expect(describedText(confirm)).toContain('Larder cannot reach the team database: nothing was changed.')
  })
})
