// Scheduled backups (issue 17, item 2): off by default; on, a backup every N hours on the app's clock to the chosen
// folder, the last N kept and only Larder's own files there ever deleted; the passphrase sealed with the vault's key
// and bound to the folder (never in the settings file as text).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { readBackupFile } from '../../../src/main/core/estate/backup/backup-file.ts'
import { BackupSchedule, SCHEDULED_NAME } from '../../../src/main/core/estate/backup/schedule.ts'
import type { BackupScheduleView } from '../../../src/shared/contract.ts'
import { BACKUP_PASSPHRASE, call, HOUR, startEstateWorld, type EstateWorld, type Machine } from './estate-world.ts'

let world: EstateWorld
let folder: string
afterEach(async () => {
  await world?.close()
  fs.rmSync(folder, { recursive: true, force: true })
})

/** Moves time an hour at a time, letting each backup that falls due finish writing. */
async function hours(machine: Machine, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await world.advance(HOUR)
    await machine.estate.backups.settled()
  }
}

describe('scheduled backups', () => {
  it('are off by default; on, write every N hours to the folder and keep the last N, deleting only their own files', async () => {
    world = await startEstateWorld()
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-scheduled-'))
    const a = await world.machine('a')
    await a.add('Bistro Nord')
    const off = await call<BackupScheduleView>(a.handlers, 'backup.schedule', {})
    expect(off).toMatchObject({ enabled: false, folder: null, everyHours: 24, keep: 7, hasPassphrase: false, nextAt: null })
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'mine')
    fs.writeFileSync(path.join(folder, 'larder-backup-by-hand.age'), 'not a scheduled one')
    await expect(call(a.handlers, 'backup.schedule', { enabled: true, folder })).rejects.toMatchObject({ field: 'passphrase' })

    const on = await call<BackupScheduleView>(a.handlers, 'backup.schedule', { enabled: true, folder, everyHours: 2, keep: 3, passphrase: BACKUP_PASSPHRASE })
    expect(on).toMatchObject({ enabled: true, folder, everyHours: 2, keep: 3, hasPassphrase: true })
    await hours(a, 10) // the first is due at once, then every 2 hours

    const ours = fs.readdirSync(folder).filter((name) => SCHEDULED_NAME.test(name)).sort()
    expect(ours).toHaveLength(3)
    expect(fs.readdirSync(folder).filter((name) => !SCHEDULED_NAME.test(name)).sort()).toEqual(['larder-backup-by-hand.age', 'notes.txt'])
    const newest = path.join(folder, ours[2] as string)
    expect(fs.statSync(newest).mode & 0o777).toBe(0o600)
    expect((await readBackupFile(newest, BACKUP_PASSPHRASE)).libraries.map((l) => l.meta.name)).toEqual(['Bistro Nord'])
    const state = await call<BackupScheduleView>(a.handlers, 'backup.schedule', {})
    expect(state).toMatchObject({ lastOutcome: 'ok', lastFile: newest })
    expect(state.nextAt).toBe((state.lastRunAt as number) + 2 * HOUR)
    // Six runs in ten hours (at 0, 2, 4, 6, 8, 10), each audited.
    const audited = (await a.core.audit.page({ limit: 50, action: 'exported' })).entries.filter((e) => e.detail?.startsWith('scheduled backup written'))
    expect(audited).toHaveLength(6)
    // The settings file holds the passphrase only sealed with the vault's key.
    const settings = fs.readFileSync(path.join(a.dir, 'vault.json.backup-schedule'), 'utf8')
    expect(settings).not.toContain(BACKUP_PASSPHRASE)
    expect(JSON.parse(settings)).toMatchObject({ enabled: true, folder, everyHours: 2, keep: 3 })
  })

  it('a settings file edited to send the backups to another folder writes nothing and says why', async () => {
    world = await startEstateWorld()
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-scheduled-'))
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-elsewhere-'))
    const a = await world.machine('a')
    await call(a.handlers, 'backup.schedule', { enabled: true, folder, everyHours: 1, keep: 2, passphrase: BACKUP_PASSPHRASE })
    await a.estate.backups.settled()
    await a.estate.close()
    const file = path.join(a.dir, 'vault.json.backup-schedule')
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(JSON.stringify(folder), JSON.stringify(elsewhere)))
    // The same vault reads its settings again (as after a restart), and the timer fires.
    const again = new BackupSchedule({ vault: a.core.vault, clock: world.clock, audit: () => undefined, logN: 10 })
    await again.runNow()
    expect(again.state()).toMatchObject({ folder: elsewhere, lastOutcome: 'error', lastMessage: expect.stringContaining('changed outside Larder') })
    expect(fs.readdirSync(elsewhere)).toEqual([])
    again.stop()
    fs.rmSync(elsewhere, { recursive: true, force: true })
  })

  it('a vault closed under the timer (quitting, a lock that forgets the key) is not a failed backup: the timer stops, nothing is written', async () => {
    world = await startEstateWorld()
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-scheduled-'))
    const a = await world.machine('a')
    await call(a.handlers, 'backup.schedule', { enabled: true, folder, everyHours: 1, keep: 5, passphrase: BACKUP_PASSPHRASE })
    await hours(a, 1)
    const settings = path.join(a.dir, 'vault.json.backup-schedule')
    const before = fs.readFileSync(settings, 'utf8')
    await a.core.vault.close()
    await a.estate.backups.runNow()
    expect(fs.readFileSync(settings, 'utf8')).toBe(before)
    expect(a.estate.backups.state()).toMatchObject({ lastOutcome: 'ok' })
    expect(fs.readdirSync(folder).filter((name) => SCHEDULED_NAME.test(name))).toHaveLength(1)
  })

  it('turning it off stops the timer', async () => {
    world = await startEstateWorld()
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-scheduled-'))
    const a = await world.machine('a')
    await call(a.handlers, 'backup.schedule', { enabled: true, folder, everyHours: 1, keep: 5, passphrase: BACKUP_PASSPHRASE })
    await hours(a, 1) // the first, due at once
    const off = await call<BackupScheduleView>(a.handlers, 'backup.schedule', { enabled: false })
    expect(off).toMatchObject({ enabled: false, nextAt: null, hasPassphrase: true })
    await hours(a, 5)
    expect(fs.readdirSync(folder).filter((name) => SCHEDULED_NAME.test(name))).toHaveLength(1)
  })
})
