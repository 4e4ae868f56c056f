// The team's audit trail in the audit view (issue 16 item 5), two whole apps on one real PostgreSQL, every step through
// the app's own calls: copies made on each machine (the window's call, and `larder token`) appear in both members'
// audit pages with who made them and how; the member filter; a copy made while one machine is cut off from the
// database is in its own page (said to be offline) and reaches the team's once, after it is back; an entry the
// database changed reads as unverified; the team's audit table holds no secret and no library name in clear.
import pg from 'pg'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { terminalCalls, type CallResults } from '../../../src/shared/contract.ts'
import type { ClientFacts } from '../../../src/shared/terminal-words.ts'
import type { LarderHarness } from '../../support/larder-harness.ts'
import { findPgBinaries, pgServerForSuite, type PgServer } from '../../support/postgres-server.ts'
import { startTcpCut, type TcpCut } from '../../support/tcp-cut.ts'
import { addLibrary, makeTeamOfApps, ok, online, teamAppsPerTest, type TeamApps } from './team-apps.ts'

const binaries = findPgBinaries()
let running: () => PgServer
let apps: TeamApps
const cuts: TcpCut[] = []
const FACTS: ClientFacts = { pid: 4242, ppid: 4100, session: 'linux:sid=4100;tty=34816;start=123', tty: 'pts/3', cwd: '/home/bo', command: 'token' }

/** A whole Larder that lets `larder` in without asking. */
async function machine(): Promise<LarderHarness> {
  const h = await apps.machine()
  h.app.events.on('terminal.requested', (request) => h.app.terminal.access.approve(request.requestId))
  return h
}

type Page = CallResults['audit.page']
const page = async (h: LarderHarness, query: { memberId?: string } = {}): Promise<Page> => ok(await h.handlers['audit.page']({ limit: 100, ...query }))
const rows = (p: Page) => p.entries.filter((e) => e.action === 'copied' || e.action === 'handed_out').map((e) => [e.member?.name ?? null, e.action, e.libraryName, e.member?.verified ?? null])

/** Ana makes the team, Bo (through a proxy that can cut him off) joins, and Ana's library reaches Bo. */
async function team(): Promise<{ ana: LarderHarness; bo: LarderHarness; boCut: TcpCut; libraryId: string; secrets: string[] }> {
  const ana = await machine()
  const bo = await machine()
  const server = new URL(apps.url())
  const boCut = await startTcpCut({ host: server.hostname, port: Number(server.port) })
  cuts.push(boCut)
  const boUrl = new URL(apps.url())
  boUrl.port = String(boCut.port)
  await makeTeamOfApps(apps.url(), { h: ana, name: 'Ana, office' }, [{ h: bo, name: 'Bo at home', url: boUrl.toString() }])
  const { held: c, view: added } = await addLibrary(ana, 'Bistro Noord')
  await vi.waitFor(async () => expect(ok(await bo.handlers['libraries.list']({})).map((row) => row.id)).toContain(added.id), { timeout: 10_000, interval: 100 })
  return { ana, bo, boCut, libraryId: added.id, secrets: [c.clientSecret, c.accessToken, c.refreshToken] }
}

/** The suite's superuser on the team database: what someone holding the server can do. */
async function withDirect<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: apps.url() })
  await client.connect()
  try {
    return await use(client)
  } finally {
    await client.end()
  }
}

const memberId = async (h: LarderHarness, name: string): Promise<string> => {
  const found = ok(await h.handlers['team.state']({})).members.find((m) => m.name === name)
  if (found === undefined) throw new Error(`no member ${name}`)
  return found.id
}

