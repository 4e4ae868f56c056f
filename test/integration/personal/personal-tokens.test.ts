// Personal tokens across several libraries, against the sandbox over loopback (no mocked HTTP): discovering the
// libraries a token's user can reach, adding them as entries that share one stored pair, the switch-confirm-do
// primitive under 50 interleaved operations, drift made behind Larder's back, and the per-token request budget.
import fs from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { CopyReceipt, LibraryView } from '../../../src/shared/contract.ts'
import { buildTrayModel, type MenuNode } from '../../../src/main/core/desktop/tray-model.ts'
import { InputError } from '../../../src/main/core/errors.ts'
import type { LibraryWithStatus } from '../../../src/main/core/libraries/library-service.ts'
import { LibraryDriftError } from '../../../src/main/core/personal/errors.ts'
import type { PersonalState } from '../../../src/main/core/personal/personal-types.ts'
import { toLibraryView } from '../../../src/main/app/views.ts'
import { LIBRARY_IDS, PERSONAL_USER_ID, type Hit } from '../../sandbox/index.ts'
import { readTree } from '../../support/core-harness.ts'
import { startLarder, tracked, type LarderHarness } from '../../support/larder-harness.ts'
import { SCHEMA_VERSION } from '../../../src/main/core/vault/migrations.ts'
import { durableBytes, durableContent } from '../../support/vault-files.ts'

let h: LarderHarness
afterEach(async () => {
  await h?.close()
})

const NORD = String(LIBRARY_IDS.brasserieNord)
const ZUID = String(LIBRARY_IDS.cafeZuid)
const OOST = String(LIBRARY_IDS.trattoriaOost)

/** Pat Partner's personal token pasted into Larder: the record that holds the pair (the connection). */
async function connectPat(): Promise<LibraryWithStatus> {
  const pat = h.sandbox.fixtures.user.token
  return h.actions.add({
    tokenType: 'personal',
    name: 'Pat (personal)',
    clientId: pat.clientId,
    clientSecret: pat.clientSecret,
    accessToken: pat.accessToken,
    refreshToken: pat.refreshToken,
    apiBaseUrl: h.sandbox.url
  })
}

async function connectWithEntries(): Promise<{ connection: LibraryWithStatus; nord: LibraryWithStatus; zuid: LibraryWithStatus; oost: LibraryWithStatus }> {
  const connection = await connectPat()
  const [nord, zuid, oost] = await h.actions.addPersonalLibraries(connection.id, [NORD, ZUID, OOST])
  if (!nord || !zuid || !oost) throw new Error('entries missing')
  return { connection, nord, zuid, oost }
}

function familyHits(): Hit[] {
  const family = h.sandbox.fixtures.user.token.familyId
  return h.sandbox.counters.hits.filter((hit) => hit.familyId === family)
}

function states(): PersonalState[] {
  const seen: PersonalState[] = []
  h.core.on('personal.active', (state) => seen.push(state))
  return seen
}

