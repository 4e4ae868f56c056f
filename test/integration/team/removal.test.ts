// Removing a member (issue 16, plan §3 "Removal"), against a real PostgreSQL and the real sandbox. Three members made
// the way the app makes them (team files beside real vaults: make, ask to join, approve by code, finish joining);
// Ana removes Dana. Then: a new epoch whose key Dana cannot unwrap; every row sealed again under it (progress N of
// N); Dana's Larder says it was removed and stops; Bo follows the new epoch by itself; every credential refreshed
// through the engine's lease path, after which the access tokens Dana saved answer 401 at the sandbox and its
// refresh tokens invalid_grant. A re-sealing stopped after one batch is carried on by the next member that opens.
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { InputError } from '../../../src/main/core/errors.ts'
import type { RefreshEngine } from '../../../src/main/core/engine/refresh-engine.ts'
import { unwrapTeamKey } from '../../../src/main/core/team/crypto/member-keys.ts'
import { openRow } from '../../../src/main/core/team/crypto/row-seal.ts'
import { teamConnectionOptions } from '../../../src/main/core/team/db/connection-config.ts'
import { schemaName } from '../../../src/main/core/team/db/migrations.ts'
import { TeamLink } from '../../../src/main/core/team/db/team-link.ts'
import type { TeamDb } from '../../../src/main/core/team/db/transaction.ts'
import { approveJoin, type TeamSession } from '../../../src/main/core/team/membership.ts'
import { continueRekey, readRekey, removeMember, type RekeyProgress } from '../../../src/main/core/team/removal.ts'
import { refreshAllAfterRemoval } from '../../../src/main/core/team/removal-refresh.ts'
import { insertRow, readRow, teamChannel, writeRowIfVersion } from '../../../src/main/core/team/row-writes.ts'
import { askToJoin, finishJoining, openMembership, refreshMembership, startTeam, TeamRemovedError, type TeamPlace } from '../../../src/main/core/team/team-membership.ts'
import { openMemberKeys, openTeamKey, readTeamFile, teamFilePath } from '../../../src/main/core/team/team-settings.ts'
import { openTeamVault, type TeamVault } from '../../../src/main/core/team/team-vault.ts'
import { systemClock } from '../../../src/main/core/time/clock.ts'
import { createTeamActions } from '../../../src/main/app/team/team-actions.ts'
import type { TeamView } from '../../../src/shared/contract/team.ts'
import { createPassphraseCipher, type Vault } from '../../../src/main/core/vault/index.ts'
import { apiGet, refresh as refreshAtSandbox } from '../../sandbox/test-helpers.ts'
import { FAST_SCRYPT, TEST_PASSPHRASE } from '../../support/core-harness.ts'
import { openLocalVault } from '../../support/local-vault.ts'
import { findPgBinaries, pgServerForSuite, type PgServer } from '../../support/postgres-server.ts'
import { sandboxLibraryRecord } from '../../support/sandbox-records.ts'
import { sandboxForSuite, type SandboxSuite } from '../../support/sandbox-suite.ts'
import { createTeamDatabase } from '../../support/team-db.ts'
import { entryFor, within } from './team-vault-support.ts'

const binaries = findPgBinaries()
const SCHEMA = schemaName('larder')
let running: () => PgServer
let apicbase: SandboxSuite

interface Machine {
  readonly name: string
  readonly dir: string
  local: Vault
  vault: TeamVault | null
  /** The local vault was opened under a team vault (closed with it): the next open reads the files again. */
  used: boolean
}

interface World {
  readonly db: TeamDb
  readonly machines: Machine[]
  readonly cipher: Awaited<ReturnType<typeof createPassphraseCipher>>['cipher']
  open(machine: Machine): Promise<TeamVault>
  close(): Promise<void>
}

let world: World | undefined
let databases = 0

