// The window's bridge for keys of other systems, through the real app's handlers (each answer and event checked
// against the contract) and the loopback fakes: every key call, what each refuses (naming the field, nothing
// changed), the events, a copy in each format on the clipboard with no token in the answer, never a copy of a key
// that no longer works, and the desktop told once when a key starts expiring. No token in any answer or event.
import { describe, expect, it } from 'vitest'
import type { NotifierPort, TrayPort } from '../../../src/main/app/desktop-feed.ts'
import { NotificationPolicy, type Notice } from '../../../src/main/core/desktop/notification-policy.ts'
import type { TrayModel } from '../../../src/main/core/desktop/tray-model.ts'
import type { ProviderSandbox } from '../../../src/main/sandbox/providers/index.ts'
import type { CallName, CallResult, KeyView } from '../../../src/shared/contract.ts'
import { keysWorlds } from '../../support/keys-world.ts'
import type { LarderHarness, LarderHarnessOptions } from '../../support/larder-harness.ts'

const DAY = 86_400_000

const startWorld = keysWorlds()

async function started(options: LarderHarnessOptions = {}): Promise<{ h: LarderHarness; fakes: ProviderSandbox }> {
  const { h, fakes } = await startWorld(options)
  return { h, fakes }
}

async function ok<N extends CallName>(answer: Promise<CallResult<N>>): Promise<Extract<CallResult<N>, { ok: true }>['value']> {
  const result = await answer
  if (!result.ok) throw new Error(`refused: ${result.error.kind}: ${result.error.field ?? ''}: ${result.error.message}`)
  return result.value
}

interface Tokens {
  readonly sc: string
  readonly svc: string
  readonly at: string
  readonly atTokenId: string
}

/** One key of each system, added through the bridge. */
async function withKeys(harness: LarderHarness, sandbox: ProviderSandbox): Promise<{ sc: KeyView; svc: KeyView; at: KeyView; tokens: Tokens }> {
  const org = sandbox.safetyCulture.addOrganisation({ name: 'Grill Haven Group' })
  const user = sandbox.safetyCulture.addUser({ organisationId: org.id, firstname: 'Pat', lastname: 'Jansen' })
  const scToken = sandbox.safetyCulture.issueUserToken(user.id).value
  const sc = await ok(
    harness.handlers['keys.add']({
      system: 'safetyculture',
      name: 'Grill Haven inspections',
      customer: 'Grill Haven',
      token: scToken,
      details: { kind: 'user', organisation: 'Grill Haven Group', owner: 'Pat Jansen', apiBaseUrl: sandbox.safetyCulture.url }
    })
  )
  const robot = sandbox.checkUrl.createServiceUser({ name: 'svc-sync' })
  const svcToken = sandbox.checkUrl.createToken({ serviceUserId: robot.id, name: 'prod', carrier: { kind: 'header', name: 'X-Service-Token' } })
  const svc = await ok(
    harness.handlers['keys.add']({
      system: 'service_token',
      name: 'Platform sync',
      token: svcToken.value,
      details: { serviceUser: 'svc-sync', environment: 'production', expiresAt: null, carry: { kind: 'header', name: 'X-Service-Token' }, checkUrl: svcToken.checkUrl, envName: 'PLATFORM_TOKEN' }
    })
  )
  const atUser = sandbox.airtable.addUser({ bases: [{ name: 'Tracking' }, { name: 'Audits', permissionLevel: 'read' }] })
  const atIssued = sandbox.airtable.createToken({ userId: atUser.id, name: 'larder', scopes: ['data.records:read', 'schema.bases:read'] })
  const at = await ok(harness.handlers['keys.add']({ system: 'airtable', name: 'Tracking base', token: atIssued.value, details: { apiBaseUrl: sandbox.airtable.url } }))
  return { sc, svc, at, tokens: { sc: scToken, svc: svcToken.value, at: atIssued.value, atTokenId: atIssued.id } }
}

/** Nothing the window was told (answers through the checked handlers, events) holds any of the tokens. */
function expectNoToken(harness: LarderHarness, tokens: readonly string[], answers: readonly unknown[] = []): void {
  const seen = JSON.stringify([harness.events.all, answers])
  for (const token of tokens) expect(seen).not.toContain(token)
}

