// Personal tokens across several libraries, against the sandbox over loopback (no mocked HTTP): discovering the
// libraries a token's user can reach, adding them as entries that share one stored pair, and the switch-confirm-do
// primitive under 50 interleaved operations.
import { afterEach, describe, expect, it } from 'vitest'
import { InputError } from '../../../src/main/core/errors.ts'
import type { LibraryWithStatus } from '../../../src/main/core/libraries/library-service.ts'
import { LIBRARY_IDS } from '../../sandbox/index.ts'
import { readTree } from '../../support/core-harness.ts'
import { startLarder, tracked, type LarderHarness } from '../../support/larder-harness.ts'
import { SCHEMA_VERSION } from '../../../src/main/core/vault/migrations.ts'
import { durableContent } from '../../support/vault-files.ts'
import { NORD, ZUID, OOST, connectPat, connectWithEntries, familyHits, peakPerMinute } from './personal-fixtures.ts'

let h: LarderHarness
afterEach(async () => {
  await h?.close()
})

describe('discovering and adding the libraries of a personal token', () => {
  it('lists what its user can reach with the active one, adds them as entries sharing one stored pair', async () => {
    h = await startLarder()
    const connection = await connectPat(h)
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
    const { connection, nord, zuid, oost } = await connectWithEntries(h)
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
    const { connection, nord, zuid, oost } = await connectWithEntries(h)
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
    const { nord, zuid, oost } = await connectWithEntries(h)
    const entries = [nord, zuid, oost]
    const family = h.sandbox.fixtures.user.token.familyId
    // From here on, every request of the token is one the operations make.
    h.sandbox.counters.reset()
    const hitsBefore = familyHits(h).length
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
    const hits = familyHits(h).slice(hitsBefore)
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
    // The rate limit: the sandbox (100 a minute per user) never answered 429 and saw at most 100 in any minute;
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
    const { connection } = await connectWithEntries(h)
    const run = await h.core.personal.onLibrary(own.id, async ({ accessToken, entry }) => {
      expect(entry).toBeNull()
      return (await h.core.client.getActiveLibrary({ baseUrl: h.sandbox.url, libraryName: own.name, rateKey: own.id }, accessToken)).id
    })
    expect(run).toEqual({ value: NORD, switched: false, previous: null, active: null })
    await expect(h.core.personal.onLibrary(connection.id, async () => 1)).rejects.toThrow(/is a personal token, not a library/)
    await expect(h.core.personal.onLibrary('nope', async () => 1)).rejects.toThrow(/No library with id "nope"/)
  })
})

