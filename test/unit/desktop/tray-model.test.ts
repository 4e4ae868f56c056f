import { describe, expect, it } from 'vitest'
import type { LibraryStatus } from '../../../src/shared/contract.ts'
import { buildClosedVaultTrayModel, buildTrayModel, MAX_TOOLTIP_CHARS, type MenuNode, type TrayLibrary } from '../../../src/main/core/desktop/tray-model.ts'

let seq = 0
function lib(status: LibraryStatus, name = `Library ${++seq}`, expiresAt: number | null = null): TrayLibrary {
  return { id: `id-${name}`, name, status, expiresAt }
}

const labels = (nodes: readonly MenuNode[]): string[] => nodes.map((n) => (n.type === 'separator' ? '---' : n.label))
const headings = (nodes: readonly MenuNode[]): string[] => nodes.flatMap((n) => (n.type === 'label' ? [n.label] : []))

describe('tray model: level', () => {
  it.each<[LibraryStatus[], string]>([
    [[], 'ok'],
    [['healthy', 'healthy'], 'ok'],
    [['healthy', 'expiring_soon'], 'warning'],
    [['healthy', 'expired'], 'warning'],
    [['refreshing'], 'warning'],
    [['healthy', 'expiring_soon', 'needs_reauth'], 'attention'],
    [['error'], 'attention'],
    // Issue 19 item 7: revoked on purpose, nothing urgent; the tooltip names it (revoked-words.test.ts).
    [['revoked', 'healthy'], 'ok']
  ])('%j → %s', (statuses, level) => {
    expect(buildTrayModel(statuses.map((s) => lib(s))).level).toBe(level)
  })
})

describe('tray model: tooltip', () => {
  it('says in words who needs the person and what is expiring', () => {
    const model = buildTrayModel([lib('needs_reauth'), lib('error'), lib('expiring_soon'), lib('expiring_soon'), lib('expiring_soon'), lib('healthy')])
    expect(model.tooltip).toBe('Larder — 2 libraries need you, 3 expiring soon')
  })

  it('uses the singular and mentions expired and refreshing', () => {
    expect(buildTrayModel([lib('needs_reauth'), lib('expired'), lib('refreshing')]).tooltip).toBe('Larder — 1 library needs you, 1 expired, 1 refreshing')
  })

  it('says all is well, or that there is nothing yet', () => {
    expect(buildTrayModel([lib('healthy'), lib('healthy')]).tooltip).toBe('Larder — all 2 libraries are healthy')
    expect(buildTrayModel([lib('healthy')]).tooltip).toBe('Larder — the library is healthy')
    expect(buildTrayModel([]).tooltip).toBe('Larder — no libraries yet')
  })

  it('never exceeds what Windows shows', () => {
    const many = Array.from({ length: 5000 }, (_, i) => lib((['needs_reauth', 'expired', 'expiring_soon', 'refreshing'] as const)[i % 4]!))
    expect(buildTrayModel(many).tooltip.length).toBeLessThanOrEqual(MAX_TOOLTIP_CHARS)
  })
})

