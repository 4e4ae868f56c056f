// The team store under the database's own faults (the team chaos run's faults 2 and 3, reproduced alone):
// - every session ended by the server (pg_terminate_backend, a fast shutdown: 57P01 "terminating connection due to
//   administrator command") while members are idle and while they are busy: no error from pg goes unheard (in the
//   app an unheard 'error' on a pg client is an uncaught exception that ends the main process);
// - a member cut off (a partition) while busy and then healed takes in another member's write within 2 s.
import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { teamConnectionOptions } from '../../../src/main/core/team/db/connection-config.ts'
import { connectTeamDb } from '../../../src/main/core/team/team-membership.ts'
import { withPooledClient } from '../../../src/main/core/team/db/transaction.ts'
import { databaseUrl, findPgBinaries, pgServerForSuite, type PgServer } from '../../support/postgres-server.ts'
import { startTcpCut, type TcpCut } from '../../support/tcp-cut.ts'
import { libraryFor, makeTeam, within, type Member, type Team } from './team-vault-support.ts'

const binaries = findPgBinaries()
let running: () => PgServer
let team: Team | null = null
const cuts: TcpCut[] = []
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** What reached the process unheard: uncaught exceptions and unhandled rejections, said without their stack. */
const unheard: string[] = []
const onUncaught = (error: Error): void => void unheard.push(`uncaught: ${error.message}`)
const onUnhandled = (reason: unknown): void => void unheard.push(`unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`)

beforeEach(() => {
  unheard.length = 0
  process.on('uncaughtException', onUncaught)
  process.on('unhandledRejection', onUnhandled)
})

afterEach(async () => {
  await team?.close()
  team = null
  for (const cut of cuts.splice(0)) await cut.close()
  process.off('uncaughtException', onUncaught)
  process.off('unhandledRejection', onUnhandled)
})

/** Every client session but psql's own ended by the server, as an administrator would (57P01). */
async function terminateAll(server: PgServer): Promise<number> {
  const [count] = await server.query(`select count(pg_terminate_backend(pid)) from pg_stat_activity where pid <> pg_backend_pid() and backend_type = 'client backend'`)
  return Number(count)
}

/** Work that keeps a member's pool busy: reads, a lease taken and given back, a rename through the row. */
async function busy(member: Member, ids: readonly string[], round: number): Promise<void> {
  const id = ids[round % ids.length] as string
  await Promise.allSettled([
    member.vault.syncNow(),
    member.vault.refreshTurn(id).then((turn) => (turn.kind === 'mine' ? turn.release() : undefined)),
    member.vault.patch(id, { name: `Faults ${member.name} ${round}` })
  ])
}

describe('the PostgreSQL for the team store’s faults', () => {
  it('is found, or the run says how to get it (and fails in CI)', () => {
    if (binaries.required) expect(binaries.bin, binaries.fix).not.toBeNull()
  })
})

