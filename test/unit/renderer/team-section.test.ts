// @vitest-environment happy-dom
// Settings → Team (issue 16, S7): a local vault makes or joins a team through the form, the join code is shown to be
// read out while Larder waits, a member sees the team and lets someone in by code. Refusals are said at the field
// Larder names and change nothing else; 'team.changed' switches the view by itself; the database URL's password is
// never in the page once sent.
import type { HTMLElement } from 'happy-dom'
import { afterEach, describe, expect, it } from 'vitest'
import type { TeamView } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { act, ok, refused } from './estate-fixtures.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { page, settle, type Rendered } from './render.ts'
import { DATABASE_SHOWN, LOCAL, MEMBER, NO_LINK, offline, showTeamSection, unmountShown } from './team-fixtures.ts'
import { focused, type } from './typing.ts'

const PASSWORD = 'pw-Zq81-never-shown'
const URL_TYPED = `postgresql://larder:${PASSWORD}@db.example.com:5432/team`
const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUTeam\n-----END CERTIFICATE-----'
const JOINING: TeamView = { membership: 'joining', name: 'Sam, office laptop', code: 'K7M2Q-9XRTA', database: DATABASE_SHOWN, members: [], link: NO_LINK }

afterEach(unmountShown)

/** The control a label names (an input or the CA's text area), anywhere in the section. */
function control(view: Rendered, label: string): HTMLElement {
  const found = view.all('label').find((element) => element.textContent.trim() === label)
  const id = found?.getAttribute('for')
  const input = id ? view.root.querySelector(`[id="${id}"]`) : null
  if (!input) throw new Error(`no field "${label}" in: ${view.root.textContent}`)
  return input as unknown as HTMLElement
}

/** The error line tied to a control (aria-describedby), '' when it has none. */
function errorOf(view: Rendered, input: HTMLElement): string {
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id.endsWith('-error'))
  return ids.map((id) => view.root.querySelector(`[id="${id}"]`)?.textContent.trim() ?? '').join(' ')
}

/** Everything the page holds as text, markup and field values: where a password must not be. */
function everything(): string {
  const values = [...page().querySelectorAll('input, textarea')].map((element) => (element as unknown as { value: string }).value)
  return `${page().documentElement.outerHTML}\n${values.join('\n')}`
}

async function fillPlace(view: Rendered, options: { readonly ca?: string } = {}): Promise<void> {
  await type(control(view, 'Team database URL'), URL_TYPED)
  if (options.ca !== undefined) await type(control(view, 'CA certificate (PEM)'), options.ca)
  await type(control(view, 'Your name, as colleagues will see it'), 'Dana')
}