describe.skipIf(binaries.bin === null)('the team audit in the audit view', { timeout: 240_000 }, () => {
  running = pgServerForSuite(binaries)
  // Registered before the apps' own, so it runs after they closed (vitest runs after-hooks last-registered first).
  afterEach(async () => {
    for (const cut of cuts.splice(0)) await cut.close()
  })
  apps = teamAppsPerTest(running, 'auditview')

  it("shows each member's copies in both members' pages, with who and how; the member filter; no secret in the table", async () => {
    const { ana, bo, libraryId, secrets } = await team()
    ok(await ana.handlers['libraries.copy']({ id: libraryId, format: 'header' }))
    // Reading a page pushes this machine's newest entries first: Ana's copy is in the team's trail before Bo's.
    await page(ana)
    ok(await bo.handlers['libraries.copy']({ id: libraryId, format: 'token', from: 'tray' }))
    const handed = await bo.app.terminal.handlers.token({ library: 'Bistro Noord', format: 'raw' }, FACTS, () => undefined)
    expect(handed.ok).toBe(true)
    if (handed.ok) terminalCalls.token.output.parse(handed.value)

    for (const h of [ana, bo]) {
      await vi.waitFor(async () => {
        const p = await page(h)
        expect(p.teamTrail).toBe('online')
        expect(rows(p)).toEqual([
          ['Bo at home', 'handed_out', 'Bistro Noord', true],
          ['Bo at home', 'copied', 'Bistro Noord', true],
          ['Ana, office', 'copied', 'Bistro Noord', true]
        ])
      }, { timeout: 10_000, interval: 200 })
    }
    const p = await page(ana)
    expect(p.entries.find((e) => e.action === 'handed_out')?.detail).toMatch(/^larder token --format raw; session /)
    // Where each copy was asked for: Bo's from the tray, Ana's in the window.
    expect(p.entries.find((e) => e.action === 'copied' && e.member?.name === 'Bo at home')?.detail).toBe('format: token, from the tray')
    expect(p.entries.find((e) => e.action === 'copied' && e.member?.name === 'Ana, office')?.detail).toBe('format: header, from the window')
    // The whole app checks its answers against the contract: every entry says who wrote it.
    expect(p.entries.every((e) => e.member !== undefined)).toBe(true)

    const boId = await memberId(ana, 'Bo at home')
    const onlyBo = await page(ana, { memberId: boId })
    expect(onlyBo.entries.length).toBeGreaterThan(0)
    expect(onlyBo.entries.every((e) => e.member?.id === boId)).toBe(true)
    expect(rows(onlyBo)).toEqual([
      ['Bo at home', 'handed_out', 'Bistro Noord', true],
      ['Bo at home', 'copied', 'Bistro Noord', true]
    ])
    // A library's history (the detail pane) is the team's too.
    const history = ok(await bo.handlers['audit.page']({ limit: 100, libraryId }))
    expect(history.entries.some((e) => e.member?.name === 'Ana, office' && e.action === 'copied')).toBe(true)

    // Nothing of a token, a client secret or a library's name in clear anywhere in the team's audit table.
    const stored = await withDirect((client) => client.query('SELECT * FROM larder.audit').then((result) => result.rows))
    expect(stored.length).toBeGreaterThanOrEqual(3)
    const dump = JSON.stringify(stored, (_key, value: unknown) => (value !== null && typeof value === 'object' && (value as { type?: string }).type === 'Buffer' ? Buffer.from((value as { data: number[] }).data).toString('latin1') : value))
    for (const secret of [...secrets, 'Bistro Noord', 'larder token', 'format: token', 'from the tray']) expect(dump).not.toContain(secret)
  })

  it('an entry made offline is in its own page (said offline) and reaches the team once after reconnecting', async () => {
    const { ana, bo, boCut, libraryId } = await team()
    const boId = await memberId(bo, 'Bo at home')
    const anaId = await memberId(bo, 'Ana, office')
    boCut.cut()
    await vi.waitFor(async () => {
      await bo.advance(1_000)
      expect(ok(await bo.handlers['team.state']({})).link.state).toBe('offline')
    }, { timeout: 30_000, interval: 200 })

    ok(await bo.handlers['libraries.copy']({ id: libraryId, format: 'env' }))
    const offline = await page(bo)
    expect(offline.teamTrail).toBe('offline')
    expect(offline.entries.some((e) => e.action === 'copied' && e.detail === 'format: env, from the window')).toBe(true)
    // Offline, the filter on this machine's member answers from its own trail; another member's entries are not here.
    expect((await page(bo, { memberId: boId })).entries.some((e) => e.detail === 'format: env, from the window')).toBe(true)
    expect(await page(bo, { memberId: anaId })).toEqual({ entries: [], nextBefore: null, teamTrail: 'offline' })
    expect((await page(ana)).entries.some((e) => e.detail === 'format: env, from the window')).toBe(false)

    boCut.heal()
    await online(bo)
    await vi.waitFor(async () => {
      const seen = (await page(ana)).entries.filter((e) => e.detail === 'format: env, from the window')
      expect(seen.map((e) => [e.member?.name, e.member?.verified])).toEqual([['Bo at home', true]])
    }, { timeout: 15_000, interval: 200 })
    // Pushing again (a reconnect, another entry) stores nothing twice.
    ok(await bo.handlers['libraries.copy']({ id: libraryId, format: 'curl' }))
    await vi.waitFor(async () => expect((await page(bo)).entries.some((e) => e.detail === 'format: curl, from the window')).toBe(true), { timeout: 10_000, interval: 200 })
    expect((await page(ana)).entries.filter((e) => e.detail === 'format: env, from the window')).toHaveLength(1)
  })

  it('an entry the database changed, or one it made up, reads as unverified', async () => {
    const { ana, bo, libraryId } = await team()
    ok(await bo.handlers['libraries.copy']({ id: libraryId, format: 'token' }))
    await vi.waitFor(async () => expect(rows(await page(ana))).toContainEqual(['Bo at home', 'copied', 'Bistro Noord', true]), { timeout: 10_000, interval: 200 })

    // Someone with the database turns Bo's copy into a failure: its words are sealed, but the outcome is clear text.
    const boId = await memberId(ana, 'Bo at home')
    const changed = await withDirect((client) => client.query(`UPDATE larder.audit SET outcome = 'error' WHERE action = 'copied' AND member_id = $1`, [boId]))
    expect(changed.rowCount).toBe(1)
    const p = await page(ana)
    const copy = p.entries.find((e) => e.action === 'copied' && e.member?.name === 'Bo at home')
    expect(copy).toMatchObject({ outcome: 'error', member: { name: 'Bo at home', verified: false } })
    // The other entries still check.
    expect(p.entries.filter((e) => e !== copy).every((e) => e.member?.verified === true)).toBe(true)
  })
})
