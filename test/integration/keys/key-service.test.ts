// The key service over a real vault file and audit trail, checking against the loopback fakes: what a person does
// with a SafetyCulture token, an Airtable personal access token and an admin-managed service token.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Conf from 'conf'
import { Agent } from 'undici'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openAuditLog, type AuditLog } from '../../../src/main/core/audit/index.ts'
import { ApiError, InputError } from '../../../src/main/core/errors.ts'
import { KeyService } from '../../../src/main/core/keys/key-service.ts'
import { createPassphraseCipher, openVault, type Cipher, type Vault } from '../../../src/main/core/vault/index.ts'
import { startProviderSandbox, type ProviderSandbox } from '../../../src/main/sandbox/providers/index.ts'
import { FAST_SCRYPT, TEST_PASSPHRASE } from '../../support/core-harness.ts'
import { ManualClock } from '../../support/manual-clock.ts'

const DAY = 86_400_000

interface World {
  readonly dir: string
  readonly clock: ManualClock
  readonly fakes: ProviderSandbox
  readonly cipher: Cipher
  vault: Vault
  audit: AuditLog
  keys: KeyService
  readonly dispatcher: Agent
  /** Moves Larder's clock and the fakes' together. */
  advance(ms: number): Promise<void>
  reopen(): Promise<void>
}

let w: World

async function open(dir: string, cipher: Cipher, clock: ManualClock): Promise<{ vault: Vault; audit: AuditLog }> {
  const vault = await openVault({ path: path.join(dir, 'vault.json'), openStore: () => new Conf({ cwd: dir, configName: 'vault', configFileMode: 0o600 }), cipher, now: () => clock.now() })
  const audit = await openAuditLog({ path: path.join(dir, 'audit.jsonl'), now: () => clock.now() })
  return { vault, audit }
}

beforeEach(async () => {
  const clock = new ManualClock()
  const fakes = await startProviderSandbox({ startTime: clock.now(), frozen: true })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-keys-'))
  const { cipher } = await createPassphraseCipher(TEST_PASSPHRASE, undefined, { cost: FAST_SCRYPT })
  const dispatcher = new Agent({ connections: 4 })
  const opened = await open(dir, cipher, clock)
  const world: World = {
    dir,
    clock,
    fakes,
    cipher,
    dispatcher,
    ...opened,
    keys: new KeyService({ vault: opened.vault, clock, dispatcher, audit: opened.audit }),
    async advance(ms) {
      fakes.clock.advance(ms)
      await clock.advance(ms)
    },
    async reopen() {
      await world.vault.close()
      await world.audit.close()
      Object.assign(world, await open(dir, cipher, clock))
      world.keys = new KeyService({ vault: world.vault, clock, dispatcher, audit: world.audit })
    }
  }
  w = world
})

afterEach(async () => {
  await w.vault.close().catch(() => undefined)
  await w.audit.close()
  await w.fakes.close()
  await w.dispatcher.close()
  fs.rmSync(w.dir, { recursive: true, force: true })
})

function inputError(error: unknown): InputError {
  expect(error).toBeInstanceOf(InputError)
  return error as InputError
}

/** Everything on disk (vault, journal, audit, copies) as text, to look for a token in it. */
function onDisk(): string {
  return fs
    .readdirSync(w.dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), 'latin1'))
    .join('\n')
}

/** The key's audit entries, oldest first (a page lists the newest first). */
async function auditOf(id: string): Promise<{ action: string; outcome: string; detail: string }[]> {
  return [...(await w.audit.page({ limit: 50 })).entries].reverse().filter((entry) => entry.libraryId === id).map(({ action, outcome, detail }) => ({ action, outcome, detail: detail ?? '' }))
}

function safetyCultureUser(active = true): { value: string; id: string; userId: string } {
  const sc = w.fakes.safetyCulture
  const org = sc.addOrganisation({ name: 'Grill Haven Group' })
  const user = sc.addUser({ organisationId: org.id, firstname: 'Pat', lastname: 'Jansen', active })
  const token = sc.issueUserToken(user.id)
  return { ...token, userId: user.id }
}