/** A team made as the app makes one: Ana makes it, the others ask to join and Ana approves each by its code. */
async function makeWorld(names: readonly string[]): Promise<World> {
  databases += 1
  const { url, db } = await createTeamDatabase(running(), `removal${databases}_${process.pid}`)
  const place: TeamPlace = { database: { url }, schema: 'larder' }
  const machines: Machine[] = []
  const { cipher } = await createPassphraseCipher(TEST_PASSPHRASE, undefined, { cost: FAST_SCRYPT })
  for (const [index, name] of names.entries()) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `larder-removal-${name.toLowerCase()}-`))
    const local = await openLocalVault(dir, cipher)
    if (index === 0) await startTeam(local, db, place, `${name}'s laptop`)
    else {
      const { code } = await askToJoin(local, db, place, `${name}'s laptop`)
      await approveJoin(db, await openMembership((machines[0] as Machine).local), code)
      if ((await finishJoining(local, db)) === null) throw new Error(`${name} was not let in`)
    }
    machines.push({ name, dir, local, vault: null, used: false })
  }
  const open = async (machine: Machine): Promise<TeamVault> => {
    if (machine.vault !== null) await machine.vault.close().catch(() => undefined)
    // Each open starts from the files, as the app does (a closed team vault closed its local vault too).
    if (machine.used) machine.local = await openLocalVault(machine.dir, cipher)
    machine.used = true
    const session = await openMembership(machine.local)
    const link = new TeamLink({ connection: teamConnectionOptions({ url }, `larder-listen-${machine.name.toLowerCase()}`), channel: teamChannel(session.teamId), retryMs: { first: 100, max: 500 }, heartbeatMs: 500 })
    machine.vault = await openTeamVault({ local: machine.local, link, schema: SCHEMA, session, sync: { pollMs: 60_000, offlinePollMs: 60_000 } })
    return machine.vault
  }
  for (const machine of machines) await open(machine)
  return {
    db,
    machines,
    cipher,
    open,
    close: async () => {
      for (const machine of machines) await (machine.vault ?? machine.local).close().catch(() => undefined)
      await db.pool.end()
      for (const machine of machines) fs.rmSync(machine.dir, { recursive: true, force: true })
    }
  }
}

function vaultOf(machine: Machine): TeamVault {
  if (machine.vault === null) throw new Error(`${machine.name} is not open`)
  return machine.vault
}

/** The team actions' view of a machine's open team vault, as create-app wires it (the refresh comes from each test). */
function afterRemovalOf(machine: Machine) {
  return {
    followEpoch: () => vaultOf(machine).checkMembership(),
    list: () => vaultOf(machine).list(),
    lastRemoval: () => vaultOf(machine).lastRemoval(),
    roster: () => vaultOf(machine).currentSession().roster
  }
}

/** Sandbox libraries added to the team by `machine`; every machine open holds them afterwards. */
async function share(world: World, machine: Machine, count: number): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const library = apicbase.sandbox.addLibraryWithApplication({ name: `Removal Kitchen ${i}` })
    const { meta, secrets } = sandboxLibraryRecord(library, { id: randomUUID(), apiBaseUrl: apicbase.sandbox.url, issuedAt: Date.now() - 60_000 })
    await vaultOf(machine).add(meta, secrets)
    ids.push(meta.id)
  }
  const open = world.machines.filter((m) => m.vault !== null)
  await within(3_000, 'every member holds every library', () => open.every((m) => ids.every((id) => vaultOf(m).get(id) !== undefined)))
  return ids
}

const engineOf = (machine: Machine): RefreshEngine => apicbase.engine(vaultOf(machine))

interface RowEpoch {
  readonly id: string
  readonly kind: string
  readonly key_epoch: number
  readonly pair_version: string
  readonly sealed: Buffer
}

const rowsOf = async (db: TeamDb): Promise<RowEpoch[]> => (await db.pool.query<RowEpoch>(`SELECT id, kind, key_epoch, pair_version, sealed FROM ${db.schema}.credentials WHERE NOT deleted`)).rows

