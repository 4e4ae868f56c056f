// The tray's summary kept change by change says exactly what a summary built from every library says, whatever the
// order of the changes: the same level, tooltip and menu, and the names of the libraries the menu lists.
import { describe, expect, it } from 'vitest'
import type { LibraryStatus } from '../../../src/shared/contract.ts'
import { buildTrayModel, type TrayLibrary } from '../../../src/main/core/desktop/tray-model.ts'
import { TraySummary } from '../../../src/main/core/desktop/tray-summary.ts'
// The sandbox's mulberry32: deterministic, so a failure can be replayed from its seed.
import { createRng } from '../../../src/main/sandbox/rng.ts'

const STATUSES: readonly LibraryStatus[] = ['healthy', 'refreshing', 'expiring_soon', 'expired', 'error', 'needs_reauth', 'revoked']
const NAMES = ['Bistro', 'Café', 'café', 'Zuid', 'Éclair', 'Alpha', 'Nord'] as const

function library(next: () => number, id: string): TrayLibrary {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!
  const status = pick(STATUSES)
  return {
    id,
    // Few names and expiries, so ties (broken by name, then id) are common.
    name: `${pick(NAMES)} ${Math.floor(next() * 3)}`,
    status,
    expiresAt: next() < 0.2 ? null : 1_000 + Math.floor(next() * 5) * 60_000,
    lastError: status === 'error' ? { kind: next() < 0.5 ? 'network' : 'tampered' } : null,
    personal: next() < 0.1 ? { role: 'connection', connectionName: 'Pat', activeLibraryName: 'Zuid', activeLibraryId: '7', isActive: false, drifted: next() < 0.5 } : null
  }
}

describe('tray summary kept change by change', () => {
  it.each([1, 2, 3])('matches the summary built from every library after random changes (seed %i)', (seed) => {
    const next = createRng(seed)
    const current = new Map<string, TrayLibrary>()
    for (let i = 0; i < 300; i++) current.set(`lib-${i}`, library(next, `lib-${i}`))
    const summary = new TraySummary({ maxListed: 40 })
    summary.reset([...current.values()])
    for (let round = 0; round < 60; round++) {
      const changed: TrayLibrary[] = []
      const removed: string[] = []
      for (let k = Math.floor(next() * 12); k > 0; k--) {
        const id = `lib-${Math.floor(next() * 340)}`
        if (next() < 0.15) {
          current.delete(id)
          removed.push(id)
        } else {
          const updated = library(next, id)
          current.set(id, updated)
          changed.push(updated)
        }
      }
      summary.apply(changed, removed)
      const { model, names } = summary.snapshot()
      expect(summary.size).toBe(current.size)
      expect(model).toEqual(buildTrayModel([...current.values()], { maxListed: 40 }))
      for (const [id, name] of names) expect(current.get(id)?.name).toBe(name)
    }
  })

  it('names every library its menu lists, and only those', () => {
    const summary = new TraySummary({ maxListed: 2 })
    summary.reset([
      { id: 'a', name: 'Alpha', status: 'error', expiresAt: null },
      { id: 'b', name: 'Bistro', status: 'healthy', expiresAt: null },
      { id: 'c', name: 'Café', status: 'healthy', expiresAt: null }
    ])
    expect([...summary.snapshot().names]).toEqual([
      ['a', 'Alpha'],
      ['b', 'Bistro']
    ])
  })

  it('keeps only what the tray shows of a library', () => {
    const summary = new TraySummary()
    const view = { id: 'a', name: 'Alpha', status: 'healthy' as const, expiresAt: null, clientId: 'not for the tray', tokenPreview: '…abcd' }
    summary.reset([view])
    summary.apply([{ ...view, name: 'Alpha 2' }], [])
    const { model } = summary.snapshot()
    expect(JSON.stringify(model)).not.toContain('not for the tray')
    expect(model.menu.some((node) => node.type === 'submenu' && node.label === 'Alpha 2')).toBe(true)
  })
})
