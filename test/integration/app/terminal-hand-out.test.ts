// Tokens handed to a terminal through the real app's terminal handlers (sandbox on loopback, passphrase vault): each
// format, the environment of `larder exec` with its prefixes and refusals, the audit trail (library, command and
// session, never the token), and 200 concurrent `token` calls for a due library making exactly one refresh.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ClientFacts, TerminalResult } from '../../../src/shared/terminal-words.ts'
import type { LibraryCredentials } from '../../sandbox/index.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const WEEK = 7 * 24 * HOUR
const FACTS: ClientFacts = { pid: 4242, ppid: 4100, session: 'linux:sid=4100;tty=34816;start=123', tty: 'pts/3', cwd: '/home/pat', command: 'token' }

let h: LarderHarness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

/** The app with every terminal session allowed at once (as a person clicking Allow would). */
async function started(): Promise<LarderHarness> {
  const harness = await startLarder()
  harness.app.events.on('terminal.requested', (request) => harness.app.terminal.access.approve(request.requestId))
  h = harness
  return harness
}

async function added(harness: LarderHarness, name: string): Promise<{ id: string; credentials: LibraryCredentials }> {
  const credentials = harness.sandbox.addLibraryWithApplication({ name })
  const { tokenType, clientId, clientSecret, accessToken, refreshToken } = credentials
  const library = await harness.actions.add({ tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: harness.sandbox.url })
  return { id: library.id, credentials }
}

function value<T>(result: TerminalResult): T {
  if (!result.ok) throw new Error(`refused: ${result.error.kind}: ${result.error.message}`)
  return result.value as T
}

const token = (harness: LarderHarness, library: string, format: string): Promise<TerminalResult> => harness.app.terminal.handlers.token({ library, format }, FACTS, () => undefined)
const env = (harness: LarderHarness, libraries: unknown[]): Promise<TerminalResult> =>
  harness.app.terminal.handlers.env({ libraries, command: 'node' }, { ...FACTS, command: 'exec' }, () => undefined)

describe('larder token', () => {
  it('hands out the token in each format, for a library named by name, id or Apicbase id', async () => {
    const h = await started()
    const { id, credentials } = await added(h, 'Brasserie Nord')
    const { accessToken } = await h.core.vault.secrets(id, ['accessToken'])
    const libraryId = String(credentials.id)
    const expiresAt = h.core.libraries.get(id).expiresAt
    expect(value(await token(h, 'brasserie', 'raw'))).toEqual({ text: accessToken, expiresAt })
    expect(value<{ text: string }>(await token(h, id, 'header')).text).toBe(`Authorization: Bearer ${accessToken}`)
    expect(value<{ text: string }>(await token(h, libraryId, 'env')).text).toBe(
      [`export APICBASE_ACCESS_TOKEN=${accessToken}`, `export APICBASE_API_URL=${h.sandbox.url}`, `export APICBASE_LIBRARY_ID=${libraryId}`].join('\n')
    )
    expect(value<{ text: string }>(await token(h, 'Brasserie Nord', 'curl')).text).toBe(`curl -sS -H 'Authorization: Bearer ${accessToken}' ${h.sandbox.url}/api/v2/library/recipes/`)
    expect(JSON.parse(value<{ text: string }>(await token(h, 'Brasserie Nord', 'json')).text)).toEqual({
      access_token: accessToken,
      token_type: 'Bearer',
      expires_at: new Date(expiresAt ?? 0).toISOString(),
      api_url: h.sandbox.url,
      library_id: libraryId
    })
  })

  it('an unknown or ambiguous name is not_found with the candidates; a bad format is refused at the edge', async () => {
    const h = await started()
    const nord = await added(h, 'Bistro Nord')
    const zuid = await added(h, 'Bistro Zuid')
    const ambiguous = await token(h, 'bistro', 'raw')
    expect(ambiguous).toMatchObject({ ok: false, error: { kind: 'not_found', candidates: [{ id: nord.id }, { id: zuid.id }] } })
    const unknown = await token(h, 'Bistro Oost', 'raw')
    expect(unknown).toMatchObject({ ok: false, error: { kind: 'not_found', message: 'No library matches "Bistro Oost".' } })
    expect(unknown.ok ? [] : unknown.error.candidates?.map((c) => c.name).sort()).toEqual(['Bistro Nord', 'Bistro Zuid'])
    expect(await token(h, 'Bistro Nord', 'yaml')).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'format' } })
  })

  it('audits every hand-out with library, command and session, and never the token', async () => {
    const h = await started()
    const { id } = await added(h, 'Brasserie Nord')
    const { accessToken, refreshToken } = await h.core.vault.secrets(id, ['accessToken', 'refreshToken'])
    await token(h, 'Brasserie Nord', 'header')
    await env(h, [{ library: id }])
    await h.nextTurn()
    const handed = (await h.core.audit.page({ limit: 10, action: 'handed_out' })).entries
    expect(handed.map((entry) => [entry.libraryId, entry.outcome, entry.detail])).toEqual([
      [id, 'ok', 'larder exec node; session pts/3, shell pid 4100 (pid 4242)'],
      [id, 'ok', 'larder token --format header; session pts/3, shell pid 4100 (pid 4242)']
    ])
    expect(h.core.libraries.get(id).lastUsedAt).toBe(h.clock.now())
    const trail = fs.readFileSync(path.join(h.dir, 'audit.jsonl'), 'utf8')
    expect(trail).toContain('handed_out')
    expect(trail).not.toContain(accessToken)
    expect(trail).not.toContain(refreshToken)
  })
})