describe('SafetyCulture', () => {
  it('is checked when added: who and which organisation it acts as; the token is sealed, never in clear or in the audit', async () => {
    const token = safetyCultureUser()
    const details = { kind: 'user', organisation: 'Grill Haven Group', owner: 'Pat Jansen', apiBaseUrl: w.fakes.safetyCulture.url }
    const key = await w.keys.add({ system: 'safetyculture', name: 'Grill Haven inspections', customer: 'Grill Haven', token: ` ${token.value}\n`, details })
    expect(key).toMatchObject({ state: 'active', lastUsedAt: w.clock.now(), lastCheck: { outcome: 'ok', identity: { who: 'Pat Jansen' } }, customer: 'Grill Haven' })
    expect(key.tokenPreview).toBe(`…${token.value.slice(-4)}`)
    expect(w.keys.status(key)).toBe('healthy')
    expect(await auditOf(key.id)).toEqual([{ action: 'added', outcome: 'ok', detail: 'SafetyCulture key' }])
    await w.vault.flush()
    expect(onDisk()).not.toContain(token.value)
  })

  it('a token SafetyCulture refuses is not added, and the error says the likely causes', async () => {
    const token = safetyCultureUser()
    w.fakes.safetyCulture.deactivateUser(token.userId)
    const details = { kind: 'user', organisation: 'Grill Haven Group', owner: 'Pat Jansen', apiBaseUrl: w.fakes.safetyCulture.url }
    const error = inputError(await w.keys.add({ system: 'safetyculture', name: 'Gone', token: token.value, details }).catch((e: unknown) => e))
    expect(error.field).toBe('token')
    expect(error.message).toMatch(/deactivated or left/)
    expect(w.vault.keys()).toEqual([])
  })

  it('warns at day 23 without use, is inactive at day 30 and never handed out then; a use elsewhere starts the count again', async () => {
    const token = safetyCultureUser()
    const details = { kind: 'user', organisation: 'Grill Haven Group', owner: 'Pat Jansen', apiBaseUrl: w.fakes.safetyCulture.url }
    const { id } = await w.keys.add({ system: 'safetyculture', name: 'Inspections', token: token.value, details })
    await w.advance(23 * DAY)
    expect(w.keys.status(w.vault.key(id)!)).toBe('expiring_soon')
    await w.keys.markUsedElsewhere(id, w.clock.now() - DAY)
    expect(w.keys.status(w.vault.key(id)!)).toBe('healthy')
    await w.advance(29 * DAY) // 30 days after that use
    expect(w.keys.status(w.vault.key(id)!)).toBe('inactive')
    const refused = (await w.keys.takeToken(id, 'copied', 'copy as token').catch((e: unknown) => e)) as ApiError
    expect(refused).toBeInstanceOf(ApiError)
    expect(refused.kind).toBe('invalid_grant')
    expect(refused.message).toMatch(/inactive: Larder does not hand out a key that no longer works/)
    expect((await auditOf(id)).at(-1)).toEqual({ action: 'copied', outcome: 'error', detail: 'copy as token: refused, the key is inactive' })
    expect(w.vault.key(id)?.history.map((item) => item.event)).toEqual(['added', 'used_elsewhere'])
  })

  it('a copy is a use: the 30 days start again from it', async () => {
    const token = safetyCultureUser()
    const details = { kind: 'user', organisation: 'O', owner: 'P', apiBaseUrl: w.fakes.safetyCulture.url }
    const { id } = await w.keys.add({ system: 'safetyculture', name: 'Used', token: token.value, details })
    await w.advance(20 * DAY)
    expect(await w.keys.takeToken(id, 'handed_out', 'larder token')).toBe(token.value)
    await w.advance(20 * DAY)
    expect(w.keys.status(w.vault.key(id)!)).toBe('healthy')
  })
})

