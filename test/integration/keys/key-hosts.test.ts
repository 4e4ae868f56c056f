// Where a key's token may go without asking (the gap Apicbase libraries closed with requireTrustedApiHost): its own
// system's documented host (api.safetyculture.io, api.airtable.com) or this computer (the fakes). Any other API
// address, and any service token's check URL off this computer, needs the person to confirm that host by name, on add
// and when the address changes; until then nothing is sent and nothing is stored. The dispatcher is undici's mock
// agent with the network shut (loopback let through to the fakes), recording every request that leaves Larder.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Conf from 'conf'
import { MockAgent, type Dispatcher } from 'undici'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openAuditLog, type AuditLog } from '../../../src/main/core/audit/index.ts'
import { InputError } from '../../../src/main/core/errors.ts'
import { KeyService } from '../../../src/main/core/keys/key-service.ts'
import { createPassphraseCipher, openVault, type Vault } from '../../../src/main/core/vault/index.ts'
import { startProviderSandbox, type ProviderSandbox } from '../../../src/main/sandbox/providers/index.ts'
import { FAST_SCRYPT, TEST_PASSPHRASE } from '../../support/core-harness.ts'
import { ManualClock } from '../../support/manual-clock.ts'

interface World {
  readonly dir: string
  readonly fakes: ProviderSandbox
  readonly mock: MockAgent
  /** Every request Larder made, as origin + path. */
  readonly sent: string[]
  readonly vault: Vault
  readonly audit: AuditLog
  readonly keys: KeyService
}

let w: World

beforeEach(async () => {
  const clock = new ManualClock()
  const fakes = await startProviderSandbox({ startTime: clock.now(), frozen: true })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-key-hosts-'))
  const { cipher } = await createPassphraseCipher(TEST_PASSPHRASE, undefined, { cost: FAST_SCRYPT })
  const mock = new MockAgent()
  mock.disableNetConnect()
  mock.enableNetConnect((host) => host.startsWith('127.0.0.1:'))
  const sent: string[] = []
  const dispatcher: Dispatcher = mock.compose((dispatch) => (options, handler) => {
    sent.push(`${String(options.origin)}${options.path}`)
    return dispatch(options, handler)
  })
  const vault = await openVault({ path: path.join(dir, 'vault.json'), openStore: () => new Conf({ cwd: dir, configName: 'vault', configFileMode: 0o600 }), cipher, now: () => clock.now() })
  const audit = await openAuditLog({ path: path.join(dir, 'audit.jsonl'), now: () => clock.now() })
  w = { dir, fakes, mock, sent, vault, audit, keys: new KeyService({ vault, clock, dispatcher, audit }) }
})

afterEach(async () => {
  await w.vault.close().catch(() => undefined)
  await w.audit.close()
  await w.fakes.close()
  await w.mock.close()
  fs.rmSync(w.dir, { recursive: true, force: true })
})

async function refusal(attempt: Promise<unknown>): Promise<InputError> {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(InputError)
  return error as InputError
}

/** An answer from a host other than the fakes, once, for a request that is allowed to leave. */
function answers(origin: string, path: string, body: object): void {
  w.mock.get(origin).intercept({ path, method: 'GET' }).reply(200, body, { headers: { 'content-type': 'application/json' } })
}

const airtableKey = (apiBaseUrl?: string, confirmedHost?: string) => ({
  system: 'airtable' as const,
  name: 'Tracking base',
  token: 'patAbc123.secretvalue9f',
  details: apiBaseUrl === undefined ? {} : { apiBaseUrl },
  ...(confirmedHost === undefined ? {} : { confirmedHost })
})

const serviceKey = (checkUrl: string | null, confirmedHost?: string) => ({
  system: 'service_token' as const,
  name: 'Platform sync',
  token: 'svc-token-0123456789',
  details: { serviceUser: 'svc-sync', environment: 'production', expiresAt: null, checkUrl },
  ...(confirmedHost === undefined ? {} : { confirmedHost })
})

