// A library moved to another machine (issue 17 part 3) in the tray and the notifications: named "moved", never
// "revoked", "healthy" nor "needs you"; it leaves the icon alone, is listed last, and no notification is ever sent for it.
import { describe, expect, it } from 'vitest'
import type { LibraryStatus } from '../../../src/shared/contract.ts'
import { buildTrayModel, type MenuNode, type TrayLibrary } from '../../../src/main/core/desktop/tray-model.ts'
import { NotificationPolicy, type WatchedLibrary } from '../../../src/main/core/desktop/notification-policy.ts'
import { levelOf } from '../../../src/main/core/desktop/status-words.ts'

let seq = 0
function lib(status: LibraryStatus, name = `Library ${++seq}`): TrayLibrary {
  return { id: `id-${name}`, name, status, expiresAt: null }
}
const labels = (nodes: readonly MenuNode[]): string[] => nodes.flatMap((n) => (n.type === 'label' ? [n.label] : []))
const watched = (id: string, status: LibraryStatus): WatchedLibrary => ({ id, name: `Library ${id}`, status, lastError: null })

describe('a moved library in the tray', () => {
  it('is counted as moved in the tooltip, apart from revoked ones', () => {
    expect(buildTrayModel([lib('healthy'), lib('healthy'), lib('moved')]).tooltip).toBe('Larder — 2 healthy, 1 moved')
    expect(buildTrayModel([lib('moved'), lib('moved')]).tooltip).toBe('Larder — all 2 libraries were moved')
    expect(buildTrayModel([lib('moved')]).tooltip).toBe('Larder — the library was moved')
    expect(buildTrayModel([lib('healthy'), lib('revoked'), lib('moved')]).tooltip).toBe('Larder — 1 healthy, 1 revoked, 1 moved')
    expect(buildTrayModel([lib('revoked'), lib('moved'), lib('moved')]).tooltip).toBe('Larder — 1 revoked, 2 moved')
    expect(buildTrayModel([lib('error'), lib('moved')]).tooltip).toBe('Larder — 1 library needs you, 1 moved')
  })

  it('leaves the icon alone, is listed last under its own heading, and says why nothing can be done from here', () => {
    expect(levelOf('moved')).toBe('ok')
    expect(buildTrayModel([lib('healthy'), lib('moved')]).level).toBe('ok')
    const menu = buildTrayModel([lib('moved', 'Nord'), lib('revoked'), lib('healthy')]).menu
    expect(labels(menu)).toEqual(['Healthy (1)', 'Revoked (1)', 'Moved (1)'])
    const nord = menu.find((node) => node.type === 'submenu' && node.label === 'Nord')
    expect(nord?.type === 'submenu' ? labels(nord.children) : []).toEqual(['Cannot copy or refresh here: it was moved to another machine'])
  })
})

describe('notifications for a moved library', () => {
  it('none: not at start, not when it is moved while a warning waited, not in the daily digest', () => {
    let now = Date.UTC(2026, 0, 5, 9)
    const policy = new NotificationPolicy({ now: () => now, toggles: { expiring: true, failed: true, needsReauth: true }, maxPerWindow: 1, dailyDigestMinimum: 1 })
    expect(policy.observe([watched('a', 'moved'), watched('b', 'moved'), watched('c', 'healthy'), watched('d', 'healthy')])).toEqual([])
    // One notice fills the budget, so 'd' waits; it is moved before its turn.
    expect(policy.observe([watched('c', 'error')])).toHaveLength(1)
    expect(policy.observe([watched('d', 'expiring_soon')])).toEqual([])
    expect(policy.observe([watched('d', 'moved')])).toEqual([])
    now += 25 * 3_600_000
    expect(policy.pending()).toEqual(['c'])
    expect(policy.tick()).toEqual([expect.objectContaining({ type: 'digest', reason: 'daily', libraryIds: ['c'] })])
  })
})
