// Going back to a local vault (issue 16), through whole apps on one real PostgreSQL and the sandbox: a member leaves
// (its copies deleted there, the team goes on with its tokens valid), the last member cannot leave, and one member
// takes the team's credentials home (every pair in its local vault, the newest one; the others drop their copies,
// are told why, and send nothing more; its vault then refreshes them as a local vault does).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { describe, expect, it, vi } from 'vitest'
import { rowIndexPath } from '../../../src/main/core/team/row-index.ts'
import { teamChannel } from '../../../src/main/core/team/row-writes.ts'
import { markTakingHome } from '../../../src/main/core/team/team-exit.ts'
import { readTeamFile, teamFilePath } from '../../../src/main/core/team/team-settings.ts'
import type { LarderHarness } from '../../support/larder-harness.ts'
import { findPgBinaries, pgServerForSuite, type PgServer } from '../../support/postgres-server.ts'
import { addLibrary, makeTeamOfApps, ok, teamAppsPerTest, type TeamApps } from './team-apps.ts'

const binaries = findPgBinaries()
let running: () => PgServer
let apps: TeamApps

/** Ana makes a team holding `names` (libraries at her sandbox); each other machine asks, is approved, comes online and holds them. */
async function team(count: number, names: readonly string[]): Promise<{ machines: LarderHarness[] }> {
  const machines: LarderHarness[] = []
  for (let i = 0; i < count; i++) machines.push(await apps.machine())
  const [ana, ...others] = machines as [LarderHarness, ...LarderHarness[]]
  for (const name of names) await addLibrary(ana, name)
  await makeTeamOfApps(apps.url(), { h: ana, name: 'Ana' }, others.map((h, index) => ({ h, name: `Member ${index + 2}` })))
  for (const h of others) {
    await vi.waitFor(async () => expect(ok(await h.handlers['libraries.list']({})).map((row) => row.name).sort()).toEqual([...names].sort()), { timeout: 10_000, interval: 100 })
  }
  return { machines }
}

/** The vault opened again as a local one: a core other than `was` (the team vault's), its team file and index gone. */
async function localAgain(h: LarderHarness, was: unknown): Promise<void> {
  await vi.waitFor(async () => {
    await h.advance(10)
    expect(ok(await h.handlers['team.state']({}))).toMatchObject({ membership: 'none' })
    expect(h.app.core()).not.toBeNull()
    expect(h.app.core()).not.toBe(was)
  }, { timeout: 10_000, interval: 50 })
  expect(fs.existsSync(teamFilePath(h.vaultPath))).toBe(false)
  expect(fs.existsSync(rowIndexPath(h.vaultPath))).toBe(false)
}

async function sql<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: apps.url() })
  await client.connect()
  try {
    return (await client.query<T>(text)).rows
  } finally {
    await client.end()
  }
}

