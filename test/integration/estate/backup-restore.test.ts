// Encrypted backup and restore against the Apicbase sandbox (issue 17, item 2): what a restore does with tokens used
// since the backup (this machine's spent ledger, or one read at the API with the backed-up access token), a pair it
// cannot judge (paused, nothing sent), and that no refresh token is ever sent twice: the sandbox refuses a reuse with
// invalid_grant (400) and counts every token request.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { BackupWrittenView, LibraryListView, LibraryView, RestoreReportView } from '../../../src/shared/contract.ts'
import { LIBRARY_IDS } from '../../sandbox/index.ts'
import { BACKUP_PASSPHRASE, call, DAY, HOUR, startEstateWorld, type EstateWorld } from './estate-world.ts'

let world: EstateWorld
afterEach(async () => {
  await world?.close()
})

const outcomeOf = (report: RestoreReportView, name: string): string | undefined => report.libraries.find((l) => l.name === name)?.outcome

describe('backup and restore', () => {
  it('a backup made, then refreshes, then restore here: the used ones are marked needs re-authorization from the spent ledger, nothing is sent twice', async () => {
    world = await startEstateWorld()
    const a = await world.machine('a')
    const [nord, zuid, oost] = [await a.add('Bistro Nord'), await a.add('Bistro Zuid'), await a.add('Bistro Oost')]
    const file = path.join(a.dir, 'larder.age')
    const written = await call<BackupWrittenView>(a.handlers, 'backup.create', { path: file, passphrase: BACKUP_PASSPHRASE })
    expect(written).toMatchObject({ path: file, libraries: 3, keys: 0, leftOut: [] })
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    // After the backup: two are refreshed (their backed-up refresh tokens are now spent), then the vault loses all three.
    await call(a.handlers, 'libraries.refresh', { id: nord.id })
    await call(a.handlers, 'libraries.refresh', { id: zuid.id })
    for (const id of [nord.id, zuid.id, oost.id]) await a.core.vault.remove(id)
    const before = world.tokenHits()

    const report = await call<RestoreReportView>(a.handlers, 'backup.restore', { path: file, passphrase: BACKUP_PASSPHRASE })

    expect(outcomeOf(report, 'Bistro Nord')).toBe('needs_reauth')
    expect(outcomeOf(report, 'Bistro Zuid')).toBe('needs_reauth')
    expect(outcomeOf(report, 'Bistro Oost')).toBe('restored')
    expect(report.libraries.find((l) => l.name === 'Bistro Nord')?.reason).toContain('used after the backup was made')
    // Decided without the token endpoint: not one token request during the restore.
    expect(world.tokenHits()).toEqual(before)
    const nordView = await call<LibraryView>(a.handlers, 'libraries.get', { id: nord.id })
    expect(nordView).toMatchObject({ status: 'needs_reauth', lastError: { kind: 'invalid_grant' } })
    expect((await call<LibraryView>(a.handlers, 'libraries.get', { id: oost.id })).status).toBe('healthy')
    // A week on: the live one was refreshed by its timer, the stale ones never sent. No reuse ever reached the sandbox.
    await world.advance(7 * DAY)
    expect(world.tokenHits().refused).toBe(0)
    expect(world.sandbox.counters.tokenRequestsByFamily(nord.credentials.familyId)).toBe(2) // the add's check and the refresh
    expect(world.sandbox.counters.tokenRequestsByFamily(zuid.credentials.familyId)).toBe(2)
    expect(world.sandbox.counters.tokenRequestsByFamily(oost.credentials.familyId)).toBeGreaterThan(1)
    expect((await call<LibraryView>(a.handlers, 'libraries.get', { id: oost.id })).status).toBe('healthy')
    const audit = (await a.core.audit.page({ limit: 50, action: 'restored' })).entries
    expect(audit.find((e) => e.libraryId === nord.id)).toMatchObject({ outcome: 'error' })
    expect(JSON.stringify(audit)).not.toContain(nord.credentials.refreshToken)
  })

  it('restore on a new machine: one read with the backed-up access token; refused before expiry means refreshed since (needs re-authorization), accepted means live', async () => {
    world = await startEstateWorld()
    const a = await world.machine('a')
    const [nord, zuid] = [await a.add('Bistro Nord'), await a.add('Bistro Zuid')]
    const file = path.join(a.dir, 'larder.age')
    await call(a.handlers, 'backup.create', { path: file, passphrase: BACKUP_PASSPHRASE })
    await call(a.handlers, 'libraries.refresh', { id: nord.id }) // revokes the backed-up access token too
    const b = await world.machine('b')
    const before = world.tokenHits()
    const reads = world.sandbox.counters.hits.length

    const dry = await call<RestoreReportView>(b.handlers, 'backup.inspect', { path: file, passphrase: BACKUP_PASSPHRASE })
    expect(dry).toMatchObject({ dryRun: true, settings: 'restored' })
    expect(b.core.vault.list()).toHaveLength(0) // a dry run changes nothing
    const report = await call<RestoreReportView>(b.handlers, 'backup.restore', { path: file, passphrase: BACKUP_PASSPHRASE })

    expect(report.libraries.map((l) => [l.name, l.outcome, l.checkedAtApi])).toEqual([
      ['Bistro Nord', 'needs_reauth', true],
      ['Bistro Zuid', 'restored', true]
    ])
    expect(report.libraries[0]?.reason).toContain('refused its backed-up access token before it had expired')
    expect(world.tokenHits()).toEqual(before)
    // Two reads for the dry run and two for the restore, one per library each: nothing else reached the sandbox.
    const during = world.sandbox.counters.hits.slice(reads)
    expect(during.map((hit) => [hit.route, hit.status])).toEqual([['recipes', 401], ['recipes', 200], ['recipes', 401], ['recipes', 200]])
    // Machine a's pair of Bistro Nord is untouched: no family was revoked, a refreshes it as before.
    await call(a.handlers, 'libraries.refresh', { id: nord.id })
    expect((await call<LibraryView>(a.handlers, 'libraries.get', { id: nord.id })).status).toBe('healthy')
    expect(world.tokenHits().refused).toBe(0)
    expect((await call<LibraryView>(b.handlers, 'libraries.get', { id: zuid.id })).status).toBe('healthy')
  })

  it('an access token already past its expiry: restored paused, no timer sends it, and a person\'s "Refresh it now" refreshes it once', async () => {
    world = await startEstateWorld()
    const a = await world.machine('a')
    const nord = await a.add('Bistro Nord')
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'larder-estate-usb-')), 'larder.age')
    await call(a.handlers, 'backup.create', { path: file, passphrase: BACKUP_PASSPHRASE })
    await a.close() // machine a is gone (its pair was never refreshed again)
    world.machines.splice(0, 1)
    await world.advance(8 * DAY)
    const b = await world.machine('b')
    const before = world.tokenHits()

    const report = await call<RestoreReportView>(b.handlers, 'backup.restore', { path: file, passphrase: BACKUP_PASSPHRASE })
    expect(report.libraries[0]).toMatchObject({ name: 'Bistro Nord', outcome: 'paused', checkedAtApi: false })
    expect(report.libraries[0]?.reason).toContain('Refresh it now: no other machine holds it')
    const paused = await call<LibraryView>(b.handlers, 'libraries.get', { id: nord.id })
    expect(paused.hold).toMatchObject({ kind: 'paused' })
    // Days pass: nothing is sent for it, by any timer or a copy.
    await world.advance(3 * DAY)
    await expect(call(b.handlers, 'libraries.copy', { id: nord.id, format: 'token' })).rejects.toThrow('Refresh it now')
    expect(world.tokenHits()).toEqual(before)

    const resumed = await call<LibraryView>(b.handlers, 'backup.resume', { id: nord.id })
    expect(resumed).toMatchObject({ status: 'healthy' })
    expect(resumed.hold).toBeUndefined()
    expect(world.tokenHits()).toEqual({ total: before.total + 1, refused: 0 })
    fs.rmSync(path.dirname(file), { recursive: true, force: true })
  })

  it('a personal token comes back with the libraries reached through it', async () => {
    world = await startEstateWorld()
    const a = await world.machine('a')
    const pat = world.sandbox.fixtures.user.token
    const connection = await a.app.actions()!.add({ tokenType: 'personal', name: 'Pat (personal)', clientId: pat.clientId, clientSecret: pat.clientSecret, accessToken: pat.accessToken, refreshToken: pat.refreshToken, apiBaseUrl: world.sandbox.url })
    const entries = await a.app.actions()!.addPersonalLibraries(connection.id, [String(LIBRARY_IDS.brasserieNord), String(LIBRARY_IDS.cafeZuid)])
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'larder-estate-usb-')), 'larder.age')
    await call(a.handlers, 'backup.create', { path: file, passphrase: BACKUP_PASSPHRASE })
    await a.close()
    world.machines.splice(0, 1)
    const b = await world.machine('b')
    const report = await call<RestoreReportView>(b.handlers, 'backup.restore', { path: file, passphrase: BACKUP_PASSPHRASE })
    expect(report.libraries).toMatchObject([{ name: 'Pat (personal)', outcome: 'restored', checkedAtApi: true }])
    const rows = await call<LibraryListView[]>(b.handlers, 'libraries.list', {})
    expect(rows.filter((row) => row.personal?.role === 'library').map((row) => row.id).sort()).toEqual(entries.map((entry) => entry.id).sort())
    await call(b.handlers, 'libraries.refresh', { id: entries[0]?.id })
    expect(world.tokenHits().refused).toBe(0)
    fs.rmSync(path.dirname(file), { recursive: true, force: true })
  })

  it('a wrong passphrase: a clear error naming the passphrase, and nothing changed', async () => {
    world = await startEstateWorld()
    const a = await world.machine('a')
    await a.add('Bistro Nord')
    const file = path.join(a.dir, 'larder.age')
    await call(a.handlers, 'backup.create', { path: file, passphrase: BACKUP_PASSPHRASE })
    const b = await world.machine('b')
    const vaultBefore = fs.readFileSync(path.join(b.dir, 'vault.json'))
    const hits = world.sandbox.counters.hits.length
    const refused = call(b.handlers, 'backup.restore', { path: file, passphrase: 'not the passphrase at all' })
    await expect(refused).rejects.toMatchObject({ kind: 'invalid_input', field: 'passphrase', message: expect.stringContaining('That passphrase does not open this backup. Nothing was changed.') })
    expect(fs.readFileSync(path.join(b.dir, 'vault.json'))).toEqual(vaultBefore)
    expect(b.core.vault.list()).toHaveLength(0)
    expect(world.sandbox.counters.hits.length).toBe(hits)
  })

  it('refuses a short passphrase and a relative path before writing anything', async () => {
    world = await startEstateWorld()
    const a = await world.machine('a')
    await expect(call(a.handlers, 'backup.create', { path: path.join(a.dir, 'x.age'), passphrase: 'too short' })).rejects.toMatchObject({ field: 'passphrase', message: expect.stringContaining('at least 12 characters') })
    await expect(call(a.handlers, 'backup.create', { path: 'relative.age', passphrase: BACKUP_PASSPHRASE })).rejects.toMatchObject({ field: 'path' })
    await expect(call(a.handlers, 'backup.create', { path: path.join(a.dir, 'vault.json.copy'), passphrase: BACKUP_PASSPHRASE })).rejects.toMatchObject({ field: 'path' })
    expect(fs.readdirSync(a.dir).filter((name) => name.endsWith('.age'))).toEqual([])
  })

  it('restoring onto the machine that holds the newer pairs keeps them (nothing marked, nothing sent)', async () => {
    world = await startEstateWorld()
    const a = await world.machine('a')
    const nord = await a.add('Bistro Nord')
    const zuid = await a.add('Bistro Zuid')
    const file = path.join(a.dir, 'larder.age')
    await call(a.handlers, 'backup.create', { path: file, passphrase: BACKUP_PASSPHRASE })
    await call(a.handlers, 'libraries.refresh', { id: nord.id })
    await world.advance(HOUR)
    const before = world.tokenHits()
    const report = await call<RestoreReportView>(a.handlers, 'backup.restore', { path: file, passphrase: BACKUP_PASSPHRASE })
    expect(report.libraries.map((l) => [l.name, l.outcome])).toEqual([
      ['Bistro Nord', 'kept'],
      ['Bistro Zuid', 'unchanged']
    ])
    expect(report.settings).toBe('kept')
    expect(world.tokenHits()).toEqual(before)
    expect((await call<LibraryView>(a.handlers, 'libraries.get', { id: nord.id })).status).toBe('healthy')
    expect((await call<LibraryView>(a.handlers, 'libraries.get', { id: zuid.id })).status).toBe('healthy')
  })
})
