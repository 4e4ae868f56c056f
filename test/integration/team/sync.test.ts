// How a member learns what the team changed, against a real PostgreSQL (issue 16, step 5): TeamSync over a TeamLink.
// A NOTIFY newer than what is held → that row is read and handed over, opened; one at or below it is not read; a write
// no notification told of (NOTIFY reaches only who listens) is read at the periodic read; each time the link is back
// the rows changed meanwhile are read (catch-up); the state says offline since when and why, and online again.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { newMemberKeys } from '../../../src/main/core/team/crypto/member-keys.ts'
import { teamConnectionOptions } from '../../../src/main/core/team/db/connection-config.ts'
import { TeamLink } from '../../../src/main/core/team/db/team-link.ts'
import type { TeamDb } from '../../../src/main/core/team/db/transaction.ts'
import { createTeam, type TeamSession } from '../../../src/main/core/team/membership.ts'
import { insertRow, sealRecord, teamChannel, tombstoneRow, writeRowIfVersion, type RowRead } from '../../../src/main/core/team/row-writes.ts'
import { TeamSync, type TeamSyncState, type TeamSyncOptions } from '../../../src/main/core/team/sync.ts'
import { findPgBinaries, pgServerForSuite, type PgServer } from '../../support/postgres-server.ts'
import { createTeamDatabase } from '../../support/team-db.ts'
import { libraryFor, within } from './team-vault-support.ts'

const binaries = findPgBinaries()
let running: () => PgServer
let databases = 0
const closing: (() => Promise<void>)[] = []

afterEach(async () => {
  while (closing.length > 0) await closing.pop()?.()
})

interface Rig {
  readonly db: TeamDb
  readonly session: TeamSession
  readonly sync: TeamSync
  readonly link: TeamLink
  readonly handed: RowRead[]
  readonly known: Map<string, number>
  readonly appName: string
}

async function rig(options: Partial<Pick<TeamSyncOptions, 'pollMs' | 'offlinePollMs'>> & { retryMs?: { first: number; max: number } } = {}): Promise<Rig> {
  databases += 1
  const { url, db } = await createTeamDatabase(running(), `sync${databases}`, { max: 2 })
  const session = await createTeam(db, { id: randomUUID(), label: 'Ana', keys: newMemberKeys() })
  const appName = `larder-listen-sync-${databases}`
  const link = new TeamLink({ connection: teamConnectionOptions({ url }, appName), channel: teamChannel(session.teamId), retryMs: options.retryMs ?? { first: 100, max: 500 }, heartbeatMs: 500 })
  const handed: RowRead[] = []
  const known = new Map<string, number>()
  const sync = new TeamSync({
    link,
    db,
    session,
    since: null,
    knownVersion: (id) => known.get(id),
    onRows: async (rows) => {
      for (const row of rows) {
        handed.push(row)
        known.set(row.id, row.version)
      }
    },
    pollMs: options.pollMs ?? 60_000,
    offlinePollMs: options.offlinePollMs ?? 60_000
  })
  closing.push(async () => {
    await sync.stop()
    await link.close()
    await db.pool.end()
  })
  sync.start()
  await link.start()
  await sync.catchUp()
  return { db, session, sync, link, handed, known, appName }
}

describe('the PostgreSQL for sync', () => {
  it('is found, or the run says how to get it (and fails in CI)', () => {
    if (binaries.required) expect(binaries.bin, binaries.fix).not.toBeNull()
  })
})

