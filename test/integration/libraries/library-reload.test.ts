// A library removed by an outside edit of the vault (another Larder on the same folder, a file put back from a copy):
// once the file is re-read, the app says 'library.removed' for it, as for one removed in the window, so the window
// keeps no ghost row and no timer is left for it. A library holding a live refresh token is kept from memory by the
// vault (a token is never lost to a file put back), so only one without a token of its own (a library reached through
// a personal token) or without a live one can go this way.
import Conf from 'conf'
import { afterEach, describe, expect, it } from 'vitest'
import { createPassphraseCipher, openVault, readVaultHeader, type Vault } from '../../../src/main/core/vault/index.ts'
import { FAST_SCRYPT, TEST_PASSPHRASE } from '../../support/core-harness.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'
import { connectWithEntries } from '../personal/personal-fixtures.ts'

let h: LarderHarness
afterEach(async () => {
  await h?.close()
})

/** The same vault file opened by someone else (another process would do the same), with the same passphrase. */
async function otherOpener(): Promise<Vault> {
  const header = readVaultHeader(h.vaultPath)
  if (header === null) throw new Error('no vault file')
  const { cipher } = await createPassphraseCipher(TEST_PASSPHRASE, header.cipher, { cost: FAST_SCRYPT })
  return openVault({ path: h.vaultPath, openStore: () => new Conf({ cwd: h.dir, configName: 'vault', configFileMode: 0o600 }), cipher, now: () => h.clock.now() })
}

describe('a library removed outside Larder', () => {
  it("is announced as removed when the vault is re-read (a library reached through a personal token); one holding a live token is kept", async () => {
    h = await startLarder()
    const { connection, nord, zuid, oost } = await connectWithEntries(h)
    const { tokenType, name, clientId, clientSecret, accessToken, refreshToken } = h.sandbox.addLibraryWithApplication({ name: 'Grill Haven Centrum' })
    const service = await h.actions.add({ tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: h.sandbox.url })
    await h.vault.flush()
    await h.nextTurn()
    const before = h.events.of('library.removed').length

    const other = await otherOpener()
    await other.remove(nord.id)
    await other.remove(service.id)
    await other.close()
    expect(await h.vault.reloadIfChanged()).toBe(true)
    await h.nextTurn()

    expect(h.vault.get(nord.id)).toBeUndefined()
    expect(h.events.of('library.removed').slice(before)).toEqual([{ id: nord.id }])
    // Kept from memory: its refresh token is live, and losing it would mean asking the customer for a new one.
    expect(h.vault.get(service.id)).toBeDefined()
    const listed = await h.handlers['libraries.list']({})
    expect(listed.ok && listed.value.map((row) => row.id).sort()).toEqual([connection.id, zuid.id, oost.id, service.id].sort())
    // Re-read again with nothing new: nothing more is said about it.
    await h.vault.reloadIfChanged()
    await h.nextTurn()
    expect(h.events.of('library.removed').slice(before)).toEqual([{ id: nord.id }])
  })
})
