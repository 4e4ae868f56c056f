// A member's link to the team database against a real PostgreSQL (issue 16): online once its listening session is
// up, with the team's NOTIFYs arriving; offline within 2 s when that session is cut or the server restarts, saying
// why; online again by itself once the server answers, so what changed meanwhile can be read again.
import { afterEach, describe, expect, it } from 'vitest'
import { teamConnectionOptions } from '../../../src/main/core/team/db/connection-config.ts'
import { TeamLink } from '../../../src/main/core/team/db/team-link.ts'
import { findPgBinaries, pgServerForSuite, type PgServer } from '../../support/postgres-server.ts'

const binaries = findPgBinaries()
/** The suite's server (pgServerForSuite, inside the describe block). */
let running: () => PgServer
let link: TeamLink | null = null

function waitFor<T>(what: string, ms: number, register: (done: (value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)
    register((value) => {
      clearTimeout(timer)
      resolve(value)
    })
  })
}

function newLink(): TeamLink {
  link = new TeamLink({ connection: teamConnectionOptions({ url: running().url() }, 'larder-member-a'), channel: 'larder_team', retryMs: { first: 100, max: 500 }, heartbeatMs: 500 })
  return link
}

describe.skipIf(binaries.bin === null)('a member’s link to the team database', { timeout: 60_000 }, () => {
  running = pgServerForSuite(binaries)
  afterEach(async () => {
    await link?.close()
    link = null
  })

  it('is online once listening, and the team’s notifications arrive', async () => {
    const member = newLink()
    const online = waitFor<number>('online', 5_000, (done) => member.once('online', done))
    await member.start()
    await online
    expect(member.state().state).toBe('online')
    const heard = waitFor<string>('a notification', 2_000, (done) => member.once('notification', done))
    await member.pool.query("SELECT pg_notify('larder_team', 'row-1:7')")
    expect(await heard).toBe('row-1:7')
  })

  it('goes offline within 2 s when its session is cut, says why, and comes back by itself, hearing again', async () => {
    const member = newLink()
    await member.start()
    const offline = waitFor<[number, string]>('offline', 2_000, (done) => member.once('offline', (since, reason) => done([since, reason])))
    const back = waitFor<number>('online again', 5_000, (done) => member.on('online', done))
    expect(await running().terminate('larder-member-a')).toBeGreaterThanOrEqual(1)
    const [since, reason] = await offline
    expect(reason).toMatch(/terminating connection|57P01|ended/)
    expect(member.state()).toMatchObject({ state: 'offline', since })
    expect(await back).toBeGreaterThanOrEqual(since)
    expect(member.state().state).toBe('online')
    const heard = waitFor<string>('a notification after reconnecting', 2_000, (done) => member.once('notification', done))
    await member.pool.query("SELECT pg_notify('larder_team', 'after')")
    expect(await heard).toBe('after')
  })

  it('goes offline when the server restarts and is online again once it answers', async () => {
    const member = newLink()
    await member.start()
    const offline = waitFor<string>('offline', 5_000, (done) => member.once('offline', (_since, reason) => done(reason)))
    const back = new Promise<void>((resolve) => member.on('online', () => member.state().state === 'online' && resolve()))
    await running().restart()
    await offline
    await waitFor<void>('online after the restart', 10_000, (done) => void back.then(done))
    const { rows } = await member.pool.query<{ one: number }>('SELECT 1 AS one')
    expect(rows[0]?.one).toBe(1)
  })

  it('refuses a channel that is not a plain identifier', () => {
    expect(() => new TeamLink({ connection: teamConnectionOptions({ url: running().url() }, 'x'), channel: 'team; DROP TABLE x' })).toThrow(/notification channel/)
  })
})