describe('keys through the bridge', () => {
  it('adds one key of each system, lists them as views with status, who they act as and what may be done; events carry the view', async () => {
    const { h, fakes } = await started()
    const { sc, svc, at, tokens } = await withKeys(h, fakes)
    expect(sc).toMatchObject({ system: 'safetyculture', customer: 'Grill Haven', state: 'active', status: 'healthy', byInactivity: true, tampered: false })
    expect(sc.lastCheck).toMatchObject({ outcome: 'ok', identity: { who: 'Pat Jansen' } })
    expect(sc.expiresAt).toBe(h.clock.now() + 30 * DAY)
    expect(sc.warnFrom).toBe(h.clock.now() + 23 * DAY)
    expect(sc.tokenPreview).toBe(`…${tokens.sc.slice(-4)}`)
    expect(sc.actions).toEqual(['copy', 'check', 'mark_used', 'keep_alive'])
    expect(svc.actions).toEqual(['copy', 'check', 'revoke', 'set_expiry', 'mark_used'])
    expect(at.actions).toEqual(['copy', 'check', 'regenerate'])
    const { keys } = await ok(h.handlers['keys.list']({}))
    expect(keys.map((key) => [key.name, key.system, key.status])).toEqual([
      ['Grill Haven inspections', 'safetyculture', 'healthy'],
      ['Platform sync', 'service_token', 'healthy'],
      ['Tracking base', 'airtable', 'healthy']
    ])
    await h.nextTurn()
    const changed = h.events.of('key.changed')
    expect(new Set(changed.map((view) => view.id))).toEqual(new Set([sc.id, svc.id, at.id]))
    expect(changed.find((view) => view.id === svc.id)).toEqual(keys.find((key) => key.id === svc.id))
    expectNoToken(h, [tokens.sc, tokens.svc, tokens.at], [keys])
  })

  it('update: name, customer, notes and details; an expiry date is history; a new check address is checked first', async () => {
    const { h, fakes } = await started()
    const { sc, svc, tokens } = await withKeys(h, fakes)
    const renamed = await ok(h.handlers['keys.update']({ id: sc.id, name: 'Grill Haven audits', customer: '', notes: 'Ops team', details: { keepAlive: true } }))
    expect(renamed).toMatchObject({ name: 'Grill Haven audits', customer: null, notes: 'Ops team', details: { keepAlive: true, owner: 'Pat Jansen' } })
    expect(renamed.history.map((item) => item.event)).toEqual(['added', 'details_changed'])
    const expiresAt = h.clock.now() + 20 * DAY
    const dated = await ok(h.handlers['keys.update']({ id: svc.id, details: { expiresAt } }))
    expect(dated).toMatchObject({ expiresAt, warnFrom: expiresAt - 7 * DAY, status: 'healthy' })
    expect(dated.history.map((item) => item.event)).toEqual(['added', 'expiry_changed'])
    // Bearer instead of the admin's header: the check URL refuses it, so nothing is saved.
    const before = JSON.stringify(h.core.vault.key(svc.id))
    expect(await h.handlers['keys.update']({ id: svc.id, details: { carry: { kind: 'bearer' } } })).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'details' } })
    expect(JSON.stringify(h.core.vault.key(svc.id))).toBe(before)
    await h.nextTurn()
    expect(h.events.of('key.changed').filter((view) => view.id === sc.id).at(-1)?.name).toBe('Grill Haven audits')
    expectNoToken(h, [tokens.sc, tokens.svc])
  })

  it('check, used elsewhere, regenerate in place, the admin lifecycle: each answers the view, the actions follow the state', async () => {
    const { h, fakes } = await started()
    const { sc, svc, at, tokens } = await withKeys(h, fakes)
    await h.advance(2 * DAY)
    const checked = await ok(h.handlers['keys.check']({ id: sc.id }))
    expect(checked.lastCheck?.at).toBe(h.clock.now())
    expect(checked.lastUsedAt).toBe(h.clock.now())
    const usedAt = h.clock.now() - 1_000
    expect((await ok(h.handlers['keys.markUsed']({ id: svc.id, at: usedAt }))).history.at(-1)).toEqual({ at: usedAt, event: 'used_elsewhere' })
    const fresh = fakes.airtable.regenerateToken(tokens.atTokenId)
    const regenerated = await ok(h.handlers['keys.regenerate']({ id: at.id, token: fresh.value }))
    expect(regenerated).toMatchObject({ id: at.id, name: 'Tracking base', status: 'healthy', tokenPreview: `…${fresh.value.slice(-4)}` })
    expect(regenerated.history.map((item) => item.event)).toEqual(['added', 'regenerated'])
    const revoked = await ok(h.handlers['keys.lifecycle']({ id: svc.id, event: 'revoked' }))
    expect(revoked).toMatchObject({ state: 'revoked', status: 'revoked', actions: ['restore', 'delete'] })
    expect(await ok(h.handlers['keys.lifecycle']({ id: svc.id, event: 'restored' }))).toMatchObject({ state: 'active', status: 'healthy' })
    expectNoToken(h, [tokens.sc, tokens.svc, tokens.at, fresh.value])
  })

  it('copy: each format on the clipboard as the terminal hands it out; the answer is a receipt without the token', async () => {
    const { h, fakes } = await started()
    const { sc, svc, tokens } = await withKeys(h, fakes)
    const copied = async (id: string, format: 'token' | 'header' | 'env' | 'curl'): Promise<string | null> => {
      const receipt = await ok(h.handlers['keys.copy']({ id, format }))
      expect(receipt).toMatchObject({ keyId: id, format, clearsAt: expect.any(Number) })
      expectNoToken(h, [tokens.sc, tokens.svc], [receipt])
      return h.clipboard.text
    }
    expect(await copied(sc.id, 'token')).toBe(tokens.sc)
    expect(await copied(sc.id, 'header')).toBe(`Authorization: Bearer ${tokens.sc}`)
    expect(await copied(sc.id, 'env')).toBe(`export SAFETYCULTURE_API_TOKEN=${tokens.sc}\nexport SAFETYCULTURE_API_URL=${fakes.safetyCulture.url}`)
    expect(await copied(sc.id, 'curl')).toBe(`curl -sS -H 'Authorization: Bearer ${tokens.sc}' ${fakes.safetyCulture.url}/accounts/user/v1/user:WhoAmI`)
    expect(await copied(svc.id, 'header')).toBe(`X-Service-Token: ${tokens.svc}`)
    expect(await copied(svc.id, 'env')).toBe(`export PLATFORM_TOKEN=${tokens.svc}`)
    const audit = (await h.core.audit.page({ limit: 50, action: 'copied' })).entries
    expect(audit.filter((entry) => entry.libraryId === sc.id).map((entry) => entry.detail)).toEqual(['format: curl', 'format: env', 'format: header', 'format: token'])
    expect(JSON.stringify((await h.core.audit.page({ limit: 200 })).entries)).not.toContain(tokens.sc)
  })

  it('never copies a key revoked by its admin, or one unused for 30 days: the clipboard keeps what it had', async () => {
    const { h, fakes } = await started()
    const { sc, svc, tokens } = await withKeys(h, fakes)
    await ok(h.handlers['keys.lifecycle']({ id: svc.id, event: 'revoked' }))
    expect(await h.handlers['keys.copy']({ id: svc.id, format: 'token' })).toMatchObject({ ok: false, error: { kind: 'api', apiKind: 'invalid_grant', message: expect.stringMatching(/revoked/) } })
    expect(h.clipboard.text).toBeNull()
    await h.advance(30 * DAY)
    const [inactive] = (await ok(h.handlers['keys.list']({}))).keys.filter((key) => key.id === sc.id)
    expect(inactive).toMatchObject({ status: 'inactive' })
    expect(inactive?.actions).not.toContain('copy')
    expect(await h.handlers['keys.copy']({ id: sc.id, format: 'header' })).toMatchObject({ ok: false, error: { kind: 'api', apiKind: 'invalid_grant', message: expect.stringMatching(/inactive/) } })
    expect(h.clipboard.text).toBeNull()
    expectNoToken(h, [tokens.sc, tokens.svc])
  })

  it("answers keys.list in the list's default order (most urgent first, then by name in the page's locale), so the window's sort finds it sorted", async () => {
    const { h, fakes } = await started()
    const { sc, svc, at } = await withKeys(h, fakes)
    const listed = async (input: { locale?: string }): Promise<string[]> => (await ok(h.handlers['keys.list'](input))).keys.map((key) => key.id)
    // All healthy: the SafetyCulture key has an expiry (known expiries first), then the two without one by name.
    expect(await listed({ locale: 'en-US' })).toEqual([sc.id, svc.id, at.id])
    // Revoked ranks last (the locale left out: English).
    await ok(h.handlers['keys.lifecycle']({ id: svc.id, event: 'revoked' }))
    expect(await listed({})).toEqual([sc.id, at.id, svc.id])
    expect(await h.handlers['keys.list']({ locale: 'not a locale!' })).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'locale' } })
  })

  it("bases: an Airtable key's bases, its missing scope as the API's refusal; other systems are told they have none", async () => {
    const { h, fakes } = await started()
    const { sc, at } = await withKeys(h, fakes)
    const { bases, complete } = await ok(h.handlers['keys.bases']({ id: at.id }))
    expect(complete).toBe(true)
    expect(bases.map((base) => [base.name, base.permissionLevel])).toEqual([
      ['Tracking', expect.any(String)],
      ['Audits', 'read']
    ])
    expect(await h.handlers['keys.bases']({ id: sc.id })).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'id', message: expect.stringMatching(/only Airtable keys/) } })
    const narrowUser = fakes.airtable.addUser({})
    const narrow = fakes.airtable.createToken({ userId: narrowUser.id, name: 'narrow', scopes: ['data.records:read'] })
    const other = await ok(h.handlers['keys.add']({ system: 'airtable', name: 'Narrow', token: narrow.value, details: { apiBaseUrl: fakes.airtable.url } }))
    expect(await h.handlers['keys.bases']({ id: other.id })).toMatchObject({ ok: false, error: { kind: 'api', apiKind: 'forbidden', message: expect.stringMatching(/schema\.bases:read/) } })
  })

  it('remove: only with the name typed; the removal is an event', async () => {
    const { h, fakes } = await started()
    const { at } = await withKeys(h, fakes)
    expect(await h.handlers['keys.remove']({ id: at.id, confirmName: 'Tracking' })).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'confirmName' } })
    expect(h.core.vault.key(at.id)).toBeDefined()
    expect(await ok(h.handlers['keys.remove']({ id: at.id, confirmName: 'Tracking base' }))).toEqual({ removed: at.id })
    expect(h.core.vault.key(at.id)).toBeUndefined()
    expect(h.events.of('key.removed')).toEqual([{ id: at.id }])
    expect((await ok(h.handlers['keys.list']({}))).keys.map((key) => key.name)).toEqual(['Grill Haven inspections', 'Platform sync'])
  })

  it('what each call refuses in meaning names the field, and nothing changes', async () => {
    const { h, fakes } = await started()
    const { sc, svc, at, tokens } = await withKeys(h, fakes)
    await h.nextTurn()
    const before = JSON.stringify(h.core.vault.keys())
    const eventsBefore = h.events.all.length
    const refusals: [CallName, object, string][] = [
      ['keys.add', { system: 'service_token', name: 'X', token: 'abc', details: { environment: 'prod', expiresAt: null } }, 'details.serviceUser'],
      ['keys.add', { system: 'safetyculture', name: 'X', token: 'abc', details: { kind: 'user', organisation: 'o', owner: 'p', scopes: [] } }, 'details'],
      ['keys.add', { system: 'airtable', name: '  ', token: 'abc', details: {} }, 'name'],
      ['keys.add', { system: 'airtable', name: 'X', token: 'two words', details: {} }, 'token'],
      ['keys.add', { system: 'airtable', name: 'X', token: tokens.at.slice(0, -1) + 'Z', details: { apiBaseUrl: fakes.airtable.url } }, 'token'],
      ['keys.update', { id: 'no-such-key', name: 'X' }, 'id'],
      ['keys.update', { id: svc.id, details: { checkUrl: 'ftp://example.test/' } }, 'details.checkUrl'],
      ['keys.update', { id: sc.id, name: '' }, 'name'],
      ['keys.check', { id: 'no-such-key' }, 'id'],
      ['keys.markUsed', { id: svc.id, at: h.clock.now() + DAY }, 'at'],
      ['keys.regenerate', { id: sc.id, token: 'new-value' }, 'id'],
      ['keys.regenerate', { id: at.id, token: tokens.at }, 'token'],
      ['keys.lifecycle', { id: svc.id, event: 'restored' }, 'event'],
      ['keys.lifecycle', { id: at.id, event: 'revoked' }, 'event'],
      ['keys.copy', { id: 'no-such-key', format: 'token' }, 'id'],
      ['keys.remove', { id: svc.id, confirmName: 'platform' }, 'confirmName'],
      ['keys.bases', { id: svc.id }, 'id']
    ]
    for (const [name, input, field] of refusals) {
      const answer = await h.handlers[name](input)
      expect(answer, `${name} ${JSON.stringify(input)}`).toMatchObject({ ok: false, error: { kind: 'invalid_input', field } })
    }
    // A service token without a check address cannot be copied as curl.
    const unchecked = await ok(h.handlers['keys.add']({ system: 'service_token', name: 'Unchecked', token: 'svc-unchecked-1234', details: { serviceUser: 'u', environment: 'staging', expiresAt: null } }))
    const afterAdd = JSON.stringify(h.core.vault.keys())
    expect(unchecked.actions).toEqual(['copy', 'revoke', 'set_expiry', 'mark_used'])
    expect(await h.handlers['keys.copy']({ id: unchecked.id, format: 'curl' })).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'format' } })
    expect(h.clipboard.text).toBeNull()
    expect(JSON.stringify(h.core.vault.keys())).toBe(afterAdd)
    expect(afterAdd.startsWith(before.slice(0, -1))).toBe(true)
    await h.nextTurn()
    // Only the one key added made events.
    expect(h.events.all.slice(eventsBefore).every((event) => event.name === 'key.changed' && (event.payload as KeyView).id === unchecked.id)).toBe(true)
  })
})