describe('larder exec (the env call)', () => {
  it('one library: the three plain variables', async () => {
    const h = await started()
    const { id, credentials } = await added(h, 'Brasserie Nord')
    const { accessToken } = await h.core.vault.secrets(id, ['accessToken'])
    expect(value(await env(h, [{ library: 'Brasserie Nord' }]))).toEqual({
      env: { APICBASE_ACCESS_TOKEN: accessToken, APICBASE_API_URL: h.sandbox.url, APICBASE_LIBRARY_ID: String(credentials.id) }
    })
  })

  it('several libraries: APICBASE_<KEY>_… with KEY given or the name in upper snake case, and no plain names', async () => {
    const h = await started()
    const nord = await added(h, 'Café Nord')
    const zuid = await added(h, 'Bistro Zuid 2')
    const answer = value<{ env: Record<string, string> }>(await env(h, [{ library: 'Café Nord' }, { library: zuid.id, prefix: 'south' }]))
    expect(Object.keys(answer.env).sort()).toEqual([
      'APICBASE_CAFE_NORD_ACCESS_TOKEN',
      'APICBASE_CAFE_NORD_API_URL',
      'APICBASE_CAFE_NORD_LIBRARY_ID',
      'APICBASE_SOUTH_ACCESS_TOKEN',
      'APICBASE_SOUTH_API_URL',
      'APICBASE_SOUTH_LIBRARY_ID'
    ])
    expect(answer.env['APICBASE_CAFE_NORD_ACCESS_TOKEN']).toBe((await h.core.vault.secrets(nord.id, ['accessToken'])).accessToken)
    expect(answer.env['APICBASE_SOUTH_LIBRARY_ID']).toBe(String(zuid.credentials.id))
  })

  it('two libraries with one KEY are a usage error, before any token is handed out', async () => {
    const h = await started()
    await added(h, 'Café Zuid')
    await added(h, 'Cafe-Zuid')
    const collision = await env(h, [{ library: 'Café Zuid' }, { library: 'Cafe-Zuid' }])
    expect(collision).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'libraries.1', message: expect.stringMatching(/both be APICBASE_CAFE_ZUID_/) } })
    const given = await env(h, [{ library: 'Café Zuid', prefix: 'A' }, { library: 'Cafe-Zuid', prefix: 'a' }])
    expect(given).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'libraries.1' } })
    await h.nextTurn()
    expect((await h.core.audit.page({ limit: 10, action: 'handed_out' })).entries).toEqual([])
  })
})

describe('200 concurrent token calls for a due library', () => {
  it('make exactly one refresh at the sandbox, and all get the new token', async () => {
    const h = await started()
    await h.actions.updateSettings({ refreshAheadMs: 10 * MINUTE, copyFreshnessMarginMs: HOUR })
    const { id, credentials } = await added(h, 'Brasserie Due')
    await h.advance(WEEK - 30 * MINUTE) // inside the copy margin, before the timer's 10 min
    const old = await h.core.vault.secrets(id, ['accessToken', 'refreshToken'])
    const tokenHits = (): number => h.sandbox.counters.hits.filter((hit) => hit.route === 'token' && hit.libraryId === credentials.id).length
    const before = tokenHits()
    h.sandbox.faults.inject({ route: 'token', kind: 'latency', ms: 300 })

    const answers = await Promise.all(Array.from({ length: 200 }, () => token(h, 'Brasserie Due', 'raw')))

    expect(tokenHits()).toBe(before + 1)
    const texts = new Set(answers.map((answer) => value<{ text: string }>(answer).text))
    expect(texts.size).toBe(1)
    const now = await h.core.vault.secrets(id, ['accessToken'])
    expect([...texts]).toEqual([now.accessToken])
    expect(now.accessToken).not.toBe(old.accessToken)
    expect(h.core.vault.isSpent(old.refreshToken)).toBe(true)
    await h.nextTurn()
    expect((await h.core.audit.page({ limit: 500, action: 'handed_out' })).entries).toHaveLength(200)
    expect((await h.core.audit.page({ limit: 10, action: 'refreshed', libraryId: id })).entries).toHaveLength(1)
  })
})