describe('tray model: menu', () => {
  it('groups libraries by status, worst first, each with its actions, then Open and Quit', () => {
    const model = buildTrayModel([lib('healthy', 'Zeta'), lib('expiring_soon', 'Beta', 2000), lib('needs_reauth', 'Alpha'), lib('error', 'Gamma')])
    expect(labels(model.menu)).toEqual([
      'Needs re-authorization (1)',
      'Alpha',
      '---',
      'Refresh failed (1)',
      'Gamma',
      '---',
      'Expiring soon (1)',
      'Beta',
      '---',
      'Healthy (1)',
      'Zeta',
      '---',
      'Open Larder',
      'Quit Larder'
    ])
    const alpha = model.menu[1]
    expect(alpha?.type).toBe('submenu')
    if (alpha?.type !== 'submenu') return
    // Issue 13: a library that needs re-authorization says why first, and its copy is disabled (it was enabled, and
    // a click did nothing).
    expect(labels(alpha.children)).toEqual([
      'Cannot copy or refresh: the customer must issue a new token',
      'Copy token',
      'Copy as Authorization header',
      'Refresh now',
      '---',
      'Open in Larder'
    ])
    expect(alpha.children[1]).toMatchObject({ command: { kind: 'copy', id: 'id-Alpha', format: 'token' }, enabled: false })
    expect(alpha.children[2]).toMatchObject({ command: { kind: 'copy', id: 'id-Alpha', format: 'header' } })
    // A dead refresh token cannot be refreshed: the customer must act.
    expect(alpha.children[3]).toMatchObject({ command: { kind: 'refresh', id: 'id-Alpha' }, enabled: false })
    expect(alpha.children[5]).toMatchObject({ command: { kind: 'open', id: 'id-Alpha' } })
    const gamma = model.menu[4]
    expect(gamma?.type === 'submenu' && gamma.children[0]).toMatchObject({ command: { kind: 'copy', id: 'id-Gamma', format: 'token' }, enabled: true })
    expect(model.menu.at(-2)).toMatchObject({ command: { kind: 'open' } })
    expect(model.menu.at(-1)).toMatchObject({ command: { kind: 'quit' } })
  })

  it('orders all seven groups worst first, revoked (nothing urgent) last', () => {
    const statuses: LibraryStatus[] = ['healthy', 'refreshing', 'expiring_soon', 'expired', 'revoked', 'error', 'needs_reauth']
    expect(headings(buildTrayModel(statuses.map((s) => lib(s))).menu)).toEqual([
      'Needs re-authorization (1)',
      'Refresh failed (1)',
      'Expired (1)',
      'Expiring soon (1)',
      'Refreshing (1)',
      'Healthy (1)',
      'Revoked (1)'
    ])
  })

  it('lists expiring libraries soonest first and the rest by name', () => {
    const model = buildTrayModel([lib('expiring_soon', 'A', 3000), lib('expiring_soon', 'B', 1000), lib('healthy', 'd'), lib('healthy', 'C')])
    expect(labels(model.menu).slice(0, 3)).toEqual(['Expiring soon (2)', 'B', 'A'])
    expect(labels(model.menu).slice(4, 7)).toEqual(['Healthy (2)', 'C', 'd'])
  })

  it('caps the listed libraries and points to the window for the rest, keeping the worst', () => {
    const all = [
      ...Array.from({ length: 30 }, () => lib('healthy')),
      ...Array.from({ length: 3 }, () => lib('needs_reauth')),
      ...Array.from({ length: 2 }, () => lib('expiring_soon'))
    ]
    const model = buildTrayModel(all, { maxListed: 25 })
    const listed = model.menu.filter((n) => n.type === 'submenu')
    expect(listed).toHaveLength(25)
    expect(headings(model.menu)).toEqual(['Needs re-authorization (3)', 'Expiring soon (2)', 'Healthy (30)'])
    const more = model.menu.find((n) => n.type === 'item' && n.label.startsWith('and '))
    expect(more).toMatchObject({ label: 'and 10 more… (open Larder)', command: { kind: 'open' } })
  })

  it('counts whole groups that did not fit at all', () => {
    const all = [lib('needs_reauth'), lib('needs_reauth'), lib('healthy'), lib('healthy'), lib('healthy')]
    const model = buildTrayModel(all, { maxListed: 2 })
    expect(headings(model.menu)).toEqual(['Needs re-authorization (2)'])
    expect(labels(model.menu)).toContain('and 3 more… (open Larder)')
  })

  it('disables copy and refresh for a revoked library and refresh while refreshing', () => {
    const [revoked] = buildTrayModel([lib('revoked')]).menu.filter((n) => n.type === 'submenu')
    const [refreshing] = buildTrayModel([lib('refreshing')]).menu.filter((n) => n.type === 'submenu')
    const enabled = (node: MenuNode | undefined): boolean[] =>
      node?.type === 'submenu' ? node.children.flatMap((c) => (c.type === 'item' ? [c.enabled] : [])) : []
    expect(enabled(revoked)).toEqual([false, false, false, true])
    expect(enabled(refreshing)).toEqual([true, true, false, true])
  })

  it('says so when there is nothing to list', () => {
    expect(labels(buildTrayModel([]).menu)).toEqual(['No libraries yet', '---', 'Open Larder', 'Quit Larder'])
  })

  it('keeps names on one line and bounded', () => {
    const model = buildTrayModel([lib('healthy', `Bistro\nNoord\t${'x'.repeat(200)}`)])
    const label = model.menu.find((n) => n.type === 'submenu')?.label ?? ''
    expect(label).not.toMatch(/[\n\t]/)
    expect([...label].length).toBeLessThanOrEqual(60)
    expect(label.startsWith('Bistro Noord x')).toBe(true)
  })
})