describe('Airtable', () => {
  it('regenerated at Airtable: the old value is refused on its next check; the new one pasted in keeps name, notes and history', async () => {
    const at = w.fakes.airtable
    const user = at.addUser({ email: 'ops@grillhaven.example' })
    const token = at.createToken({ userId: user.id, name: 'larder', scopes: ['data.records:read', 'user.email:read'] })
    const { id } = await w.keys.add({ system: 'airtable', name: 'Tracking base', notes: 'made by Pat', token: token.value, details: { scopes: ['data.records:read'], apiBaseUrl: at.url } })
    const fresh = at.regenerateToken(token.id)
    const checked = await w.keys.check(id)
    expect(w.keys.status(checked)).toBe('needs_reauth')
    expect(checked.lastCheck?.message).toMatch(/regenerated/)

    const again = await w.keys.regenerate(id, fresh.value)
    expect(again).toMatchObject({ name: 'Tracking base', notes: 'made by Pat', lastCheck: { outcome: 'ok', identity: { who: 'ops@grillhaven.example' } } })
    expect(w.keys.status(again)).toBe('healthy')
    expect(again.history.map((item) => item.event)).toEqual(['added', 'regenerated'])
    // The old value is remembered (by fingerprint only) as replaced: pasting it back is refused.
    await expect(w.keys.regenerate(id, token.value)).rejects.toThrow()
    expect(await w.keys.takeToken(id, 'copied', 'copy as token')).toBe(fresh.value)
    await w.reopen()
    expect(w.vault.key(id)).toMatchObject({ name: 'Tracking base', history: [{ event: 'added' }, { event: 'regenerated' }] })
    expect(await w.keys.takeToken(id, 'copied', 'copy as token')).toBe(fresh.value)
  })

  it('a token with whitespace inside, or none, is refused before anything is sent', async () => {
    const before = w.fakes.airtable.counters.hits.length
    for (const bad of ['', '   ', 'pat1.abc def']) {
      const error = inputError(await w.keys.add({ system: 'airtable', name: 'X', token: bad, details: { apiBaseUrl: w.fakes.airtable.url } }).catch((e: unknown) => e))
      expect(error.field).toBe('token')
    }
    expect(w.fakes.airtable.counters.hits.length).toBe(before)
  })

  it('a customer label with a tab or line break inside is refused naming it (the rule libraries follow), before anything is sent', async () => {
    const before = w.fakes.airtable.counters.hits.length
    for (const bad of ['Grill\tHaven', 'Grill\nHaven']) {
      const error = inputError(await w.keys.add({ system: 'airtable', name: 'X', customer: bad, token: 'pat1.abc', details: { apiBaseUrl: w.fakes.airtable.url } }).catch((e: unknown) => e))
      expect(error.field).toBe('customer')
    }
    expect(w.fakes.airtable.counters.hits.length).toBe(before)
    expect(w.vault.keys()).toHaveLength(0)
  })
})

describe('admin-managed service tokens', () => {
  it("records the admin's revoke, restore and delete with their dates, and never hands out a revoked or expired token", async () => {
    const cu = w.fakes.checkUrl
    const robot = cu.createServiceUser({ name: 'svc-sync' })
    const token = cu.createToken({ serviceUserId: robot.id, name: 'prod', environment: 'production' })
    const details = { serviceUser: 'svc-sync', environment: 'production', expiresAt: w.clock.now() + 30 * DAY, checkUrl: token.checkUrl }
    const { id } = await w.keys.add({ system: 'service_token', name: 'Platform sync (prod)', token: token.value, details })
    expect(inputError(await w.keys.recordLifecycle(id, 'deleted').catch((e: unknown) => e)).message).toMatch(/is active: it cannot be deleted/)
    await w.advance(DAY)
    const revoked = await w.keys.recordLifecycle(id, 'revoked')
    expect(w.keys.status(revoked)).toBe('revoked')
    await expect(w.keys.takeToken(id, 'handed_out', 'larder exec')).rejects.toThrow(/revoked/)
    const restored = await w.keys.recordLifecycle(id, 'restored')
    expect(await w.keys.takeToken(id, 'handed_out', 'larder exec')).toBe(token.value)
    expect(restored.history).toEqual([
      { at: w.clock.now() - DAY, event: 'added' },
      { at: w.clock.now(), event: 'revoked' },
      { at: w.clock.now(), event: 'restored' }
    ])
    await w.advance(23 * DAY)
    expect(w.keys.status(w.vault.key(id)!)).toBe('expiring_soon')
    await w.advance(7 * DAY)
    expect(w.keys.status(w.vault.key(id)!)).toBe('expired')
    await expect(w.keys.takeToken(id, 'copied', 'copy')).rejects.toThrow(/expired/)
    expect((await auditOf(id)).map((entry) => `${entry.action}:${entry.outcome}`)).toEqual(['added:ok', 'revoked:ok', 'handed_out:error', 'restored:ok', 'handed_out:ok', 'copied:error'])
  })

  it('removing asks for the name, and the key is gone after a reopen', async () => {
    const { id } = await w.keys.add({ system: 'service_token', name: 'Staging', token: 'svc-token-123456', details: { serviceUser: 'svc', environment: 'staging', expiresAt: null } })
    expect(inputError(await w.keys.remove(id, 'staging').catch((e: unknown) => e)).field).toBe('confirmName')
    await w.keys.remove(id, 'Staging')
    await w.reopen()
    expect(w.vault.keys()).toEqual([])
  })
})