describe.skipIf(binaries.bin === null)('the team store when the database ends its sessions or a member is cut off', { timeout: 60_000 }, () => {
  running = pgServerForSuite(binaries)

  it('hears a session the server ends just as it starts (its readiness and its end in one read): nothing uncaught', async () => {
    const server = running()
    const name = `faults_start_${process.pid}`
    await server.query(`CREATE DATABASE ${name}`)
    // A pool that keeps no idle client, so every transaction starts a session; a killer that ends each one it sees.
    const pool = new pg.Pool({ ...teamConnectionOptions({ url: databaseUrl(server, name) }, 'larder-starting'), max: 2, idleTimeoutMillis: 1, maxUses: 1 })
    pool.on('error', () => undefined)
    const killer = new pg.Client({ ...teamConnectionOptions({ url: databaseUrl(server, name) }, 'larder-killer') })
    killer.on('error', () => undefined)
    await killer.connect()
    let killing = true
    let ended = 0
    const kills = (async () => {
      while (killing) {
        const { rows } = await killer.query<{ n: string }>(`select count(pg_terminate_backend(pid)) as n from pg_stat_activity where application_name = 'larder-starting' or (backend_type = 'client backend' and application_name = '' and pid <> pg_backend_pid())`)
        ended += Number(rows[0]?.n ?? 0)
      }
    })()
    try {
      let done = 0
      const until = Date.now() + 6_000
      await Promise.all(
        [0, 1].map(async () => {
          while (Date.now() < until) {
            // A guarded client of its own, and the pool's own query (which listens inside its connect callback).
            const asked = done % 2 === 0 ? withPooledClient(pool, (client) => client.query('SELECT 1')) : pool.query('SELECT 1')
            await asked.then(() => (done += 1), () => undefined)
          }
        })
      )
      expect(ended).toBeGreaterThan(20)
      expect(done + ended).toBeGreaterThan(40)
    } finally {
      killing = false
      await kills.catch(() => undefined)
      await killer.end()
      await pool.end()
    }
    await sleep(100)
    expect(unheard).toEqual([])
  })

  it('hears every session the server ends (idle, busy, a fast shutdown): nothing uncaught, and the members take in writes afterwards', async () => {
    const server = running()
    team = await makeTeam(server, ['Ana', 'Bo', 'Cy'], { pollMs: 60_000, offlinePollMs: 500 })
    const [ana, bo, cy] = team.members
    if (!ana || !bo || !cy) throw new Error('members missing')
    const ids: string[] = []
    for (let n = 0; n < 4; n++) {
      const { meta, secrets } = libraryFor(`Faults ${n}`)
      await ana.vault.add(meta, secrets)
      ids.push(meta.id)
    }
    await within(2_000, 'every credential everywhere', () => [bo, cy].every((member) => ids.every((id) => member.vault.get(id) !== undefined)))
    // connectTeamDb's pool too (what the app's team actions use): one idle client, one checked out when it is ended.
    const place = { database: { url: team.url }, schema: 'larder' }
    const actions = await connectTeamDb(place, { applicationName: 'larder-actions', larderVersion: 'test' })
    try {
      let ended = 0
      for (let round = 0; round < 8; round++) {
        const members = [ana, bo, cy]
        await within(5_000, `every member online (round ${round})`, () => members.every((member) => member.vault.teamState().state === 'online'))
        await actions.pool.query('SELECT 1')
        const held = withPooledClient(actions.pool, async (client) => {
          await sleep(60)
          return client.query('SELECT 1').catch(() => null)
        })
        // Idle rounds end the sessions with nothing under way; busy ones in the middle of the work.
        const work = round % 2 === 0 ? Promise.resolve() : Promise.all(members.map((member) => busy(member, ids, round)))
        await sleep(round % 2 === 0 ? 0 : 5 + round * 3)
        ended += await terminateAll(server)
        await Promise.allSettled([work, held])
      }
      await server.restart()
      expect(ended).toBeGreaterThan(8 * 4)
      await within(10_000, 'every member online after the restart', () => [ana, bo, cy].every((member) => member.vault.teamState().state === 'online'))
      await actions.pool.query('SELECT 1').catch(() => actions.pool.query('SELECT 1'))
      const id = ids[0] as string
      await ana.vault.patch(id, { name: 'Faults after the restart' })
      const took = await within(2_000, 'the rename on Bo and Cy', () => [bo, cy].every((member) => member.vault.get(id)?.name === 'Faults after the restart'))
      expect(took).toBeLessThan(2_000)
    } finally {
      await actions.close()
    }
    await sleep(200)
    expect(unheard).toEqual([])
  })

  it('a member cut off while busy takes in another member’s write within 2 s once healed, notified or not', async () => {
    const server = running()
    team = await makeTeam(server, ['Ana', 'Bo'], { pollMs: 60_000, offlinePollMs: 500 })
    const [ana, bo] = team.members
    if (!ana || !bo) throw new Error('members missing')
    const ids: string[] = []
    for (let n = 0; n < 4; n++) {
      const { meta, secrets } = libraryFor(`Cut ${n}`)
      await ana.vault.add(meta, secrets)
      ids.push(meta.id)
    }
    // Bo through a proxy of its own, so the cut is Bo's alone.
    const cut = await startTcpCut({ host: server.host, port: server.port })
    cuts.push(cut)
    await bo.vault.close()
    await team.open(bo, { url: team.url.replace(`:${server.port}/`, `:${cut.port}/`), sync: { pollMs: 60_000, offlinePollMs: 500 } })
    await within(2_000, 'Bo holds every credential', () => ids.every((id) => bo.vault.get(id) !== undefined))
    for (let round = 0; round < 6; round++) {
      await within(5_000, `Bo online (round ${round})`, () => bo.vault.teamState().state === 'online')
      const work = Promise.all([busy(bo, ids, round), busy(ana, ids, round + 1)])
      await sleep(3 + round * 7)
      cut.cut()
      // Ana writes while Bo is away (a notification Bo cannot hear), and again once Bo is back.
      await sleep(300)
      await ana.vault.patch(ids[round % ids.length] as string, { name: `Away ${round}` })
      await sleep(700)
      cut.heal()
      await within(5_000, `Bo online again (round ${round})`, () => bo.vault.teamState().state === 'online')
      const back = performance.now()
      await within(2_000, `the write made while Bo was away (round ${round})`, () => bo.vault.get(ids[round % ids.length] as string)?.name === `Away ${round}`)
      expect(performance.now() - back).toBeLessThan(2_000)
      const id = ids[(round + 1) % ids.length] as string
      await ana.vault.patch(id, { name: `Back ${round}` })
      const took = await within(2_000, `the write made once Bo was back (round ${round})`, () => bo.vault.get(id)?.name === `Back ${round}`)
      expect(took).toBeLessThan(2_000)
      await work.catch(() => undefined)
    }
    expect(unheard).toEqual([])
  })
})
