// The team vault against a real PostgreSQL (issue 16, step 5): members' local vaults in temp folders, each wrapped in
// a TeamVault. What one member changes reaches the others' local vaults through NOTIFY within a second, and after a
// cut listening session through the catch-up read on reconnect; two members patching one credential at once both
// land; a row the database put back to an older pair is refused and said, the cache unchanged; a member started with
// the server down lists everything from its cache and refuses a change naming offline; nothing readable is stored.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { sealRecord, teamChannel } from '../../../src/main/core/team/row-writes.ts'
import type { TeamRowRefusal } from '../../../src/main/core/team/team-errors.ts'
import { TeamOfflineError } from '../../../src/main/core/team/team-errors.ts'
import type { ExternalChange } from '../../../src/main/core/vault/vault-types.ts'
import { findPgBinaries, pgServerForSuite, type PgServer } from '../../support/postgres-server.ts'
import { entryFor, libraryFor, makeTeam, within, type Team, type Vault } from './team-vault-support.ts'

const binaries = findPgBinaries()
let running: () => PgServer
let team: Team | null = null

afterEach(async () => {
  await team?.close()
  team = null
})

describe('the PostgreSQL for the team vault', () => {
  it('is found, or the run says how to get it (and fails in CI)', () => {
    if (binaries.required) expect(binaries.bin, binaries.fix).not.toBeNull()
  })
})