describe('a local vault: Share with your team', () => {
  it('says what sharing does and offers the URL, an optional CA, the name, and both actions', async () => {
    const { view } = await showTeamSection(new FakeBridge(), LOCAL)
    const text = view.root.textContent
    expect(text).toContain('Share with your team')
    expect(text).toContain('the database sees only ciphertext')
    expect(text).toContain('one member at a time refreshes each')
    expect(control(view, 'Team database URL').tagName).toBe('INPUT')
    expect(control(view, 'CA certificate (PEM)').tagName).toBe('TEXTAREA')
    expect(control(view, 'Your name, as colleagues will see it').tagName).toBe('INPUT')
    expect(view.button('Make a new team').getAttribute('type')).toBe('submit')
    expect(view.button('Join a team').getAttribute('type')).toBe('submit')
    expect(view.all('[role="alert"]')).toHaveLength(0)
  })

  it('"Make a new team" sends the URL, the name and no CA; the team is shown, its heading focused, the password gone', async () => {
    const bridge = new FakeBridge()
    bridge.answers['team.create'] = () => ok(MEMBER)
    const { store, view } = await showTeamSection(bridge, LOCAL)
    await fillPlace(view)
    await view.click(view.button('Make a new team'))
    expect(bridge.inputsOf('team.create')).toEqual([{ databaseUrl: URL_TYPED, name: 'Dana' }])
    expect(bridge.inputsOf('team.requestJoin')).toEqual([])
    expect(store.getState().team).toEqual(MEMBER)
    expect(view.root.textContent).toContain('Your team')
    expect(view.all('.team-members .team-member-name').map((item) => item.textContent)).toEqual(['Dana (you)', 'Sam, office laptop'])
    expect(view.root.textContent).toContain(DATABASE_SHOWN)
    expect(focused()?.textContent).toBe('Your team')
    expect(everything()).not.toContain(PASSWORD)
  })

  it('"Join a team" sends the CA too; the code is shown large to read out, with a polite waiting line', async () => {
    const bridge = new FakeBridge()
    bridge.answers['team.requestJoin'] = () => ok(JOINING)
    const { view } = await showTeamSection(bridge, LOCAL)
    await fillPlace(view, { ca: `${CA}\n` })
    await view.click(view.button('Join a team'))
    expect(bridge.inputsOf('team.requestJoin')).toEqual([{ databaseUrl: URL_TYPED, name: 'Dana', caPem: CA }])
    expect(bridge.inputsOf('team.create')).toEqual([])
    const code = view.all('.join-code .mono')
    expect(code.map((element) => element.textContent)).toEqual(['K7M2Q-9XRTA'])
    // Read out one character at a time by a screen reader, not as a word.
    expect(view.root.querySelector('.join-code .visually-hidden')?.textContent).toBe('K 7 M 2 Q, 9 X R T A')
    expect(view.root.textContent).toContain('Read this code to a member of the team; they type it in their Larder. It works for 10 minutes.')
    const waiting = view.all('[role="status"]').find((element) => element.textContent.includes('Waiting for a member to let you in'))
    expect(waiting).toBeDefined()
    expect(view.button('Withdraw request')).toBeDefined()
    expect(view.all('button').some((button) => /copy/i.test(button.textContent))).toBe(false)
    expect(focused()?.textContent).toBe('Your code to join the team')
    expect(everything()).not.toContain(PASSWORD)
    expect(everything()).not.toContain('MIIBszCCAVmgAwIBAgIUTeam')
  })

  it('a URL Larder refuses is said by the URL field, which takes the focus; nothing else changes', async () => {
    const bridge = new FakeBridge()
    bridge.answers['team.create'] = () => refused(`${DATABASE_SHOWN}: sslmode=require would not check the server's certificate and name.`, 'teamDatabaseUrl')
    const { store, view } = await showTeamSection(bridge, LOCAL)
    await fillPlace(view)
    await view.click(view.button('Make a new team'))
    await settle()
    const url = control(view, 'Team database URL')
    expect(url.getAttribute('aria-invalid')).toBe('true')
    expect(errorOf(view, url)).toContain('sslmode=require would not check')
    expect(focused()).toBe(url)
    const name = control(view, 'Your name, as colleagues will see it')
    expect(name.getAttribute('aria-invalid')).toBe('false')
    expect(errorOf(view, name)).toBe('')
    expect((name as unknown as { value: string }).value).toBe('Dana')
    expect(store.getState().team).toEqual(LOCAL)
    expect(view.root.textContent).toContain('Share with your team')
  })

  it('a name Larder refuses is said by the name field; a refusal naming no field under the form', async () => {
    const bridge = new FakeBridge()
    bridge.answers['team.requestJoin'] = () => refused('A member’s name is 1 to 80 characters, without control characters.', 'label')
    const { view } = await showTeamSection(bridge, LOCAL)
    await fillPlace(view)
    await view.click(view.button('Join a team'))
    await settle()
    const name = control(view, 'Your name, as colleagues will see it')
    expect(errorOf(view, name)).toContain('1 to 80 characters')
    expect(focused()).toBe(name)
    expect(errorOf(view, control(view, 'Team database URL'))).toBe('')

    bridge.answers['team.requestJoin'] = () => refused('This vault is in a team already. Leave it first; nothing was changed.', 'team')
    await type(name, 'Dana')
    await view.click(view.button('Join a team'))
    const alerts = view.all('[role="alert"]').map((element) => element.textContent)
    expect(alerts).toEqual(['✕ This vault is in a team already. Leave it first; nothing was changed.'])
    expect(errorOf(view, name)).toBe('')
  })

  it('a CA Larder refuses opens its part of the form and is said there', async () => {
    const bridge = new FakeBridge()
    bridge.answers['team.create'] = () => refused('caPem: too long', 'caPem')
    const { view } = await showTeamSection(bridge, LOCAL)
    await fillPlace(view, { ca: CA })
    await view.click(view.button('Make a new team'))
    await settle()
    const ca = control(view, 'CA certificate (PEM)')
    expect(errorOf(view, ca)).toBe('✕ caPem: too long')
    expect(view.root.querySelector('details')?.hasAttribute('open')).toBe(true)
    expect(focused()).toBe(ca)
  })

  it('says what is missing before sending anything', async () => {
    const bridge = new FakeBridge()
    const { view } = await showTeamSection(bridge, LOCAL)
    await view.click(view.button('Join a team'))
    await settle()
    const url = control(view, 'Team database URL')
    expect(errorOf(view, url)).toContain('Type the team database’s URL')
    expect(focused()).toBe(url)
    expect(bridge.inputsOf('team.requestJoin')).toEqual([])
  })
})

