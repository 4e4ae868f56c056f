// A revoked library in the tray (issue 19 item 7): counted and named as revoked, never "healthy" nor "needs you".
// Its tone matches the dashboard's: nothing to do urgently (the person revoked it in Larder), but it no longer works,
// so it does not raise the tray's icon and is listed after the libraries that work.
import { describe, expect, it } from 'vitest'
import type { LibraryStatus } from '../../../src/shared/contract.ts'
import { buildTrayModel, type MenuNode, type TrayLibrary } from '../../../src/main/core/desktop/tray-model.ts'
import { levelOf } from '../../../src/main/core/desktop/status-words.ts'

let seq = 0
function lib(status: LibraryStatus, name = `Library ${++seq}`): TrayLibrary {
  return { id: `id-${name}`, name, status, expiresAt: null }
}
const headings = (nodes: readonly MenuNode[]): string[] => nodes.flatMap((n) => (n.type === 'label' ? [n.label] : []))

describe('a revoked library in the tray', () => {
  it('is counted as revoked in the tooltip, not as healthy and not as needing the person', () => {
    const model = buildTrayModel([lib('healthy'), lib('healthy'), lib('healthy'), lib('healthy'), lib('revoked')])
    expect(model.tooltip).toBe('Larder — 4 healthy, 1 revoked')
    expect(buildTrayModel([lib('needs_reauth'), lib('revoked'), lib('revoked')]).tooltip).toBe('Larder — 1 library needs you, 2 revoked')
    expect(buildTrayModel([lib('revoked')]).tooltip).toBe('Larder — the library was revoked')
    expect(buildTrayModel([lib('revoked'), lib('revoked')]).tooltip).toBe('Larder — all 2 libraries were revoked')
  })

  it('needs no urgent action: it leaves the icon as the other libraries set it', () => {
    expect(levelOf('revoked')).toBe('ok')
    expect(buildTrayModel([lib('healthy'), lib('revoked')]).level).toBe('ok')
    expect(buildTrayModel([lib('expiring_soon'), lib('revoked')]).level).toBe('warning')
  })

  it('is listed under its own heading after the libraries that work', () => {
    expect(headings(buildTrayModel([lib('revoked'), lib('healthy'), lib('expired')]).menu)).toEqual(['Expired (1)', 'Healthy (1)', 'Revoked (1)'])
  })
})
