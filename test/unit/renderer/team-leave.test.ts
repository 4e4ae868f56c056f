// @vitest-environment happy-dom
// Settings → Team: leaving the team, ending it by taking its credentials home, and a machine out of the team (issue 16).
// Each of the member's two actions opens a confirmation that says what happens here and on the other machines;
// confirming asks Larder once ('team.leave' / 'team.takeHome'), Cancel asks nothing, a refusal is said by the confirm
// button, named, and changes nothing. An 'out' machine sees why and since when, and "Make this vault local".
import { afterEach, describe, expect, it } from 'vitest'
import { act, ok, refused } from './estate-fixtures.ts'
import { FakeBridge } from './fake-bridge.ts'
import { settle } from './render.ts'
import { DATABASE_SHOWN, LOCAL, MEMBER, describedText, dialog, dialogButton, offline, outOfTeam, showTeamSection, unmountShown } from './team-fixtures.ts'
import { focused } from './typing.ts'

const OUT = outOfTeam('Sam, office laptop removed this machine from the team', Date.now() - 25 * 60_000)

afterEach(unmountShown)

const LEAVE = 'Leave the team…'
const TAKE_HOME = 'Take the credentials home and end the team…'

describe('a member leaves the team', () => {
  it('the confirmation says what leaving does, and when to ask for a removal instead; confirming asks team.leave once', async () => {
    const bridge = new FakeBridge()
    bridge.answers['team.leave'] = () => ok(LOCAL)
    const { store, view } = await showTeamSection(bridge, MEMBER)
    await view.click(view.button(LEAVE))
    expect(dialog()?.getAttribute('aria-labelledby')).not.toBeNull()
    const text = dialog()?.textContent ?? ''
    expect(text).toContain('Leave the team?')
    expect(text).toContain('deletes this machine’s copies of the team’s credentials')
    expect(text).toContain('keys of other systems stay')
    expect(text).toContain('The team keeps the credentials')
    expect(text).toContain('was lost')
    expect(text).toContain('ask a member to remove it instead')
    expect(text).toContain('Removing refreshes every credential')
    expect(bridge.inputsOf('team.leave')).toEqual([])
    await view.click(dialogButton('Leave the team'))
    expect(bridge.inputsOf('team.leave')).toEqual([{}])
    expect(bridge.inputsOf('team.takeHome')).toEqual([])
    expect(dialog()).toBeNull()
    expect(store.getState().team).toEqual(LOCAL)
    expect(view.root.textContent).toContain('Share with your team')
    // The button used is gone with the member's view: the focus goes to the new view's heading.
    await settle()
    expect(focused()?.textContent).toBe('Share with your team')
  })

  it('Cancel closes the confirmation and asks Larder nothing', async () => {
    const bridge = new FakeBridge()
    bridge.answers['team.leave'] = () => ok(LOCAL)
    const { store, view } = await showTeamSection(bridge, MEMBER)
    await view.click(view.button(LEAVE))
    await view.click(dialogButton('Cancel'))
    expect(dialog()).toBeNull()
    expect(bridge.inputsOf('team.leave')).toEqual([])
    expect(store.getState().team).toEqual(MEMBER)
  })

  it('a refusal is said by the confirm button, named, and the member stays in the team', async () => {
    const bridge = new FakeBridge()
    bridge.answers['team.leave'] = () => refused('This machine is offline from the team: it can leave once it is back. Nothing was changed.', 'team')
    const { store, view } = await showTeamSection(bridge, MEMBER)
    await view.click(view.button(LEAVE))
    const confirm = dialogButton('Leave the team')
    await view.click(confirm)
    expect(dialog()).not.toBeNull()
    expect(describedText(confirm)).toBe('✕ Could not leave the team. This machine is offline from the team: it can leave once it is back. Nothing was changed.')
    expect(dialog()?.querySelector('[role="alert"]')?.textContent).toContain('Could not leave the team.')
    expect(store.getState().team).toEqual(MEMBER)
  })

  it('the only member is not offered leaving (it would lose the credentials), only taking them home', async () => {
    const { view } = await showTeamSection(new FakeBridge(), { ...MEMBER, members: [{ id: 'm-1', name: 'Dana', you: true }] })
    expect(view.all('button').some((button) => button.textContent.trim() === LEAVE)).toBe(false)
    expect(view.button(TAKE_HOME)).toBeDefined()
    expect(view.root.textContent).toContain('You are the team’s only member: leaving would lose its credentials. Take them home instead.')
  })

  it('offline, says both need the team database', async () => {
    const { view } = await showTeamSection(new FakeBridge(), offline(Date.now() - 60_000, 'The team database did not answer.'))
    expect(view.root.querySelector('.team-ending')?.textContent).toContain('Both need the team database')
  })
})

