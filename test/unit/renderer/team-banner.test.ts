// @vitest-environment happy-dom
// The team banner over the libraries list (issue 16): while this machine is offline from its team it says since when,
// that copying still works from this machine's copies and that nothing is refreshed or changed until it is back; out
// of the team, it says so, since when and Larder's reason, with a link to Settings → Team. The window asks 'team.state' once the list is in,
// so the banner is there from the start; 'team.changed' shows and hides it. Nothing of it for a local vault or a member
// online.
import { afterEach, describe, expect, it } from 'vitest'
import type { TeamView } from '../../../src/shared/contract.ts'
import type { AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { act } from './estate-fixtures.ts'
import { FakeBridge } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { component, page, settle, type Rendered } from './render.ts'
import { LOCAL, MEMBER, connectedStore, mount, offline, outOfTeam, unmountShown } from './team-fixtures.ts'
import { focused } from './typing.ts'

// Earlier today (a minute past midnight at the latest), so the banner says the time alone.
const SINCE = Math.max(new Date().setHours(0, 1, 0, 0), Date.now() - 40 * 60_000)
const OFFLINE = offline(SINCE, 'The team database did not answer.')
// As Larder says it when another member ended the team (its copies here dropped): a sentence of its own.
const ENDED = 'Sam, office laptop took the team’s credentials home to their own vault and the team ended: this machine’s copies were dropped and it refreshes nothing more.'
const OUT = outOfTeam(ENDED, SINCE)
const HH_MM = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(SINCE)

afterEach(async () => {
  await unmountShown()
  page().getElementById('settings-team-title')?.remove()
})

async function listWith(team: TeamView): Promise<{ bridge: FakeBridge; store: AppStore; view: Rendered }> {
  const bridge = new FakeBridge()
  bridge.libraries = [library({ name: 'Bistro Nord' }), library({ name: 'Café Zuid' })]
  const store = await connectedStore(bridge, team)
  const view = await mount(store, await component('LibrariesView'))
  await loaded()
  return { bridge, store, view }
}

/** The banner's module is loaded when first shown: lets that import and the render after it finish. */
async function loaded(): Promise<void> {
  for (let turn = 0; turn < 20; turn += 1) await settle(5)
}

const banner = (view: Rendered): string | null => view.root.querySelector('section[aria-label="Team"]')?.textContent ?? null

describe('the team banner over the libraries list', () => {
  it('is not there for a local vault or a member online; the window asks team.state once, after the list', async () => {
    const local = await listWith(LOCAL)
    expect(local.view.all('.library-row').length).toBeGreaterThan(0)
    expect(banner(local.view)).toBeNull()
    const names = local.bridge.calls.map((call) => call.name)
    expect(names.filter((name) => name === 'team.state')).toHaveLength(1)
    expect(names.indexOf('team.state')).toBeGreaterThan(names.indexOf('keys.list'))
    expect(names.indexOf('team.state')).toBeGreaterThan(names.lastIndexOf('libraries.list'))
    await unmountShown()
    const member = await listWith(MEMBER)
    expect(banner(member.view)).toBeNull()
  })

  it('offline from the start: says since when, that copying still works and nothing is refreshed or changed, and why', async () => {
    const { view } = await listWith(OFFLINE)
    expect(banner(view)).toBe(
      `Offline from the team since ${HH_MM} — copying still works from this machine’s copies; nothing is refreshed or changed until it is back. The team database did not answer. Open Settings → Team`
    )
    // Above the list's own warnings, and it names no server.
    const sections = view.all('section').map((section) => section.getAttribute('aria-label'))
    expect(sections.indexOf('Team')).toBe(0)
    expect(view.root.textContent).not.toContain('db.example.com')
  })

  it('comes and goes with team.changed', async () => {
    const { bridge, view } = await listWith(MEMBER)
    expect(banner(view)).toBeNull()
    await act(() => bridge.emit('team.changed', OFFLINE))
    await loaded()
    expect(banner(view)).toContain(`Offline from the team since ${HH_MM}`)
    await act(() => bridge.emit('team.changed', MEMBER))
    expect(banner(view)).toBeNull()
  })

  it('out of the team: says so, why and since when, what still works, and links to Settings → Team, whose heading takes the focus', async () => {
    const { store, view } = await listWith(OUT)
    const text = banner(view) ?? ''
    expect(text).toContain(`This machine has been out of the team since ${HH_MM}.`)
    expect(text).toContain(ENDED)
    // Larder's reason says what became of this machine's copies: the banner claims nothing about them, and it is not
    // the offline banner (an 'out' machine's link reads offline too).
    expect(text).not.toContain('copying still works')
    expect(text).not.toContain('Offline')
    await view.click(view.button('Open Settings → Team'))
    expect(store.getState().view).toBe('settings')
    // The Settings view (a chunk of its own) draws the Team section a moment later: its heading gets the focus then.
    const heading = page().createElement('h3')
    heading.id = 'settings-team-title'
    heading.tabIndex = -1
    page().body.append(heading)
    await settle(5)
    expect(focused()).toBe(heading)
  })
})
