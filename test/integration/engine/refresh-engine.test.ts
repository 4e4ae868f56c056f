import fs from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import Conf from 'conf'
import { RefreshEngine } from '../../../src/main/core/engine/refresh-engine.ts'
import { ApiError, InputError } from '../../../src/main/core/errors.ts'
import { openVault } from '../../../src/main/core/vault/index.ts'
import { readTree, secretsOf, startHarness, type Harness } from '../../support/core-harness.ts'

const HOUR = 3600_000
const DAY = 24 * HOUR

let h: Harness
afterEach(async () => {
  await h?.close()
})

function fixture(index = 0) {
  const library = h.sandbox.fixtures.libraries[index]
  if (!library) throw new Error(`no fixture library ${index}`)
  return library
}

describe('refresh engine against the sandbox', () => {
  it('rotates, persists the new pair before answering, and keeps no secret in clear on disk', async () => {
    h = await startHarness()
    const lib = fixture()
    const id = await h.store(lib)
    const token = await h.engine.refresh(id, 'manual')
    expect(token).not.toBe(lib.accessToken)
    // Durable before the answer: a fresh read of the file holds the new pair.
    const onDisk = fs.readFileSync(h.vaultPath, 'utf8')
    expect(onDisk).not.toContain(token)
    const secrets = await h.vault.secrets(id)
    expect(secrets.accessToken).toBe(token)
    expect(secrets.refreshToken).not.toBe(lib.refreshToken)
    expect(h.vault.isSpent(lib.refreshToken)).toBe(true)
    const everything = readTree(h.dir)
    for (const value of [...secretsOf(lib), secrets.accessToken, secrets.refreshToken]) expect(everything).not.toContain(value)
    expect(h.engine.status(id)).toBe('healthy')
  })

  it('100 simultaneous triggers share exactly one token request', async () => {
    h = await startHarness()
    const lib = fixture()
    const id = await h.store(lib)
    h.sandbox.faults.inject({ route: 'token', kind: 'latency', ms: 50, times: 1 })
    const triggers = ['manual', 'timer', 'copy', 'wake'] as const
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 5 === 4 ? h.engine.freshAccessToken(id, 30 * DAY) : h.engine.refresh(id, triggers[i % 4])))
    )
    expect(new Set(results).size).toBe(1)
    expect(h.sandbox.counters.tokenRequestsByFamily(lib.familyId)).toBe(1)
    expect(h.sandbox.counters.maxConcurrentRefreshesByFamily(lib.familyId)).toBe(1)
  })

  it('refreshes ahead of expiry on its own, and only once', async () => {
    h = await startHarness()
    const lib = fixture()
    const id = await h.store(lib)
    await h.advance(5 * DAY + 22 * HOUR)
    expect(h.sandbox.counters.tokenRequestsByFamily(lib.familyId)).toBe(0)
    await h.advance(2 * HOUR)
    expect(h.sandbox.counters.tokenRequestsByFamily(lib.familyId)).toBe(1)
    const meta = h.vault.get(id)
    expect(meta?.expiresAt).toBeGreaterThan(h.clock.now() + 6 * DAY)
    await h.advance(4 * DAY)
    expect(h.sandbox.counters.tokenRequestsByFamily(lib.familyId)).toBe(1)
  })

  it('a library left alone 30 days is refreshed once on wake, not in a loop', async () => {
    h = await startHarness()
    const lib = fixture()
    const id = await h.store(lib)
    // The machine sleeps: wall time jumps, no timer fires.
    h.clock.jump(30 * DAY)
    h.sandbox.clock.advance(30 * DAY)
    expect(h.engine.status(id)).toBe('expired')
    h.engine.reevaluate()
    h.engine.reevaluate() // Electron sends resume twice on some systems
    await h.advance(1_000)
    expect(h.sandbox.counters.tokenRequestsByFamily(lib.familyId)).toBe(1)
    expect(h.engine.status(id)).toBe('healthy')
    await h.advance(2 * HOUR)
    expect(h.sandbox.counters.tokenRequestsByFamily(lib.familyId)).toBe(1)
  })

  it('libraries added together spread their refreshes instead of all going in the same second', async () => {
    h = await startHarness({ engine: { random: Math.random } })
    const ids: string[] = []
    for (let i = 0; i < 40; i++) ids.push(await h.store(h.sandbox.addLibraryWithApplication({ name: `Spread ${i}` })))
    const seconds = new Set<number>()
    h.engine.on('refreshed', () => seconds.add(Math.floor(h.clock.now() / 1000)))
    await h.advance(6 * DAY + HOUR)
    expect(seconds.size).toBeGreaterThan(20)
  })

  it('emits status events: inside the warning window with its refresh planned a token stays healthy, then refreshes', async () => {
    h = await startHarness({ engine: { timing: () => ({ expiringSoonMs: 48 * HOUR, refreshAheadMs: 12 * HOUR, jitterMs: 0 }) } })
    const lib = fixture()
    const id = await h.store(lib)
    const seen: string[] = []
    h.engine.on('status', (e) => e.id === id && seen.push(e.status))
    const expiring: string[] = []
    h.engine.on('expiringSoon', (e) => expiring.push(e.id))
    await h.advance(5 * DAY + HOUR)
    // 47 h left, refresh planned 12 h ahead of expiry: on schedule, so no warning (issue 13: it was 'expiring_soon').
    expect(seen).toEqual([])
    expect(expiring).toEqual([])
    await h.advance(DAY + 12 * HOUR)
    expect(seen).toEqual(['refreshing', 'healthy'])
    expect(expiring).toEqual([])
  })
})

