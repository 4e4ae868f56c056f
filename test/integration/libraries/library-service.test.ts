import fs from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { InputError } from '../../../src/main/core/errors.ts'
import { readTree, startHarness, type Harness } from '../../support/core-harness.ts'

let h: Harness
afterEach(async () => {
  await h?.close()
})

function input(overrides: Record<string, unknown> = {}, fixture = 0) {
  const lib = h.sandbox.fixtures.libraries[fixture]!
  return {
    tokenType: 'service_account',
    name: 'Brasserie Nord',
    clientId: lib.clientId,
    clientSecret: lib.clientSecret,
    accessToken: lib.accessToken,
    refreshToken: lib.refreshToken,
    apiBaseUrl: h.sandbox.url,
    ...overrides
  }
}

describe('adding a library', () => {
  it('checks the pasted pair with Apicbase, saves the refreshed pair and finds the library', async () => {
    h = await startHarness()
    const lib = h.sandbox.fixtures.libraries[0]!
    const { library, found } = await h.libraries.add(
      input({ name: '  Brasserie   Nord ', clientSecret: `"${lib.clientSecret}"\n`, accessToken: ` Bearer ${lib.accessToken}`, refreshToken: `'${lib.refreshToken}' ` })
    )
    expect(library.name).toBe('Brasserie Nord')
    expect(library.status).toBe('healthy')
    expect(found).toMatchObject({ id: String(lib.id), name: lib.name })
    expect(h.vault.get(library.id)).toMatchObject({ apicbaseLibraryId: String(lib.id), apicbaseLibraryName: lib.name })
    const secrets = await h.vault.secrets(library.id)
    expect(secrets.refreshToken).not.toBe(lib.refreshToken)
    expect(secrets.clientSecret).toBe(lib.clientSecret)
    const disk = readTree(h.dir)
    for (const value of [lib.clientSecret, secrets.accessToken, secrets.refreshToken]) expect(disk).not.toContain(value)
  })

  it('a wrong client secret is refused with a clear message, and nothing is saved or consumed', async () => {
    h = await startHarness()
    const other = h.sandbox.fixtures.libraries[1]!
    await expect(h.libraries.add(input({ clientSecret: other.clientSecret }))).rejects.toThrow(
      /rejected the client ID or client secret for Brasserie Nord.*Nothing was saved/
    )
    expect(h.vault.list()).toEqual([])
    // The pasted refresh token still works: the check consumed nothing.
    await expect(h.libraries.add(input())).resolves.toBeDefined()
  })

  it('a refresh token that was already used is named as such', async () => {
    h = await startHarness()
    await h.libraries.add(input())
    await expect(h.libraries.add(input({ name: 'Again' }))).rejects.toThrow(/already used by Larder/)
    expect(h.vault.list()).toHaveLength(1)
  })

  it('no network is said plainly and saves nothing', async () => {
    h = await startHarness()
    await expect(h.libraries.add(input({ apiBaseUrl: 'http://127.0.0.1:9' }))).rejects.toMatchObject({ kind: 'network' })
    expect(h.vault.list()).toEqual([])
  })

  it('bad input is refused before any request, naming the field, with the vault untouched', async () => {
    h = await startHarness()
    await h.libraries.add(input())
    const before = fs.readFileSync(h.vaultPath)
    const hits = h.sandbox.counters.hits.length
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ tokenType: 'admin' }, 'tokenType'],
      [{ tokenType: undefined }, 'tokenType'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 42 }, 'name'],
      [{ clientId: '' }, 'clientId'],
      [{ clientSecret: 'two words' }, 'clientSecret'],
      [{ accessToken: 'abc\ndef' }, 'accessToken'],
      [{ accessToken: 'Bearer' }, 'accessToken'],
      [{ refreshToken: 'x'.repeat(5000) }, 'refreshToken'],
      [{ refreshToken: 'tökén' }, 'refreshToken'],
      [{ refreshToken: null }, 'refreshToken'],
      [{ apiBaseUrl: 'ftp://api.apicbase.com' }, 'apiBaseUrl'],
      [{ apiBaseUrl: 'http://api.apicbase.com' }, 'apiBaseUrl'],
      [{ apiBaseUrl: 'https://user:pw@api.apicbase.com' }, 'apiBaseUrl'],
      [{ apiBaseUrl: 'not a url' }, 'apiBaseUrl']
    ]
    for (const [overrides, field] of cases) {
      const error = await h.libraries.add(input(overrides, 1)).catch((e: unknown) => e)
      expect(error, JSON.stringify(overrides).slice(0, 80)).toBeInstanceOf(InputError)
      expect((error as InputError).field).toBe(field)
    }
    const same = input({}, 1)
    await expect(h.libraries.add({ ...same, accessToken: same.refreshToken })).rejects.toThrow(/are the same/)
    await expect(h.libraries.add(null)).rejects.toThrow(InputError)
    await expect(h.libraries.add([1, 2])).rejects.toThrow(InputError)
    expect(fs.readFileSync(h.vaultPath).equals(before)).toBe(true)
    expect(h.sandbox.counters.hits.length).toBe(hits)
  })

  it('remove needs the library name repeated, and leaves others alone', async () => {
    h = await startHarness()
    const { library } = await h.libraries.add(input())
    const before = fs.readFileSync(h.vaultPath)
    await expect(h.libraries.remove(library.id, 'Brasserie')).rejects.toThrow(/Type the library's name, "Brasserie Nord"/)
    await expect(h.libraries.remove('nope', 'x')).rejects.toThrow(/No library with id "nope"/)
    expect(fs.readFileSync(h.vaultPath).equals(before)).toBe(true)
    await h.libraries.remove(library.id, ' Brasserie Nord ')
    expect(h.vault.list()).toEqual([])
  })

  it('revoke kills the token family at Apicbase and marks the library revoked', async () => {
    h = await startHarness()
    const { library } = await h.libraries.add(input())
    const revoked = await h.libraries.revoke(library.id)
    expect(revoked.status).toBe('revoked')
    const secrets = await h.vault.secrets(library.id)
    const answer = await fetch(`${h.sandbox.url}/api/v2/accounts/libraries/active/`, { headers: { authorization: `Bearer ${secrets.accessToken}` } })
    expect(answer.status).toBe(401)
    await expect(h.engine.refresh(library.id)).rejects.toMatchObject({ kind: 'invalid_grant' })
  })
})