describe('an API address that is not the system’s own', () => {
  it('an Airtable key for https://evil.example is refused naming evil.example: nothing sent, nothing stored', async () => {
    const before = w.fakes.airtable.counters.hits.length
    const error = await refusal(w.keys.add(airtableKey('https://evil.example')))
    expect(error.field).toBe('confirmedHost')
    expect(error.message).toMatch(/evil\.example/)
    expect(error.message).toMatch(/Nothing was saved\./)
    expect(w.sent).toEqual([])
    expect(w.fakes.airtable.counters.hits.length).toBe(before)
    expect(w.vault.keys()).toEqual([])
  })

  it('confirmed by name, it proceeds: checked there and stored', async () => {
    answers('https://evil.example', '/v0/meta/whoami', { id: 'usrEvil' })
    const key = await w.keys.add(airtableKey('https://evil.example', 'evil.example'))
    expect(w.sent).toEqual(['https://evil.example/v0/meta/whoami'])
    expect(key).toMatchObject({ lastCheck: { outcome: 'ok', identity: { id: 'usrEvil' } }, details: { apiBaseUrl: 'https://evil.example' } })
    expect(w.vault.keys().map((stored) => stored.id)).toEqual([key.id])
  })

  it('a confirmation naming another host, or the address only looking like the system’s, still asks', async () => {
    for (const [address, confirmed, host] of [
      ['https://evil.example', 'api.airtable.com', 'evil.example'],
      ['https://api.airtable.com.evil.example', 'api.airtable.com', 'api.airtable.com.evil.example'],
      ['https://api.airtable.com:8443', 'api.airtable.com', 'api.airtable.com:8443'],
      ['https://user@evil.example/', undefined, 'evil.example']
    ] as const) {
      const error = await refusal(w.keys.add(airtableKey(address, confirmed)))
      expect(error.field).toBe('confirmedHost')
      expect(error.message).toContain(host)
    }
    const safetyCulture = { kind: 'user', organisation: 'O', owner: 'P', apiBaseUrl: 'https://api.safetyculture.io.evil.example' }
    const error = await refusal(w.keys.add({ system: 'safetyculture', name: 'Audits', token: 'sc-token-0123456789', details: safetyCulture }))
    expect(error.field).toBe('confirmedHost')
    expect(error.message).toMatch(/api\.safetyculture\.io\.evil\.example/)
    expect(w.sent).toEqual([])
    expect(w.vault.keys()).toEqual([])
  })

  it('the system’s own documented address needs no confirmation (the default, in any case)', async () => {
    answers('https://api.airtable.com', '/v0/meta/whoami', { id: 'usrOwn' })
    answers('https://api.airtable.com', '/v0/meta/whoami', { id: 'usrOwn' })
    answers('https://api.safetyculture.io', '/accounts/user/v1/user:WhoAmI', { user_id: 'user_1', organisation_id: 'role_1' })
    await w.keys.add(airtableKey())
    await w.keys.add({ ...airtableKey('https://API.Airtable.com/'), name: 'Upper case' })
    await w.keys.add({ system: 'safetyculture', name: 'Audits', token: 'sc-token-0123456789', details: { kind: 'user', organisation: 'O', owner: 'P' } })
    expect(w.sent).toEqual(['https://api.airtable.com/v0/meta/whoami', 'https://api.airtable.com/v0/meta/whoami', 'https://api.safetyculture.io/accounts/user/v1/user:WhoAmI'])
    expect(w.vault.keys()).toHaveLength(3)
  })

  it('the loopback fakes need nothing', async () => {
    const sc = w.fakes.safetyCulture
    const org = sc.addOrganisation({ name: 'Grill Haven Group' })
    const user = sc.addUser({ organisationId: org.id, firstname: 'Pat', lastname: 'Jansen' })
    const at = w.fakes.airtable
    const atUser = at.addUser({ email: 'ops@grillhaven.example' })
    await w.keys.add({ system: 'safetyculture', name: 'Audits', token: sc.issueUserToken(user.id).value, details: { kind: 'user', organisation: 'O', owner: 'P', apiBaseUrl: sc.url } })
    await w.keys.add({ ...airtableKey(at.url), token: at.createToken({ userId: atUser.id, name: 'larder', scopes: ['data.records:read'] }).value })
    const robot = w.fakes.checkUrl.createServiceUser({ name: 'svc-sync' })
    const token = w.fakes.checkUrl.createToken({ serviceUserId: robot.id, name: 'prod', environment: 'production' })
    await w.keys.add({ ...serviceKey(token.checkUrl), token: token.value })
    expect(w.vault.keys().map((key) => key.lastCheck?.outcome)).toEqual(['ok', 'ok', 'ok'])
  })
})

