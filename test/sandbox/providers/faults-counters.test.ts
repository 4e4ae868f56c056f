import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ProviderSandbox } from '../../../src/main/sandbox/providers/index.ts'
import { AIRTABLE_WHOAMI_PATH, SandboxError, startProviderSandbox } from '../../../src/main/sandbox/providers/index.ts'
import { bearer, fetchError, get, START } from './helpers.ts'

let ps: ProviderSandbox
afterEach(async () => {
  vi.restoreAllMocks()
  await ps.close()
})

/** All three fakes with one working token each. */
async function start(): Promise<{ sc: string; at: string; cu: string }> {
  ps = await startProviderSandbox({ startTime: START, frozen: true })
  const org = ps.safetyCulture.addOrganisation({ name: 'Group' })
  const user = ps.safetyCulture.addUser({ organisationId: org.id, firstname: 'Ana' })
  const atUser = ps.airtable.addUser({ bases: [{ name: 'Tracking' }] })
  const serviceUser = ps.checkUrl.createServiceUser({ name: 'bot' })
  return {
    sc: ps.safetyCulture.issueUserToken(user.id).value,
    at: ps.airtable.createToken({ userId: atUser.id, name: 'larder', scopes: ['schema.bases:read'] }).value,
    cu: ps.checkUrl.createToken({ serviceUserId: serviceUser.id, name: 'prod' }).value
  }
}

const scWhoAmI = (token: string) => get(ps.safetyCulture.whoAmIUrl, bearer(token))
const atWhoAmI = (token: string) => get(`${ps.airtable.url}${AIRTABLE_WHOAMI_PATH}`, bearer(token))

describe('startProviderSandbox', () => {
  it('starts three loopback fakes on one clock', async () => {
    await start()
    for (const fake of [ps.safetyCulture, ps.airtable, ps.checkUrl]) expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(new Set([ps.safetyCulture.port, ps.airtable.port, ps.checkUrl.port]).size).toBe(3)
    ps.clock.advance(5_000)
    expect([ps.safetyCulture.clock.now(), ps.airtable.clock.now(), ps.checkUrl.clock.now()]).toEqual([START + 5_000, START + 5_000, START + 5_000])
  })

  it('close() stops every server', async () => {
    const tokens = await start()
    await ps.close()
    await fetchError(fetch(ps.checkUrl.checkUrl, { headers: bearer(tokens.cu) }))
    await fetchError(fetch(ps.safetyCulture.whoAmIUrl))
  })
})

