// An HTML 502 from Apicbase's proxy (issue 19 item 8): Apicbase answered, so it is a server error, not a failure to
// reach it nor an unreadable answer. Its message says what came back (an error page, the status) and what Larder
// does next; the status travels with the library's last error to the view, where the next step reads it. The page's
// own text is never quoted.
import { afterEach, describe, expect, it } from 'vitest'
import { createApicbaseClient } from '../../../src/main/core/apicbase/index.ts'
import type { ApicbaseClient } from '../../../src/main/core/apicbase/index.ts'
import { classifyFailure } from '../../../src/main/core/engine/failures.ts'
import { ApiError } from '../../../src/main/core/errors.ts'
import { checkFailure } from '../../../src/main/core/vault/library-checks.ts'
import type { LibraryMeta } from '../../../src/main/core/model.ts'
import { libraryViewSchema } from '../../../src/shared/contract.ts'
import { LIBRARY_IDS } from '../../sandbox/index.ts'
import type { Sandbox } from '../../sandbox/index.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'
import { apiError, credsOf, sandbox, seeded, targetOf } from './helpers.ts'

let sb: Sandbox | null = null
let client: ApicbaseClient | null = null
let h: LarderHarness | null = null
afterEach(async () => {
  await client?.close()
  await sb?.close()
  await h?.close()
  sb = null
  client = null
  h = null
})

describe('an HTML error page with a 5xx status', () => {
  it('on the token endpoint is server_error with status 502, worded as an answer, and quotes nothing of the page', async () => {
    sb = await sandbox()
    client = createApicbaseClient()
    const nord = seeded(sb, LIBRARY_IDS.brasserieNord)
    sb.faults.inject({ route: 'token', kind: 'html', times: 1 })
    const error = await apiError(client.refresh(targetOf(sb.url), credsOf(nord), nord.refreshToken), 'server_error')
    expect(error.status).toBe(502)
    expect(error.maybeCommitted).toBe(true)
    expect(error.message).toBe('Apicbase answered with an error page (HTTP 502) instead of JSON while refreshing the token for Brasserie Nord.')
    expect(error.message).not.toMatch(/Bad Gateway|nginx|could not reach/i)
  })

  it('on an API route is server_error too', async () => {
    sb = await sandbox()
    client = createApicbaseClient()
    const nord = seeded(sb, LIBRARY_IDS.brasserieNord)
    sb.faults.inject({ route: 'active', kind: 'html', times: 1 })
    const error = await apiError(client.getActiveLibrary(targetOf(sb.url), nord.accessToken), 'server_error')
    expect(error.status).toBe(502)
    expect(error.message).toContain('answered with an error page (HTTP 502)')
  })

  it('a JSON 5xx still says Apicbase had a server error, with the status', async () => {
    sb = await sandbox()
    client = createApicbaseClient()
    const nord = seeded(sb, LIBRARY_IDS.brasserieNord)
    sb.faults.inject({ route: 'token', kind: 'status', status: 503, times: 1 })
    const error = await apiError(client.refresh(targetOf(sb.url), credsOf(nord), nord.refreshToken), 'server_error')
    expect(error.status).toBe(503)
    expect(error.message).toContain('server error (HTTP 503)')
  })
})

describe("the library's last error keeps the status", () => {
  it('classifyFailure records it beside the kind and the retry time; a failure without an answer has none', () => {
    const meta = { name: 'Nord', lastError: null } as unknown as LibraryMeta
    const outcome = classifyFailure(new ApiError('server_error', 'Apicbase answered with an error page (HTTP 502).', { status: 502, maybeCommitted: true }), meta, 1_000, 0, 0)
    expect(outcome.failure).toMatchObject({ kind: 'server_error', status: 502, at: 1_000 })
    expect(outcome.failure.retryAt).toBeGreaterThan(1_000)
    const network = classifyFailure(new ApiError('network', 'Larder could not reach Apicbase.'), meta, 1_000, 0, 0)
    expect(network.failure).not.toHaveProperty('status')
  })

  it('the vault reads a stored last error with its status back, and refuses a status that is not one', () => {
    expect(checkFailure('lastError', { kind: 'server_error', message: 'm', at: 1, retryAt: 2, status: 502 })).toEqual({ kind: 'server_error', message: 'm', at: 1, retryAt: 2, status: 502 })
    expect(() => checkFailure('lastError', { kind: 'server_error', message: 'm', at: 1, status: 'Bad Gateway' })).toThrow(/lastError\.status/)
  })

  it('through a whole refresh: the view says server_error, status 502, and when Larder tries again', async () => {
    h = await startLarder()
    const credentials = h.sandbox.addLibraryWithApplication({ name: 'Bistro Gateway' })
    const { tokenType, clientId, clientSecret, accessToken, refreshToken } = credentials
    const added = await h.actions.add({ tokenType, name: 'Bistro Gateway', clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: h.sandbox.url })
    h.sandbox.faults.inject({ route: 'token', kind: 'html', times: 1 })
    const refreshed = await h.handlers['libraries.refresh']({ id: added.id })
    expect(refreshed.ok).toBe(false)
    const listed = await h.handlers['libraries.get']({ id: added.id })
    if (!listed.ok) throw new Error('get failed')
    const view = libraryViewSchema.parse(listed.value)
    expect(view.status).toBe('error')
    expect(view.lastError).toMatchObject({ kind: 'server_error', status: 502, at: h.clock.now() })
    expect(view.lastError?.retryAt).toBeGreaterThan(h.clock.now())
    expect(view.lastError?.message).toContain('answered with an error page (HTTP 502)')
    expect(h.vault.get(added.id)?.lastError).toMatchObject({ kind: 'server_error', status: 502 })
  })
})