describe('keys on the desktop', () => {
  function recordingDesktop(now: () => number): { ports: { notifier: NotifierPort; tray: TrayPort }; notices: Notice[]; shown: TrayModel[] } {
    const policy = new NotificationPolicy({ now, toggles: { expiring: true, failed: true, needsReauth: true } })
    const notices: Notice[] = []
    const shown: TrayModel[] = []
    return {
      notices,
      shown,
      ports: {
        notifier: {
          observe: (libraries) => void notices.push(...policy.observe(libraries)),
          forget: (id) => policy.forget(id),
          configure: (toggles) => void notices.push(...policy.configure(toggles)),
          dispose: () => undefined
        },
        tray: { show: (model) => void shown.push(model), update: () => undefined, destroy: () => undefined }
      }
    }
  }

  it('a SafetyCulture key unused to day 23 is notified once and counted in the tray; day 30 says it ended', async () => {
    let clockNow = (): number => 0
    const desktop = recordingDesktop(() => clockNow())
    const { h, fakes } = await started({ ports: desktop.ports })
    clockNow = () => h.clock.now()
    const { sc, tokens } = await withKeys(h, fakes)
    await h.advance(2_000)
    expect(desktop.notices).toEqual([])
    await h.advance(23 * DAY)
    expect(h.events.of('key.changed').filter((view) => view.id === sc.id).at(-1)?.status).toBe('expiring_soon')
    const aboutKey = (): Notice[] => desktop.notices.filter((notice) => notice.type === 'library' && notice.libraryId === sc.id)
    expect(aboutKey()).toHaveLength(1)
    // In a key's own words: its system's rule and what to do, not a library's refresh.
    expect(aboutKey()[0]).toMatchObject({
      title: 'Grill Haven inspections (SafetyCulture) stops working soon unless it is used',
      body: expect.stringMatching(/^SafetyCulture ends a token unused for 30 days \(this one on \d{4}-\d\d-\d\d\)\. Use it, or tell Larder it was used elsewhere\. Click to open it in Larder\.$/),
      alert: 'expiring'
    })
    await h.advance(2_000)
    const tray = desktop.shown.at(-1)
    expect(tray?.level).toBe('warning')
    expect(tray?.tooltip).toMatch(/key(s)?: 1 expiring soon/)
    expect(JSON.stringify(tray?.menu)).toContain('Keys of other systems (3): 1 expiring soon')
    // Said once: another change of the same key in the same status says nothing more.
    await ok(h.handlers['keys.update']({ id: sc.id, notes: 'still unused' }))
    await h.nextTurn()
    expect(aboutKey()).toHaveLength(1)
    await h.advance(7 * DAY)
    expect(h.events.of('key.changed').filter((view) => view.id === sc.id).at(-1)?.status).toBe('inactive')
    expect(aboutKey()).toHaveLength(2)
    expect(aboutKey()[1]).toMatchObject({
      title: 'Grill Haven inspections (SafetyCulture) stopped working: unused for 30 days',
      body: expect.stringMatching(/^Make a new token in SafetyCulture \(My Profile → Settings → API tokens\) and add it to Larder\./)
    })
    expect(JSON.stringify([desktop.notices, desktop.shown])).not.toContain(tokens.sc)
  })

  it('with expiry notices switched off, a key starting to expire says nothing', async () => {
    let clockNow = (): number => 0
    const desktop = recordingDesktop(() => clockNow())
    const { h, fakes } = await started({ ports: desktop.ports })
    clockNow = () => h.clock.now()
    await ok(h.handlers['settings.update']({ notifications: { expiring: false } }))
    const { sc } = await withKeys(h, fakes)
    await h.advance(23 * DAY + 2_000)
    expect(h.events.of('key.changed').filter((view) => view.id === sc.id).at(-1)?.status).toBe('expiring_soon')
    expect(desktop.notices.filter((notice) => notice.type === 'library' && notice.libraryId === sc.id)).toEqual([])
  })
})
