// Through the app's handlers: a library whose API host is not Apicbase's is added, re-authorized or connected only
// with a confirmation naming that host, and nothing is sent or stored without one; a default API URL on such a host
// needs its own confirmation in Settings, and every library added with it still needs one (issue 13, item 2).
// Requests to any https host are routed to the sandbox, so the hosts below are only names: nothing leaves loopback.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Agent } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallInput } from '../../../src/shared/contract.ts'
import { assembleCore } from '../../browser-host/assemble.ts'
import type { LibraryCredentials } from '../../sandbox/index.ts'
import { FAST_SCRYPT } from '../../support/core-harness.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

const PARTNER = 'https://partner-proxy.example'
const LOOKALIKE = 'https://api.apicbase.com.evil.example'

let h: LarderHarness
let agent: Agent | null = null
/** The origins Larder asked for, before they were routed to the sandbox. */
let asked: string[] = []

afterEach(async () => {
  await h?.close()
  await agent?.close()
  agent = null
  asked = []
})

async function start(): Promise<LarderHarness> {
  h = await startLarder({
    dispatcher: (sandbox) => {
      agent = new Agent()
      return agent.compose((dispatch) => (options, handler) => {
        asked.push(String(options.origin))
        return dispatch({ ...options, origin: sandbox.url }, handler)
      })
    }
  })
  return h
}

function pasted(credentials: LibraryCredentials, extra: Partial<CallInput<'libraries.add'>> = {}): CallInput<'libraries.add'> {
  const { tokenType, name, clientId, clientSecret, accessToken, refreshToken } = credentials
  return { tokenType, name, clientId, clientSecret, accessToken, refreshToken, ...extra }
}

describe('adding a library on a host that is not Apicbase', () => {
  it('is refused without a confirmation naming the host: nothing sent, nothing stored', async () => {
    await start()
    const credentials = h.sandbox.addLibraryWithApplication({ name: 'Bistro Elsewhere' })
    for (const [apiBaseUrl, host] of [
      [PARTNER, 'partner-proxy.example'],
      [LOOKALIKE, 'api.apicbase.com.evil.example'],
      ['https://203.0.113.7', '203.0.113.7']
    ] as const) {
      for (const confirmedHost of [undefined, 'api.apicbase.com', 'evil.example']) {
        const result = await h.handlers['libraries.add'](pasted(credentials, { apiBaseUrl, ...(confirmedHost === undefined ? {} : { confirmedHost }) }))
        expect(result, `${apiBaseUrl} confirmed as ${confirmedHost}`).toMatchObject({
          ok: false,
          error: { kind: 'invalid_input', field: 'confirmedHost', message: expect.stringContaining(host) }
        })
      }
    }
    expect(asked).toEqual([])
    expect(h.sandbox.counters.hits).toEqual([])
    expect(await h.handlers['libraries.list']({})).toEqual({ ok: true, value: [] })
    expect(h.vault.list()).toEqual([])
  })

  it('is added with the confirmation, and its view names the host as not Apicbase', async () => {
    await start()
    const credentials = h.sandbox.addLibraryWithApplication({ name: 'Bistro Elsewhere' })
    const result = await h.handlers['libraries.add'](pasted(credentials, { apiBaseUrl: `${PARTNER}/`, confirmedHost: 'partner-proxy.example' }))
    if (!result.ok) throw new Error(result.error.message)
    expect(result.value).toMatchObject({ apiBaseUrl: PARTNER, apiHost: 'partner-proxy.example', apiHostKind: 'other', status: 'healthy' })
    expect(asked.every((origin) => origin === PARTNER)).toBe(true)
    expect(asked.length).toBeGreaterThan(0)
    await h.nextTurn()
    const added = (await h.handlers['audit.page']({ limit: 10, action: 'added' }))
    expect(added).toMatchObject({ ok: true, value: { entries: [{ detail: expect.stringContaining('partner-proxy.example') }] } })
  })

  it("needs no confirmation for Apicbase's hosts or the loopback sandbox", async () => {
    await start()
    const apicbase = await h.handlers['libraries.add'](pasted(h.sandbox.addLibraryWithApplication({ name: 'On Apicbase' }), { apiBaseUrl: 'https://API.apicbase.com' }))
    expect(apicbase).toMatchObject({ ok: true, value: { apiBaseUrl: 'https://api.apicbase.com', apiHost: 'api.apicbase.com', apiHostKind: 'apicbase' } })
    const sandbox = await h.handlers['libraries.add'](pasted(h.sandbox.addLibraryWithApplication({ name: 'On the sandbox' }), { apiBaseUrl: h.sandbox.url }))
    expect(sandbox).toMatchObject({ ok: true, value: { apiHostKind: 'loopback', apiHost: new URL(h.sandbox.url).host } })
  })
})

