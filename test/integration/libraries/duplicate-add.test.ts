// A library already in Larder, pasted again (issue 19, item 9). Adding checks the pasted pair with a refresh, which
// rotates it: a duplicate must be caught before anything is sent, or the refused pair is lost. A service account's
// client ID is its library's own application, so the same client ID and token type is the same library; the add is
// refused, naming the entry Larder holds, until the input confirms that entry by id. Nothing is sent or stored when
// refused. A connected application's client ID is the partner's (shared by every customer), so it is not refused.
import fs from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallInput } from '../../../src/shared/contract.ts'
import type { LibraryCredentials } from '../../sandbox/index.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

let h: LarderHarness
afterEach(async () => {
  await h?.close()
})

type Pasted = Pick<LibraryCredentials, 'tokenType' | 'clientId' | 'clientSecret' | 'accessToken' | 'refreshToken'>

function pasted(credentials: Pasted, name: string, extra: Partial<CallInput<'libraries.add'>> = {}): CallInput<'libraries.add'> {
  const { tokenType, clientId, clientSecret, accessToken, refreshToken } = credentials
  return { tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: h.sandbox.url, ...extra }
}

const tokenHits = (): number => h.sandbox.counters.hits.filter((hit) => hit.route === 'token').length

/** What Larder keeps on disk: the vault's bytes, to prove a refusal wrote nothing. */
const vaultBytes = (): Buffer => fs.readFileSync(h.vaultPath)

describe('adding a library Larder already holds', () => {
  it('is refused before any request, naming the existing entry; nothing is sent or stored; the pair stays usable', async () => {
    h = await startLarder()
    const cafe = h.sandbox.fixtures.libraries[1]!
    const first = await h.handlers['libraries.add'](pasted(cafe, 'Café Zuid'))
    if (!first.ok) throw new Error(first.error.message)
    expect(first.value).toMatchObject({ apicbaseLibraryId: String(cafe.id), apicbaseLibraryName: 'Café Zuid' })

    // The owner issues another pair for the same application; a person pastes it under another name.
    const again = h.sandbox.issueTokenPair({ clientId: cafe.clientId, kind: 'service_account', libraryId: cafe.id, scopes: cafe.scopes })
    const hits = h.sandbox.counters.hits.length
    const tokens = tokenHits()
    const before = vaultBytes()
    const refused = await h.handlers['libraries.add'](pasted({ ...cafe, ...again }, 'Cafe Zuid (new)'))
    expect(refused).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'confirmDuplicateOf' } })
    const message = refused.ok ? '' : refused.error.message
    expect(message).toContain('"Café Zuid"')
    expect(message).toContain(`id ${cafe.id}`)
    expect(message).toMatch(/added \d{4}-\d{2}-\d{2}/)
    expect(message).toMatch(/Nothing was sent or saved/)
    expect(tokenHits()).toBe(tokens)
    expect(h.sandbox.counters.hits.length).toBe(hits)
    expect(vaultBytes().equals(before)).toBe(true)
    expect(h.core.vault.list()).toHaveLength(1)
    expect(h.core.vault.isSpent(again.refreshToken)).toBe(false)

    // A confirmation for another id is no confirmation.
    const wrong = await h.handlers['libraries.add'](pasted({ ...cafe, ...again }, 'Cafe Zuid (new)', { confirmDuplicateOf: 'not-that-one' }))
    expect(wrong).toMatchObject({ ok: false, error: { field: 'confirmDuplicateOf' } })
    expect(tokenHits()).toBe(tokens)

    // Confirmed by the existing entry's id: added as a second entry, with the pair that was never sent before.
    const confirmed = await h.handlers['libraries.add'](pasted({ ...cafe, ...again }, 'Cafe Zuid (new)', { confirmDuplicateOf: first.value.id }))
    expect(confirmed).toMatchObject({ ok: true, value: { name: 'Cafe Zuid (new)', status: 'healthy', apicbaseLibraryId: String(cafe.id) } })
    expect(h.core.vault.list()).toHaveLength(2)
    await h.nextTurn()
    const trail = await h.handlers['audit.page']({ limit: 10, action: 'added' })
    if (!trail.ok) throw new Error(trail.error.message)
    expect(trail.value.entries.map((entry) => `${entry.outcome} ${entry.libraryName ?? ''} ${entry.detail ?? ''}`)).toEqual([
      expect.stringMatching(/^ok Cafe Zuid \(new\) .*second entry beside "Café Zuid"/),
      expect.stringMatching(/^error Cafe Zuid \(new\) refused: confirmDuplicateOf/),
      expect.stringMatching(/^error Cafe Zuid \(new\) refused: confirmDuplicateOf/),
      expect.stringMatching(/^ok Café Zuid /)
    ])
  })

  it('a pasted personal token through a client ID Larder holds a personal token of is refused until confirmed', async () => {
    h = await startLarder()
    const { partner, user } = h.sandbox.fixtures
    const first = await h.handlers['libraries.add'](pasted(user.token, 'Pat Partner'))
    if (!first.ok) throw new Error(first.error.message)
    const another = h.sandbox.issueTokenPair({ clientId: partner.clientId, kind: 'personal', userId: user.id, scopes: user.token.scopes })
    const tokens = tokenHits()
    const refused = await h.handlers['libraries.add'](pasted({ ...user.token, ...another }, 'Pat again'))
    expect(refused).toMatchObject({ ok: false, error: { field: 'confirmDuplicateOf', message: expect.stringContaining('"Pat Partner"') } })
    expect(refused.ok ? '' : refused.error.message).toMatch(/same person.*second connection/)
    expect(tokenHits()).toBe(tokens)
    const confirmed = await h.handlers['libraries.add'](pasted({ ...user.token, ...another }, 'Pat again', { confirmDuplicateOf: first.value.id }))
    expect(confirmed).toMatchObject({ ok: true })
  })

  it("a connected application's client ID is the partner's: another customer's token through it is not refused", async () => {
    h = await startLarder()
    const { libraries, partner } = h.sandbox.fixtures
    const bistro = libraries[3]!
    expect(bistro.tokenType).toBe('connected_application')
    const first = await h.handlers['libraries.add'](pasted(bistro, 'Bistro West'))
    if (!first.ok) throw new Error(first.error.message)
    const nord = libraries[0]!
    const connected = h.sandbox.issueTokenPair({ clientId: partner.clientId, kind: 'connected_application', libraryId: nord.id, scopes: nord.scopes })
    const second = await h.handlers['libraries.add'](pasted({ ...bistro, ...connected }, 'Brasserie Nord'))
    expect(second).toMatchObject({ ok: true, value: { clientId: partner.clientId, apicbaseLibraryId: String(nord.id) } })
  })

  it('a duplicate whose pasted refresh token Larder already spent is named as spent: confirming could not help', async () => {
    h = await startLarder()
    const cafe = h.sandbox.fixtures.libraries[1]!
    await h.handlers['libraries.add'](pasted(cafe, 'Café Zuid'))
    const refused = await h.handlers['libraries.add'](pasted(cafe, 'Café Zuid again'))
    expect(refused).toMatchObject({ ok: false, error: { field: 'refreshToken', message: expect.stringMatching(/already used by Larder/) } })
  })
})
