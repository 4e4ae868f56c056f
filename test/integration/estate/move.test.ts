// Moving to another machine (issue 17, item 3) against the Apicbase sandbox: the old machine's export marks every
// library moved and its timers stop at once (time travels a fortnight on the app's clock: the sandbox sees no token
// request from the old machine after the export); the new machine takes over (audited "moved here from …"); the old
// one takes a library back only by an explicit, acknowledged action.
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { LibraryListView, LibraryView, MoveReportView, RestoreReportView } from '../../../src/shared/contract.ts'
import { BACKUP_PASSPHRASE, call, DAY, startEstateWorld, type EstateWorld } from './estate-world.ts'

let world: EstateWorld
afterEach(async () => {
  await world?.close()
})

describe('move to another machine', () => {
  it("export for a move stops the old machine's refreshes at once; the new machine takes over; no token is sent twice", async () => {
    world = await startEstateWorld()
    const old = await world.machine('old')
    const libraries = [await old.add('Bistro Nord'), await old.add('Bistro Zuid'), await old.add('Grill Oost')]
    const file = path.join(old.dir, 'move.age')

    const report = await call<MoveReportView>(old.handlers, 'move.export', { path: file, passphrase: BACKUP_PASSPHRASE })
    expect(report).toMatchObject({ path: file, moved: 3, keys: 0, leftOut: [] })
    expect(report.takeBackWarning).toContain('revoke the whole token family')
    const rows = await call<LibraryListView[]>(old.handlers, 'libraries.list', {})
    for (const row of rows) expect(row.hold).toMatchObject({ kind: 'moved', to: file, message: expect.stringContaining(`was moved to ${file} on`) })
    expect(rows.map((row) => row.status)).toEqual(['moved', 'moved', 'moved'])
    await expect(call(old.handlers, 'libraries.refresh', { id: libraries[0]?.id })).rejects.toThrow('no longer refreshes it')
    const exportedAt = world.sandbox.counters.hits.length

    // A fortnight on the old machine alone: its timers would have refreshed every token twice by now.
    await world.advance(14 * DAY)
    expect(world.sandbox.counters.hits.slice(exportedAt)).toEqual([])

    const fresh = await world.machine('new')
    const taken = await call<RestoreReportView>(fresh.handlers, 'backup.restore', { path: file, passphrase: BACKUP_PASSPHRASE, takeOver: true })
    expect(taken.move).toMatchObject({ from: expect.any(String) })
    // Past their expiry after a fortnight, but the old machine stopped at the export: the new one takes them over.
    expect(taken.libraries.map((l) => l.outcome)).toEqual(['restored', 'restored', 'restored'])
    for (const library of libraries) expect((await call<LibraryView>(fresh.handlers, 'libraries.get', { id: library.id })).status).not.toBe('needs_reauth')
    await world.advance(DAY)
    for (const library of libraries) expect((await call<LibraryView>(fresh.handlers, 'libraries.get', { id: library.id })).status).toBe('healthy')
    expect(world.tokenHits().refused).toBe(0)
    const moved = (await fresh.core.audit.page({ limit: 20, action: 'restored' })).entries.filter((e) => e.libraryId !== null)
    expect(moved).toHaveLength(3)
    for (const entry of moved) expect(entry.detail).toContain('moved here from')
    const oldAudit = (await old.core.audit.page({ limit: 20, action: 'exported' })).entries.filter((e) => e.libraryId !== null)
    expect(oldAudit.map((e) => e.detail)).toEqual(libraries.map(() => expect.stringContaining(`moved to ${file} on`)))
  })

  it('a moved library is taken back only when the warning was acknowledged; then it refreshes here again', async () => {
    world = await startEstateWorld()
    const old = await world.machine('old')
    const nord = await old.add('Bistro Nord')
    await call(old.handlers, 'move.export', { path: path.join(old.dir, 'move.age'), passphrase: BACKUP_PASSPHRASE })
    await expect(call(old.handlers, 'move.takeBack', { ids: [nord.id], acknowledged: false })).rejects.toMatchObject({ field: 'acknowledged', message: expect.stringContaining('revoke the whole token family') })
    expect((await call<LibraryView>(old.handlers, 'libraries.get', { id: nord.id })).hold?.kind).toBe('moved')
    expect(await call(old.handlers, 'move.takeBack', { ids: [nord.id], acknowledged: true })).toEqual({ takenBack: [nord.id] })
    const back = await call<LibraryView>(old.handlers, 'libraries.get', { id: nord.id })
    expect(back.hold).toBeUndefined()
    expect(back.status).toBe('healthy')
    const before = world.sandbox.counters.tokenRequestsByFamily(nord.credentials.familyId)
    await world.advance(7 * DAY)
    expect(world.sandbox.counters.tokenRequestsByFamily(nord.credentials.familyId)).toBeGreaterThan(before)
    expect(world.tokenHits().refused).toBe(0)
  })

  it('a refresh under way when the move is exported: stopped before it is sent, or its new pair goes into the file; the library stays moved', async () => {
    world = await startEstateWorld()
    const old = await world.machine('old')
    const nord = await old.add('Bistro Nord')
    const refreshing = old.core.engine.refresh(nord.id, 'manual').catch(() => undefined)
    const file = path.join(old.dir, 'move.age')
    await call(old.handlers, 'move.export', { path: file, passphrase: BACKUP_PASSPHRASE })
    await refreshing
    expect(old.core.vault.get(nord.id)?.tokenState).toBe('moved')
    const fresh = await world.machine('new')
    const taken = await call<RestoreReportView>(fresh.handlers, 'backup.restore', { path: file, passphrase: BACKUP_PASSPHRASE, takeOver: true })
    expect(taken.libraries[0]).toMatchObject({ outcome: 'restored', checkedAtApi: true })
    await call(fresh.handlers, 'libraries.refresh', { id: nord.id })
    expect(world.tokenHits().refused).toBe(0)
  })
})
