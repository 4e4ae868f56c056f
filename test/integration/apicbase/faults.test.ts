// Every sandbox fault kind, timeouts, oversized bodies and dead hosts, each mapped to its ApiError
// kind and `maybeCommitted`, with what the server really did checked afterwards.
import type { ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { errors as undiciErrors } from 'undici'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApicbaseClient } from '../../../src/main/core/apicbase/index.ts'
import type { ApicbaseClient } from '../../../src/main/core/apicbase/index.ts'
import type { FailureKind } from '../../../src/main/core/model.ts'
import { ENDPOINTS } from '../../../src/main/core/apicbase/endpoints.ts'
import { transportError } from '../../../src/main/core/apicbase/http-errors.ts'
import type { CallContext } from '../../../src/main/core/apicbase/http-errors.ts'
import { LIBRARY_IDS } from '../../sandbox/index.ts'
import type { FaultSpec, LibraryCredentials, Sandbox } from '../../sandbox/index.ts'
import { apiError, assertNoSecretInAnyError, credsOf, remember, sandbox, seeded, targetOf, tinyServer } from './helpers.ts'

let sb: Sandbox
let client: ApicbaseClient
let nord: LibraryCredentials

beforeEach(async () => {
  sb = await sandbox()
  client = createApicbaseClient()
  nord = seeded(sb, LIBRARY_IDS.brasserieNord)
})
afterEach(async () => {
  await client.close()
  await sb.close()
})
afterAll(() => {
  expect(assertNoSecretInAnyError()).toBeGreaterThan(0)
})

function refreshNord(c: ApicbaseClient = client, refreshToken: string = nord.refreshToken): ReturnType<ApicbaseClient['refresh']> {
  return c.refresh(targetOf(sb.url), credsOf(nord), refreshToken)
}

/** The refresh token still works (the faulted request did not consume it). */
async function stillRefreshes(): Promise<void> {
  const pair = await refreshNord()
  remember(pair.accessToken, pair.refreshToken)
}

/** The faulted request was committed: the token rotated behind the lost answer. */
async function wasConsumed(): Promise<void> {
  const error = await apiError(refreshNord(), 'invalid_grant')
  // Issue 13 item 4: the token endpoint's own words ("… has already been used") are never repeated.
  expect(error.message).toContain('it was already used, has been revoked')
  expect(error.message).not.toContain('already been used')
}

describe('faults on the token endpoint (refresh)', () => {
  it('latency shorter than the timeouts is just slow', async () => {
    sb.faults.inject({ route: 'token', kind: 'latency', ms: 100, times: 1 })
    const pair = await refreshNord()
    remember(pair.accessToken, pair.refreshToken)
  })

  it('latency longer than headersTimeout is timeout, maybe committed (and it was: the server rotated later)', async () => {
    const impatient = createApicbaseClient({ headersTimeoutMs: 300 })
    try {
      sb.faults.inject({ route: 'token', kind: 'latency', ms: 1_200, times: 1 })
      const started = Date.now()
      const error = await apiError(refreshNord(impatient), 'timeout')
      expect(Date.now() - started).toBeLessThan(1_100)
      expect(error.maybeCommitted).toBe(true)
      expect(error.message).toContain('did not answer within 0.3 s while refreshing the token for Brasserie Nord')
      await sleep(1_400) // the sandbox finishes the request nobody waits for any more
      await wasConsumed()
    } finally {
      await impatient.close()
    }
  })

  it.each([500, 502, 503])('status %i is server_error, maybe committed', async (status) => {
    sb.faults.inject({ route: 'token', kind: 'status', status, times: 1 })
    const error = await apiError(refreshNord(), 'server_error')
    expect(error.status).toBe(status)
    expect(error.maybeCommitted).toBe(true)
    expect(error.message).toContain(`server error (HTTP ${status})`)
    await stillRefreshes()
  })

  // Issue 19 item 8: Apicbase answered (its proxy's error page), so this is a server error, not an unreadable answer.
  it('an HTML error page is server_error, saying so', async () => {
    sb.faults.inject({ route: 'token', kind: 'html', times: 1 })
    const error = await apiError(refreshNord(), 'server_error')
    expect(error.message).toContain('answered with an error page (HTTP 502) instead of JSON')
    expect(error.maybeCommitted).toBe(true)
    await stillRefreshes()
  })

  it('a non-JSON 200 is malformed_response', async () => {
    sb.faults.inject({ route: 'token', kind: 'non_json', times: 1 })
    const error = await apiError(refreshNord(), 'malformed_response')
    expect(error.message).toContain('a response that is not JSON (HTTP 200, text/plain)')
    expect(error.maybeCommitted).toBe(true)
  })

  it('truncated JSON is malformed_response, maybe committed (and it was)', async () => {
    sb.faults.inject({ route: 'token', kind: 'truncated', times: 1 })
    const error = await apiError(refreshNord(), 'malformed_response')
    expect(error.message).toContain('incomplete JSON, cut off mid-way (HTTP 200)')
    expect(error.maybeCommitted).toBe(true)
    await wasConsumed()
  })

  it('an oversized answer is malformed_response', async () => {
    sb.faults.inject({ route: 'token', kind: 'oversized', times: 1 })
    const error = await apiError(refreshNord(), 'malformed_response')
    expect(error.message).toContain('larger than 1 MiB (HTTP 200)')
    expect(error.message).toContain('Larder stopped reading it')
    expect(error.maybeCommitted).toBe(true)
  })

  it('a rate_limit fault is rate_limited with retryAt from Retry-After, not committed', async () => {
    const now = 1_800_000_000_000
    const fixed = createApicbaseClient({ now: () => now })
    try {
      sb.faults.inject({ route: 'token', kind: 'rate_limit', retryAfter: 90, times: 1 })
      const error = await apiError(refreshNord(fixed), 'rate_limited')
      expect(error.retryAt).toBe(now + 90_000)
      expect(error.maybeCommitted).toBe(false)
      expect(error.message).toContain(`Next try at ${new Date(now + 90_000).toISOString()} (in 90 s)`)
      expect(fixed.rateLimit('family-nord')).toEqual({ limit: 100, remaining: 0, resetAt: now + 90_000, observedAt: now })
      await stillRefreshes()
    } finally {
      await fixed.close()
    }
  })

  it('reset before commit is network; the refresh token still works afterwards', async () => {
    sb.faults.inject({ route: 'token', kind: 'reset_before_commit', times: 1 })
    const error = await apiError(refreshNord(), 'network')
    expect(typeof error.maybeCommitted).toBe('boolean') // the client cannot tell which side of the commit it was
    expect(error.message).toContain('Brasserie Nord')
    await stillRefreshes()
  })

  it('reset after commit is network, maybe committed; the next refresh is invalid_grant', async () => {
    sb.faults.inject({ route: 'token', kind: 'reset_after_commit', times: 1 })
    const error = await apiError(refreshNord(), 'network')
    expect(error.maybeCommitted).toBe(true)
    expect(error.message).toMatch(/Larder lost the connection to Apicbase \(http:\/\/127\.0\.0\.1:\d+\)/)
    await wasConsumed()
  })

  it('a fault that has run out leaves the endpoint healthy', async () => {
    sb.faults.inject({ route: 'token', kind: 'status', status: 503, times: 1 })
    await apiError(refreshNord(), 'server_error')
    await stillRefreshes()
  })
})