describe('faults', () => {
  it('status N times, in each provider\'s own error shape, then the real answer', async () => {
    const t = await start()
    ps.safetyCulture.faults.inject({ route: 'whoami', kind: 'status', status: 503, times: 2 })
    ps.airtable.faults.inject({ route: 'whoami', kind: 'status', status: 500, times: 1 })
    ps.checkUrl.faults.inject({ route: 'check', kind: 'status', status: 429, times: 1 })
    const first = await scWhoAmI(t.sc)
    expect(first.status).toBe(503)
    expect(first.body).toEqual({ code: 14, message: 'Unavailable', details: [] })
    expect((await scWhoAmI(t.sc)).status).toBe(503)
    expect((await scWhoAmI(t.sc)).status).toBe(200)
    const at = await atWhoAmI(t.at)
    expect(at.status).toBe(500)
    expect(at.body).toEqual({ error: { type: 'SERVER_ERROR', message: 'The server encountered an error (sandbox fault)' } })
    expect((await atWhoAmI(t.at)).status).toBe(200)
    expect((await get(ps.checkUrl.checkUrl, bearer(t.cu))).status).toBe(429)
    expect(ps.checkUrl.faults.list()).toEqual([])
  })

  it('a 429 status fault on Airtable reads RATE_LIMIT_REACHED but opens no penalty', async () => {
    const t = await start()
    ps.airtable.faults.inject({ route: 'bases', kind: 'status', status: 429, times: 1 })
    const a = await get(`${ps.airtable.url}/v0/meta/bases`, bearer(t.at))
    expect(a.body).toEqual({ error: { type: 'RATE_LIMIT_REACHED', message: 'Rate limit exceeded. Please try again later' } })
    expect((await atWhoAmI(t.at)).status).toBe(200)
  })

  it('reset drops the connection without an answer (status 0 in the counters)', async () => {
    const t = await start()
    ps.checkUrl.faults.inject({ route: 'check', kind: 'reset', times: 1 })
    await fetchError(fetch(ps.checkUrl.checkUrl, { headers: bearer(t.cu) }))
    expect((await get(ps.checkUrl.checkUrl, bearer(t.cu))).status).toBe(200)
    await vi.waitFor(() => expect(ps.checkUrl.counters.hits.map((h) => h.status)).toEqual([0, 200]))
  })

  it('latency delays the answer by ms', async () => {
    const t = await start()
    ps.airtable.faults.inject({ route: 'whoami', kind: 'latency', ms: 200, times: 1 })
    const started = performance.now()
    expect((await atWhoAmI(t.at)).status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(190)
  })

  it('html answers a proxy\'s HTML error page (502 by default)', async () => {
    const t = await start()
    ps.safetyCulture.faults.inject({ route: '*', kind: 'html', times: 2 })
    const a = await scWhoAmI(t.sc)
    expect(a.status).toBe(502)
    expect(a.headers.get('content-type')).toMatch(/^text\/html/)
    expect(a.text).toContain('502 Bad Gateway')
    expect((await get(`${ps.safetyCulture.url}/nowhere`)).status).toBe(502) // '*' covers unknown paths too
    expect((await scWhoAmI(t.sc)).status).toBe(200)
  })

  it('without times a fault stays until cleared; bad specs are refused', async () => {
    const t = await start()
    const id = ps.checkUrl.faults.inject({ route: 'check', kind: 'status' })
    expect((await get(ps.checkUrl.checkUrl, bearer(t.cu))).status).toBe(503)
    expect((await get(ps.checkUrl.checkUrl, bearer(t.cu))).status).toBe(503)
    expect(ps.checkUrl.faults.list()).toMatchObject([{ id, applied: 2 }])
    ps.checkUrl.faults.clear(id)
    expect((await get(ps.checkUrl.checkUrl, bearer(t.cu))).status).toBe(200)
    expect(() => ps.airtable.faults.inject({ route: 'latency', kind: 'latency', ms: 1 } as never)).toThrow(SandboxError)
    expect(() => ps.airtable.faults.inject({ route: 'whoami', kind: 'latency' })).toThrow(/needs ms/)
    expect(() => ps.airtable.faults.inject({ route: 'whoami', kind: 'status', status: 200 })).toThrow(/400-599/)
    expect(() => ps.airtable.faults.inject({ route: 'whoami', kind: 'status', times: 0 })).toThrow(/positive integer/)
  })
})

describe('counters', () => {
  it('record route, method, status and sandbox time of every request; count() filters; reset() empties', async () => {
    const t = await start()
    await scWhoAmI(t.sc)
    ps.clock.advance(1_000)
    await get(ps.safetyCulture.whoAmIUrl)
    await fetch(ps.safetyCulture.whoAmIUrl, { method: 'POST' })
    await get(`${ps.safetyCulture.url}/elsewhere`)
    await vi.waitFor(() => expect(ps.safetyCulture.counters.hits).toHaveLength(4))
    expect(ps.safetyCulture.counters.hits).toEqual([
      { route: 'whoami', method: 'GET', status: 200, at: START },
      { route: 'whoami', method: 'GET', status: 401, at: START + 1_000 },
      { route: 'whoami', method: 'POST', status: 405, at: START + 1_000 },
      { route: 'unknown', method: 'GET', status: 404, at: START + 1_000 }
    ])
    expect(ps.safetyCulture.counters.count({ route: 'whoami' })).toBe(3)
    expect(ps.safetyCulture.counters.count({ status: 401 })).toBe(1)
    expect(ps.airtable.counters.count()).toBe(0)
    ps.safetyCulture.counters.reset()
    expect(ps.safetyCulture.counters.count()).toBe(0)
  })

  it('no token reaches a log line, whatever the fakes answer', async () => {
    const logged: unknown[] = []
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(...args))
    }
    const t = await start()
    ps.airtable.faults.inject({ route: 'whoami', kind: 'reset', times: 1 })
    await fetchError(atWhoAmI(t.at))
    await Promise.all([scWhoAmI(t.sc), atWhoAmI(t.at), get(ps.checkUrl.checkUrl, bearer(t.cu)), scWhoAmI('unknown-value')])
    const text = logged.map((entry) => String(entry)).join('\n')
    for (const token of Object.values(t)) expect(text).not.toContain(token)
  })
})