describe.skipIf(binaries.bin === null)('team sync', { timeout: 60_000 }, () => {
  running = pgServerForSuite(binaries)

  it('reads and hands over, opened, a row a NOTIFY says is newer; one it already holds is not read again', async () => {
    const { db, session, handed, known } = await rig()
    const { meta, secrets } = libraryFor('Notified')
    const head = await insertRow(db, session, { kind: 'library', meta, secrets })
    await within(1_000, 'the notified row', () => handed.length === 1)
    expect(handed[0]).toMatchObject({ id: meta.id, kind: 'library', version: 1, pairVersion: 1, deleted: false, refusal: null })
    expect(handed[0]?.record).toEqual({ kind: 'library', meta: { ...meta, tokenPreview: expect.any(String) }, secrets })
    expect(known.get(meta.id)).toBe(1)
    // The same version notified again (another member's echo) is not read; a newer one is.
    await db.pool.query('SELECT pg_notify($1, $2)', [teamChannel(session.teamId), JSON.stringify({ id: meta.id, v: 1 })])
    await writeRowIfVersion(db, session, head, { kind: 'library', meta: { ...meta, name: 'Notified Again' }, secrets })
    await within(1_000, 'the newer row', () => handed.length === 2)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(handed.map((row) => row.version)).toEqual([1, 2])
  })

  it('reads a write no notification told of at the periodic read', async () => {
    const { db, session, handed } = await rig({ pollMs: 300 })
    const { meta, secrets } = libraryFor('Unnotified')
    // Written as a member whose NOTIFY was lost would leave it: no notification at all.
    await db.pool.query('INSERT INTO larder.credentials (id, kind, version, pair_version, key_epoch, sealed) VALUES ($1, $2, 1, 1, $3, $4)', [meta.id, 'library', session.epoch, sealRecord(session, { kind: 'library', meta, secrets }, 1)])
    await within(1_500, 'the unnotified row', () => handed.some((row) => row.id === meta.id))
  })

  it('says offline since when and why when its session is cut, reads what changed meanwhile once back (catch-up)', async () => {
    const { db, session, sync, handed, appName } = await rig({ retryMs: { first: 1_000, max: 1_000 } })
    const states: TeamSyncState[] = []
    sync.on('state', (state) => states.push(state))
    expect(sync.state().state).toBe('online')
    const before = Date.now()
    expect(await running().terminate(appName)).toBeGreaterThanOrEqual(1)
    await within(2_000, 'offline', () => sync.state().state === 'offline')
    const offline = sync.state()
    expect(offline).toMatchObject({ state: 'offline', why: expect.stringMatching(/terminating connection|57P01|ended/) })
    expect(offline.since).toBeGreaterThanOrEqual(before)
    const { meta, secrets } = libraryFor('While Away')
    await insertRow(db, session, { kind: 'library', meta, secrets })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(handed.some((row) => row.id === meta.id)).toBe(false)
    await within(3_000, 'online again', () => sync.state().state === 'online')
    const back = performance.now()
    await within(2_000, 'the row written while away', () => handed.some((row) => row.id === meta.id))
    expect(performance.now() - back).toBeLessThan(2_000)
    expect(states.map((state) => state.state)).toEqual(['offline', 'online'])
  })

  it('hands over a removal as a tombstone, and a row that does not open with the reason, never its content', async () => {
    const { db, session, handed } = await rig()
    const { meta, secrets } = libraryFor('Tampered')
    await insertRow(db, session, { kind: 'library', meta, secrets })
    await within(1_000, 'the row', () => handed.length === 1)
    await db.pool.query(
      `WITH w AS (UPDATE larder.credentials SET sealed = set_byte(sealed, 40, get_byte(sealed, 40) # 1), version = version + 1, changed_at = clock_timestamp() WHERE id = $1 RETURNING id, version)
       SELECT pg_notify($2, json_build_object('id', w.id, 'v', w.version)::text) FROM w`,
      [meta.id, teamChannel(session.teamId)]
    )
    await within(1_000, 'the changed row', () => handed.length === 2)
    expect(handed[1]).toMatchObject({ id: meta.id, version: 2, record: null, refusal: expect.stringMatching(/does not open/) })
    expect(JSON.stringify(handed[1])).not.toContain(secrets.refreshToken)
    await tombstoneRow(db, session, meta.id)
    await within(1_000, 'the tombstone', () => handed.length === 3)
    expect(handed[2]).toMatchObject({ id: meta.id, version: 3, deleted: true, record: null, refusal: null })
    expect((await db.pool.query<{ n: number }>('SELECT length(sealed) AS n FROM larder.credentials WHERE id = $1', [meta.id])).rows[0]?.n).toBe(0)
  })
})