describe('discovering and adding the libraries of a personal token', () => {
  it('lists what its user can reach with the active one, adds them as entries sharing one stored pair', async () => {
    h = await startLarder()
    const connection = await connectPat()
    expect(connection.personal).toMatchObject({ role: 'connection', activeLibraryId: NORD, drifted: false, libraryCount: 0 })

    const listed = await h.actions.reachableLibraries(connection.id)
    expect(listed.libraries).toEqual([
      { apicbaseLibraryId: NORD, name: 'Brasserie Nord', status: 'active', active: true, entryId: null },
      { apicbaseLibraryId: ZUID, name: 'Café Zuid', status: 'active', active: false, entryId: null },
      { apicbaseLibraryId: OOST, name: 'Trattoria Oost', status: 'active', active: false, entryId: null }
    ])
    expect(listed.state).toMatchObject({ activeLibraryId: NORD, activeLibraryName: 'Brasserie Nord', drifted: false })

    const added = await h.actions.addPersonalLibraries(connection.id, [ZUID, NORD, ` ${OOST} `])
    expect(added.map((entry) => [entry.name, entry.apicbaseLibraryId])).toEqual([
      ['Café Zuid', ZUID],
      ['Brasserie Nord', NORD],
      ['Trattoria Oost', OOST]
    ])
    for (const entry of added) {
      expect(entry).toMatchObject({ tokenType: 'personal', expiresAt: connection.expiresAt, tokenPreview: connection.tokenPreview, status: 'healthy' })
      expect(entry.personal).toMatchObject({ role: 'library', connectionId: connection.id, connectionName: 'Pat (personal)', libraryCount: 3 })
    }
    expect(added[1]?.personal?.isActive).toBe(true)
    expect(added[0]?.personal?.isActive).toBe(false)

    // One record with secrets, three entries without: the pair is stored once.
    expect(h.vault.list().map((meta) => meta.id)).toEqual([connection.id])
    expect(h.vault.entries()).toHaveLength(3)
    await h.vault.flush()
    const file = durableContent(h.vaultPath)
    expect(file.schemaVersion).toBe(SCHEMA_VERSION)
    expect(Object.keys(file.libraries)).toEqual([connection.id])
    for (const entry of Object.values(file.entries)) expect(Object.keys(entry).sort()).toEqual(['addedAt', 'apicbaseLibraryId', 'apicbaseLibraryName', 'connectionId', 'id', 'lastUsedAt', 'name'])
    const secrets = await h.vault.secrets(connection.id)
    const disk = readTree(h.dir)
    for (const value of [secrets.accessToken, secrets.refreshToken, secrets.clientSecret]) expect(disk).not.toContain(value)

    // The list shows four rows; adding again reuses the entries; another user's library is refused.
    expect(h.core.libraries.list().map((row) => row.name)).toEqual(['Pat (personal)', 'Café Zuid', 'Brasserie Nord', 'Trattoria Oost'])
    const again = await h.actions.addPersonalLibraries(connection.id, [NORD])
    expect(again.map((entry) => entry.id)).toEqual([added[1]?.id])
    expect(h.vault.entries()).toHaveLength(3)
    const refused = await h.actions.addPersonalLibraries(connection.id, [String(LIBRARY_IDS.bistroWest)]).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(InputError)
    expect((refused as InputError).field).toBe('libraryIds[0]')
    expect((refused as Error).message).toMatch(/cannot reach an Apicbase library with id 1004/)
    expect(h.vault.entries()).toHaveLength(3)
    expect((await h.actions.reachableLibraries(connection.id)).libraries.map((library) => library.entryId)).toEqual([added[1]?.id, added[0]?.id, added[2]?.id])
  })

  it('refreshes the shared pair once for all its libraries (one request in flight, whoever asks)', async () => {
    h = await startLarder()
    const { connection, nord, zuid, oost } = await connectWithEntries()
    const family = h.sandbox.fixtures.user.token.familyId
    const before = h.sandbox.counters.tokenRequestsByFamily(family)
    const refreshed = await Promise.all([h.actions.refresh(nord.id), h.actions.refresh(zuid.id), h.actions.refresh(oost.id), h.actions.refresh(connection.id)])
    expect(h.sandbox.counters.tokenRequestsByFamily(family)).toBe(before + 1)
    expect(h.sandbox.counters.maxConcurrentRefreshesByFamily(family)).toBe(1)
    expect(new Set(refreshed.map((row) => row.tokenPreview)).size).toBe(1)
    expect(refreshed.map((row) => row.id)).toEqual([nord.id, zuid.id, oost.id, connection.id])
    // Every row follows the token: one stored pair.
    const rows = h.core.libraries.list()
    expect(new Set(rows.map((row) => row.expiresAt)).size).toBe(1)
  })

  it('refuses to revoke a shared token through one of its libraries; removing a library keeps the token, removing the token removes its libraries', async () => {
    h = await startLarder()
    const { connection, nord, zuid, oost } = await connectWithEntries()
    await expect(h.actions.revoke(nord.id)).rejects.toThrow(/uses the personal token of Pat \(personal\).*revoke Pat \(personal\) itself/)
    const removed: string[] = []
    h.core.on('removed', (id) => removed.push(id))
    await expect(h.actions.remove(nord.id, 'Pat (personal)')).rejects.toThrow(/Type the library's name, "Brasserie Nord"/)
    await h.actions.remove(nord.id, 'Brasserie Nord')
    expect(removed).toEqual([nord.id])
    expect(h.vault.get(connection.id)).toBeDefined()
    expect(h.core.libraries.get(connection.id).personal?.libraryCount).toBe(2)
    await h.actions.remove(connection.id, 'Pat (personal)')
    expect(removed.sort()).toEqual([nord.id, connection.id, zuid.id, oost.id].sort())
    expect(h.vault.list()).toEqual([])
    expect(h.vault.entries()).toEqual([])
    expect(h.core.libraries.list()).toEqual([])
  })
})

describe('on library X, do Y', () => {
  it('50 interleaved operations on three libraries through one token: each lands in its library, none interleaves, the budget holds', async () => {
    h = await startLarder()
    const { nord, zuid, oost } = await connectWithEntries()
    const entries = [nord, zuid, oost]
    const family = h.sandbox.fixtures.user.token.familyId
    // From here on, every request of the token is one the operations make.
    h.sandbox.counters.reset()
    const hitsBefore = familyHits().length
    // When Larder sent each request, on its own clock (a spy on the real client: the requests still go out).
    const sentAt: number[] = []
    const client = h.core.client
    for (const method of ['getActiveLibrary', 'setActiveLibrary', 'listLibraries'] as const) {
      const real = client[method].bind(client) as (...args: unknown[]) => Promise<unknown>
      Object.assign(client, { [method]: (...args: unknown[]) => (sentAt.push(h.clock.now()), real(...args)) })
    }
    const switches: string[] = []
    h.core.on('personal.active', (state) => switches.push(state.activeLibraryId ?? '?'))
    const executed: number[] = []
    let running = 0
    let maxRunning = 0
    // A fixed, shuffled-looking order of targets.
    const targetOf = (i: number): LibraryWithStatus => entries[(i * 7 + ((i * i) % 5)) % 3]!
    const operations = Array.from({ length: 50 }, (_, i) =>
      h.core.personal.onLibrary(
        targetOf(i).id,
        async ({ accessToken, target }) => {
          running++
          maxRunning = Math.max(maxRunning, running)
          executed.push(i)
          sentAt.push(h.clock.now())
          try {
            const response = await fetch(`${target.baseUrl}/api/v2/accounts/outlets/`, { headers: { authorization: `Bearer ${accessToken}` } })
            const body = (await response.json()) as { count?: number }
            return { status: response.status, count: body.count }
          } finally {
            running--
          }
        },
        { purpose: `operation ${i}` }
      )
    )
    const all = tracked(Promise.all(operations))
    await h.pump(all.done)
    const results = await all.promise

    expect(results.every((result) => result.value.status === 200)).toBe(true)
    expect(maxRunning).toBe(1)
    expect(executed).toHaveLength(50)
    // The sandbox saw each operation's request in the library it was meant for, and right before it a read of the
    // active library in that same library (its confirmation, or the check that found it active): nothing in between.
    const hits = familyHits().slice(hitsBefore)
    const outlets = hits.map((hit, index) => ({ hit, index })).filter(({ hit }) => hit.route === 'outlets')
    expect(outlets).toHaveLength(50)
    outlets.forEach(({ hit, index }, n) => {
      const op = executed[n]!
      const expected = Number(targetOf(op).apicbaseLibraryId)
      expect(hit.libraryId, `operation ${op}`).toBe(expected)
      const before = hits[index - 1]
      expect(before?.route, `operation ${op}`).toBe('active')
      expect(before?.libraryId, `operation ${op}`).toBe(expected)
    })
    // Switched exactly when the target changed, each switch confirmed and recorded.
    const targets = executed.map((op) => targetOf(op).apicbaseLibraryId)
    const changes = targets.filter((target, n) => target !== (n === 0 ? NORD : targets[n - 1])).length
    expect(results.filter((result) => result.switched)).toHaveLength(changes)
    const audit = await h.core.audit.page({ limit: 500, action: 'switched' })
    expect(audit.entries).toHaveLength(changes)
    expect(audit.entries.every((entry) => entry.outcome === 'ok')).toBe(true)
    // The rate limit: the sandbox (100 a minute per token) never answered 429 and saw at most 100 in any minute;
    // Larder itself sent at most its own budget of 60 in any minute of its clock.
    expect(hits.filter((hit) => hit.status === 429)).toEqual([])
    const perMinute = h.sandbox.counters.maxRequestsPerFamilyPerMinute(family)
    expect(perMinute).toBeLessThanOrEqual(100)
    expect(sentAt).toHaveLength(hits.length)
    const larderPeak = peakPerMinute(sentAt)
    expect(larderPeak).toBeLessThanOrEqual(60)
    expect(larderPeak).toBeGreaterThan(40) // the budget was what paced them
    const minutes = (sentAt.at(-1)! - sentAt[0]!) / 60_000
    console.info(
      `[figures] 50 operations, ${changes} switches, ${hits.length} requests of one personal token over ${minutes.toFixed(1)} minutes; ` +
        `peak ${larderPeak} sent in any minute by Larder's clock (budget 60), ${perMinute} seen by the sandbox (limit 100), no 429`
    )
  }, 60_000)

  it('runs a task for a library holding its own token without switching, and refuses a personal token given as the library', async () => {
    h = await startLarder()
    const nordFixture = h.sandbox.fixtures.libraries.find((library) => library.id === LIBRARY_IDS.brasserieNord)!
    const own = await h.actions.add({ ...nordFixture, tokenType: 'service_account', apiBaseUrl: h.sandbox.url })
    const { connection } = await connectWithEntries()
    const run = await h.core.personal.onLibrary(own.id, async ({ accessToken, entry }) => {
      expect(entry).toBeNull()
      return (await h.core.client.getActiveLibrary({ baseUrl: h.sandbox.url, libraryName: own.name, rateKey: own.id }, accessToken)).id
    })
    expect(run).toEqual({ value: NORD, switched: false, previous: null, active: null })
    await expect(h.core.personal.onLibrary(connection.id, async () => 1)).rejects.toThrow(/is a personal token, not a library/)
    await expect(h.core.personal.onLibrary('nope', async () => 1)).rejects.toThrow(/No library with id "nope"/)
  })
})

describe('a refresh racing an operation', () => {
  it('retries a step refused with the token the refresh just replaced, once, with the new one', async () => {
    h = await startLarder()
    const { connection, zuid } = await connectWithEntries()
    const before = await h.vault.secrets(connection.id)
    // The operation's first read is slow; a refresh rotates the pair (revoking the old access token) meanwhile.
    h.sandbox.faults.inject({ route: 'active', kind: 'latency', ms: 150, times: 1 })
    const operation = h.core.personal.onLibrary(zuid.id, async ({ accessToken }) => accessToken)
    await new Promise((resolve) => setTimeout(resolve, 30))
    await h.actions.refresh(connection.id)
    const run = await operation
    const after = await h.vault.secrets(connection.id)
    expect(after.accessToken).not.toBe(before.accessToken)
    expect(run).toMatchObject({ value: after.accessToken, switched: true, active: { id: ZUID } })
    const statuses = familyHits().filter((hit) => hit.route === 'active').map((hit) => hit.status)
    expect(statuses).toContain(401)
  })
})

describe('copying a personal token for a library', () => {
  it('switches to that library first and says so; the receipt and the row show the active library', async () => {
    h = await startLarder()
    const { zuid, nord } = await connectWithEntries()
    const receipt = (await h.handlers['libraries.copy']({ id: zuid.id, format: 'env' })) as { ok: true; value: CopyReceipt }
    expect(receipt.ok).toBe(true)
    expect(receipt.value.personal).toMatchObject({ switched: true, activeLibraryId: ZUID, activeLibraryName: 'Café Zuid' })
    expect(receipt.value.personal?.message).toMatch(/^Switched the personal token of Pat \(personal\) to Café Zuid before copying\./)
    const secrets = await h.vault.secrets(zuid.personal!.connectionId)
    expect(h.clipboard.text).toContain(`APICBASE_ACCESS_TOKEN=${secrets.accessToken}`)
    expect(h.clipboard.text).toContain(`APICBASE_LIBRARY_ID=${ZUID}`)
    expect(JSON.stringify(receipt)).not.toContain(secrets.accessToken)
    // Apicbase agrees: the token acts on Café Zuid now.
    expect((await h.core.client.getActiveLibrary({ baseUrl: h.sandbox.url, libraryName: 'x', rateKey: 'x' }, secrets.accessToken)).id).toBe(ZUID)
    expect(h.core.libraries.get(zuid.id).personal).toMatchObject({ isActive: true, activeLibraryName: 'Café Zuid', drifted: false })
    expect(h.core.libraries.get(zuid.id).lastUsedAt).toBe(h.clock.now())
    expect(h.core.libraries.get(nord.id).lastUsedAt).toBeNull()
    // Copying again for the same library switches nothing.
    const again = await h.actions.copy(zuid.id, 'token')
    expect(again.personal).toMatchObject({ switched: false, activeLibraryId: ZUID })
    expect(again.personal?.message).toMatch(/^Café Zuid was already the active library of Pat \(personal\)\./)
    // Copying the personal token itself hands it out as it is and names the library it acts on.
    const raw = await h.actions.copy(zuid.personal!.connectionId, 'token')
    expect(raw.personal).toMatchObject({ switched: false, activeLibraryId: ZUID })
    expect(raw.personal?.message).toMatch(/acts on whichever library its user has active: now Café Zuid/)
    const copied = await h.core.audit.page({ limit: 10, action: 'copied' })
    expect(copied.entries.map((entry) => entry.detail)).toEqual(['format: token', 'format: token', 'format: env; switched to Café Zuid first'])
  })
})

describe('drift: the active library changed behind Larder', () => {
  it('is noticed on the timer, shown, refuses the mismatched copy, and recovers on an explicit switch', async () => {
    h = await startLarder({ core: { personal: { checkEveryMs: 60_000 } } })
    const { connection, nord, oost } = await connectWithEntries()
    await h.actions.copy(nord.id, 'token') // Larder leaves the token on Brasserie Nord
    await h.nextTurn() // what the copy changed has been handed out
    const seen = states()
    const changed: LibraryView[] = []
    h.app.events.on('library.changed', (library) => changed.push(library))

    // Someone switches to Trattoria Oost in Apicbase's web UI.
    h.sandbox.setActiveLibrary(PERSONAL_USER_ID, LIBRARY_IDS.trattoriaOost)
    await h.advance(61_000)
    await h.core.personal.settled()
    await h.nextTurn()
    expect(seen.at(-1)).toMatchObject({ connectionId: connection.id, activeLibraryId: OOST, expectedLibraryId: NORD, expectedLibraryName: 'Brasserie Nord', drifted: true })
    expect(changed.find((view) => view.id === nord.id)?.personal).toMatchObject({ drifted: true, isActive: false, activeLibraryName: 'Trattoria Oost' })
    expect(h.core.libraries.get(connection.id).personal?.drifted).toBe(true)

    // The tray says so, and does not offer to copy for the other library.
    const tray = buildTrayModel(h.core.libraries.list().map(toLibraryView))
    const labels = flatten(tray.menu)
    expect(labels).toContain('Pat (personal) — on Trattoria Oost (changed outside Larder)')
    const nordMenu = tray.menu.find((node) => node.type === 'submenu' && node.label === 'Brasserie Nord')
    expect(nordMenu?.type === 'submenu' && nordMenu.children.find((child) => child.type === 'item' && child.label === 'Copy token')).toMatchObject({ enabled: false })

    // Copying for Brasserie Nord is refused: nothing switched, nothing handed out.
    h.clipboard.text = null
    const hitsBefore = familyHits().length
    const refused = await h.handlers['libraries.copy']({ id: nord.id, format: 'token' })
    expect(refused).toMatchObject({ ok: false, error: { kind: 'api', apiKind: 'library_drift' } })
    expect(!refused.ok && refused.error.message).toMatch(/changed outside Larder: it is now Trattoria Oost \(1003\), where Larder had left it on Brasserie Nord \(1001\)/)
    expect(h.clipboard.text).toBeNull()
    expect(familyHits().slice(hitsBefore).map((hit) => [hit.route, hit.libraryId])).toEqual([['active', LIBRARY_IDS.trattoriaOost]])
    const failedCopy = await h.core.audit.page({ limit: 1, action: 'copied' })
    expect(failedCopy.entries[0]).toMatchObject({ outcome: 'error', libraryId: nord.id })

    // For the library now active, nothing needs switching: that copy goes through, and the drift stays.
    const onOost = await h.actions.copy(oost.id, 'token')
    expect(onOost.personal).toMatchObject({ switched: false, activeLibraryId: OOST })
    expect(h.core.personal.state(connection.id).drifted).toBe(true)

    // The person switches back through Larder: confirmed, recorded, drift over; copying works again.
    const switched = await h.handlers['personal.switch']({ id: nord.id })
    expect(switched).toMatchObject({ ok: true, value: { id: nord.id, personal: { drifted: false, isActive: true, activeLibraryId: NORD, expectedLibraryId: NORD } } })
    expect(seen.at(-1)).toMatchObject({ activeLibraryId: NORD, expectedLibraryId: NORD, drifted: false })
    const receipt = await h.actions.copy(nord.id, 'token')
    expect(receipt.personal?.switched).toBe(false)
    const audit = await h.core.audit.page({ limit: 2, action: 'switched' })
    expect(audit.entries[0]?.detail).toMatch(/from Trattoria Oost \(1003\) to Brasserie Nord \(1001\), for switched in Larder by request/)
  })

  it('is noticed before an operation even without the timer, and can be resolved by keeping the new library', async () => {
    h = await startLarder()
    const { connection, zuid, nord } = await connectWithEntries()
    h.sandbox.setActiveLibrary(PERSONAL_USER_ID, LIBRARY_IDS.cafeZuid)
    const error = await h.core.personal.onLibrary(nord.id, async () => 'never').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LibraryDriftError)
    expect(error).toMatchObject({ connectionId: connection.id, activeLibraryId: ZUID, expectedLibraryId: NORD })
    // Keeping the library made active outside Larder: no switch request, drift over.
    const hitsBefore = familyHits().length
    const kept = await h.handlers['personal.switch']({ id: connection.id })
    expect(kept).toMatchObject({ ok: true, value: { personal: { role: 'connection', drifted: false, expectedLibraryId: ZUID, activeLibraryId: ZUID } } })
    expect(familyHits().slice(hitsBefore).map((hit) => hit.route)).toEqual(['active'])
    // Larder remembers it on the token's record (so a restart does too), and acts for other libraries again.
    expect(h.vault.get(connection.id)).toMatchObject({ apicbaseLibraryId: ZUID, apicbaseLibraryName: 'Café Zuid' })
    const run = await h.core.personal.onLibrary(nord.id, async () => 'done')
    expect(run).toMatchObject({ value: 'done', switched: true, previous: { id: ZUID }, active: { id: NORD } })
    expect(h.core.libraries.get(zuid.id).personal?.isActive).toBe(false)
    const audit = await h.core.audit.page({ limit: 5, action: 'switched' })
    expect(audit.entries.map((entry) => entry.detail)).toEqual([
      'from Café Zuid (1002) to Brasserie Nord (1001), for an operation',
      'kept Café Zuid (1002), made active outside Larder (Larder had left it on Brasserie Nord (1001))'
    ])
  })

  it('says when the token cannot read its active library (no accounts scope) instead of guessing', async () => {
    h = await startLarder()
    const partner = h.sandbox.fixtures.partner
    const pair = h.sandbox.issueTokenPair({ clientId: partner.clientId, kind: 'personal', userId: PERSONAL_USER_ID, scopes: ['library'] })
    const connection = await h.actions.add({ tokenType: 'personal', name: 'Library only', clientId: partner.clientId, clientSecret: partner.clientSecret, accessToken: pair.accessToken, refreshToken: pair.refreshToken, apiBaseUrl: h.sandbox.url })
    const error = await h.actions.checkActiveLibrary(connection.id).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/lacks the 'accounts' scope/)
    expect(h.core.personal.state(connection.id).problem).toMatch(/lacks the 'accounts' scope/)
    await expect(h.actions.reachableLibraries(connection.id)).rejects.toThrow(/accounts/)
    // Its token can still be copied as it is, saying that Larder cannot tell where it acts.
    const receipt = await h.actions.copy(connection.id, 'token')
    expect(receipt.personal).toMatchObject({ switched: false, activeLibraryId: null })
    expect(receipt.personal?.message).toMatch(/cannot tell which \(the token lacks the 'accounts' scope\)/)
    expect(h.clipboard.text).toBe((await h.vault.secrets(connection.id)).accessToken)
  })
})

