// Personal tokens under pressure, against the sandbox over loopback: a refresh racing an operation, copying for a
// library, drift made behind Larder's back, the per-token request budget, and bad input that changes nothing.
import { afterEach, describe, expect, it } from 'vitest'
import type { CopyReceipt, LibraryListView } from '../../../src/shared/contract.ts'
import { buildTrayModel } from '../../../src/main/core/desktop/tray-model.ts'
import { InputError } from '../../../src/main/core/errors.ts'
import { LibraryDriftError } from '../../../src/main/core/personal/errors.ts'
import { toLibraryView } from '../../../src/main/app/views.ts'
import { LIBRARY_IDS, PERSONAL_USER_ID } from '../../sandbox/index.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'
import { durableBytes } from '../../support/vault-files.ts'
import { NORD, ZUID, OOST, connectWithEntries, familyHits, states, flatten } from './personal-fixtures.ts'

let h: LarderHarness
afterEach(async () => {
  await h?.close()
})

describe('a refresh racing an operation', () => {
  it('retries a step refused with the token the refresh just replaced, once, with the new one', async () => {
    h = await startLarder()
    const { connection, zuid } = await connectWithEntries(h)
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
    const statuses = familyHits(h).filter((hit) => hit.route === 'active').map((hit) => hit.status)
    expect(statuses).toContain(401)
  })
})

describe('copying a personal token for a library', () => {
  it('switches to that library first and says so; the receipt and the row show the active library', async () => {
    h = await startLarder()
    const { zuid, nord } = await connectWithEntries(h)
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
    expect(copied.entries.map((entry) => entry.detail)).toEqual(['format: token, from the window', 'format: token, from the window', 'format: env, from the window; switched to Café Zuid first'])
  })
})

describe('drift: the active library changed behind Larder', () => {
  it('is noticed on the timer, shown, refuses the mismatched copy, and recovers on an explicit switch', async () => {
    h = await startLarder({ core: { personal: { checkEveryMs: 60_000 } } })
    const { connection, nord, oost } = await connectWithEntries(h)
    await h.actions.copy(nord.id, 'token') // Larder leaves the token on Brasserie Nord
    await h.nextTurn() // what the copy changed has been handed out
    const seen = states(h)
    const changed: LibraryListView[] = []
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
    const hitsBefore = familyHits(h).length
    const refused = await h.handlers['libraries.copy']({ id: nord.id, format: 'token' })
    expect(refused).toMatchObject({ ok: false, error: { kind: 'api', apiKind: 'library_drift' } })
    expect(!refused.ok && refused.error.message).toMatch(/changed outside Larder: it is now Trattoria Oost \(1003\), where Larder had left it on Brasserie Nord \(1001\)/)
    expect(h.clipboard.text).toBeNull()
    expect(familyHits(h).slice(hitsBefore).map((hit) => [hit.route, hit.libraryId])).toEqual([['active', LIBRARY_IDS.trattoriaOost]])
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
    const { connection, zuid, nord } = await connectWithEntries(h)
    h.sandbox.setActiveLibrary(PERSONAL_USER_ID, LIBRARY_IDS.cafeZuid)
    const error = await h.core.personal.onLibrary(nord.id, async () => 'never').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LibraryDriftError)
    expect(error).toMatchObject({ connectionId: connection.id, activeLibraryId: ZUID, expectedLibraryId: NORD })
    // Keeping the library made active outside Larder: no switch request, drift over.
    const hitsBefore = familyHits(h).length
    const kept = await h.handlers['personal.switch']({ id: connection.id })
    expect(kept).toMatchObject({ ok: true, value: { personal: { role: 'connection', drifted: false, expectedLibraryId: ZUID, activeLibraryId: ZUID } } })
    expect(familyHits(h).slice(hitsBefore).map((hit) => hit.route)).toEqual(['active'])
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
    const { connection } = await connectWithEntries(h)
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