describe('faults on an API route (the active library)', () => {
  const cases: [string, FailureKind, boolean, Omit<FaultSpec, 'route'>][] = [
    ['status 500', 'server_error', true, { kind: 'status', status: 500 }],
    ['status 401', 'unauthorized', false, { kind: 'status', status: 401 }],
    ['status 403', 'forbidden', false, { kind: 'status', status: 403 }],
    ['html', 'server_error', true, { kind: 'html' }],
    ['non_json', 'malformed_response', true, { kind: 'non_json' }],
    ['truncated', 'malformed_response', true, { kind: 'truncated' }],
    ['oversized', 'malformed_response', true, { kind: 'oversized', bytes: 2 * 1024 * 1024 }],
    ['rate_limit', 'rate_limited', false, { kind: 'rate_limit', retryAfter: 5 }],
    ['reset_before_commit', 'network', true, { kind: 'reset_before_commit' }],
    ['reset_after_commit', 'network', true, { kind: 'reset_after_commit' }]
  ]
  it.each(cases)('%s → %s (maybeCommitted %s)', async (_label, kind, maybeCommitted, fault) => {
    sb.faults.inject({ route: 'active', times: 1, ...fault })
    const error = await apiError(client.getActiveLibrary(targetOf(sb.url), nord.accessToken), kind)
    expect(error.maybeCommitted).toBe(maybeCommitted)
    expect(error.message).toContain('Brasserie Nord')
    expect(error.message).toContain('while reading the active library')
    expect((await client.getActiveLibrary(targetOf(sb.url), nord.accessToken)).id).toBe('1001')
  })

  it('a latency fault beyond headersTimeout is timeout', async () => {
    const impatient = createApicbaseClient({ headersTimeoutMs: 250 })
    try {
      sb.faults.inject({ route: 'active', kind: 'latency', ms: 1_000, times: 1 })
      const error = await apiError(impatient.healthCheck(targetOf(sb.url), nord.accessToken), 'timeout')
      expect(error.maybeCommitted).toBe(true)
    } finally {
      await impatient.close()
    }
  })
})

