// A key removed by an outside edit of the vault (another Larder on the same folder, a file put back from a copy):
// once the file is re-read, the app says 'key.removed' for it, as for one removed in the window, and the key watch
// drops its timers, so no check is sent for a key that is not there and the window keeps no ghost row.
import Conf from 'conf'
import { describe, expect, it } from 'vitest'
import { createPassphraseCipher, openVault, readVaultHeader, type Vault } from '../../../src/main/core/vault/index.ts'
import type { ProviderSandbox } from '../../../src/main/sandbox/providers/index.ts'
import { FAST_SCRYPT, TEST_PASSPHRASE } from '../../support/core-harness.ts'
import { keysWorlds } from '../../support/keys-world.ts'
import type { LarderHarness } from '../../support/larder-harness.ts'

const DAY = 86_400_000

const startWorld = keysWorlds()

/** The same vault file opened by someone else (another process would do the same), with the same passphrase. */
async function otherOpener(h: LarderHarness): Promise<Vault> {
  const header = readVaultHeader(h.vaultPath)
  if (header === null) throw new Error('no vault file')
  const { cipher } = await createPassphraseCipher(TEST_PASSPHRASE, header.cipher, { cost: FAST_SCRYPT })
  return openVault({ path: h.vaultPath, openStore: () => new Conf({ cwd: h.dir, configName: 'vault', configFileMode: 0o600 }), cipher, now: () => h.clock.now() })
}

async function twoKeys(h: LarderHarness, fakes: ProviderSandbox): Promise<{ kept: string; gone: string }> {
  const user = fakes.airtable.addUser({})
  const add = async (name: string): Promise<string> => {
    const token = fakes.airtable.createToken({ userId: user.id, name, scopes: ['data.records:read'] })
    return (await h.core.keys.add({ system: 'airtable', name, token: token.value, details: { apiBaseUrl: fakes.airtable.url } })).id
  }
  return { kept: await add('Tracking base'), gone: await add('Audits base') }
}

describe('a key removed outside Larder', () => {
  it("is announced as removed when the vault is re-read, and the key watch forgets it", async () => {
    const { h, fakes, advance } = await startWorld()
    const { kept, gone } = await twoKeys(h, fakes)
    await h.vault.flush()
    expect(h.core.keyWatch.nextCheckAt(gone)).not.toBeNull()
    const removed: string[] = []
    const changed: string[] = []
    h.core.on('key.removed', (id) => removed.push(id))
    h.core.on('key.changed', (id) => changed.push(id))

    const other = await otherOpener(h)
    await other.removeKey(gone)
    await other.close()
    expect(await h.vault.reloadIfChanged()).toBe(true)

    expect(h.vault.key(gone)).toBeUndefined()
    expect(removed).toEqual([gone])
    expect(changed).toEqual([kept])
    await h.nextTurn()
    expect(h.events.of('key.removed')).toEqual([{ id: gone }])
    expect(h.core.keyWatch.nextCheckAt(gone)).toBeNull()
    expect(h.core.keyWatch.nextCheckAt(kept)).not.toBeNull()

    // Its planned checks are gone with it: two days on, only the kept key was asked about.
    const before = fakes.airtable.counters.hits.length
    await advance(2 * DAY, 3_600_000)
    expect(fakes.airtable.counters.hits.length - before).toBeGreaterThanOrEqual(1)
    expect(h.core.vault.key(kept)?.lastCheck?.at).toBeGreaterThan(h.clock.now() - 2 * DAY)
    // Re-read again with nothing new: nothing more is said about it.
    await h.vault.reloadIfChanged()
    h.core.reloaded()
    expect(removed).toEqual([gone])
  })
})
