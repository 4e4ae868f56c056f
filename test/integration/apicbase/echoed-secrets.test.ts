// Issue 13, item 4: a server that echoes parts of a secret back (a prefix, an upper- or lower-cased copy, base64 of
// client_id:client_secret) must not get any of it into an error message, a library's lastError, the audit trail or
// the view. The token endpoint's free text is never quoted; an API answer's `detail` is quoted only after every run of
// 8+ characters that occurs in a secret the request carried (in any case, URL- or base64-encoded) is removed.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { toLibraryView } from '../../../src/main/app/views.ts'
import { createApicbaseClient, type ApicbaseClient } from '../../../src/main/core/apicbase/index.ts'
import { ApiError } from '../../../src/main/core/errors.ts'
import { HealthMonitor } from '../../../src/main/core/health/health-monitor.ts'
import { rateLimitState } from '../../../src/main/core/health/health-types.ts'
import { LibraryViews } from '../../../src/main/core/libraries/library-views.ts'
import { unseenState } from '../../../src/main/core/personal/personal-types.ts'
import { startHarness, type Harness } from '../../support/core-harness.ts'
import type { LibraryCredentials } from '../../sandbox/index.ts'
import { sendJson, targetOf, tinyServer, type TinyServer } from './helpers.ts'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Mixed-case random secrets, so that an upper-cased copy differs from the secret itself. */
function secretLike(): string {
  return randomBytes(24).toString('base64url')
}

function credentials(): LibraryCredentials {
  return {
    id: 4242,
    name: 'Brasserie Echo',
    tokenType: 'service_account',
    clientId: `client-${randomBytes(6).toString('hex')}`,
    clientSecret: secretLike(),
    accessToken: secretLike(),
    refreshToken: secretLike(),
    familyId: 'fam-echo',
    scopes: ['accounts', 'library']
  }
}

const basic = (c: LibraryCredentials): string => Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')

/** What an echoing token endpoint sends back: a prefix, an upper-cased copy, and base64 of client_id:client_secret. */
function tokenEcho(c: LibraryCredentials): string {
  return [`refresh ${c.refreshToken.slice(0, 12)}… rejected`, `secret ${c.clientSecret.toUpperCase()}`, `basic ${basic(c)}`].join('; ')
}

/** What an echoing API sends back of the one secret an API request carries, the access token. */
function apiEcho(c: LibraryCredentials): string {
  return [
    `token ${c.accessToken.slice(0, 12)}…`,
    `upper ${c.accessToken.toUpperCase()}`,
    `lower ${c.accessToken.toLowerCase()}`,
    `b64 ${Buffer.from(c.accessToken).toString('base64')}`,
    `tail ${c.accessToken.slice(-9).toUpperCase()}`
  ].join('; ')
}

/** The forms a leak could take; any 8-character piece of one of them found (in any case) in `text` is a leak. */
function leakIn(text: string, c: LibraryCredentials): string | null {
  const haystack = text.toLowerCase()
  const forms = [c.clientSecret, c.accessToken, c.refreshToken, basic(c), Buffer.from(c.accessToken).toString('base64')]
  for (const form of forms) {
    const lower = form.toLowerCase()
    for (let i = 0; i + 8 <= lower.length; i++) if (haystack.includes(lower.slice(i, i + 8))) return lower.slice(i, i + 8)
  }
  return null
}

type TokenAnswer = readonly [status: number, code: string | null]

async function echoServer(c: LibraryCredentials, apiStatus = 403, [tokenStatus, code]: TokenAnswer = [400, 'invalid_grant']): Promise<TinyServer> {
  const server = await tinyServer((req, res) => {
    const body = code === null ? { detail: tokenEcho(c) } : { error: code, error_description: tokenEcho(c) }
    if ((req.url ?? '').startsWith('/oauth/')) sendJson(res, tokenStatus, body)
    else sendJson(res, apiStatus, { detail: `Not allowed (${apiEcho(c)}). Ask the library owner.` })
  })
  cleanups.push(() => server.close())
  return server
}

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ApiError) return error
    throw error
  }
  throw new Error('expected an ApiError')
}