describe('tray model: what cannot work is disabled, and says why (issue 13)', () => {
  const children = (status: LibraryStatus): readonly MenuNode[] => {
    const [node] = buildTrayModel([lib(status, 'Bistro')]).menu.filter((n) => n.type === 'submenu')
    return node?.type === 'submenu' ? node.children : []
  }
  const item = (nodes: readonly MenuNode[], label: string): MenuNode | undefined => nodes.find((n) => n.type === 'item' && n.label === label)

  it.each<[LibraryStatus, string]>([
    ['needs_reauth', 'Cannot copy or refresh: the customer must issue a new token'],
    ['revoked', 'Cannot copy or refresh: the token was revoked']
  ])('%s: Copy token is disabled, with the reason on a line of its own and on the items', (status, reason) => {
    const nodes = children(status)
    expect(nodes[0]).toEqual({ type: 'label', label: reason })
    for (const label of ['Copy token', 'Copy as Authorization header', 'Refresh now']) {
      expect(item(nodes, label)).toMatchObject({ enabled: false, reason })
    }
    expect(item(nodes, 'Open in Larder')).toMatchObject({ enabled: true })
  })

  it('a record changed outside Larder: copy and refresh are disabled, and the line says why', () => {
    const [node] = buildTrayModel([{ ...lib('error', 'Bistro'), lastError: { kind: 'tampered' } }]).menu.filter((n) => n.type === 'submenu')
    const nodes = node?.type === 'submenu' ? node.children : []
    const reason = 'Cannot copy or refresh: the vault was changed outside Larder'
    expect(nodes[0]).toEqual({ type: 'label', label: reason })
    for (const label of ['Copy token', 'Copy as Authorization header', 'Refresh now']) expect(item(nodes, label)).toMatchObject({ enabled: false, reason })
  })

  it.each<LibraryStatus>(['healthy', 'expiring_soon', 'expired', 'error'])('%s: Copy token stays enabled, with no reason line', (status) => {
    const nodes = children(status)
    expect(item(nodes, 'Copy token')).toMatchObject({ enabled: true })
    expect(item(nodes, 'Copy token')).not.toHaveProperty('reason')
    expect(nodes.filter((n) => n.type === 'label')).toEqual([])
  })
})

describe('tray model before the vault opens', () => {
  it.each([
    [{ state: 'locked', mode: 'unlock' } as const, 'warning', 'Locked: open Larder to unlock it. No token is refreshed until then.'],
    [{ state: 'damaged', message: 'm', backupSavedAt: null } as const, 'attention', 'The vault is damaged: open Larder to restore it. No token is refreshed.'],
    [{ state: 'failed', message: 'm' } as const, 'attention', 'The vault did not open: open Larder to see why. No token is refreshed.'],
    [{ state: 'opening' } as const, 'ok', 'Opening the vault…']
  ])('%o: says where the vault stands, offers only Open and Quit', (state, level, line) => {
    const model = buildClosedVaultTrayModel(state)
    expect(model.level).toBe(level)
    expect(labels(model.menu)).toEqual([line, '---', 'Open Larder', 'Quit Larder'])
  })
})