describe('re-authorizing a library on a host that is not Apicbase', () => {
  it('needs the confirmation again before the new pair goes there', async () => {
    await start()
    const credentials = h.sandbox.addLibraryWithApplication({ name: 'Bistro Elsewhere' })
    const added = await h.handlers['libraries.add'](pasted(credentials, { apiBaseUrl: PARTNER, confirmedHost: 'partner-proxy.example' }))
    if (!added.ok) throw new Error(added.error.message)
    const id = added.value.id
    expect(await h.handlers['libraries.revoke']({ id })).toMatchObject({ ok: true, value: { status: 'revoked' } })
    const pair = h.sandbox.issueTokenPair({ clientId: credentials.clientId, kind: credentials.tokenType, libraryId: credentials.id, scopes: credentials.scopes })
    const hits = h.sandbox.counters.hits.length
    const refused = await h.handlers['libraries.reauthorize']({ id, accessToken: pair.accessToken, refreshToken: pair.refreshToken })
    expect(refused).toMatchObject({ ok: false, error: { field: 'confirmedHost', message: expect.stringContaining('partner-proxy.example') } })
    expect(h.sandbox.counters.hits.length).toBe(hits)
    expect(h.core.libraries.get(id).status).toBe('revoked')
    const back = await h.handlers['libraries.reauthorize']({ id, accessToken: pair.accessToken, refreshToken: pair.refreshToken, confirmedHost: 'partner-proxy.example' })
    expect(back).toMatchObject({ ok: true, value: { status: 'healthy', apiHostKind: 'other' } })
  })
})

describe('connecting a personal token on a host that is not Apicbase', () => {
  it('starts only with the confirmation', async () => {
    await start()
    const { clientId, clientSecret } = h.sandbox.fixtures.partner
    const input = { clientId, clientSecret, scopes: ['accounts'], apiBaseUrl: LOOKALIKE, redirect: 'paste' as const }
    expect(await h.handlers['oauth.start'](input)).toMatchObject({ ok: false, error: { field: 'confirmedHost', message: expect.stringContaining('api.apicbase.com.evil.example') } })
    const started = await h.handlers['oauth.start']({ ...input, confirmedHost: 'api.apicbase.com.evil.example' })
    expect(started).toMatchObject({ ok: true, value: { authorizeUrl: expect.stringMatching(/^https:\/\/app\.apicbase\.com\.evil\.example\/oauth\/authorize\//) } })
  })
})

describe('the default API base URL in Settings', () => {
  it('moves to a host that is not Apicbase only with a confirmation, and each add with it still needs its own', async () => {
    await start()
    const before = await h.handlers['settings.get']({})
    const refused = await h.handlers['settings.update']({ defaultApiBaseUrl: PARTNER })
    expect(refused).toMatchObject({ ok: false, error: { field: 'confirmedDefaultApiHost', message: expect.stringContaining('partner-proxy.example') } })
    expect(await h.handlers['settings.get']({})).toEqual(before)
    expect(await h.handlers['settings.update']({ defaultApiBaseUrl: PARTNER, confirmedDefaultApiHost: 'evil.example' })).toMatchObject({ ok: false })
    expect(await h.handlers['settings.get']({})).toEqual(before)

    const moved = await h.handlers['settings.update']({ defaultApiBaseUrl: PARTNER, confirmedDefaultApiHost: 'partner-proxy.example' })
    expect(moved).toMatchObject({ ok: true, value: { defaultApiBaseUrl: PARTNER } })
    // Saving other settings with the default it already has asks nothing again.
    expect(await h.handlers['settings.update']({ defaultApiBaseUrl: PARTNER, clipboardClearMs: 60_000 })).toMatchObject({ ok: true })

    const credentials = h.sandbox.addLibraryWithApplication({ name: 'By default' })
    expect(await h.handlers['libraries.add'](pasted(credentials))).toMatchObject({ ok: false, error: { field: 'confirmedHost', message: expect.stringContaining('partner-proxy.example') } })
    expect(h.vault.list()).toEqual([])
    expect(asked).toEqual([])
    const added = await h.handlers['libraries.add'](pasted(credentials, { confirmedHost: 'partner-proxy.example' }))
    expect(added).toMatchObject({ ok: true, value: { apiBaseUrl: PARTNER, apiHostKind: 'other' } })

    // Back to Apicbase's own needs nothing.
    expect(await h.handlers['settings.update']({ defaultApiBaseUrl: 'https://api.apicbase.com' })).toMatchObject({ ok: true })
  })
})

describe("the development host's --api-url", () => {
  it('is taken as the default: the person typed that host on the command line', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-api-url-'))
    try {
      const assembled = await assembleCore({ dataDir, sandboxUrl: 'https://staging.partner.example', scryptCost: FAST_SCRYPT })
      expect(assembled.actions.readSettings().defaultApiBaseUrl).toBe('https://staging.partner.example')
      await assembled.close()
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