describe('each failure maps to a state and a message a person can act on', () => {
  it('a refresh token used elsewhere → needs re-authorization, never retried on its own', async () => {
    h = await startHarness()
    const lib = fixture()
    const id = await h.store(lib)
    // Somebody else rotates the token behind Larder's back.
    await h.client.refresh({ baseUrl: h.sandbox.url, libraryName: 'x', rateKey: 'x' }, lib, lib.refreshToken)
    const error = await h.engine.refresh(id).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).kind).toBe('invalid_grant')
    const meta = h.vault.get(id)
    expect(meta?.tokenState).toBe('needs_reauth')
    expect(meta?.lastError?.message).toContain(`Ask the owner of ${lib.name} for a new token`)
    expect(h.engine.status(id)).toBe('needs_reauth')
    const before = h.sandbox.counters.tokenRequestsByFamily(lib.familyId)
    await h.advance(10 * DAY)
    expect(h.sandbox.counters.tokenRequestsByFamily(lib.familyId)).toBe(before)
  })

  it('a rejected client secret names the library and waits for a person', async () => {
    h = await startHarness()
    const lib = fixture()
    const other = fixture(1)
    const id = await h.store({ ...lib, clientSecret: other.clientSecret })
    await expect(h.engine.refresh(id)).rejects.toMatchObject({ kind: 'invalid_client' })
    const meta = h.vault.get(id)
    expect(meta?.lastError?.kind).toBe('invalid_client')
    expect(meta?.lastError?.message).toContain(lib.name)
    expect(meta?.lastError?.retryAt).toBeUndefined()
    expect(h.engine.status(id)).toBe('error')
    expect(meta?.tokenState).toBe('active')
  })

  it('5xx and HTML pages are retried with backoff and recover', async () => {
    h = await startHarness()
    const lib = fixture()
    const id = await h.store(lib)
    h.sandbox.faults.inject({ route: 'token', kind: 'status', status: 503, times: 1 })
    h.sandbox.faults.inject({ route: 'token', kind: 'html', times: 1 })
    await expect(h.engine.refresh(id)).rejects.toMatchObject({ kind: 'server_error' })
    const first = h.vault.get(id)?.lastError
    expect(first?.retryAt).toBeGreaterThan(h.clock.now())
    await h.advance(first!.retryAt! - h.clock.now() + 10)
    const second = h.vault.get(id)?.lastError
    // Issue 19 item 8: an HTML error page is Apicbase answering with an error (server_error), with its status.
    expect(second?.kind).toBe('server_error')
    expect(second?.status).toBe(502)
    expect(second?.message).toMatch(/error page \(HTTP 502\)/)
    // Backoff grows.
    expect(second!.retryAt! - second!.at).toBeGreaterThan(first!.retryAt! - first!.at)
    await h.advance(second!.retryAt! - h.clock.now() + 10)
    expect(h.vault.get(id)?.lastError).toBeNull()
    expect(h.engine.status(id)).toBe('healthy')
    expect(h.sandbox.counters.tokenRequestsByFamily(lib.familyId)).toBe(3)
  })

  it('429 waits as Retry-After says', async () => {
    h = await startHarness()
    const lib = fixture()
    const id = await h.store(lib)
    h.sandbox.faults.inject({ route: 'token', kind: 'rate_limit', retryAfter: 120, times: 1 })
    await expect(h.engine.refresh(id)).rejects.toMatchObject({ kind: 'rate_limited' })
    const failure = h.vault.get(id)?.lastError
    expect(failure?.retryAt).toBe(h.clock.now() + 120_000)
    await h.advance(119_000)
    expect(h.sandbox.counters.tokenRequestsByFamily(lib.familyId)).toBe(1)
    await h.advance(2_000)
    expect(h.sandbox.counters.tokenRequestsByFamily(lib.familyId)).toBe(2)
    expect(h.engine.status(id)).toBe('healthy')
  })

  it('a reset before the server commits is retried and the token survives', async () => {
    h = await startHarness()
    const lib = fixture()
    const id = await h.store(lib)
    h.sandbox.faults.inject({ route: 'token', kind: 'reset_before_commit', times: 1 })
    await expect(h.engine.refresh(id)).rejects.toMatchObject({ kind: 'network' })
    await h.advance(h.vault.get(id)!.lastError!.retryAt! - h.clock.now() + 10)
    expect(h.engine.status(id)).toBe('healthy')
    expect(h.vault.get(id)?.tokenState).toBe('active')
  })

  it('a lost answer after the server rotated is said plainly on the next try', async () => {
    h = await startHarness()
    const lib = fixture()
    const id = await h.store(lib)
    h.sandbox.faults.inject({ route: 'token', kind: 'reset_after_commit', times: 1 })
    await expect(h.engine.refresh(id)).rejects.toMatchObject({ kind: 'network', maybeCommitted: true })
    expect(h.vault.get(id)?.lastError?.unanswered).toBe(true)
    await h.advance(h.vault.get(id)!.lastError!.retryAt! - h.clock.now() + 10)
    const meta = h.vault.get(id)
    expect(meta?.tokenState).toBe('needs_reauth')
    expect(meta?.lastError?.message).toBe(
      `The refresh token of ${lib.name} was used, but Apicbase's answer never arrived, so its replacement was lost. Ask the owner of ${lib.name} for a new token.`
    )
    expect(h.sandbox.counters.tokenRequestsByFamily(lib.familyId)).toBe(2)
  })

  it('a truncated answer to a committed rotation is malformed, then reported as a lost answer', async () => {
    h = await startHarness()
    const lib = fixture()
    const id = await h.store(lib)
    h.sandbox.faults.inject({ route: 'token', kind: 'truncated', times: 1 })
    await expect(h.engine.refresh(id)).rejects.toMatchObject({ kind: 'malformed_response' })
    await h.advance(h.vault.get(id)!.lastError!.retryAt! - h.clock.now() + 10)
    expect(h.vault.get(id)?.lastError?.message).toMatch(/answer never arrived/)
  })

  it('an older copy of the vault put back while running cannot resurrect a used refresh token', async () => {
    h = await startHarness()
    const lib = fixture()
    const id = await h.store(lib)
    const older = fs.readFileSync(h.vaultPath)
    await h.engine.refresh(id)
    fs.writeFileSync(h.vaultPath, older) // a restored backup, or a hand edit
    await h.engine.refresh(id)
    // The vault noticed the change and kept the live pair it held in memory: no dead token went out.
    expect(h.sandbox.counters.hits.filter((hit) => hit.route === 'token' && hit.status !== 200)).toEqual([])
    expect(h.engine.status(id)).toBe('healthy')
  })

  it('an older copy restored while Larder was closed is caught by the spent-token ledger, and nothing is sent', async () => {
    h = await startHarness()
    const lib = fixture()
    const id = await h.store(lib)
    // A copy of the data folder: the vault file and the journal that continues it.
    const older = fs.readFileSync(h.vaultPath)
    const olderJournal = fs.readFileSync(`${h.vaultPath}.journal`)
    await h.engine.refresh(id)
    await h.vault.close()
    fs.writeFileSync(h.vaultPath, older)
    fs.writeFileSync(`${h.vaultPath}.journal`, olderJournal)
    const vault = await openVault({
      path: h.vaultPath,
      openStore: () => new Conf({ cwd: h.dir, configName: 'vault', configFileMode: 0o600 }),
      cipher: h.cipher,
      now: () => h.clock.now()
    })
    try {
      const engine = new RefreshEngine({ vault, client: h.client, clock: h.clock, audit: h.audit })
      const requests = h.sandbox.counters.tokenRequestsByFamily(lib.familyId)
      const error = await engine.refresh(id).catch((e: unknown) => e)
      expect(error).toMatchObject({ kind: 'invalid_grant' })
      expect(h.sandbox.counters.tokenRequestsByFamily(lib.familyId)).toBe(requests)
      expect(vault.get(id)?.tokenState).toBe('needs_reauth')
      expect(vault.get(id)?.lastError?.message).toMatch(/already consumed/)
      engine.stop()
    } finally {
      await vault.close()
    }
  })
})

describe('bad input changes nothing', () => {
  it('the engine rejects unknown ids and nonsense margins with a clear error', async () => {
    h = await startHarness()
    const id = await h.store(fixture())
    const before = fs.readFileSync(h.vaultPath)
    expect(() => h.engine.refresh('')).toThrow(InputError)
    expect(() => h.engine.refresh('nope')).toThrow(/no library with id "nope"/)
    await expect(h.engine.freshAccessToken(id, -1)).rejects.toThrow(/marginMs/)
    await expect(h.engine.freshAccessToken(id, Number.NaN)).rejects.toThrow(/marginMs/)
    expect(fs.readFileSync(h.vaultPath).equals(before)).toBe(true)
    expect(h.sandbox.counters.hits).toEqual([])
  })
})