describe('echoed secrets never reach a message', () => {
  let client: ApicbaseClient

  async function fresh(): Promise<ApicbaseClient> {
    client = createApicbaseClient()
    cleanups.push(() => client.close())
    return client
  }

  it("the token endpoint's error_description is never quoted: only its error code word", async () => {
    const c = credentials()
    const server = await echoServer(c)
    const error = await caught((await fresh()).refresh(targetOf(server.url, c.name), c, c.refreshToken))
    expect(error.kind).toBe('invalid_grant')
    expect(leakIn(error.message, c)).toBeNull()
    expect(error.message).not.toContain('Apicbase said')
    expect(error.message).not.toContain('rejected')
  })

  it.each([401, 403, 404, 500])('an API answer %i quotes its detail with every 8+ character run of the access token removed', async (status) => {
    const c = credentials()
    const server = await echoServer(c, status)
    const error = await caught((await fresh()).healthCheck(targetOf(server.url, c.name), c.accessToken))
    expect(leakIn(error.message, c), error.message).toBeNull()
    // The rest of the detail is still there to help a person.
    expect(error.message).toContain('Ask the library owner.')
  })
})

describe('echoed secrets never reach lastError, the audit trail or the view', () => {
  let h: Harness

  it.each([
    [400, 'invalid_grant'],
    [401, 'invalid_client'],
    [400, 'invalid_request'],
    [400, 'invalid_scope'],
    [500, null]
  ] as const)('a refresh answered %i %s with an echo leaves none of it anywhere', async (status, code) => {
    h = await startHarness()
    cleanups.push(() => h.close())
    const c = credentials()
    const server = await echoServer(c, 403, [status, code])
    const id = await h.store(c, { apiBaseUrl: server.url })
    await h.engine.refresh(id, 'manual').catch(() => undefined)
    const meta = h.vault.get(id)
    expect(meta?.lastError).not.toBeNull()
    expect(leakIn(JSON.stringify(meta?.lastError), c)).toBeNull()
    expect(leakIn(JSON.stringify(toLibraryView(h.libraries.get(id))), c)).toBeNull()
    await h.audit.close()
    const trail = fs.readFileSync(path.join(h.dir, 'audit.jsonl'), 'utf8')
    expect(trail).toContain('failed')
    expect(leakIn(trail, c)).toBeNull()
  })

  it('a health check answered 403 with an echo leaves none of it in the view, the audit trail or the record', async () => {
    h = await startHarness()
    cleanups.push(() => h.close())
    const c = credentials()
    const server = await echoServer(c, 403)
    const id = await h.store(c, { apiBaseUrl: server.url })
    const health = new HealthMonitor({ vault: h.vault, client: h.client, engine: h.engine, clock: h.clock, audit: h.audit, scheduled: false })
    const views = new LibraryViews({
      vault: h.vault,
      engine: h.engine,
      personal: { state: unseenState },
      readings: { health: (libraryId) => health.state(libraryId), rateLimit: (meta) => rateLimitState(h.client, meta, h.clock.now()) }
    })
    expect((await health.check(id))?.outcome).toBe('forbidden')
    const view = toLibraryView(views.get(id))
    expect(view).toMatchObject({ status: 'error', lastError: { kind: 'forbidden' }, health: { outcome: 'forbidden' } })
    expect(view.health?.message).toContain('Ask the library owner.')
    expect(leakIn(JSON.stringify(view), c)).toBeNull()
    expect(leakIn(JSON.stringify(h.vault.get(id)), c)).toBeNull()
    await h.audit.close()
    const trail = fs.readFileSync(path.join(h.dir, 'audit.jsonl'), 'utf8')
    expect(trail).toContain('health check: forbidden')
    expect(leakIn(trail, c)).toBeNull()
  })
})