describe.skipIf(binaries.bin === null)('the team vault', { timeout: 60_000 }, () => {
  running = pgServerForSuite(binaries)

  it('brings an add, a rename, a hold and a removal on A into B’s local vault within 1 s, through NOTIFY', async () => {
    team = await makeTeam(running(), ['Ana', 'Bo'])
    const [ana, bo] = team.members
    if (!ana || !bo) throw new Error('members missing')
    const changes: ExternalChange[] = []
    bo.vault.on('changed', (change) => changes.push(change))
    const { meta, secrets } = libraryFor('Grill Haven')
    const entry = entryFor(meta.id, 'Grill Haven')

    await ana.vault.add(meta, secrets)
    await ana.vault.addEntries([entry])
    expect(await within(1_000, 'the add on B', () => bo.vault.get(meta.id) !== undefined && bo.vault.entry(entry.id) !== undefined)).toBeLessThan(1_000)
    expect(await bo.vault.secrets(meta.id)).toEqual(secrets)
    expect(bo.vault.entry(entry.id)).toEqual(entry)
    // Announced once taken in (the core re-plans and re-announces these ids).
    await within(1_000, 'both announced', () => [meta.id, entry.id].every((id) => changes.some((change) => change.added.includes(id))))

    await ana.vault.patch(meta.id, { name: 'Grill Haven Noord' })
    await within(1_000, 'the rename on B', () => bo.vault.get(meta.id)?.name === 'Grill Haven Noord')
    await ana.vault.patchEntry(entry.id, { name: 'Vestiging Zuid' })
    await within(1_000, 'the entry’s rename on B', () => bo.vault.entry(entry.id)?.name === 'Vestiging Zuid')
    await ana.vault.setHold(meta.id, { kind: 'paused', at: Date.now(), message: 'Paused by Ana while checking the customer.', to: null, was: 'active' })
    await within(1_000, 'the hold on B', () => bo.vault.get(meta.id)?.tokenState === 'paused')

    await ana.vault.remove(meta.id)
    await within(1_000, 'the removal on B', () => bo.vault.get(meta.id) === undefined && bo.vault.entry(entry.id) === undefined)
    await within(1_000, 'the removal announced', () => changes.some((change) => change.removed.includes(meta.id)))
    // Each write is one row version: B holds the last, and no poll was needed (every 60 s in this team).
    expect((await team.db.pool.query('SELECT deleted FROM larder.credentials WHERE id = $1', [meta.id])).rows).toEqual([{ deleted: true }])
  })

  it('keeps lastUsedAt to the member that copied: local only, never sent to the others', async () => {
    team = await makeTeam(running(), ['Ana', 'Bo'])
    const [ana, bo] = team.members
    if (!ana || !bo) throw new Error('members missing')
    const { meta, secrets } = libraryFor('Copy Corner')
    await ana.vault.add(meta, secrets)
    await within(1_000, 'the add on B', () => bo.vault.get(meta.id) !== undefined)
    await bo.vault.patch(meta.id, { lastUsedAt: 1_800_000_000_000 })
    await ana.vault.patch(meta.id, { name: 'Copy Corner West' })
    await within(1_000, 'the rename on B', () => bo.vault.get(meta.id)?.name === 'Copy Corner West')
    expect(bo.vault.get(meta.id)?.lastUsedAt).toBe(1_800_000_000_000)
    expect(ana.vault.get(meta.id)?.lastUsedAt).toBeNull()
  })

  it('brings a change made while B’s listening session was cut within 2 s of B reconnecting (catch-up)', async () => {
    team = await makeTeam(running(), ['Ana', 'Bo'])
    const [ana, bo] = team.members
    if (!ana || !bo) throw new Error('members missing')
    const { meta, secrets } = libraryFor('Catch Up')
    await ana.vault.add(meta, secrets)
    await within(1_000, 'the add on B', () => bo.vault.get(meta.id) !== undefined)
    // B reconnects after a second, so the change lands while it is away; it polls only every 60 s.
    await bo.vault.close()
    await team.open(bo, { retryMs: { first: 1_500, max: 1_500 } })
    await bo.vault.syncNow()
    const offline = new Promise<void>((resolve) => bo.vault.once('state', (state) => state.state === 'offline' && resolve()))
    let backAt = 0
    bo.vault.on('state', (state) => {
      if (state.state === 'online') backAt = performance.now()
    })
    expect(await running().terminate(bo.listenName)).toBeGreaterThanOrEqual(1)
    await offline
    await ana.vault.patch(meta.id, { name: 'Caught Up' })
    expect(bo.vault.get(meta.id)?.name).toBe(meta.name)
    await within(5_000, 'B online again', () => backAt > 0)
    await within(2_000, 'the rename on B after reconnecting', () => bo.vault.get(meta.id)?.name === 'Caught Up')
    expect(performance.now() - backAt).toBeLessThan(2_000)
  })

  it('lands two members’ patches of the same credential made at once: neither is lost', async () => {
    team = await makeTeam(running(), ['Ana', 'Bo'])
    const [ana, bo] = team.members
    if (!ana || !bo) throw new Error('members missing')
    const { meta, secrets } = libraryFor('Both Land')
    await ana.vault.add(meta, secrets)
    await within(1_000, 'the add on B', () => bo.vault.get(meta.id) !== undefined)
    for (let round = 1; round <= 3; round++) {
      // Writes wait behind a lock the test holds (reads do not), so both members read the same version and both
      // write against it: one lands, the other finds the row moved on.
      const locker = await team.db.pool.connect()
      await locker.query('BEGIN')
      await locker.query('LOCK TABLE larder.credentials IN EXCLUSIVE MODE')
      const both = Promise.all([ana.vault.patch(meta.id, { name: `Renamed by Ana ${round}` }), bo.vault.patch(meta.id, { customer: `Labelled by Bo ${round}` })])
      await new Promise((resolve) => setTimeout(resolve, 300))
      await locker.query('COMMIT')
      locker.release()
      await both
      for (const member of [ana, bo]) {
        await within(1_000, `${member.name} holding both changes of round ${round}`, () => {
          const held = member.vault.get(meta.id)
          return held?.name === `Renamed by Ana ${round}` && held.customer === `Labelled by Bo ${round}`
        })
      }
    }
    // Every patch is its own row version: 1 insert and 6 patches.
    expect((await team.db.pool.query<{ version: string }>('SELECT version FROM larder.credentials WHERE id = $1', [meta.id])).rows[0]?.version).toBe('7')
  })

  it('refuses a row put back to an older pair version by hand, says so naming it, and leaves B’s cache as it was', async () => {
    team = await makeTeam(running(), ['Ana', 'Bo'])
    const [ana, bo] = team.members
    if (!ana || !bo) throw new Error('members missing')
    const { meta, secrets } = libraryFor('Rolled Back')
    await ana.vault.add(meta, secrets)
    await within(1_000, 'the add on B', () => bo.vault.get(meta.id) !== undefined)
    const first = (await team.db.pool.query<{ sealed: Buffer }>('SELECT sealed FROM larder.credentials WHERE id = $1', [meta.id])).rows[0]?.sealed
    // A newer pair, written as a refresh would (pair version 2), which B takes in.
    const newer = { clientSecret: secrets.clientSecret, accessToken: `access-token-newer-${randomUUID()}`, refreshToken: `refresh-token-newer-${randomUUID()}` }
    const sealed = sealRecord(ana.session, { kind: 'library', meta, secrets: newer }, 2)
    const channel = teamChannel(ana.session.teamId)
    await team.db.pool.query(
      `WITH w AS (UPDATE larder.credentials SET sealed = $2, pair_version = 2, version = version + 1, changed_at = clock_timestamp() WHERE id = $1 RETURNING id, version)
       SELECT pg_notify($3, json_build_object('id', w.id, 'v', w.version)::text) FROM w`,
      [meta.id, sealed, channel]
    )
    await within(1_000, 'the newer pair on B', async () => (await bo.vault.secrets(meta.id, ['accessToken'])).accessToken === newer.accessToken)

    const refusals: TeamRowRefusal[] = []
    const changes: ExternalChange[] = []
    bo.vault.on('refused', (refusal) => refusals.push(refusal))
    bo.vault.on('changed', (change) => changes.push(change))
    await team.db.pool.query(
      `WITH w AS (UPDATE larder.credentials SET sealed = $2, pair_version = 1, version = version + 1, changed_at = clock_timestamp() WHERE id = $1 RETURNING id, version)
       SELECT pg_notify($3, json_build_object('id', w.id, 'v', w.version)::text) FROM w`,
      [meta.id, first, channel]
    )
    await within(1_000, 'the refusal on B', () => refusals.length > 0)
    expect(refusals).toEqual([expect.objectContaining({ id: meta.id, reason: 'rolled_back', version: 3 })])
    expect(refusals[0]?.message).toContain(`older version of ${meta.name}`)
    expect(await bo.vault.secrets(meta.id)).toEqual(newer)
    expect(changes).toEqual([])
    // Read again (the periodic read): said once, and still not taken in.
    await bo.vault.syncNow()
    expect(refusals).toHaveLength(1)
    expect((await bo.vault.secrets(meta.id, ['refreshToken'])).refreshToken).toBe(newer.refreshToken)
    // A change on top of the rolled-back row is refused too, rather than written over it.
    await expect(bo.vault.patch(meta.id, { name: 'Over the old pair' })).rejects.toThrow(/older version/)
  })

  it('keeps B’s own newer pair when a row arrives holding a refresh token B already spent, and says so', async () => {
    team = await makeTeam(running(), ['Ana', 'Bo'])
    const [ana, bo] = team.members
    if (!ana || !bo) throw new Error('members missing')
    const { meta, secrets } = libraryFor('Spent Here')
    await ana.vault.add(meta, secrets)
    await within(1_000, 'the add on B', () => bo.vault.get(meta.id) !== undefined)
    // B's own vault rotated the pair (as a refresh under a lease will): the row's refresh token is spent here.
    const bosLocal = (bo.vault as unknown as { readonly local: Vault }).local
    const pair = { accessToken: `access-token-b-${randomUUID()}`, refreshToken: `refresh-token-b-${randomUUID()}`, issuedAt: Date.now(), expiresAt: Date.now() + 86_400_000, scopes: ['library'] }
    await bosLocal.commitRotation(meta.id, { sentRefreshToken: secrets.refreshToken, pair })
    const refusals: TeamRowRefusal[] = []
    bo.vault.on('refused', (refusal) => refusals.push(refusal))
    await ana.vault.patch(meta.id, { name: 'Spent Here Renamed' })
    await within(1_000, 'the refusal on B', () => refusals.length > 0)
    expect(refusals[0]).toMatchObject({ id: meta.id, reason: 'holds_newer' })
    expect(refusals[0]?.message).toContain('newer token pair')
    expect(await bo.vault.secrets(meta.id, ['accessToken', 'refreshToken'])).toEqual({ accessToken: pair.accessToken, refreshToken: pair.refreshToken })
    expect(bo.vault.get(meta.id)?.name).toBe(meta.name)
  })

  it('shares the records a member’s vault held before it was in the team: libraries, then their entries', async () => {
    team = await makeTeam(running(), ['Ana', 'Bo'])
    const [ana, bo] = team.members
    if (!ana || !bo) throw new Error('members missing')
    const { meta, secrets } = libraryFor('Held Before')
    const entry = entryFor(meta.id, 'Held Before')
    const anasLocal = (ana.vault as unknown as { readonly local: Vault }).local
    await anasLocal.add(meta, secrets)
    await anasLocal.addEntries([entry])
    expect(await ana.vault.shareLocal()).toEqual({ shared: [meta.id, entry.id], localOnly: [] })
    await within(1_000, 'both on B', () => bo.vault.get(meta.id) !== undefined && bo.vault.entry(entry.id) !== undefined)
    expect(await bo.vault.secrets(meta.id)).toEqual(secrets)
    // Shared once: asked again, nothing more goes.
    expect(await ana.vault.shareLocal()).toEqual({ shared: [], localOnly: [] })
  })

  it('a verdict on a pair the row no longer holds leaves the row alone: one member cannot mark the team’s newer pair dead', async () => {
    team = await makeTeam(running(), ['Ana', 'Bo'])
    const [ana, bo] = team.members
    if (!ana || !bo) throw new Error('members missing')
    const { meta, secrets } = libraryFor('Verdict Bistro')
    await ana.vault.add(meta, secrets)
    await within(1_000, 'the add on B', () => bo.vault.get(meta.id) !== undefined)
    // Bo's machine holds another pair than the row (as a member that sent a stale token would): its verdict judged that one.
    const bosLocal = (bo.vault as unknown as { readonly local: Vault }).local
    await bosLocal.reauthorize(meta.id, { accessToken: `stale-access-${randomUUID()}`, refreshToken: `stale-refresh-${randomUUID()}`, issuedAt: Date.now(), expiresAt: Date.now() + 86_400_000, scopes: ['library'] })
    await bo.vault.patch(meta.id, { tokenState: 'needs_reauth', lastError: { kind: 'invalid_grant', message: 'Verdict Bistro needs re-authorization: its refresh token was refused.', at: Date.now() } })
    // The row, and so Ana, still hold a live pair.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(ana.vault.get(meta.id)).toMatchObject({ tokenState: 'active', lastError: null })
    expect(await ana.vault.secrets(meta.id)).toEqual(secrets)
    // A verdict on the pair the row holds is written, and reaches Bo.
    await ana.vault.patch(meta.id, { tokenState: 'needs_reauth', lastError: { kind: 'invalid_grant', message: 'Verdict Bistro needs re-authorization: its refresh token was refused.', at: Date.now() } })
    await within(1_000, 'the verdict on B', () => bo.vault.get(meta.id)?.tokenState === 'needs_reauth')
  })

  it('refuses a rotation made without the lease (nothing kept) and a restore into the team, by name', async () => {
    team = await makeTeam(running(), ['Ana'])
    const [ana] = team.members
    if (!ana) throw new Error('member missing')
    const { meta, secrets } = libraryFor('Not Yet')
    await ana.vault.add(meta, secrets)
    const pair = { accessToken: 'a', refreshToken: 'r', issuedAt: 1, expiresAt: 2, scopes: [] }
    await expect(ana.vault.commitRotation(meta.id, { sentRefreshToken: secrets.refreshToken, pair })).rejects.toThrow('only under its lease')
    await expect(ana.vault.restoreLibrary(meta, secrets, { replace: true })).rejects.toThrow(/team vault/)
    expect(await ana.vault.secrets(meta.id)).toEqual(secrets)
  })

  it('stores nothing readable: no name, customer, URL, client ID, secret or token in any column of any table', async () => {
    team = await makeTeam(running(), ['Ana', 'Bo'])
    const [ana, bo] = team.members
    if (!ana || !bo) throw new Error('members missing')
    const { meta, secrets } = libraryFor('Secret Kitchen')
    const entry = entryFor(meta.id, 'Secret Kitchen')
    await ana.vault.add(meta, secrets)
    await ana.vault.addEntries([entry])
    await within(1_000, 'the add on B', () => bo.vault.entry(entry.id) !== undefined)
    await bo.vault.replaceCredentials(meta.id, { clientId: `${meta.clientId}-new`, clientSecret: `${secrets.clientSecret}-new` })
    await within(1_000, 'the new client on A', () => ana.vault.get(meta.id)?.clientId === `${meta.clientId}-new`)
    expect((await ana.vault.secrets(meta.id, ['clientSecret'])).clientSecret).toBe(`${secrets.clientSecret}-new`)

    const tables = await team.db.pool.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'larder'")
    expect(tables.rows.map((row) => row.table_name)).toContain('credentials')
    const texts: string[] = []
    const raws: Buffer[] = []
    for (const { table_name: table } of tables.rows) {
      // Every column as text (what the server would print), and every bytea also as its raw bytes.
      const { rows } = await team.db.pool.query<Record<string, unknown>>(`SELECT * FROM larder.${table}`)
      const asText = await team.db.pool.query<{ row: string }>(`SELECT t::text AS row FROM larder.${table} t`)
      texts.push(...asText.rows.map((row) => row.row))
      for (const row of rows) for (const value of Object.values(row)) if (Buffer.isBuffer(value)) raws.push(value)
    }
    expect(raws.length).toBeGreaterThan(0)
    const never = { name: meta.name, customer: meta.customer ?? '', url: meta.apiBaseUrl, clientId: meta.clientId, apicbaseLibraryId: meta.apicbaseLibraryId ?? '', entryName: entry.name, entryLibrary: entry.apicbaseLibraryId, ...secrets }
    for (const [what, value] of Object.entries(never)) {
      expect(value).not.toBe('')
      expect(texts.some((text) => text.includes(value)), `${what} in a table as text`).toBe(false)
      expect(raws.some((raw) => raw.includes(Buffer.from(value, 'utf8'))), `${what} in a bytea column`).toBe(false)
    }
  })
})