describe('bad input changes nothing', () => {
  it('refuses unknown ids, tokens that are not personal and malformed library lists', async () => {
    h = await startLarder()
    const nordFixture = h.sandbox.fixtures.libraries.find((library) => library.id === LIBRARY_IDS.brasserieNord)!
    const own = await h.actions.add({ ...nordFixture, tokenType: 'service_account', apiBaseUrl: h.sandbox.url })
    const { connection } = await connectWithEntries()
    const before = durableBytes(h.vaultPath)
    const hits = h.sandbox.counters.hits.length
    await expect(h.actions.reachableLibraries('nope')).rejects.toThrow(/No library with id "nope"/)
    await expect(h.actions.reachableLibraries(own.id)).rejects.toThrow(/holds a service account token, which is bound to its library/)
    await expect(h.actions.addPersonalLibraries(own.id, [NORD])).rejects.toThrow(/bound to its library/)
    await expect(h.actions.addPersonalLibraries(connection.id, [])).rejects.toThrow(/at least one library/)
    await expect(h.actions.addPersonalLibraries(connection.id, ['10 01'])).rejects.toThrow(/without spaces/)
    await expect(h.actions.switchLibrary(own.id)).rejects.toThrow(/bound to its library/)
    await expect(h.actions.switchLibrary('')).rejects.toThrow(InputError)
    expect(await h.handlers['personal.add']({ connectionId: connection.id, libraryIds: 'x' })).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'libraryIds' } })
    expect(h.sandbox.counters.hits.length).toBe(hits)
    expect(durableBytes(h.vaultPath).equals(before)).toBe(true)
  })
})

/** The most requests in any 60-second window. */
function peakPerMinute(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b)
  let best = 0
  for (let end = 0, start = 0; end < sorted.length; end++) {
    while (sorted[start]! <= sorted[end]! - 60_000) start++
    best = Math.max(best, end - start + 1)
  }
  return best
}

function flatten(menu: readonly MenuNode[]): string[] {
  return menu.flatMap((node) => (node.type === 'submenu' ? [node.label, ...flatten(node.children)] : node.type === 'separator' ? [] : [node.label]))
}