describe('bodies and connections the sandbox does not break (tiny servers)', () => {
  it('stops reading a never-ending body at maxBodyBytes and closes the connection', async () => {
    let closedAfter = -1
    let closed: () => void = () => undefined
    const connectionClosed = new Promise<void>((resolve) => {
      closed = resolve
    })
    const tiny = await tinyServer((_req, res: ServerResponse) => {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      const chunk = Buffer.alloc(64 * 1024, 'x')
      let written = 0
      const pump = (): void => {
        while (!res.destroyed && written < 512 * 1024 * 1024) {
          written += chunk.length
          if (!res.write(chunk)) {
            res.once('drain', pump)
            return
          }
        }
      }
      res.on('close', () => {
        closedAfter = written
        closed()
      })
      res.write('{"padding":"')
      pump()
    })
    const small = createApicbaseClient({ maxBodyBytes: 256 * 1024 })
    try {
      const error = await apiError(small.getActiveLibrary(targetOf(tiny.url), 'access-token-0001'), 'malformed_response')
      expect(error.message).toContain('larger than 256 KiB')
      await connectionClosed
      expect(closedAfter).toBeGreaterThan(256 * 1024)
      expect(closedAfter).toBeLessThan(64 * 1024 * 1024) // what loopback buffers held, nowhere near 512 MiB
    } finally {
      await small.close()
      await tiny.close()
    }
  })

  it('refuses a declared Content-Length over the limit without waiting for the body', async () => {
    const tiny = await tinyServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(50 * 1024 * 1024) })
      res.write('{"a":') // and then nothing: a client that waited would hit the body timeout instead
    })
    const c = createApicbaseClient({ bodyTimeoutMs: 5_000 })
    try {
      const started = Date.now()
      await apiError(c.getActiveLibrary(targetOf(tiny.url), 'access-token-0001'), 'malformed_response')
      expect(Date.now() - started).toBeLessThan(2_000)
    } finally {
      await c.close()
      await tiny.close()
    }
  })

  it('a body that stalls past bodyTimeout is timeout, maybe committed', async () => {
    const tiny = await tinyServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.write('{"access_token": "a", ')
    })
    const c = createApicbaseClient({ bodyTimeoutMs: 300 })
    try {
      const error = await apiError(c.refresh(targetOf(tiny.url), credsOf(nord), nord.refreshToken), 'timeout')
      expect(error.maybeCommitted).toBe(true)
      expect(error.message).toContain('stopped sending its answer for 0.3 s')
    } finally {
      await c.close()
      await tiny.close()
    }
  })

  it('a refused connection is network and certainly not committed', async () => {
    const tiny = await tinyServer(() => undefined)
    const url = tiny.url
    await tiny.close()
    const error = await apiError(client.refresh(targetOf(url), credsOf(nord), nord.refreshToken), 'network')
    expect(error.maybeCommitted).toBe(false)
    expect(error.message).toContain('the connection was refused')
    expect(error.message).toContain('ECONNREFUSED')
  })

  it('a connection dropped after the request arrived is network, maybe committed', async () => {
    const tiny = await tinyServer((req) => req.socket.destroy())
    try {
      const error = await apiError(client.refresh(targetOf(tiny.url), credsOf(nord), nord.refreshToken), 'network')
      expect(error.maybeCommitted).toBe(true)
    } finally {
      await tiny.close()
    }
  })
})

describe('transport error classification', () => {
  const ctx: CallContext = {
    endpoint: ENDPOINTS.refresh,
    libraryName: 'Brasserie Nord',
    origin: 'https://api.apicbase.com',
    secrets: [],
    now: () => 0,
    timeouts: { connectMs: 10_000, headersMs: 15_000, bodyMs: 15_000 },
    maxBodyBytes: 1024
  }
  const coded = (code: string): Error => Object.assign(new Error(`connect ${code}`), { code })

  it.each([
    ['connect timeout', 'timeout', false, new undiciErrors.ConnectTimeoutError()],
    ['headers timeout', 'timeout', true, new undiciErrors.HeadersTimeoutError()],
    ['body timeout', 'timeout', true, new undiciErrors.BodyTimeoutError()],
    ['socket closed', 'network', true, new undiciErrors.SocketError('other side closed')],
    ['DNS not found', 'network', false, coded('ENOTFOUND')],
    ['DNS failure', 'network', false, coded('EAI_AGAIN')],
    ['refused (happy eyeballs)', 'network', false, new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')])],
    ['reset', 'network', true, coded('ECONNRESET')],
    ['bad certificate', 'network', false, coded('UNABLE_TO_VERIFY_LEAF_SIGNATURE')],
    ['parser error', 'malformed_response', true, coded('HPE_INVALID_CONSTANT')],
    ['something unknown', 'network', true, new Error('boom')]
  ] as const)('%s → %s (maybeCommitted %s)', (_label, kind, maybeCommitted, error) => {
    const mapped = transportError(error, ctx, 'request')
    expect(mapped.kind).toBe(kind)
    expect(mapped.maybeCommitted).toBe(maybeCommitted)
    expect(mapped.message).toContain('Brasserie Nord')
  })

  it('a DNS lookup that fails for real is network (or connect timeout), not committed', async () => {
    const c = createApicbaseClient({ connectTimeoutMs: 3_000 })
    try {
      const error = await apiError(c.refresh(targetOf('https://larder-test.invalid'), credsOf(nord), nord.refreshToken))
      expect(['network', 'timeout']).toContain(error.kind)
      expect(error.maybeCommitted).toBe(false)
    } finally {
      await c.close()
    }
  })
})
