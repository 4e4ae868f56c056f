// The list read in pages (issue 18, start-up): 'libraries.listFirst' answers the first rows of the default order,
// exactly the page's own sort of the whole list cut to that length, with the whole list's total and counts, and
// builds only those rows; 'libraries.listMore' reads the rest of the order fixed then, in chunks, each library once.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LIBRARY_STATUSES, statusCountsSchema, type LibraryListView } from '../../../src/shared/contract.ts'
import { urgencyOrder } from '../../../src/shared/library-order.ts'
import { countByStatus, DEFAULT_SORT, sortLibraries } from '../../../src/renderer/src/lib/library-query.ts'
import type { Actions } from '../../../src/main/app/actions.ts'
import { ListSnapshots } from '../../../src/main/app/list-snapshots.ts'
import * as views from '../../../src/main/app/views.ts'
import type { LibraryWithStatus } from '../../../src/main/core/libraries/library-service.ts'
import type { LibraryMeta } from '../../../src/main/core/model.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

// Counts the rows built, by every importer of views.ts (the handlers and the snapshots).
vi.mock('../../../src/main/app/views.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/main/app/views.ts')>()
  return { ...original, toLibraryListView: vi.fn(original.toLibraryListView) }
})
const rowsBuilt = vi.mocked(views.toLibraryListView)

const HOUR = 3_600_000
const TIED_NAMES = ['Café 10', 'cafe 9', 'Cafe 9', 'Brasserie Nörd', 'brasserie nord', 'Library 2', 'Library 10']

let h: LarderHarness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

/** `count` libraries with tied names (accents, case, numbers), shared expiries and every kind of trouble. */
function records(count: number, now: number): LibraryMeta[] {
  return Array.from({ length: count }, (_, i): LibraryMeta => {
    const reauth = i % 20 === 0
    return {
      id: `lib-${String(i).padStart(4, '0')}`,
      name: `${TIED_NAMES[i % TIED_NAMES.length]}${i % 3 === 0 ? '' : ` ${i % 5}`}`,
      apicbaseLibraryId: String(1000 + i),
      apicbaseLibraryName: `Apicbase ${i}`,
      tokenType: 'service_account',
      scopes: ['library'],
      apiBaseUrl: 'https://api.apicbase.com',
      clientId: `client-${i}`,
      addedAt: now - 48 * HOUR,
      issuedAt: now - 48 * HOUR,
      // A few shared expiries: ties decided by name, then id. Some past (expired), some inside the warning window.
      expiresAt: reauth ? null : i % 7 === 0 ? now - HOUR : now + ((i % 4) + 1) * 24 * HOUR,
      lastRefreshedAt: null,
      lastUsedAt: null,
      lastError: i % 13 === 0 ? { kind: 'network', message: 'unreachable', at: now } : null,
      tokenState: reauth ? 'needs_reauth' : i % 11 === 0 ? 'revoked' : 'active',
      tokenPreview: '…abcd'
    }
  })
}

async function withLibraries(count: number): Promise<LarderHarness> {
  const harness = await startLarder()
  const now = harness.clock.now()
  await Promise.all(records(count, now).map((meta, i) => harness.vault.add(meta, { clientSecret: `s${i}`, accessToken: `a${i}`, refreshToken: `r${i}` })))
  await harness.nextTurn()
  return harness
}