describe('asking to join', () => {
  it('switches to the team by itself when Larder says this machine is in, and says so', async () => {
    const bridge = new FakeBridge()
    const { view } = await showTeamSection(bridge, JOINING)
    view.button('Withdraw request').focus()
    await act(() => bridge.emit('team.changed', { ...MEMBER, name: 'Sam, office laptop' }))
    expect(view.all('.join-code')).toHaveLength(0)
    expect(view.root.textContent).toContain('Your team')
    expect(view.all('[role="status"]').some((element) => element.textContent === 'You are in the team as Sam, office laptop.')).toBe(true)
    expect(focused()?.textContent).toBe('Your team')
  })

  it('"Withdraw request" asks Larder to withdraw it and shows the form again', async () => {
    const bridge = new FakeBridge()
    bridge.answers['team.cancelJoin'] = () => ok(LOCAL)
    const { view } = await showTeamSection(bridge, JOINING)
    await view.click(view.button('Withdraw request'))
    expect(bridge.inputsOf('team.cancelJoin')).toEqual([{}])
    expect(view.root.textContent).toContain('Share with your team')
    expect(view.all('.join-code')).toHaveLength(0)
    expect(focused()?.textContent).toBe('Share with your team')
  })
})

describe('a member', () => {
  it('sees the members, the server without its password and the link; an offline link says since when and why', async () => {
    const bridge = new FakeBridge()
    const since = Date.now() - 12 * 60_000
    const { view } = await showTeamSection(bridge, offline(since, 'The team database did not answer.'))
    const text = view.root.textContent
    expect(text).toContain('You are in the team as Dana.')
    expect(text).toContain(DATABASE_SHOWN)
    expect(text).toContain('Offline from the team since')
    expect(text).toContain('(12 min ago)')
    expect(text).toContain('The team database did not answer.')
    expect(text).toContain('nothing is refreshed until Larder reaches the team database')
    await act(() => bridge.emit('team.changed', MEMBER))
    expect(view.root.querySelector('.team-link')?.textContent).toBe('Online')
  })

  it('lets someone in by the code as typed, and says who', async () => {
    const bridge = new FakeBridge()
    bridge.answers['team.approve'] = () => ok({ memberId: 'm-3', name: 'Noor' })
    const { view } = await showTeamSection(bridge, MEMBER)
    const code = control(view, 'Code from the new member’s screen')
    await type(code, ' k7m2q 9xrta ')
    await view.click(view.button('Approve'))
    expect(bridge.inputsOf('team.approve')).toEqual([{ code: 'k7m2q 9xrta' }])
    expect(view.all('[role="status"]').some((element) => element.textContent === 'Noor is in the team now.')).toBe(true)
    expect((code as unknown as { value: string }).value).toBe('')
    expect(focused()).toBe(code)
  })

  it('a code Larder refuses is said by the code field; the team shown does not change', async () => {
    const bridge = new FakeBridge()
    bridge.answers['team.approve'] = () => refused('No request to join matches this code.', 'code')
    const { store, view } = await showTeamSection(bridge, MEMBER)
    const code = control(view, 'Code from the new member’s screen')
    await type(code, 'AAAAA-BBBBB')
    await view.click(view.button('Approve'))
    await settle()
    expect(errorOf(view, code)).toContain('No request to join matches this code.')
    expect(code.getAttribute('aria-invalid')).toBe('true')
    expect(focused()).toBe(code)
    expect(store.getState().team).toEqual(MEMBER)
    expect(view.all('.team-members li')).toHaveLength(2)
    expect(view.all('[role="status"]').some((element) => element.textContent.includes('is in the team now'))).toBe(false)
  })
})

describe('the store', () => {
  it('an answer to team.state asked before a team.changed does not put the older view back', async () => {
    const bridge = new FakeBridge()
    let answer: (value: TeamView) => void = () => undefined
    bridge.answers['team.state'] = () => new Promise((resolve) => (answer = (value) => resolve(ok(value))))
    const store = createAppStore(bridge)
    const loading = store.getState().loadTeam()
    bridge.on('team.changed', (view) => store.getState().noteTeam(view))
    bridge.emit('team.changed', MEMBER)
    answer(JOINING)
    await loading
    expect(store.getState().team).toEqual(MEMBER)
  })

  it('forgets the team (its code, its members) when the vault leaves open', async () => {
    const bridge = new FakeBridge()
    const store = createAppStore(bridge)
    await connectStore(store, bridge, new ManualScheduler()).ready
    bridge.emit('team.changed', JOINING)
    expect(store.getState().team).toEqual(JOINING)
    bridge.emit('vault.state', { state: 'locked', mode: 'unlock' })
    expect(store.getState().team).toBeNull()
  })
})

