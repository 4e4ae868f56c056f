// @vitest-environment happy-dom
// The audit view in a team (issue 16 item 5): a Member column and filter shown only when this vault is a member (as
// 'team.state' says), "unverified" on an entry whose signature does not check, the member filter sent as memberId,
// and, offline, a note that the team's entries are not available (the page is this machine's own).
import { afterEach, describe, expect, it } from 'vitest'
import type { AuditEntryView, CallInput, TeamView } from '../../../src/shared/contract.ts'
import { ok } from './estate-fixtures.ts'
import { FakeBridge } from './fake-bridge.ts'
import { NOW } from './fixtures.ts'
import { component, settle, type Rendered } from './render.ts'
import { LOCAL, MEMBER, connectedStore, mount, unmountShown } from './team-fixtures.ts'

const ANA = '11111111-1111-4111-8111-111111111111'
const BO = '22222222-2222-4222-8222-222222222222'
const GONE = '33333333-3333-4333-8333-333333333333'

const MEMBER_VIEW: TeamView = {
  ...MEMBER,
  name: 'Ana, office',
  members: [
    { id: ANA, name: 'Ana, office', you: true },
    { id: BO, name: 'Bo at home', you: false }
  ],
  link: { state: 'online', since: NOW - 3_600_000, reason: null }
}

function entry(seq: number, overrides: Partial<AuditEntryView>): AuditEntryView {
  return { seq, at: NOW - seq * 60_000, action: 'copied', libraryId: 'lib-1', libraryName: 'Bistro Noord', outcome: 'ok', detail: 'format: token', ...overrides }
}

const TEAM_ENTRIES: AuditEntryView[] = [
  entry(4, { action: 'handed_out', detail: 'larder token --format raw; session linux:sid=4100 (pid 4242)', member: { id: BO, name: 'Bo at home', verified: true } }),
  entry(3, { member: { id: ANA, name: 'Ana, office', verified: true } }),
  entry(2, { outcome: 'error', member: { id: BO, name: 'Bo at home', verified: false } }),
  entry(1, { action: 'removed', member: { id: GONE, name: null, verified: false } })
]

afterEach(unmountShown)

async function auditView(team: TeamView, page: (input: CallInput<'audit.page'>) => unknown): Promise<{ bridge: FakeBridge; view: Rendered }> {
  const bridge = new FakeBridge()
  bridge.answers['audit.page'] = (input) => ok(page(input as CallInput<'audit.page'>))
  const view = await mount(await connectedStore(bridge, team), await component('AuditView'))
  await settle(350)
  await settle(350)
  return { bridge, view }
}

const headers = (view: Rendered): string[] => view.all('thead th').map((th) => th.textContent)
const memberCells = (view: Rendered): string[] => view.all('tbody td.member-cell').map((td) => td.textContent)

async function choose(view: Rendered, id: string, value: string): Promise<void> {
  const select = view.all('select').find((element) => element.id === id)
  if (!select) throw new Error(`no select #${id}`)
  Object.getOwnPropertyDescriptor(Object.getPrototypeOf(select), 'value')?.set?.call(select, value)
  select.dispatchEvent(new Event('change', { bubbles: true }) as never)
  await settle(350)
  await settle()
}

describe('the audit view in a team', () => {
  it('says who wrote each entry, marks one whose signature does not check, and filters by member', async () => {
    const { bridge, view } = await auditView(MEMBER_VIEW, (input) => ({
      entries: input.memberId === undefined ? TEAM_ENTRIES : TEAM_ENTRIES.filter((e) => e.member?.id === input.memberId),
      nextBefore: null,
      teamTrail: 'online'
    }))
    expect(headers(view)).toEqual(['Time', 'Member', 'Library', 'Action', 'Outcome', 'Detail'])
    expect(memberCells(view)).toEqual(['Bo at home', 'Ana, office (you)', 'Bo at homeunverified', 'A member no longer in the teamunverified'])
    expect(view.all('.tag-unverified')[0]?.getAttribute('title')).toMatch(/signature does not check/)

    const options = view.all('#f-member option').map((option) => option.textContent)
    expect(options).toEqual(['All members', 'Ana, office (you)', 'Bo at home', 'A former member'])
    await choose(view, 'f-member', BO)
    expect(bridge.inputsOf('audit.page').at(-1)).toEqual({ memberId: BO, limit: 100 })
    expect(memberCells(view)).toEqual(['Bo at home', 'Bo at homeunverified'])
    expect(view.button('Clear filters')).toBeDefined()
    expect(view.root.textContent).not.toContain('not available offline')
  })

  it('offline: says the team entries are not available, and shows this machine’s own', async () => {
    const offline: TeamView = { ...MEMBER_VIEW, link: { state: 'offline', since: NOW - 600_000, reason: 'connect ECONNREFUSED' } }
    const { view } = await auditView(offline, () => ({ entries: [entry(7, { detail: 'format: env' })], nextBefore: null, teamTrail: 'offline' }))
    expect(view.root.textContent).toContain('team entries are not available offline')
    expect(memberCells(view)).toEqual(['This machine'])
  })

  it('older entries asked of the team that come back from this machine’s own trail (gone offline) start the page afresh', async () => {
    let online = true
    const { bridge, view } = await auditView(MEMBER_VIEW, (input) =>
      online
        ? { entries: TEAM_ENTRIES.slice(0, 2), nextBefore: 3, teamTrail: 'online' }
        : { entries: input.before === undefined ? [entry(9, { detail: 'format: env' })] : [entry(2, { detail: 'not the team’s seq 2' })], nextBefore: null, teamTrail: 'offline' }
    )
    online = false
    await view.click(view.button('Show older entries'))
    await settle()
    expect(bridge.inputsOf('audit.page').slice(-2)).toEqual([{ limit: 100, before: 3 }, { limit: 100 }])
    expect(view.all('tbody td.detail-cell').map((td) => td.textContent)).toEqual(['format: env'])
    expect(view.root.textContent).toContain('team entries are not available offline')
  })

  it('a local vault: no member column or filter, and no memberId sent', async () => {
    const { bridge, view } = await auditView(LOCAL, () => ({ entries: [entry(1, {})], nextBefore: null }))
    expect(headers(view)).toEqual(['Time', 'Library', 'Action', 'Outcome', 'Detail'])
    expect(view.all('#f-member')).toHaveLength(0)
    expect(bridge.inputsOf('audit.page').every((input) => !Object.hasOwn(input as object, 'memberId'))).toBe(true)
  })
})
