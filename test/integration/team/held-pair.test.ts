// A pair durable on the refresher but not in its row (its row write failed: the member was cut off just as the answer
// came) reaches the row, and every other member, within 2 s of the refresher being back online, and within 2 s when
// only the session that wrote failed (the member never went offline). Real PostgreSQL, the real sandbox, the member
// behind a TCP proxy of its own.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { RefreshResponse } from '../../../src/main/core/engine/ports.ts'
import type { RefreshEngine } from '../../../src/main/core/engine/refresh-engine.ts'
import { findPgBinaries, pgServerForSuite, type PgServer } from '../../support/postgres-server.ts'
import { sandboxLibraryRecord } from '../../support/sandbox-records.ts'
import { sandboxForSuite, type SandboxSuite } from '../../support/sandbox-suite.ts'
import { startTcpCut, type TcpCut } from '../../support/tcp-cut.ts'
import { teamsPerTest, within, type Member } from './team-vault-support.ts'

const binaries = findPgBinaries()
let running: () => PgServer
let apicbase: SandboxSuite
const cuts: TcpCut[] = []

/** An engine whose answers pass through `onAnswer` first (the test cuts the member off there). */
function engineOf(member: Member, onAnswer: (answer: RefreshResponse) => Promise<void>): RefreshEngine {
  return apicbase.engine(member.vault, {
    refresh: async (...args) => {
      const answer = await apicbase.api.refresh(...args)
      await onAnswer(answer)
      return answer
    }
  })
}

describe.skipIf(binaries.bin === null)('a pair held by its refresher after a failed row write', { timeout: 60_000 }, () => {
  running = pgServerForSuite(binaries)
  apicbase = sandboxForSuite()
  // Registered before the team's, so it runs after the team closed (vitest runs after-hooks last-registered first).
  afterEach(async () => {
    for (const cut of cuts.splice(0)) await cut.close()
  })
  const newTeam = teamsPerTest(() => apicbase.stopEngines())

  /** Ana and Bo over one credential; Bo through a proxy of its own. */
  async function setUp(): Promise<{ ana: Member; bo: Member; id: string; cut: TcpCut }> {
    const server = running()
    const team = await newTeam(server, ['Ana', 'Bo'], { pollMs: 60_000, offlinePollMs: 500 })
    const [ana, bo] = team.members
    if (!ana || !bo) throw new Error('members missing')
    const library = apicbase.sandbox.addLibraryWithApplication({ name: 'Held Kitchen' })
    const { meta, secrets } = sandboxLibraryRecord(library, { id: randomUUID(), apiBaseUrl: apicbase.sandbox.url, issuedAt: Date.now() })
    await ana.vault.add(meta, secrets)
    const cut = await startTcpCut({ host: server.host, port: server.port })
    cuts.push(cut)
    await bo.vault.close()
    await team.open(bo, { url: team.url.replace(`:${server.port}/`, `:${cut.port}/`), sync: { pollMs: 60_000, offlinePollMs: 500 } })
    await within(2_000, 'Bo holds the credential', () => bo.vault.get(meta.id) !== undefined)
    return { ana, bo, id: meta.id, cut }
  }

  it('reaches Ana within 2 s of Bo being back online after a cut that came with the answer', async () => {
    const { ana, bo, id, cut } = await setUp()
    let answered = ''
    const engine = engineOf(bo, async (answer) => {
      // The answer comes; the database is out of reach for 1.5 s from this moment (the row write fails).
      answered = answer.refreshToken
      cut.cut()
      setTimeout(() => cut.heal(), 1_500)
    })
    await engine.refresh(id, 'manual').catch(() => undefined)
    expect(answered).not.toBe('')
    expect((await bo.vault.secrets(id, ['refreshToken'])).refreshToken).toBe(answered)
    await within(5_000, 'Bo offline', () => bo.vault.teamState().state === 'offline').catch(() => undefined)
    await within(10_000, 'Bo back online', () => bo.vault.teamState().state === 'online')
    const back = performance.now()
    await within(2_000, 'Ana holds the pair Bo got', async () => (await ana.vault.secrets(id, ['refreshToken'])).refreshToken === answered)
    expect(performance.now() - back).toBeLessThan(2_000)
  })

  it('reaches Ana within 2 s when only the session of the row write was ended (Bo never offline)', async () => {
    const { ana, bo, id } = await setUp()
    let answered = 0
    let token = ''
    const engine = engineOf(bo, async (answer) => {
      token = answer.refreshToken
      answered = performance.now()
      // Bo's pooled sessions ended just before the row write; its listening session is left alone.
      await running().query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = '${bo.listenName}' and query not ilike 'LISTEN%'`)
    })
    await engine.refresh(id, 'manual').catch(() => undefined)
    expect(token).not.toBe('')
    await within(2_500, 'Ana holds the pair Bo got', async () => (await ana.vault.secrets(id, ['refreshToken'])).refreshToken === token)
    expect(performance.now() - answered).toBeLessThan(2_500)
  })
})