describe('a service token’s check URL', () => {
  it('on another host is refused naming it, nothing sent or stored; confirmed, it proceeds', async () => {
    const error = await refusal(w.keys.add(serviceKey('https://checks.example.net/v1/ping')))
    expect(error.field).toBe('confirmedHost')
    expect(error.message).toMatch(/checks\.example\.net/)
    expect(error.message).toMatch(/Nothing was saved\./)
    expect(w.sent).toEqual([])
    expect(w.vault.keys()).toEqual([])

    answers('https://checks.example.net', '/v1/ping', {})
    const key = await w.keys.add(serviceKey('https://checks.example.net/v1/ping', 'checks.example.net'))
    expect(w.sent).toEqual(['https://checks.example.net/v1/ping'])
    expect(key.lastCheck?.outcome).toBe('ok')
  })

  it('none at all sends nothing and needs nothing', async () => {
    await w.keys.add(serviceKey(null))
    expect(w.sent).toEqual([])
    expect(w.vault.keys()).toHaveLength(1)
  })

  it('moved to another host is asked about again, nothing sent or changed; a confirmed host is not asked about at each check', async () => {
    answers('https://checks.example.net', '/v1/ping', {})
    const { id } = await w.keys.add(serviceKey('https://checks.example.net/v1/ping', 'checks.example.net'))
    answers('https://checks.example.net', '/v1/ping', {})
    expect((await w.keys.check(id)).lastCheck?.outcome).toBe('ok')
    w.sent.length = 0

    const moved = await refusal(w.keys.update(id, { details: { checkUrl: 'https://collector.example.org/t' } }))
    expect(moved.field).toBe('confirmedHost')
    expect(moved.message).toMatch(/collector\.example\.org/)
    expect(moved.message).toMatch(/Nothing was saved\./)
    expect(w.sent).toEqual([])
    expect(w.vault.key(id)?.details).toMatchObject({ checkUrl: 'https://checks.example.net/v1/ping' })
    // A key without a check URL that is given one: the same.
    const { id: bare } = await w.keys.add(serviceKey(null))
    expect((await refusal(w.keys.update(bare, { details: { checkUrl: 'https://collector.example.org/t' } }))).field).toBe('confirmedHost')
    expect(w.sent).toEqual([])

    // Other details change without asking; the confirmed move is checked at its new address.
    await w.keys.update(id, { details: { environment: 'staging' }, notes: 'moved' })
    answers('https://collector.example.org', '/t', {})
    const changed = await w.keys.update(id, { details: { checkUrl: 'https://collector.example.org/t' }, confirmedHost: 'collector.example.org' })
    expect(changed.details).toMatchObject({ checkUrl: 'https://collector.example.org/t', environment: 'staging' })
    expect(w.sent).toEqual(['https://collector.example.org/t'])
  })

  it('an Airtable key moved off api.airtable.com is asked about; moved to a fake on this computer it is not', async () => {
    const at = w.fakes.airtable
    const token = at.createToken({ userId: at.addUser({ email: 'ops@grillhaven.example' }).id, name: 'larder', scopes: ['data.records:read'] })
    answers('https://api.airtable.com', '/v0/meta/whoami', { id: 'usrOwn' })
    const { id } = await w.keys.add({ ...airtableKey(), token: token.value })
    w.sent.length = 0
    expect((await refusal(w.keys.update(id, { details: { apiBaseUrl: 'https://evil.example' } }))).field).toBe('confirmedHost')
    expect(w.sent).toEqual([])
    expect(w.vault.key(id)?.details).toMatchObject({ apiBaseUrl: 'https://api.airtable.com' })
    const moved = await w.keys.update(id, { details: { apiBaseUrl: at.url } })
    expect(moved).toMatchObject({ details: { apiBaseUrl: at.url }, lastCheck: { outcome: 'ok' } })
  })
})
