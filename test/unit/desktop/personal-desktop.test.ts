// The tray and personal tokens: each personal token's row names the library it acts on now, and a library reached
// through it says what copying does, or, after a switch made outside Larder, that copying waits for the person.
import { describe, expect, it } from 'vitest'
import { buildTrayModel, type MenuNode, type TrayLibrary } from '../../../src/main/core/desktop/tray-model.ts'

const personal = (role: 'connection' | 'library', extra: Partial<NonNullable<TrayLibrary['personal']>> = {}): TrayLibrary['personal'] => ({
  role,
  connectionName: 'Pat',
  activeLibraryId: '1002',
  activeLibraryName: 'Café Zuid',
  isActive: false,
  drifted: false,
  ...extra
})

function submenu(menu: readonly MenuNode[], label: string): Extract<MenuNode, { type: 'submenu' }> {
  const found = menu.find((node): node is Extract<MenuNode, { type: 'submenu' }> => node.type === 'submenu' && node.label === label)
  if (!found) throw new Error(`no submenu ${label}: ${JSON.stringify(menu.map((node) => ('label' in node ? node.label : node.type)))}`)
  return found
}

function labels(nodes: readonly MenuNode[]): string[] {
  return nodes.flatMap((node) => (node.type === 'separator' ? [] : [node.label]))
}

describe('tray: personal tokens', () => {
  it('shows the active library of each personal token and what copying a library does', () => {
    const model = buildTrayModel([
      { id: 'c', name: 'Pat', status: 'healthy', expiresAt: null, personal: personal('connection') },
      { id: 'z', name: 'Café Zuid', status: 'healthy', expiresAt: null, personal: personal('library', { isActive: true }) },
      { id: 'n', name: 'Brasserie Nord', status: 'healthy', expiresAt: null, personal: personal('library') },
      { id: 's', name: 'Service', status: 'healthy', expiresAt: null, personal: null }
    ])
    const pat = submenu(model.menu, 'Pat — on Café Zuid')
    expect(labels(pat.children).slice(0, 2)).toEqual(["Acts on its user's active library: Café Zuid", 'Copy token'])
    expect(labels(submenu(model.menu, 'Café Zuid').children)[0]).toBe('Active library of Pat')
    const nord = submenu(model.menu, 'Brasserie Nord')
    expect(labels(nord.children)[0]).toBe('Copying switches Pat to this library first')
    expect(nord.children.find((node) => node.type === 'item' && node.label === 'Copy token')).toMatchObject({ enabled: true })
    expect(labels(submenu(model.menu, 'Service').children)[0]).toBe('Copy token')
  })

  it('after a switch outside Larder: says so, and offers no copy for another library', () => {
    const model = buildTrayModel([
      { id: 'c', name: 'Pat', status: 'healthy', expiresAt: null, personal: personal('connection', { drifted: true }) },
      { id: 'n', name: 'Brasserie Nord', status: 'healthy', expiresAt: null, personal: personal('library', { drifted: true }) },
      { id: 'z', name: 'Café Zuid', status: 'healthy', expiresAt: null, personal: personal('library', { drifted: true, isActive: true }) }
    ])
    const pat = submenu(model.menu, 'Pat — on Café Zuid (changed outside Larder)')
    expect(labels(pat.children)).toContain('Changed outside Larder: open Larder to switch back or keep it')
    const nord = submenu(model.menu, 'Brasserie Nord')
    expect(labels(nord.children).slice(0, 2)).toEqual(['Pat is on Café Zuid, changed outside Larder', 'Open Larder to switch back before copying'])
    for (const node of nord.children) if (node.type === 'item' && node.label.startsWith('Copy')) expect(node.enabled).toBe(false)
    // The library now active can still be copied: nothing would be switched.
    const zuid = submenu(model.menu, 'Café Zuid')
    expect(zuid.children.find((node) => node.type === 'item' && node.label === 'Copy token')).toMatchObject({ enabled: true })
  })

  it('before the first look, says so', () => {
    const model = buildTrayModel([{ id: 'c', name: 'Pat', status: 'healthy', expiresAt: null, personal: personal('connection', { activeLibraryId: null, activeLibraryName: null }) }])
    expect(submenu(model.menu, 'Pat — on not read yet').type).toBe('submenu')
  })
})

describe('notifications: personal tokens', () => {
  it('speak once for a personal token, not once per library sharing it', async () => {
    const { NotificationPolicy } = await import('../../../src/main/core/desktop/notification-policy.ts')
    let now = 1_000_000
    const policy = new NotificationPolicy({ now: () => now, toggles: { expiring: true, failed: true, needsReauth: true } })
    const rows = (status: 'healthy' | 'needs_reauth') => [
      { id: 'c', name: 'Pat', status, personal: { role: 'connection' as const } },
      { id: 'n', name: 'Brasserie Nord', status, personal: { role: 'library' as const } },
      { id: 'z', name: 'Café Zuid', status, personal: { role: 'library' as const } }
    ]
    expect(policy.observe(rows('healthy'))).toEqual([])
    now += 1000
    const notices = policy.observe(rows('needs_reauth'))
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatchObject({ type: 'library', libraryId: 'c', alert: 'needsReauth' })
  })
})