describe('the first page of the list', () => {
  it('answers the first rows of the page order with the whole list total and counts, building only those rows', async () => {
    h = await withLibraries(1_000)
    const all = h.core.libraries.list().map(views.toLibraryListView)
    expect(all.filter((row) => row.status === 'needs_reauth' && row.expiresAt === null)).toHaveLength(50)
    rowsBuilt.mockClear()

    const first = await h.handlers['libraries.listFirst']({ count: 50, locale: 'en' })
    if (!first.ok) throw new Error(`listFirst refused: ${first.error.message}`)
    expect(rowsBuilt).toHaveBeenCalledTimes(50)
    const expected = sortLibraries(all, DEFAULT_SORT).slice(0, 50)
    expect(first.value.rows.map((row) => row.id)).toEqual(expected.map((row) => row.id))
    expect(JSON.stringify(first.value.rows)).toBe(JSON.stringify(expected))
    expect(first.value.rows.map((row) => row.id)).toEqual([...all].sort(urgencyOrder('en')).slice(0, 50).map((row) => row.id))
    expect(first.value.total).toBe(1_000)
    expect(first.value.counts).toEqual(countByStatus(all))
    expect(Object.keys(first.value.counts)).toEqual([...LIBRARY_STATUSES])
    expect(first.value.version).not.toBe('')
  })

  it('reads the rest in chunks: every library once, one removed meanwhile left out, then the order is gone', async () => {
    h = await withLibraries(1_000)
    const first = await h.handlers['libraries.listFirst']({ count: 50, locale: 'en' })
    if (!first.ok) throw new Error('listFirst refused')
    const { version } = first.value
    const seen = first.value.rows.map((row) => row.id)
    const removed = 'lib-0999'
    expect(seen).not.toContain(removed)
    await h.vault.remove(removed)
    let from = 50
    for (let done = false; !done; from += 300) {
      const more = await h.handlers['libraries.listMore']({ version, from, count: 300 })
      if (!more.ok) throw new Error(`listMore refused: ${more.error.message}`)
      seen.push(...more.value.rows.map((row) => row.id))
      done = more.value.done
    }
    expect(from).toBe(50 + 4 * 300)
    expect(new Set(seen).size).toBe(seen.length)
    expect([...seen].sort()).toEqual(
      h.core.libraries
        .list()
        .map((library) => library.id)
        .sort()
    )
    expect(seen).toHaveLength(999)
    // Read to its end: the order is dropped, and asking again is refused as a stale version.
    expect(await h.handlers['libraries.listMore']({ version, from: 0, count: 10 })).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'version' } })
  })

  it('refuses an unknown version, and answers a short list whole with no version to read on', async () => {
    h = await withLibraries(30)
    const unknown = await h.handlers['libraries.listMore']({ version: 's1-nothing', from: 0, count: 10 })
    expect(unknown).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'version' } })
    const first = await h.handlers['libraries.listFirst']({ count: 200, locale: 'en-GB' })
    expect(first).toMatchObject({ ok: true, value: { version: '', total: 30 } })
    if (first.ok) expect(first.value.rows).toHaveLength(30)
  })

  it('the counts schema names every status in LIBRARY_STATUSES order', () => {
    expect(Object.keys(statusCountsSchema.shape)).toEqual([...LIBRARY_STATUSES])
  })
})

describe('the orders kept for reading on', () => {
  const owner = {} as Actions
  const library = (i: number): LibraryWithStatus => ({ id: `id-${i}`, name: `Name ${i}`, status: 'healthy', expiresAt: i }) as unknown as LibraryWithStatus
  const libraries = Array.from({ length: 10 }, (_, i) => library(i))
  const row = (id: string): LibraryListView => ({ id }) as LibraryListView

  it('keeps at most four: a fifth drops the least recently used', () => {
    let now = 0
    const snapshots = new ListSnapshots({ now: () => now })
    const versions = [1, 2, 3, 4].map(() => {
      now += 1
      return snapshots.first(owner, libraries, 2, 'en').version
    })
    now += 1
    snapshots.more(owner, versions[0]!, 2, 2, row)
    now += 1
    snapshots.first(owner, libraries, 2, 'en')
    expect(snapshots.size).toBe(4)
    expect(snapshots.more(owner, versions[0]!, 4, 2, row).rows).toHaveLength(2)
    expect(() => snapshots.more(owner, versions[1]!, 2, 2, row)).toThrow(expect.objectContaining({ field: 'version' }))
  })

  it('drops an order unread for a minute, and one taken from a vault since closed', () => {
    let now = 0
    const snapshots = new ListSnapshots({ now: () => now })
    const idle = snapshots.first(owner, libraries, 2, 'en').version
    const other = snapshots.first(owner, libraries, 2, 'en').version
    expect(() => snapshots.more({} as Actions, other, 2, 2, row)).toThrow(expect.objectContaining({ field: 'version' }))
    now = 60_000
    expect(() => snapshots.more(owner, idle, 2, 2, row)).toThrow(expect.objectContaining({ field: 'version' }))
    expect(snapshots.size).toBe(0)
  })

  it('keeps nothing when the first page is the whole list', () => {
    const snapshots = new ListSnapshots()
    expect(snapshots.first(owner, libraries, 10, 'en').version).toBe('')
    expect(snapshots.size).toBe(0)
  })
})
