// The tray under the app lock: while Larder is locked ('guarded') the tray lists no library and offers no copy, only
// "Unlock Larder…" and Quit, however the libraries change meanwhile (refreshes go on); unlocked, the libraries come
// back at once with "Lock now" above "Open Larder". A tray click on a copy while locked is the lock's to hold
// (app-lock.test.ts); here, only what the tray shows.
import { describe, expect, it } from 'vitest'
import { createDesktopFeed, type TrayPort } from '../../../src/main/app/desktop-feed.ts'
import { buildClosedVaultTrayModel, withLockItem, type MenuNode, type TrayModel } from '../../../src/main/core/desktop/tray-model.ts'
import type { LibraryView, VaultState } from '../../../src/shared/contract.ts'
import { manyLibraries } from '../../e2e/support/fake-bridge.ts'
import { ManualClock } from '../../support/manual-clock.ts'

const GUARDED: VaultState = { state: 'guarded', cipher: 'passphrase', since: 1, reason: 'idle', unlockWith: ['passphrase'], failures: 0, retryAt: null, waiting: null }
const TOGGLES = { expiring: true, failed: true, needsReauth: true }

function labels(nodes: readonly MenuNode[]): string[] {
  return nodes.flatMap((node) => (node.type === 'separator' ? ['---'] : node.type === 'submenu' ? [node.label, ...labels(node.children).map((label) => `  ${label}`)] : [node.label]))
}

function copyItems(nodes: readonly MenuNode[]): number {
  return nodes.reduce((count, node) => count + (node.type === 'submenu' ? copyItems(node.children) : node.type === 'item' && node.command.kind === 'copy' ? 1 : 0), 0)
}

function watchedTray(): { tray: TrayPort; shown: TrayModel[]; closed: VaultState[] } {
  const shown: TrayModel[] = []
  const closed: VaultState[] = []
  const tray: TrayPort = {
    show: (model) => void shown.push(model),
    update: () => {
      throw new Error('a tray that takes a summary is never handed every library')
    },
    vault: (state) => void closed.push(state),
    destroy: () => undefined
  }
  return { tray, shown, closed }
}

describe('the tray under the app lock', () => {
  it('while locked lists no library and no copy, whatever changes; unlocked, the libraries and "Lock now" come back at once', async () => {
    const clock = new ManualClock()
    const libraries: LibraryView[] = manyLibraries(3, clock.now()).map((view) => ({ ...view, status: 'healthy', lastError: null }))
    const { tray, shown, closed } = watchedTray()
    const feed = createDesktopFeed({ tray, clock, lockItem: true })
    feed.start(() => libraries, TOGGLES)
    expect(shown).toHaveLength(1)
    expect(labels(shown[0]!.menu).slice(-3)).toEqual(['Lock now', 'Open Larder', 'Quit Larder'])
    expect(copyItems(shown[0]!.menu)).toBeGreaterThan(0)

    feed.vault(GUARDED)
    expect(closed).toEqual([GUARDED])
    // Refreshes go on under the lock: the tray keeps count but shows nothing of them.
    await clock.advance(2_000)
    feed.apply({ personal: [], changed: [{ ...libraries[0]!, status: 'refreshing' }], removed: [] })
    await clock.advance(2_000)
    feed.apply({ personal: [], changed: [{ ...libraries[0]!, status: 'healthy' }], removed: [] })
    await clock.advance(2_000)
    expect(shown).toHaveLength(1)

    feed.vault({ state: 'open', cipher: 'passphrase' })
    expect(shown).toHaveLength(2)
    expect(copyItems(shown[1]!.menu)).toBe(copyItems(shown[0]!.menu))
    expect(labels(shown[1]!.menu)).toContain('Lock now')
    feed.dispose()
  })

  it('a host without a lock (the agent) offers no "Lock now"', () => {
    const clock = new ManualClock()
    const { tray, shown } = watchedTray()
    const feed = createDesktopFeed({ tray, clock })
    feed.start(() => manyLibraries(2, clock.now()), TOGGLES)
    expect(labels(shown[0]!.menu)).not.toContain('Lock now')
    feed.dispose()
  })

  it('the locked menu: what it means, "Unlock Larder…" (opens the window on its lock screen) and Quit', () => {
    const model = buildClosedVaultTrayModel(GUARDED as Exclude<VaultState, { state: 'open' }>)
    expect(model.level).toBe('ok')
    expect(model.tooltip).toBe('Larder — locked, tokens are still refreshed')
    expect(labels(model.menu)).toEqual(['Locked: tokens are still refreshed. Unlock Larder to see or copy them.', '---', 'Unlock Larder…', 'Quit Larder'])
    expect(model.menu.flatMap((node) => (node.type === 'item' ? [node.command] : []))).toEqual([{ kind: 'open' }, { kind: 'quit' }])
    // Never a "Lock now" there: it is locked already.
    expect(withLockItem(model)).toBe(model)
  })
})
