// Schema 4 → 5 on a real file: test/fixtures/vault-v4 was written by the schema 4 vault code (its README says how).
// Opened with today's code, it gains an empty `keys` table and nothing else changes: every library, entry, setting and
// sealed value is what it was, the original is kept as `.v4.bak`, and the secrets open as before.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createPassphraseCipher } from '../../../src/main/core/vault/passphrase-cipher.ts'
import { SCHEMA_VERSION } from '../../../src/main/core/vault/migrations.ts'
import { openVault, readVaultHeader } from '../../../src/main/core/vault/vault.ts'
import { bytes, FAST_COST, options, tempDir, trackVault, vaultPath } from './fixtures.ts'
import { makeKey } from './key-fixtures.ts'

const FIXTURE = path.join(import.meta.dirname, '../../fixtures/vault-v4')
const PASSPHRASE = 'larder v4 fixture passphrase'

function copyFixture(): string {
  const dir = tempDir()
  for (const name of ['vault.json', 'vault.json.spent']) fs.copyFileSync(path.join(FIXTURE, name), path.join(dir, name))
  return dir
}

async function fixtureCipher(dir: string) {
  const header = readVaultHeader(vaultPath(dir))
  if (header === null) throw new Error('the fixture has no vault file')
  return (await createPassphraseCipher(PASSPHRASE, header.cipher, { cost: FAST_COST })).cipher
}

type Parsed = Record<string, unknown> & { libraries: Record<string, unknown>; entries: Record<string, unknown> }
const parse = (buffer: Buffer | null): Parsed => JSON.parse(buffer!.toString('utf8')) as Parsed

describe('vault: schema 4 → 5 on a file written by schema 4', () => {
  it('adds an empty keys table and keeps every library, entry, setting and sealed secret as it was, with a .v4.bak', async () => {
    expect(SCHEMA_VERSION).toBe(5)
    const dir = copyFixture()
    const original = bytes(vaultPath(dir))!
    const before = parse(original)
    expect(before['schemaVersion']).toBe(4)
    const cipher = await fixtureCipher(dir)
    const vault = trackVault(await openVault(options(dir, cipher)))

    expect(bytes(`${vaultPath(dir)}.v4.bak`)).toEqual(original)
    const after = parse(bytes(vaultPath(dir)))
    expect(after['schemaVersion']).toBe(5)
    expect(after['keys']).toEqual({})
    // Byte for byte: each record, sealed values included, serialises exactly as the schema 4 code wrote it.
    expect(JSON.stringify(after.libraries)).toBe(JSON.stringify(before.libraries))
    expect(JSON.stringify(after.entries)).toBe(JSON.stringify(before.entries))
    expect(JSON.stringify(after['settings'])).toBe(JSON.stringify(before['settings']))
    expect(JSON.stringify(after['cipher'])).toBe(JSON.stringify(before['cipher']))
    expect(Object.keys(after).sort()).toEqual([...Object.keys(before), 'keys'].sort())

    expect(vault.list().map((meta) => [meta.id, meta.name, meta.lastError])).toEqual([
      ['v4-nord', 'Brasserie Nord', null],
      ['v4-west', 'Bistro West', null],
      ['v4-pat', 'Pat Partner', null]
    ])
    expect(vault.entries().map((entry) => [entry.id, entry.connectionId])).toEqual([['v4-pat-east', 'v4-pat']])
    expect(vault.settings().expiringSoonMs).toBe(36 * 3_600_000)
    for (const name of ['nord', 'west', 'pat']) {
      expect(await vault.secrets(`v4-${name}`)).toEqual({
        clientSecret: `v4-fixture-client-secret-${name}`,
        accessToken: `v4-fixture-access-token-${name}`,
        refreshToken: `v4-fixture-refresh-token-${name}`
      })
    }
    expect(vault.isSpent('v4-fixture-refresh-token-already-spent')).toBe(true)
    expect(vault.keys()).toEqual([])
  })

  it('opens the migrated file again without migrating or writing, and takes keys beside the old libraries', async () => {
    const dir = copyFixture()
    const cipher = await fixtureCipher(dir)
    const first = await openVault(options(dir, cipher))
    await first.close()
    const migrated = bytes(vaultPath(dir))
    const backup = bytes(`${vaultPath(dir)}.v4.bak`)

    const vault = trackVault(await openVault(options(dir, cipher)))
    expect(vault.stats().writes).toBe(0)
    expect(bytes(vaultPath(dir))).toEqual(migrated)
    await vault.addKey(makeKey('sc-1', 'safetyculture'), { token: 'v5-safetyculture-token-0001' })
    await vault.close()

    const again = trackVault(await openVault(options(dir, cipher)))
    expect(again.keys().map((key) => key.id)).toEqual(['sc-1'])
    expect(await again.keySecret('sc-1')).toEqual({ token: 'v5-safetyculture-token-0001' })
    expect(await again.secrets('v4-nord', ['refreshToken'])).toEqual({ refreshToken: 'v4-fixture-refresh-token-nord' })
    const after = parse(bytes(vaultPath(dir)))
    expect(JSON.stringify(after.libraries)).toBe(JSON.stringify(parse(backup).libraries))
    expect(bytes(`${vaultPath(dir)}.v4.bak`)).toEqual(backup)
  })
})