describe.skipIf(binaries.bin === null)('going back to a local vault', { timeout: 120_000 }, () => {
  running = pgServerForSuite(binaries)
  apps = teamAppsPerTest(running, 'exit')

  it('a member leaves: its copies are deleted there and its vault is local; the team goes on with the same, still valid tokens', async () => {
    const { machines } = await team(2, ['Leaving Kitchen'])
    const [ana, bo] = machines as [LarderHarness, LarderHarness]
    const id = ok(await bo.handlers['libraries.list']({}))[0]?.id ?? ''
    const before = await ana.app.core()?.vault.secrets(id, ['accessToken', 'refreshToken'])
    // Bo's copy reaches the team's trail before he leaves.
    ok(await bo.handlers['libraries.copy']({ id, format: 'env' }))
    await vi.waitFor(async () => {
      const page = ok(await ana.handlers['audit.page']({ limit: 20 }))
      expect(page.entries.some((e) => e.member?.name === 'Member 2' && e.action === 'copied')).toBe(true)
    }, { timeout: 10_000, interval: 200 })

    const boWas = bo.app.core()
    expect(ok(await bo.handlers['team.leave']({}))).toMatchObject({ membership: 'none' })
    await localAgain(bo, boWas)
    expect(ok(await bo.handlers['libraries.list']({}))).toEqual([])

    // Ana's team has one member now; her tokens were not refreshed and still work at the API.
    await vi.waitFor(async () => expect(ok(await ana.handlers['team.state']({})).members.map((m) => m.name)).toEqual(['Ana']), { timeout: 5_000, interval: 100 })
    expect(await ana.app.core()?.vault.secrets(id, ['accessToken', 'refreshToken'])).toEqual(before)
    // What Bo signed while in the team still verifies, under his name.
    const trail = ok(await ana.handlers['audit.page']({ limit: 20 }))
    expect(trail.entries.filter((e) => e.action === 'copied').map((e) => e.member)).toEqual([expect.objectContaining({ name: 'Member 2', verified: true })])
    const probe = await fetch(`${ana.sandbox.url}/api/v2/library/recipes/`, { headers: { authorization: `Bearer ${before?.accessToken ?? ''}` } })
    expect(probe.status).toBe(200)
    // The database keeps Bo as removed, without a key of the team.
    const wraps = await sql<{ n: string }>(`SELECT count(*) AS n FROM larder.key_wraps w JOIN larder.members m ON m.id = w.member_id WHERE m.removed_at IS NOT NULL`)
    expect(Number(wraps[0]?.n)).toBe(0)

    // The last member cannot leave: the credentials would be lost. Nothing changes.
    const refused = await ana.handlers['team.leave']({})
    expect(refused).toMatchObject({ ok: false, error: { kind: 'invalid_input' } })
    expect(JSON.stringify(refused)).toContain('last member')
    expect(ok(await ana.handlers['team.state']({}))).toMatchObject({ membership: 'member' })
    expect(ok(await ana.handlers['libraries.list']({})).map((row) => row.id)).toEqual([id])
  })

  it('takes the credentials home: the newest pairs in this vault, the others drop their copies and are told, and the vault refreshes them locally', async () => {
    const { machines } = await team(3, ['Home Kitchen', 'Home Bakery'])
    const [ana, bo, cy] = machines as [LarderHarness, LarderHarness, LarderHarness]
    const rows = ok(await bo.handlers['libraries.list']({}))
    const kitchen = rows.find((row) => row.name === 'Home Kitchen')?.id ?? ''
    // Bo refreshes one first: the pair Ana takes home must be that newest one.
    ok(await bo.handlers['libraries.refresh']({ id: kitchen }))
    const newest = await bo.app.core()?.vault.secrets(kitchen, ['refreshToken'])
    await vi.waitFor(async () => expect(await ana.app.core()?.vault.secrets(kitchen, ['refreshToken'])).toEqual(newest), { timeout: 5_000, interval: 50 })
    const hitsBefore = ana.sandbox.counters.hits.length

    const anaWas = ana.app.core()
    expect(ok(await ana.handlers['team.takeHome']({}))).toMatchObject({ membership: 'none' })
    await localAgain(ana, anaWas)
    expect(ok(await ana.handlers['libraries.list']({})).map((row) => row.name).sort()).toEqual(['Home Bakery', 'Home Kitchen'])
    expect(await ana.app.core()?.vault.secrets(kitchen, ['refreshToken'])).toEqual(newest)
    // Taking home sends nothing to Apicbase.
    expect(ana.sandbox.counters.hits.length).toBe(hitsBefore)

    // Bo and Cy drop their copies and say why; they refresh nothing more.
    for (const h of [bo, cy]) {
      await vi.waitFor(async () => {
        await h.advance(10)
        const view = ok(await h.handlers['team.state']({}))
        expect(view).toMatchObject({ membership: 'out', out: { why: expect.stringContaining('Ana took the team') } })
        expect(ok(await h.handlers['libraries.list']({}))).toEqual([])
      }, { timeout: 10_000, interval: 100 })
      const refused = await h.handlers['libraries.refresh']({ id: kitchen })
      expect(refused.ok).toBe(false)
    }
    // The database holds no live row, and says who ended the team.
    expect(await sql(`SELECT id FROM larder.credentials WHERE NOT deleted`)).toEqual([])
    expect((await sql<{ ended: boolean }>(`SELECT ended_at IS NOT NULL AS ended FROM larder.team`))[0]?.ended).toBe(true)

    // Ana's local vault refreshes the pair it took home (the newest: no invalid_grant).
    const refreshed = await ana.handlers['libraries.refresh']({ id: kitchen })
    expect(refreshed.ok).toBe(true)
    expect(await ana.app.core()?.vault.secrets(kitchen, ['refreshToken'])).not.toEqual(newest)

    // Bo makes his vault local: nothing of the team is left there.
    const boWas = bo.app.core()
    expect(ok(await bo.handlers['team.leave']({}))).toMatchObject({ membership: 'none' })
    await localAgain(bo, boWas)
    expect(ok(await bo.handlers['libraries.list']({}))).toEqual([])
    // Taking home again from an out machine is refused, naming why.
    const again = await cy.handlers['team.takeHome']({})
    expect(again).toMatchObject({ ok: false, error: { kind: 'invalid_input' } })
  })

  it('a restart between the rows marked moved and the team file gone keeps every copy: told it took them home, then local with all of them', async () => {
    const { machines } = await team(2, ['Crash Kitchen', 'Crash Bakery'])
    const [ana, bo] = machines as [LarderHarness, LarderHarness]
    const anaTeam = readTeamFile(teamFilePath(ana.vaultPath))
    const anaId = anaTeam?.memberId ?? ''
    // Ana's files as a quit left them: the take-home marked in her team file, the database's rows already tombstones.
    await ana.app.core()?.vault.flush()
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-exit-crash-'))
    for (const name of fs.readdirSync(ana.dir)) if (name.startsWith('vault.json')) fs.copyFileSync(path.join(ana.dir, name), path.join(copy, name))
    await ana.close()
    apps.forget(ana)
    markTakingHome(path.join(copy, 'vault.json'), Date.now())
    await sql(`UPDATE larder.credentials SET deleted = true, sealed = '\\x'::bytea, version = version + 1, changed_at = clock_timestamp() WHERE NOT deleted`)
    await sql(`UPDATE larder.team SET ended_at = clock_timestamp(), ended_by = '${anaId}'`)

    const again = await apps.machine({ copyFrom: copy })
    fs.rmSync(copy, { recursive: true, force: true })
    await vi.waitFor(async () => {
      await again.advance(10)
      expect(ok(await again.handlers['team.state']({}))).toMatchObject({ membership: 'out', out: { why: expect.stringContaining('This machine took the team') } })
    }, { timeout: 20_000, interval: 100 })
    expect(ok(await again.handlers['libraries.list']({})).map((row) => row.name).sort()).toEqual(['Crash Bakery', 'Crash Kitchen'])
    const againWas = again.app.core()
    expect(ok(await again.handlers['team.leave']({}))).toMatchObject({ membership: 'none' })
    await localAgain(again, againWas)
    expect(ok(await again.handlers['libraries.list']({})).map((row) => row.name).sort()).toEqual(['Crash Bakery', 'Crash Kitchen'])
    // Bo, told as the take-home's transaction tells every member, drops his.
    await sql(`SELECT pg_notify('${teamChannel(anaTeam?.teamId ?? '')}', '${JSON.stringify({ rekey: anaTeam?.currentEpoch })}')`)
    await vi.waitFor(async () => {
      await bo.advance(10)
      expect(ok(await bo.handlers['libraries.list']({}))).toEqual([])
      expect(ok(await bo.handlers['team.state']({}))).toMatchObject({ membership: 'out' })
    }, { timeout: 10_000, interval: 100 })
  })

  it('waits for a refresh in flight elsewhere, and refuses naming it when it does not end (nothing changed)', async () => {
    const { machines } = await team(2, ['Busy Kitchen'])
    const [ana, bo] = machines as [LarderHarness, LarderHarness]
    const id = ok(await bo.handlers['libraries.list']({}))[0]?.id ?? ''
    const memberId = (await sql<{ id: string }>(`SELECT id FROM larder.members WHERE removed_at IS NULL ORDER BY joined_at DESC LIMIT 1`))[0]?.id
    // Bo's Larder sent the refresh token and has not written the answer (a mark a crashed member leaves behind).
    await sql(`UPDATE larder.credentials SET awaiting_by = '${memberId}', awaiting_fence = lease_fence, awaiting_since = clock_timestamp() WHERE id = '${id}'`)
    const started = Date.now()
    const refused = await ana.handlers['team.takeHome']({})
    expect(Date.now() - started).toBeGreaterThanOrEqual(40_000)
    expect(refused).toMatchObject({ ok: false, error: { kind: 'invalid_input' } })
    expect(JSON.stringify(refused)).toContain('Busy Kitchen (Member 2)')
    expect(await sql(`SELECT id FROM larder.credentials WHERE NOT deleted`)).toHaveLength(1)
    expect(ok(await ana.handlers['team.state']({}))).toMatchObject({ membership: 'member', link: { state: 'online' } })
    expect(fs.existsSync(teamFilePath(ana.vaultPath))).toBe(true)
    // Refreshes go on after the refusal (the mark cleared as Bo's Larder would on its return).
    await sql(`UPDATE larder.credentials SET awaiting_by = NULL, awaiting_fence = NULL, awaiting_since = NULL`)
    expect((await ana.handlers['libraries.refresh']({ id })).ok).toBe(true)
    await vi.waitFor(async () => expect(await bo.app.core()?.vault.secrets(id, ['refreshToken'])).toEqual(await ana.app.core()?.vault.secrets(id, ['refreshToken'])), { timeout: 5_000, interval: 50 })
  }, 120_000)
})