describe('re-authorizing a library with a new pair from its owner', () => {
  it('checks the new pair, keeps the record and its id, and records the pasted token as spent', async () => {
    h = await startHarness()
    const lib = h.sandbox.fixtures.libraries[0]!
    const { library } = await h.libraries.add(input())
    // Somebody used the token elsewhere: Larder's refresh fails and the library needs re-authorization.
    const stored = await h.vault.secrets(library.id)
    await h.client.refresh({ baseUrl: h.sandbox.url, libraryName: 'x', rateKey: 'x' }, lib, stored.refreshToken)
    await expect(h.engine.refresh(library.id)).rejects.toMatchObject({ kind: 'invalid_grant' })
    expect(h.libraries.get(library.id).status).toBe('needs_reauth')
    // The owner issues a new token for the same application.
    const fresh = h.sandbox.issueTokenPair({ clientId: lib.clientId, kind: 'service_account', libraryId: lib.id, scopes: ['accounts', 'library'] })
    await expect(h.libraries.reauthorize(library.id, { accessToken: fresh.accessToken, refreshToken: 'nope nope' })).rejects.toMatchObject({ field: 'refreshToken' })
    const after = await h.libraries.reauthorize(library.id, { accessToken: ` ${fresh.accessToken}`, refreshToken: `"${fresh.refreshToken}"` })
    expect(after).toMatchObject({ id: library.id, status: 'healthy' })
    expect(h.vault.isSpent(fresh.refreshToken)).toBe(true)
    await expect(h.engine.refresh(library.id)).resolves.toBeTruthy()
    await expect(h.libraries.reauthorize(library.id, { accessToken: fresh.accessToken, refreshToken: fresh.refreshToken })).rejects.toThrow(/already used by Larder/)
  })
})