describe('a member takes the credentials home and ends the team', () => {
  it('the confirmation says what comes here and what the others lose; confirming asks team.takeHome once', async () => {
    const bridge = new FakeBridge()
    bridge.answers['team.takeHome'] = () => ok(LOCAL)
    const { store, view } = await showTeamSection(bridge, MEMBER)
    await view.click(view.button(TAKE_HOME))
    const text = dialog()?.textContent ?? ''
    expect(text).toContain('Take the credentials home and end the team?')
    expect(text).toContain('Every credential comes into this machine’s vault with its newest token pair')
    expect(text).toContain('Every other member’s Larder drops its copies')
    expect(text).toContain('The team database keeps no credential, only empty rows and its audit trail.')
    await view.click(dialogButton('Take them home and end the team'))
    expect(bridge.inputsOf('team.takeHome')).toEqual([{}])
    expect(bridge.inputsOf('team.leave')).toEqual([])
    expect(dialog()).toBeNull()
    expect(store.getState().team).toEqual(LOCAL)
    expect(view.root.textContent).toContain('Share with your team')
  })

  it('while Larder waits for refreshes under way, the dialog says so and cannot be sent twice', async () => {
    const bridge = new FakeBridge()
    let answer: () => void = () => undefined
    bridge.answers['team.takeHome'] = () => new Promise((resolve) => (answer = () => resolve(ok(LOCAL))))
    const { view } = await showTeamSection(bridge, MEMBER)
    await view.click(view.button(TAKE_HOME))
    const confirm = dialogButton('Take them home and end the team')
    await view.click(confirm)
    expect(dialog()?.textContent).toContain('Waiting for any refresh under way to finish')
    expect(confirm.hasAttribute('disabled')).toBe(true)
    expect(dialogButton('Cancel').hasAttribute('disabled')).toBe(true)
    await view.click(confirm)
    expect(bridge.inputsOf('team.takeHome')).toHaveLength(1)
    answer()
    await settle()
    expect(dialog()).toBeNull()
  })

  it('a refusal is said by the confirm button, named; nothing changes', async () => {
    const bridge = new FakeBridge()
    bridge.answers['team.takeHome'] = () => refused('Bistro Nord is being refreshed by Sam, office laptop; try again in a minute. Nothing was changed.', 'team')
    const { store, view } = await showTeamSection(bridge, MEMBER)
    await view.click(view.button(TAKE_HOME))
    const confirm = dialogButton('Take them home and end the team')
    await view.click(confirm)
    expect(describedText(confirm)).toBe('✕ Could not take the credentials home. Bistro Nord is being refreshed by Sam, office laptop; try again in a minute. Nothing was changed.')
    expect(store.getState().team).toEqual(MEMBER)
    expect(view.root.textContent).toContain('Your team')
  })
})

describe('a machine out of the team', () => {
  it('says why and since when, what still works, and offers "Make this vault local" (no leave or take-home)', async () => {
    const { view } = await showTeamSection(new FakeBridge(), OUT)
    const text = view.root.textContent
    expect(text).toContain('This machine is no longer in the team')
    expect(view.root.querySelector('.team-out-why')?.textContent).toBe('Sam, office laptop removed this machine from the team.')
    expect(text).toContain('(25 min ago)')
    expect(text).toContain('Larder refreshes nothing here any more.')
    expect(text).toContain(DATABASE_SHOWN)
    expect(view.button('Make this vault local')).toBeDefined()
    expect(view.all('button').some((button) => [LEAVE, TAKE_HOME].includes(button.textContent.trim()))).toBe(false)
    // Not the form to make or join a team, which an out vault cannot use until it is local.
    expect(text).not.toContain('Share with your team')
  })

  it('"Make this vault local" asks team.leave; the vault is local and the section shows the form', async () => {
    const bridge = new FakeBridge()
    bridge.answers['team.leave'] = () => ok(LOCAL)
    const { store, view } = await showTeamSection(bridge, OUT)
    await view.click(view.button('Make this vault local'))
    expect(bridge.inputsOf('team.leave')).toEqual([{}])
    expect(store.getState().team).toEqual(LOCAL)
    expect(view.root.textContent).toContain('Share with your team')
    expect(view.all('[role="status"]').some((element) => element.textContent === 'This vault is local: it is in no team.')).toBe(true)
  })

  it('a refusal is said by the button, named; the panel stays', async () => {
    const bridge = new FakeBridge()
    bridge.answers['team.leave'] = () => refused('The vault could not be written: disk full. Nothing was changed.')
    const { store, view } = await showTeamSection(bridge, OUT)
    const button = view.button('Make this vault local')
    await view.click(button)
    expect(describedText(button)).toBe('✕ Could not make this vault local. The vault could not be written: disk full. Nothing was changed.')
    expect(store.getState().team).toEqual(OUT)
    expect(view.root.textContent).toContain('This machine is no longer in the team')
  })

  it('a member removed while the section is shown sees the panel by itself, and hears why', async () => {
    const bridge = new FakeBridge()
    const { view } = await showTeamSection(bridge, MEMBER)
    await act(() => bridge.emit('team.changed', OUT))
    expect(view.root.textContent).toContain('This machine is no longer in the team')
    expect(view.all('[role="status"]').some((element) => element.textContent === 'This machine is no longer in the team. Sam, office laptop removed this machine from the team.')).toBe(true)
  })
})