describe.skipIf(binaries.bin === null)('a team member started with the server stopped', { timeout: 60_000 }, () => {
  const stoppable = pgServerForSuite(binaries)

  it('lists everything from its local cache, copies from it, and refuses a change naming offline', async () => {
    team = await makeTeam(stoppable(), ['Ana', 'Bo'])
    const [ana, bo] = team.members
    if (!ana || !bo) throw new Error('members missing')
    const first = libraryFor('Offline One')
    const second = libraryFor('Offline Two')
    const entry = entryFor(first.meta.id, 'Offline One')
    await ana.vault.add(first.meta, first.secrets)
    await ana.vault.add(second.meta, second.secrets)
    await ana.vault.addEntries([entry])
    await within(1_000, 'the adds on B', () => bo.vault.list().length === 2 && bo.vault.entries().length === 1)
    await bo.vault.close()
    await stoppable().stop()

    const reopened = await team.open(bo)
    expect(reopened.teamState()).toMatchObject({ state: 'offline' })
    expect(reopened.list().map((meta) => meta.id).sort()).toEqual([first.meta.id, second.meta.id].sort())
    expect(reopened.entries().map((held) => held.id)).toEqual([entry.id])
    expect(await reopened.secrets(second.meta.id)).toEqual(second.secrets)
    const refused = reopened.patch(first.meta.id, { name: 'Renamed offline' })
    await expect(refused).rejects.toBeInstanceOf(TeamOfflineError)
    await expect(refused).rejects.toThrow(`${first.meta.name} was not changed: this machine is offline from the team`)
    await expect(reopened.remove(second.meta.id)).rejects.toBeInstanceOf(TeamOfflineError)
    await expect(reopened.add(libraryFor('Offline Three').meta, libraryFor('Offline Three').secrets)).rejects.toBeInstanceOf(TeamOfflineError)
    expect(reopened.get(first.meta.id)?.name).toBe(first.meta.name)
    expect(reopened.list()).toHaveLength(2)
    // A copy's time is this member's own: kept locally, offline too.
    await reopened.patch(first.meta.id, { lastUsedAt: 1_800_000_000_000 })
    expect(reopened.get(first.meta.id)?.lastUsedAt).toBe(1_800_000_000_000)
  })
})