const opens = (key: Buffer, session: TeamSession, row: RowEpoch): boolean => {
  try {
    openRow(key, 'row', { teamId: session.teamId, rowId: row.id, kind: row.kind, epoch: row.key_epoch, pairVersion: Number(row.pair_version) }, row.sealed)
    return true
  } catch {
    return false
  }
}

describe.skipIf(binaries.bin === null)('removing a member', { timeout: 120_000 }, () => {
  running = pgServerForSuite(binaries)
  apicbase = sandboxForSuite()
  afterEach(async () => {
    apicbase.stopEngines()
    await world?.close()
    world = undefined
  })

  it('new key, rows sealed again, Dana out and told so, every credential refreshed: Dana’s copies dead at the sandbox, Bo goes on', async () => {
    world = await makeWorld(['Ana', 'Bo', 'Dana'])
    const [ana, bo, dana] = world.machines as [Machine, Machine, Machine]
    const ids = await share(world, ana, 6)
    // What Dana's Larder holds when it is removed: the pairs it could still use or replay.
    const danasCopies = await Promise.all(ids.map(async (id) => ({ id, meta: vaultOf(dana).get(id), secrets: await vaultOf(dana).secrets(id) })))
    const danaBefore = vaultOf(dana).currentSession()
    const danaRemoved = new Promise<TeamRemovedError>((resolve) => vaultOf(dana).once('removed', resolve))

    const started = await removeMember(world.db, vaultOf(ana).currentSession(), danaBefore.memberId)
    expect(started).toMatchObject({ epoch: 2, removed: { id: danaBefore.memberId, label: "Dana's laptop" }, progress: { epoch: 2, total: 6, resealed: 0, finishedAt: null } })
    // team.rekey carries counts only: no name, no label.
    expect(JSON.stringify((await world.db.pool.query(`SELECT rekey FROM ${SCHEMA}.team`)).rows[0])).not.toMatch(/Dana|Kitchen/)

    // Ana follows the new epoch and seals every row again; the progress reaches 6 of 6.
    await vaultOf(ana).checkMembership()
    const anaSession = vaultOf(ana).currentSession()
    expect(anaSession.epoch).toBe(2)
    const seen: RekeyProgress[] = []
    const last = await continueRekey(world.db, anaSession, { keyOf: async (epoch) => openTeamKey(ana.local, readTeamFile(teamFilePath(ana.local.path))!, epoch), batchSize: 4, onProgress: (p) => seen.push(p) })
    await within(5_000, 'the re-sealing is finished', async () => (await readRekey(world!.db))?.finishedAt !== null)
    expect(await readRekey(world.db)).toMatchObject({ epoch: 2, total: 6, resealed: 6 })
    expect(last?.epoch).toBe(2)
    for (const p of seen) expect(p.resealed).toBeLessThanOrEqual(p.total)

    // Every row at epoch 2, opening with the new key only: Dana's key of epoch 1 opens none of them.
    const rows = await rowsOf(world.db)
    expect(rows).toHaveLength(6)
    for (const row of rows) {
      expect(row.key_epoch).toBe(2)
      expect(opens(anaSession.teamKey, anaSession, row)).toBe(true)
      expect(opens(danaBefore.teamKey, anaSession, row)).toBe(false)
    }
    // Dana holds no wrap of epoch 2, and no other member's wrap opens with Dana's key.
    const danaKeys = await openMemberKeys(dana.local, readTeamFile(teamFilePath(dana.local.path))!)
    const wraps = (await world.db.pool.query<{ member_id: string; wrapped: Buffer }>(`SELECT member_id, wrapped FROM ${SCHEMA}.key_wraps WHERE epoch = 2`)).rows
    expect(wraps.map((w) => w.member_id).sort()).toEqual([anaSession.memberId, vaultOf(bo).currentSession().memberId].sort())
    for (const wrap of wraps) {
      expect(() => unwrapTeamKey(wrap.wrapped, danaKeys, { teamId: anaSession.teamId, memberId: danaBefore.memberId, epoch: 2 })).toThrow()
      expect(() => unwrapTeamKey(wrap.wrapped, danaKeys, { teamId: anaSession.teamId, memberId: wrap.member_id, epoch: 2 })).toThrow()
    }

    // Dana's Larder heard the new epoch, found no key for itself and says it was removed, and when.
    const removed = await danaRemoved
    expect(removed.removedAt).toEqual(expect.any(Number))
    expect(removed.message).toMatch(/removed from the team on \d{4}-/)
    expect(vaultOf(dana).teamState()).toMatchObject({ state: 'offline', why: removed.message })
    expect((await vaultOf(dana).refreshTurn(ids[0] as string)).kind).toBe('offline')
    await expect(vaultOf(dana).patch(ids[0] as string, { name: 'Renamed by Dana' })).rejects.toThrow(/offline from the team/)
    // Bo followed the new epoch by itself (the NOTIFY {rekey}).
    await within(3_000, 'Bo holds epoch 2', () => vaultOf(bo).currentSession().epoch === 2)

    // Every credential refreshed through the engine's lease path.
    const refreshedAll = await refreshAllAfterRemoval({ list: () => vaultOf(ana).list(), refresh: (id) => engineOf(ana).refresh(id, 'manual'), since: started.progress.startedAt, gapMs: 0 })
    expect(refreshedAll).toEqual({ total: 6, refreshed: 6, left: [] })
    // Run again (a crash after it, another member carrying on): nothing left to refresh.
    expect(await refreshAllAfterRemoval({ list: () => vaultOf(ana).list(), refresh: () => Promise.reject(new Error('refreshed twice')), since: started.progress.startedAt, gapMs: 0 })).toEqual({ total: 0, refreshed: 0, left: [] })

    // Bo keeps working: a refresh after the removal works and reaches Ana.
    await within(3_000, 'Bo holds every refreshed pair', async () => {
      for (const id of ids) if ((await vaultOf(bo).secrets(id, ['refreshToken'])).refreshToken !== (await vaultOf(ana).secrets(id, ['refreshToken'])).refreshToken) return false
      return true
    })
    await engineOf(bo).refresh(ids[0] as string, 'manual')
    await within(2_000, 'Ana holds Bo’s pair', async () => (await vaultOf(ana).secrets(ids[0] as string, ['refreshToken'])).refreshToken === (await vaultOf(bo).secrets(ids[0] as string, ['refreshToken'])).refreshToken)
    for (const id of ids) expect((await apiGet(apicbase.sandbox.url, '/api/v2/products/recipes/', (await vaultOf(bo).secrets(id, ['accessToken'])).accessToken)).status).toBe(200)

    // The point: what Dana's Larder saved is dead at Apicbase. (Replaying a rotated refresh token also revokes the
    // family at a server that does so on reuse: checked last, for that reason.)
    for (const copy of danasCopies) expect((await apiGet(apicbase.sandbox.url, '/api/v2/products/recipes/', copy.secrets.accessToken)).status).toBe(401)
    for (const copy of danasCopies) {
      const answer = await refreshAtSandbox(apicbase.sandbox.url, { clientId: copy.meta?.clientId ?? '', clientSecret: copy.secrets.clientSecret, refreshToken: copy.secrets.refreshToken })
      expect(answer.body['error']).toBe('invalid_grant')
    }
  })

  it('refuses removing oneself and a member not in the team, changing nothing', async () => {
    world = await makeWorld(['Ana', 'Bo'])
    const [ana] = world.machines as [Machine, Machine]
    const session = vaultOf(ana).currentSession()
    await expect(removeMember(world.db, session, session.memberId)).rejects.toThrow(/does not remove itself: leaving the team is its own step/)
    await expect(removeMember(world.db, session, randomUUID())).rejects.toBeInstanceOf(InputError)
    const team = (await world.db.pool.query<{ current_epoch: number; rekey: unknown }>(`SELECT current_epoch, rekey FROM ${SCHEMA}.team`)).rows[0]
    expect(team).toEqual({ current_epoch: 1, rekey: null })
  })

  it('the database takes no write sealed under a key the team left (a member that has not followed a removal yet)', async () => {
    world = await makeWorld(['Ana', 'Bo', 'Dana'])
    const [ana, bo, dana] = world.machines as [Machine, Machine, Machine]
    const [id] = await share(world, ana, 1)
    const anas = vaultOf(ana).currentSession()
    const old = vaultOf(bo).currentSession()
    // Closed, so that no vault follows the removal and seals the row again meanwhile: the row stays as Bo read it.
    for (const machine of world.machines) await vaultOf(machine).close()
    const row = await readRow(world.db, old, id ?? '')
    if (row?.record == null) throw new Error('no row')
    await removeMember(world.db, anas, vaultOf(dana).currentSession().memberId)
    // Bo's session still at epoch 1: nothing it seals reaches the table, so nothing Dana could open lands there.
    expect(await writeRowIfVersion(world.db, old, row, row.record)).toBeNull()
    await expect(insertRow(world.db, old, { kind: 'entry', entry: entryFor(id ?? '', 'Stale') })).rejects.toThrow(/moved to a new team key/)
    expect((await rowsOf(world.db)).map((r) => [r.key_epoch, r.pair_version])).toEqual([[1, String(row.pairVersion)]])
    expect((await world.db.pool.query(`SELECT version FROM ${SCHEMA}.credentials`)).rows).toEqual([{ version: String(row.version) }])
  })

  it('a re-sealing stopped after one batch (its member crashed) is carried on by the next member that opens', async () => {
    world = await makeWorld(['Ana', 'Bo', 'Dana'])
    const [ana, bo, dana] = world.machines as [Machine, Machine, Machine]
    await share(world, ana, 7)
    const anaBefore = vaultOf(ana).currentSession()
    const danaId = vaultOf(dana).currentSession().memberId
    // Nobody else is open: only Ana's "process" works on it, and it stops after one batch of 2.
    for (const machine of [ana, bo, dana]) {
      await vaultOf(machine).close()
      machine.vault = null
    }
    await removeMember(world.db, anaBefore, danaId)
    // Ana's side of the crash: the new key from its wrap, one batch, then nothing.
    const local = await openLocalVault(ana.dir, world.cipher)
    ana.local = local
    const anaNext = await refreshMembership(local, world.db, await openMembership(local))
    const stopped = await continueRekey(world.db, anaNext, { keyOf: async (epoch) => openTeamKey(local, readTeamFile(teamFilePath(local.path))!, epoch), batchSize: 2, stopAfterBatches: 1 })
    expect(stopped).toMatchObject({ epoch: 2, total: 7, resealed: 2, finishedAt: null })
    expect((await rowsOf(world.db)).filter((row) => row.key_epoch === 1)).toHaveLength(5)
    await local.close()

    // Bo opens: it follows the new epoch and finds the re-sealing unfinished, and finishes it.
    const rekeyed: RekeyProgress[] = []
    const boVault = await world.open(bo)
    boVault.on('rekey', (p) => rekeyed.push(p))
    await within(5_000, 'the re-sealing is finished', async () => (await readRekey(world!.db))?.finishedAt != null)
    expect(await readRekey(world.db)).toMatchObject({ epoch: 2, total: 7, resealed: 7 })
    expect((await rowsOf(world.db)).every((row) => row.key_epoch === 2)).toBe(true)
    expect(boVault.currentSession().epoch).toBe(2)
    // Bo still lists and reads every credential under the new key.
    await boVault.syncNow()
    expect(boVault.list()).toHaveLength(7)
  })

  it('team.remove through the team actions: answers where it starts, says each step in team.changed, and refreshes every credential through the vault open here', async () => {
    world = await makeWorld(['Ana', 'Bo', 'Dana'])
    const [ana, , dana] = world.machines as [Machine, Machine, Machine]
    const ids = await share(world, ana, 3)
    const danaId = vaultOf(dana).currentSession().memberId
    const views: TeamView[] = []
    const engine = engineOf(ana)
    const actions = createTeamActions({
      vault: vaultOf(ana),
      clock: systemClock,
      larderVersion: 'test',
      changed: (view) => views.push(view),
      teamState: () => vaultOf(ana).teamState(),
      afterRemoval: { ...afterRemovalOf(ana), refresh: (id) => engine.refresh(id, 'manual'), gapMs: 0 }
    })
    try {
      await expect(actions.remove(vaultOf(ana).currentSession().memberId)).rejects.toThrow(/does not remove itself/)
      const first = await actions.remove(danaId)
      expect(first).toMatchObject({ removed: { id: danaId, name: "Dana's laptop" }, resealed: { done: 0, total: 3, finished: false }, refreshed: null })
      expect(first.message).toMatch(/^Dana's laptop was removed from the team\. Larder is sealing/)
      // A second removal waits for this one.
      await expect(actions.remove(vaultOf(world.machines[1] as Machine).currentSession().memberId)).rejects.toThrow(/still under way/)
      await within(20_000, 'every credential refreshed', () => views.some((view) => view.removal?.refreshed?.finished === true))
      const last = views.at(-1)?.removal
      expect(last).toMatchObject({ resealed: { done: 3, total: 3, finished: true }, refreshed: { done: 3, total: 3, finished: true, left: [] } })
      expect(last?.message).toMatch(/Every team credential was refreshed: the copies Dana's laptop's Larder holds no longer work at Apicbase/)
      // Progress was said on the way, and the member list no longer names Dana.
      expect(views.some((view) => view.removal?.refreshed?.finished === false)).toBe(true)
      expect(views.at(-1)?.members.map((member) => member.name).sort()).toEqual(["Ana's laptop", "Bo's laptop"])
      expect((await rowsOf(world.db)).every((row) => row.key_epoch === 2)).toBe(true)
      for (const id of ids) expect(vaultOf(ana).get(id)?.lastRefreshedAt).toEqual(expect.any(Number))
    } finally {
      actions.close()
    }
  })

  it('refreshes cut short (the remover quit after sealing) are finished by the next member online, naming who was removed', async () => {
    world = await makeWorld(['Ana', 'Bo', 'Dana'])
    const [ana, bo, dana] = world.machines as [Machine, Machine, Machine]
    const ids = await share(world, ana, 3)
    const danaId = vaultOf(dana).currentSession().memberId
    // Ana's Larder seals everything again, then quits before any refresh (no engine here).
    const anas = createTeamActions({ vault: vaultOf(ana), clock: systemClock, larderVersion: 'test', changed: () => undefined, teamState: () => vaultOf(ana).teamState() })
    const views: TeamView[] = []
    const engine = engineOf(bo)
    const bos = createTeamActions({ vault: vaultOf(bo), clock: systemClock, larderVersion: 'test', changed: (view) => views.push(view), teamState: () => vaultOf(bo).teamState(), afterRemoval: { ...afterRemovalOf(bo), refresh: (id) => engine.refresh(id, 'manual'), gapMs: 0 } })
    try {
      await anas.remove(danaId)
      await within(20_000, 'sealed again', async () => (await vaultOf(ana).lastRemoval())?.finishedAt != null)
      for (const id of ids) expect(vaultOf(bo).get(id)?.lastRefreshedAt ?? null).toBeNull()
      await bos.resumeRemoval()
      await within(5_000, 'the window told', () => views.at(-1)?.removal?.refreshed?.finished === true)
      const last = views.at(-1)?.removal
      expect(last).toMatchObject({ removed: { id: danaId, name: "Dana's laptop" }, refreshed: { done: 3, total: 3, finished: true, left: [] } })
      for (const id of ids) expect(vaultOf(bo).get(id)?.lastRefreshedAt).toEqual(expect.any(Number))
      // Once done, going online again refreshes nothing more.
      const calls = apicbase.sandbox.counters.hits.length
      await bos.resumeRemoval()
      expect(apicbase.sandbox.counters.hits.length).toBe(calls)
    } finally {
      anas.close()
      bos.close()
    }
  })

  it('going on with a removal whose member an older roster does not name: the view says removed null and "a member", never a made-up id', async () => {
    world = await makeWorld(['Ana', 'Bo', 'Dana'])
    const [ana, bo, dana] = world.machines as [Machine, Machine, Machine]
    await share(world, ana, 2)
    const danaId = vaultOf(dana).currentSession().memberId
    const anas = createTeamActions({ vault: vaultOf(ana), clock: systemClock, larderVersion: 'test', changed: () => undefined, teamState: () => vaultOf(ana).teamState() })
    const views: TeamView[] = []
    const engine = engineOf(bo)
    // Bo reads the roster as one written before former members were kept (no `former` at all).
    const olderRoster = () => ({ ...vaultOf(bo).currentSession().roster, former: undefined })
    const bos = createTeamActions({ vault: vaultOf(bo), clock: systemClock, larderVersion: 'test', changed: (view) => views.push(view), teamState: () => vaultOf(bo).teamState(), afterRemoval: { ...afterRemovalOf(bo), roster: olderRoster, refresh: (id) => engine.refresh(id, 'manual'), gapMs: 0 } })
    try {
      await anas.remove(danaId)
      await within(20_000, 'sealed again', async () => (await vaultOf(ana).lastRemoval())?.finishedAt != null)
      await bos.resumeRemoval()
      await within(5_000, 'the window told', () => views.at(-1)?.removal?.refreshed?.finished === true)
      const last = views.at(-1)?.removal
      expect(last).toMatchObject({ removed: null, refreshed: { done: 2, total: 2, finished: true, left: [] } })
      expect(last?.message).toMatch(/^A member was removed from the team\. Every team credential was refreshed: the copies the removed member's Larder holds no longer work at Apicbase\./)
      expect(JSON.stringify(views)).not.toContain('00000000-0000-4000-8000-000000000000')
    } finally {
      anas.close()
      bos.close()
    }
  })

  it('a member away during the removal refreshes only once it follows the new epoch: no pair sealed under the key the team left', async () => {
    world = await makeWorld(['Ana', 'Bo', 'Dana'])
    const [ana, bo, dana] = world.machines as [Machine, Machine, Machine]
    const ids = await share(world, ana, 2)
    await vaultOf(bo).close()
    const started = await removeMember(world.db, vaultOf(ana).currentSession(), vaultOf(dana).currentSession().memberId)
    await vaultOf(ana).checkMembership()
    await within(5_000, 'the re-sealing is finished', async () => (await readRekey(world!.db))?.finishedAt != null)
    // Bo back: its engine asks for a refresh at once, before anything else ran.
    const boVault = await world.open(bo)
    await engineOf(bo).refresh(ids[0] as string, 'manual')
    expect(boVault.currentSession().epoch).toBe(2)
    const row = (await rowsOf(world.db)).find((r) => r.id === ids[0])
    expect(row?.key_epoch).toBe(2)
    expect(row !== undefined && opens(vaultOf(ana).currentSession().teamKey, vaultOf(ana).currentSession(), row)).toBe(true)
    await within(2_000, 'Ana holds Bo’s pair', async () => (await vaultOf(ana).secrets(ids[0] as string, ['refreshToken'])).refreshToken === (await boVault.secrets(ids[0] as string, ['refreshToken'])).refreshToken)
    expect(started.epoch).toBe(2)
  })
})
